// Crash test: a real server process with 16 concurrent writers is SIGKILLed at random moments, again and again.
// A quarter of the writers branch: each of their messages names a random acknowledged message as its parent.
// After every restart: each acknowledged message is there exactly once, at the sequence and under the parent it was
// acknowledged with; every message sent without a parent follows the one before it in sequence; the active leaf is
// the newest message and the active branch is the path to it; each writer's messages are in the order it sent them;
// and the counters match the log. Beside them, 4 streamers write streamed messages in a second session (start,
// chunks, finish, each retried after a restart): every acknowledged chunk is there, in order, once, and every
// acknowledged finish stays finished with the whole content.
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
  id: string;
  sequence: number;
  clientMessageId: string | null;
  parentId: string | null;
}
/** Writers below this number name a parent for each of their messages. */
const BRANCHING_WRITERS = 4;

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
const ackedIds: string[] = []; // ids of acknowledged messages, for branching writers to pick parents from
const parents = new Map<string, string>(); // clientMessageId -> the parent it was sent with
const pending: (string | null)[] = Array(WRITERS).fill(null); // a writer's message sent but not acknowledged
const sent: number[] = Array(WRITERS).fill(0);
let sessionPath = '';
let kills = 0;
const began = Date.now();

const TREE_QUERY = `query($s: ID!, $after: String) { session(projectId: "crash", id: $s) {
  activeLeafId
  allMessagesConnection(first: 1000, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id sequence clientMessageId parentId } } }
  branch(last: 3) { totalCount edges { node { id } } }
} }`;

async function verify(base: string): Promise<number> {
  const messages: Message[] = [];
  const sessionId = sessionPath.split('/').at(-1);
  // biome-ignore lint/suspicious/noExplicitAny: read loosely, checked below
  let session: any;
  for (let after: string | null = null; ; ) {
    const page = await call(base, 'POST', '/graphql', { query: TREE_QUERY, variables: { s: sessionId, after } });
    if (page.status !== 200 || page.body.errors) fail(`reading the tree answered ${page.status} ${JSON.stringify(page.body.errors)}`);
    session = page.body.data.session;
    messages.push(...session.allMessagesConnection.edges.map((e: { node: Message }) => e.node));
    if (!session.allMessagesConnection.pageInfo.hasNextPage) break;
    after = session.allMessagesConnection.pageInfo.endCursor;
  }
  for (const [i, m] of messages.entries()) if (m.sequence !== i + 1) fail(`message ${i + 1} has sequence ${m.sequence}`);
  const byClientId = new Map<string, Message>();
  const depth = new Map<string | null, number>([[null, 0]]);
  for (const [i, m] of messages.entries()) {
    if (m.clientMessageId === null) fail('a message without client id');
    if (byClientId.has(m.clientMessageId)) fail(`${m.clientMessageId} stored twice`);
    byClientId.set(m.clientMessageId, m);
    const named = parents.get(m.clientMessageId);
    const expected = named ?? messages[i - 1]?.id ?? null;
    if (m.parentId !== expected) fail(`${m.clientMessageId} follows ${m.parentId}, not ${expected}`);
    if (!depth.has(m.parentId)) fail(`${m.clientMessageId} follows ${m.parentId}, which is not before it`);
    depth.set(m.id, depth.get(m.parentId)! + 1);
  }
  for (const [cid, seq] of acked) {
    if (byClientId.get(cid)?.sequence !== seq) fail(`acknowledged ${cid} at ${seq}, found at ${byClientId.get(cid)?.sequence}`);
  }
  const newest = messages.at(-1)?.id ?? null;
  if (session.activeLeafId !== newest) fail(`active leaf ${session.activeLeafId}, newest message ${newest}`);
  if (session.branch.totalCount !== depth.get(newest)) fail(`active branch is ${session.branch.totalCount} long, the tree says ${depth.get(newest)}`);
  if (newest !== null && session.branch.edges.at(-1)?.node.id !== newest) fail('the active branch does not end at the active leaf');
  const lastOfWriter = new Map<number, number>();
  for (const m of messages) {
    const [w, n] = m.clientMessageId!.slice(1).split('-').map(Number) as [number, number];
    if ((lastOfWriter.get(w) ?? -1) >= n) fail(`writer ${w}'s messages out of order at ${m.clientMessageId}`);
    lastOfWriter.set(w, n);
  }
  const shim = await call(base, 'GET', sessionPath);
  if (shim.body.message_count !== messages.length) fail(`message_count ${shim.body.message_count}, log holds ${messages.length}`);
  if (shim.body.active_leaf_id !== newest) fail(`the REST shim shows active leaf ${shim.body.active_leaf_id}`);
  const stats = await call(base, 'GET', '/api/projects/crash/stats');
  // The streamers' session holds the project's assistant messages.
  if (stats.body.messages_by_role.user !== messages.length || stats.body.total_messages !== messages.length + stats.body.messages_by_role.assistant) fail('stats disagree with the log');
  return messages.length;
}

