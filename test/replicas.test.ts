// Two server processes over one PostgreSQL database and one Redis: what one replica writes, the other reads and
// streams; concurrent appends from both form one gap-free sequence; conflicting updates, one winner.
// Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (CI starts both); fails, never skips, without them.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/domain/ids.js';
import { sseSubscribe } from './helpers/live-server.js';
import { type RunningServer, startProcess } from './helpers/server-process.js';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const schema = `replicas_${newId().toLowerCase()}`;
const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
const servers: RunningServer[] = [];

async function replica(): Promise<string> {
  const url = `${databaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const server = await startProcess('src/main.ts', { STORE: 'postgres', DATABASE_URL: url, REDIS_URL: redisUrl });
  servers.push(server);
  return server.base;
}

let a = '';
let b = '';
beforeAll(async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
  [a, b] = await Promise.all([replica(), replica()]);
  for (const base of [a, b]) {
    for (let i = 0; i < 100 && (await fetch(`${base}/readyz`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

const post = async (base: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}${path}`, { method: path.endsWith('/messages') || path.endsWith('/sessions') ? 'POST' : 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('two replicas over PostgreSQL and Redis', () => {
  it('reads on B what A wrote, and appends from both form one gap-free sequence', async () => {
    const project = `p${newId()}`;
    const created = await post(a, `/api/projects/${project}/sessions`, { title: 'shared' });
    const id = created.body.id as string;
    expect((await fetch(`${b}/api/projects/${project}/sessions/${id}`)).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => post(i % 2 ? a : b, `/api/projects/${project}/sessions/${id}/messages`, { role: 'user', content: `m${i}`, client_message_id: `c${i}` })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const retried = await post(b, `/api/projects/${project}/sessions/${id}/messages`, { role: 'user', content: 'again', client_message_id: 'c7' });
    expect(retried.status).toBe(200);
    const messages = (await (await fetch(`${a}/api/projects/${project}/sessions/${id}/messages?limit=1000`)).json()) as { sequence: number; content: string }[];
    expect(messages.map((m) => m.sequence)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(new Set(messages.map((m) => m.content)).size).toBe(120);
  });

  it('streams on B, in order and without gaps, what A writes; resuming with after', async () => {
    const project = `p${newId()}`;
    const id = (await post(a, `/api/projects/${project}/sessions`, { title: 'live' })).body.id as string;
    for (let i = 1; i <= 5; i++) await post(a, `/api/projects/${project}/sessions/${id}/messages`, { role: 'user', content: `m${i}` });
    const query = 'subscription($p: ID!, $s: ID!, $after: String) { messageAdded(projectId: $p, sessionId: $s, after: $after) { sequence } }';
    const page = (await (await fetch(`${b}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ session(projectId: "${project}", id: "${id}") { messagesConnection(first: 2) { pageInfo { endCursor } } } }` }) })).json()) as { data: { session: { messagesConnection: { pageInfo: { endCursor: string } } } } };
    const live = sseSubscribe(b, query, { p: project, s: id });
    const resumed = sseSubscribe(b, query, { p: project, s: id, after: page.data.session.messagesConnection.pageInfo.endCursor });
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 6; i <= 25; i++) await post(a, `/api/projects/${project}/sessions/${id}/messages`, { role: 'user', content: `m${i}` });
    await live.until(() => live.items.length >= 20, 10_000);
    await resumed.until(() => resumed.items.length >= 23, 10_000);
    expect(live.items.map((p) => p.data?.messageAdded.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    expect(resumed.items.map((p) => p.data?.messageAdded.sequence)).toEqual(Array.from({ length: 23 }, (_, i) => i + 3));
  });

  it('follows on B a message streamed through both replicas: replayed, live, in order, then the end', async () => {
    const project = `p${newId()}`;
    const id = (await post(a, `/api/projects/${project}/sessions`, { title: 'stream' })).body.id as string;
    // biome-ignore lint/suspicious/noExplicitAny: read loosely, asserted below
    const gql = async (base: string, query: string, variables: Record<string, unknown>): Promise<any> =>
      ((await (await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as { data: unknown }).data;
    const started = await gql(a, 'mutation($p: ID!, $s: ID!) { startMessage(projectId: $p, sessionId: $s, input: { role: ASSISTANT }) { ... on StartMessageSuccess { message { id } } } }', { p: project, s: id });
    const m = started.startMessage.message.id as string;
    const append = (base: string, i: number) =>
      gql(base, 'mutation($p: ID!, $s: ID!, $m: ID!, $i: Int!) { appendMessageContent(projectId: $p, sessionId: $s, messageId: $m, index: $i, chunk: "x") { __typename } }', { p: project, s: id, m, i });
    for (let i = 0; i < 5; i++) await append(a, i);
    const stream = sseSubscribe(b, 'subscription($p: ID!, $s: ID!, $m: ID!) { messageStream(projectId: $p, sessionId: $s, messageId: $m, afterIndex: 1) { chunk { index } message { status } } }', { p: project, s: id, m });
    await new Promise((r) => setTimeout(r, 500));
    // The writer moves between replicas, as a client behind a load balancer would.
    for (let i = 5; i < 25; i++) expect((await append(i % 2 ? a : b, i)).appendMessageContent.__typename).toBe('AppendContentSuccess');
    await gql(a, 'mutation($p: ID!, $s: ID!, $m: ID!) { finishMessage(projectId: $p, sessionId: $s, messageId: $m, input: { status: COMPLETE }) { __typename } }', { p: project, s: id, m });
    await stream.until(() => stream.ended, 10_000);
    const events = stream.items.map((p) => p.data?.messageStream);
    expect(events.slice(0, -1).map((e) => e.chunk.index)).toEqual(Array.from({ length: 23 }, (_, i) => i + 2));
    expect(events.at(-1)).toEqual({ chunk: null, message: { status: 'COMPLETE' } });
  });

  it('lets exactly one of two conflicting updates from the two replicas win', async () => {
    const project = `p${newId()}`;
    const id = (await post(a, `/api/projects/${project}/sessions`, { title: 'contested' })).body.id as string;
    const [fromA, fromB] = await Promise.all([
      post(a, `/api/projects/${project}/sessions/${id}`, { title: 'A' }, { 'if-match': '"1"' }),
      post(b, `/api/projects/${project}/sessions/${id}`, { title: 'B' }, { 'if-match': '"1"' }),
    ]);
    expect([fromA.status, fromB.status].sort()).toEqual([200, 412]);
    const winner = fromA.status === 200 ? 'A' : 'B';
    expect(((await (await fetch(`${b}/api/projects/${project}/sessions/${id}`)).json()) as { title: string; version: number })).toMatchObject({ title: winner, version: 2 });
  });
});
