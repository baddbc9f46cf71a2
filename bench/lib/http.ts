// Load for the HTTP scenarios, from its own process, against servers on ephemeral ports of 127.0.0.1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { median } from './stats.js';

const root = path.resolve(import.meta.dirname, '../..');

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
  return loadResult(await output(args));
}

/**
 * A short load whose figures are thrown away, run on a server before it is measured: what follows measures it warmed
 * up (code optimised by V8, caches filled, connections opened), as a long-running server is, for the baseline and
 * the service alike.
 */
export async function warmUp(url: string, options: { connections: number; quick: boolean; method?: string; body?: unknown }): Promise<void> {
  const { quick, ...rest } = options;
  await load(url, { ...rest, seconds: quick ? 3 : 5 });
}

/** Like `load`, with each request going to the next of `paths` on `origin` in turn (e.g. spread over many sessions). */
export async function loadSpread(origin: string, paths: readonly string[], options: { connections: number; seconds: number; method?: string; body?: unknown }): Promise<LoadResult> {
  const runner = path.join(root, 'bench/lib/load-runner.ts');
  return loadResult(await output(['--import', 'tsx', runner, JSON.stringify({ origin, paths, ...options })]));
}

async function output(args: string[]): Promise<string> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  await once(child, 'exit');
  return out;
}

function loadResult(out: string): LoadResult {
  const result = JSON.parse(out) as { requests: { average: number; sent: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; '2xx': number };
  return { requestsPerSecond: result.requests.average, ok: result['2xx'], sent: result.requests.sent, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/** POSTs JSON and returns the parsed answer. */
// biome-ignore lint/suspicious/noExplicitAny: benchmark set-up reads answers loosely
export async function postJson(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** The median requests per second over repeated loads. */
export function medianRate(results: readonly LoadResult[]): number {
  return median(results.map((x) => x.requestsPerSecond));
}