async function writer(base: string, w: number, stop: { now: boolean }): Promise<void> {
  while (!stop.now) {
    let cid = pending[w];
    if (!cid) {
      cid = `w${w}-${sent[w]}`;
      sent[w] = sent[w]! + 1;
      if (w < BRANCHING_WRITERS && ackedIds.length > 0) parents.set(cid, ackedIds[Math.floor(random() * ackedIds.length)]!);
    }
    pending[w] = cid;
    let result: { status: number; body: { sequence: number; id: string; parent_id: string | null } };
    try {
      const parent = parents.get(cid);
      result = await call(base, 'POST', `${sessionPath}/messages`, { role: 'user', content: `from ${cid}`, client_message_id: cid, ...(parent ? { parent_id: parent } : {}) });
    } catch {
      return; // the server died under this request: it stays pending, and is sent again after the restart
    }
    if (result.status !== 201 && result.status !== 200) fail(`append answered ${result.status}`);
    const earlier = acked.get(cid);
    if (earlier !== undefined && earlier !== result.body.sequence) fail(`${cid} acknowledged at ${earlier}, then at ${result.body.sequence}`);
    if (parents.has(cid) && result.body.parent_id !== parents.get(cid)) fail(`${cid} acknowledged under ${result.body.parent_id}, sent under ${parents.get(cid)}`);
    if (earlier === undefined) ackedIds.push(result.body.id);
    acked.set(cid, result.body.sequence);
    pending[w] = null;
  }
}

const STREAMERS = 4;
let streamPath = '';
interface Streamer {
  n: number;
  cid: string;
  id: string | null;
  chunks: number;
  next: number;
  finished: boolean;
}
const streamers: Streamer[] = Array.from({ length: STREAMERS }, (_, k) => ({ n: 0, cid: `s${k}-0`, id: null, chunks: 0, next: 0, finished: false }));
/** Streamed messages with every chunk acknowledged so far (and whether their finish was acknowledged). */
const streamed = new Map<string, { cid: string; acked: number; finished: boolean }>();
const chunkText = (cid: string, i: number) => `${cid}:${i};`;

async function gql(base: string, query: string, variables: Record<string, unknown>) {
  const r = await call(base, 'POST', '/graphql', { query, variables });
  if (r.status !== 200 || r.body.errors) throw new Error(`GraphQL answered ${r.status} ${JSON.stringify(r.body.errors)}`);
  return r.body.data;
}

