// A server script in its own process on an ephemeral port of 127.0.0.1, for tests and benchmarks that need a real one.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface RunningServer {
  child: ChildProcess;
  base: string;
  /** Milliseconds from spawn to the server's "listening" line. */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * The Node flags `npm start` runs the server with (package.json; a test keeps the two the same). A young generation of
 * 32 MiB semi-spaces instead of 16: with the default, a busy server scavenges while its requests are still in flight
 * and V8 learns from that to allocate their objects straight in the old generation (README, "Node flags").
 * Baselines started here run with the same flags.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'] as const;

/** Starts a server script (TypeScript, or built JavaScript such as dist/main.js) that prints a JSON log line with `"url":"http://host:port/..."` once it listens. */
export async function startProcess(script: string, env: Record<string, string>, args: string[] = []): Promise<RunningServer> {
  const began = performance.now();
  // Built JavaScript (dist/) runs as `npm start` runs it; TypeScript through tsx.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...loader, script, ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start: ${out}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /"url":"(http:\/\/[^"/]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        // From here on its request log is drained unread.
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  const startMs = performance.now() - began;
  return {
    child,
    base,
    startMs,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

