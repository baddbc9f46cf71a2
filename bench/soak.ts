// Soak run: the built server on the file store under a steady mix of appends, reads (GraphQL and REST) and live
// subscriptions (SSE, opened and closed as clients come and go), for N minutes. Every minute it prints the server's
// resident memory, heap and event-loop delay p99 (from its own /metrics); it fails when resident memory grows more
// than 15 % from minute 2 to the end, or when any request fails.
// Usage: npm run soak -- --minutes N
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess } from '../test/helpers/server-process.js';
import { buildServer, SERVER } from './lib/server.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
const minutes = Number(values.minutes);
if (!Number.isInteger(minutes) || minutes < 3) throw new Error('--minutes must be a whole number of at least 3 (growth is measured from minute 2)');

/** Steady load, per second: appends over SESSIONS sessions, reads, and subscriptions replaced. */
const SESSIONS = 20;
const APPENDS_PER_SECOND = 40;
const READS_PER_SECOND = 40;
const SUBSCRIBERS = 20;
const SUBSCRIBERS_REPLACED_PER_SECOND = 1;
const MAX_GROWTH = 0.15;

const json = { 'content-type': 'application/json' };
const READ = `query Read($p: ID!) { project(id: $p) { stats { totalMessages } sessions { id title messageCount messagesConnection(last: 20) { edges { cursor node { sequence role content } } } } } }`;

console.log('[soak] npm run build');
await buildServer();
const dataDir = await mkdtemp(path.join(tmpdir(), 'chat-soak-'));
const server = await startProcess(SERVER, { DATA_DIR: dataDir });
const base = server.base;
const failures: string[] = [];
let requests = 0;
let events = 0;

async function call(url: string, init?: RequestInit): Promise<unknown> {
  requests += 1;
  try {
    const response = await fetch(`${base}${url}`, { ...init, signal: AbortSignal.timeout(10_000) });
    const body = await response.json();
    if (response.status >= 400 || (body as { errors?: unknown }).errors) failures.push(`${url} ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    return body;
  } catch (error) {
    failures.push(`${url} ${(error as Error).message}`);
    return null;
  }
}

const sessions: string[] = [];
for (let i = 0; i < SESSIONS; i++) {
  const created = (await call('/api/projects/soak/sessions', { method: 'POST', headers: json, body: JSON.stringify({ title: `soak ${i}` }) })) as { id: string };
  sessions.push(created.id);
}
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;

/** An SSE subscription read until closed; counts the events it receives. */
function subscribe(): AbortController {
  const abort = new AbortController();
  const query = Math.random() < 0.5 ? 'subscription { sessionEvents(projectId: "soak") { kind sessionId } }' : `subscription { messageAdded(projectId: "soak", sessionId: "${pick(sessions)}") { sequence } }`;
  void (async () => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { ...json, accept: 'text/event-stream' }, body: JSON.stringify({ query }), signal: abort.signal });
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) events += Buffer.from(chunk).toString().split('event: next').length - 1;
  })().catch((error: unknown) => {
    if ((error as Error).name !== 'AbortError') failures.push(`subscription: ${(error as Error).message}`);
  });
  return abort;
}
const subscribers = Array.from({ length: SUBSCRIBERS }, subscribe);

let sequence = 0;
const tick = setInterval(() => {
  // Every 100 ms, a tenth of each second's work.
  for (let i = 0; i < APPENDS_PER_SECOND / 10; i++) {
    sequence += 1;
    void call(`/api/projects/soak/sessions/${pick(sessions)}/messages`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ role: pick(['user', 'assistant']), content: `soak message ${sequence} ${'lorem ipsum '.repeat(20)}`, client_message_id: `s${sequence}` }),
    });
  }
  for (let i = 0; i < READS_PER_SECOND / 10; i++) {
    if (i % 2 === 0) void call('/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: READ, variables: { p: 'soak' } }) });
    else void call(`/api/projects/soak/sessions/${pick(sessions)}/messages?limit=50&offset=0`);
  }
  if (Math.random() < SUBSCRIBERS_REPLACED_PER_SECOND / 10) {
    const index = Math.floor(Math.random() * subscribers.length);
    subscribers[index]!.abort();
    subscribers[index] = subscribe();
  }
}, 100);

/** One sample of the server's own gauges. */
async function sample(): Promise<{ rss: number; heap: number; lagP99: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: gauge('process_resident_memory_bytes'), heap: gauge('nodejs_heap_size_used_bytes'), lagP99: gauge('nodejs_eventloop_lag_p99_seconds') };
}

const MiB = 1024 * 1024;
const samples: Awaited<ReturnType<typeof sample>>[] = [];
for (let minute = 1; minute <= minutes; minute++) {
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  const s = await sample();
  samples.push(s);
  console.log(
    `[soak] minute ${minute}: rss ${(s.rss / MiB).toFixed(1)} MiB, heap used ${(s.heap / MiB).toFixed(1)} MiB, event-loop delay p99 ${(s.lagP99 * 1000).toFixed(1)} ms, ` +
      `${requests} requests, ${events} events delivered, ${failures.length} failures`,
  );
}
clearInterval(tick);
for (const subscriber of subscribers) subscriber.abort();
await server.stop();
await rm(dataDir, { recursive: true, force: true });

const fromMinute2 = samples[1]!.rss;
const atEnd = samples.at(-1)!.rss;
const growth = (atEnd - fromMinute2) / fromMinute2;
console.log(`[soak] resident memory from minute 2 to minute ${minutes}: ${(fromMinute2 / MiB).toFixed(1)} -> ${(atEnd / MiB).toFixed(1)} MiB (${(growth * 100).toFixed(1)} %, limit ${MAX_GROWTH * 100} %)`);
if (failures.length > 0) console.error(`[soak] ${failures.length} failed requests, e.g.:\n${failures.slice(0, 5).join('\n')}`);
if (growth > MAX_GROWTH || failures.length > 0) {
  console.error('[soak] FAILED');
  process.exit(1);
}
console.log('[soak] passed');