async function streamer(base: string, k: number, stop: { now: boolean }): Promise<void> {
  const s = streamers[k]!;
  const sessionId = streamPath.split('/').at(-1);
  while (!stop.now) {
    try {
      if (s.id === null) {
        s.chunks = 5 + Math.floor(random() * 25);
        const data = await gql(base, 'mutation($s: ID!, $c: String!) { startMessage(projectId: "crash", sessionId: $s, input: { role: ASSISTANT, clientMessageId: $c }) { __typename ... on StartMessageSuccess { message { id } } } }', { s: sessionId, c: s.cid });
        if (data.startMessage.__typename !== 'StartMessageSuccess') fail(`startMessage answered ${data.startMessage.__typename}`);
        s.id = data.startMessage.message.id;
        streamed.set(s.id!, { cid: s.cid, acked: 0, finished: false });
      } else if (s.next < s.chunks) {
        const data = await gql(base, 'mutation($s: ID!, $m: ID!, $i: Int!, $c: String!) { appendMessageContent(projectId: "crash", sessionId: $s, messageId: $m, index: $i, chunk: $c) { __typename ... on Error { message } } }', {
          s: sessionId,
          m: s.id,
          i: s.next,
          c: chunkText(s.cid, s.next),
        });
        if (data.appendMessageContent.__typename !== 'AppendContentSuccess') fail(`chunk ${s.next} of ${s.cid} answered ${JSON.stringify(data.appendMessageContent)}`);
        s.next += 1;
        streamed.get(s.id)!.acked = s.next;
      } else {
        const data = await gql(base, 'mutation($s: ID!, $m: ID!) { finishMessage(projectId: "crash", sessionId: $s, messageId: $m, input: { status: COMPLETE }) { __typename } }', { s: sessionId, m: s.id });
        if (data.finishMessage.__typename !== 'FinishMessageSuccess') fail(`finishing ${s.cid} answered ${data.finishMessage.__typename}`);
        streamed.get(s.id)!.finished = true;
        s.n += 1;
        Object.assign(s, { cid: `s${k}-${s.n}`, id: null, next: 0, finished: false });
      }
    } catch (error) {
      if ((error as Error).message.startsWith('GraphQL answered')) fail((error as Error).message);
      return; // the server died under this request: it is sent again after the restart
    }
  }
}

async function verifyStreams(base: string): Promise<number> {
  const sessionId = streamPath.split('/').at(-1);
  const data = await gql(base, 'query($s: ID!) { session(projectId: "crash", id: $s) { allMessagesConnection(first: 1000) { edges { node { id clientMessageId status content chunkCount } } } } }', { s: sessionId });
  const found = new Map<string, { clientMessageId: string; status: string; content: string; chunkCount: number }>(
    data.session.allMessagesConnection.edges.map((e: { node: { id: string } }) => [e.node.id, e.node]),
  );
  const cids = new Set<string>();
  for (const m of found.values()) {
    if (cids.has(m.clientMessageId)) fail(`streamed message ${m.clientMessageId} stored twice`);
    cids.add(m.clientMessageId);
    const expected = Array.from({ length: m.chunkCount }, (_, i) => chunkText(m.clientMessageId, i)).join('');
    if (m.content !== expected) fail(`${m.clientMessageId} holds ${JSON.stringify(m.content)}, its ${m.chunkCount} chunks are ${JSON.stringify(expected)}`);
  }
  for (const [id, known] of streamed) {
    const m = found.get(id);
    if (!m) fail(`streamed message ${known.cid} is gone`);
    if (m.chunkCount < known.acked) fail(`${known.cid} has ${m.chunkCount} chunks, ${known.acked} were acknowledged`);
    if (known.finished && m.status !== 'COMPLETE') fail(`${known.cid} was finished, now ${m.status}`);
  }
  return found.size;
}

try {
  for (let cycle = 0; cycle <= cycles; cycle++) {
    const { child, base } = await start(dataDir);
    if (!sessionPath) {
      const created = await call(base, 'POST', '/api/projects/crash/sessions', { title: 'crash test' });
      sessionPath = `/api/projects/crash/sessions/${created.body.id}`;
      const streams = await call(base, 'POST', '/api/projects/crash/sessions', { title: 'crash test streams' });
      streamPath = `/api/projects/crash/sessions/${streams.body.id}`;
    }
    const count = await verify(base);
    const streamedCount = await verifyStreams(base);
    if (cycle === cycles) {
      child.kill('SIGTERM');
      await once(child, 'exit');
      const chunks = [...streamed.values()].reduce((n, s) => n + s.acked, 0);
      console.log(`crash test passed: ${kills} SIGKILLs, ${acked.size} acknowledged messages, ${count} stored; ${streamedCount} streamed messages, ${chunks} acknowledged chunks; seed ${values.seed ?? 'random'}`);
      break;
    }
    const stop = { now: false };
    const writers = [...Array.from({ length: WRITERS }, (_, w) => writer(base, w, stop)), ...Array.from({ length: STREAMERS }, (_, k) => streamer(base, k, stop))];
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
