// Servers and load for the HTTP scenarios: each in its own process, on an ephemeral port on 127.0.0.1.
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

/** Starts a server script that prints a JSON log line with `"url":"http://host:port/..."` once it listens. */
export async function startProcess(script: string, env: Record<string, string>, args: string[] = []): Promise<RunningServer> {
  const began = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
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

export interface LoadResult {
  requestsPerSecond: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** Requests sent (those still in flight when the window closed have no response counted). */
  sent: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon in its own process against one URL; bounded by `seconds`. */
export async function load(url: string, options: { connections: number; seconds: number; method?: string; body?: unknown }): Promise<LoadResult> {
  const args = [path.join(root, 'node_modules/autocannon/autocannon.js'), '--json', '-c', String(options.connections), '-d', String(options.seconds)];
  if (options.method) args.push('-m', options.method);
  if (options.body !== undefined) args.push('-H', 'content-type=application/json', '-b', JSON.stringify(options.body));
  args.push(url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  await once(child, 'exit');
  const result = JSON.parse(out) as { requests: { average: number; sent: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; '2xx': number };
  return { requestsPerSecond: result.requests.average, ok: result['2xx'], sent: result.requests.sent, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/** POSTs JSON and returns the parsed answer. */
// biome-ignore lint/suspicious/noExplicitAny: benchmark set-up reads answers loosely
export async function postJson(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}
