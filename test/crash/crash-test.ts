// Crash test: a real server process with 16 concurrent writers is SIGKILLed at random moments, again and again.
// After every restart: each acknowledged message is there exactly once, at the sequence it was acknowledged with,
// each writer's messages are in the order it sent them, and the counters match the log.
// Usage: npm run test:crash -- [--cycles N] [--seed S]
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess } from '../helpers/server-process.js';

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '20' }, seed: { type: 'string' } } });
const cycles = Number(values.cycles);
let seed = Number(values.seed ?? Date.now() % 1_000_000);
const random = () => {
  // mulberry32: reproducible from --seed
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const WRITERS = 16;

interface Message {
  sequence: number;
  client_message_id: string | null;
  content: string;
}

function start(dataDir: string) {
  return startProcess('src/main.ts', { DATA_DIR: dataDir });
}

// biome-ignore lint/suspicious/noExplicitAny: the checks below read the JSON loosely
async function call(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: response.status, body: await response.json() };
}

function fail(message: string): never {
  console.error(`crash test FAILED: ${message}`);
  process.exit(1);
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'chat-crash-'));
const acked = new Map<string, number>(); // clientMessageId -> sequence acknowledged
const pending: (string | null)[] = Array(WRITERS).fill(null); // a writer's message sent but not acknowledged
const sent: number[] = Array(WRITERS).fill(0);
let sessionPath = '';
let kills = 0;
const began = Date.now();

async function verify(base: string): Promise<number> {
  const messages: Message[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call(base, 'GET', `${sessionPath}/messages?limit=1000&offset=${offset}`);
    if (page.status !== 200) fail(`listing messages answered ${page.status}`);
    messages.push(...page.body);
    if (page.body.length < 1000) break;
  }
  for (const [i, m] of messages.entries()) if (m.sequence !== i + 1) fail(`message ${i + 1} has sequence ${m.sequence}`);
  const byClientId = new Map<string, number>();
  for (const m of messages) {
    if (m.client_message_id === null) fail('a message without client id');
    if (byClientId.has(m.client_message_id)) fail(`${m.client_message_id} stored twice`);
    byClientId.set(m.client_message_id, m.sequence);
  }
  for (const [cid, seq] of acked) {
    if (byClientId.get(cid) !== seq) fail(`acknowledged ${cid} at ${seq}, found at ${byClientId.get(cid)}`);
  }
  const lastOfWriter = new Map<number, number>();
  for (const m of messages) {
    const [w, n] = m.client_message_id!.slice(1).split('-').map(Number) as [number, number];
    if ((lastOfWriter.get(w) ?? -1) >= n) fail(`writer ${w}'s messages out of order at ${m.client_message_id}`);
    lastOfWriter.set(w, n);
  }
  const session = await call(base, 'GET', sessionPath);
  if (session.body.message_count !== messages.length) fail(`message_count ${session.body.message_count}, log holds ${messages.length}`);
  const stats = await call(base, 'GET', '/api/projects/crash/stats');
  if (stats.body.total_messages !== messages.length || stats.body.messages_by_role.user !== messages.length) fail('stats disagree with the log');
  return messages.length;
}

async function writer(base: string, w: number, stop: { now: boolean }): Promise<void> {
  while (!stop.now) {
    let cid = pending[w];
    if (!cid) {
      cid = `w${w}-${sent[w]}`;
      sent[w] = sent[w]! + 1;
    }
    pending[w] = cid;
    let result: { status: number; body: Message };
    try {
      result = await call(base, 'POST', `${sessionPath}/messages`, { role: 'user', content: `from ${cid}`, client_message_id: cid });
    } catch {
      return; // the server died under this request: it stays pending, and is sent again after the restart
    }
    if (result.status !== 201 && result.status !== 200) fail(`append answered ${result.status}`);
    const earlier = acked.get(cid);
    if (earlier !== undefined && earlier !== result.body.sequence) fail(`${cid} acknowledged at ${earlier}, then at ${result.body.sequence}`);
    acked.set(cid, result.body.sequence);
    pending[w] = null;
  }
}

try {
  for (let cycle = 0; cycle <= cycles; cycle++) {
    const { child, base } = await start(dataDir);
    if (!sessionPath) {
      const created = await call(base, 'POST', '/api/projects/crash/sessions', { title: 'crash test' });
      sessionPath = `/api/projects/crash/sessions/${created.body.id}`;
    }
    const count = await verify(base);
    if (cycle === cycles) {
      child.kill('SIGTERM');
      await once(child, 'exit');
      console.log(`crash test passed: ${kills} SIGKILLs, ${acked.size} acknowledged messages, ${count} stored, seed ${values.seed ?? 'random'}`);
      break;
    }
    const stop = { now: false };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(base, w, stop));
    await new Promise((resolve) => setTimeout(resolve, 30 + random() * 300));
    child.kill('SIGKILL');
    kills += 1;
    await once(child, 'exit');
    stop.now = true;
    await Promise.all(writers);
    if (cycle % 10 === 0) console.log(`cycle ${cycle + 1}/${cycles} (${Math.round((Date.now() - began) / 1000)} s): ${count} messages verified, ${acked.size} acknowledged so far`);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
