// Redis going away under two replicas: a proxy in front of the real Redis is cut while a sessionEvents subscriber
// listens on replica B and replica A writes. The subscription must not go on as if nothing was lost: it ends with
// EVENTS_INTERRUPTED. Both replicas live on, writes go on, /readyz says 503 meanwhile, and once Redis is back a new
// subscription on B receives what A writes.
// Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (CI starts both); fails, never skips, without them.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { sseSubscribe } from '../helpers/live-server.js';
import { startProcess } from '../helpers/server-process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { closeAfterTest } from '../helpers/temp-dir.js';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const schema = `redis_faults_${newId().toLowerCase()}`;
const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
});

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function waitForReady(base: string, status: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < 100; i++) {
    last = (await fetch(`${base}/readyz`)).status;
    if (last === status) break;
    await sleep(100);
  }
  return last;
}

const json = { 'content-type': 'application/json' };
const EVENTS = 'subscription($p: ID!) { sessionEvents(projectId: $p) { kind sessionId } }';
const toRedis = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };

/** Two ready replicas over one database, A reaching Redis through `redisA`, B through `redisB`; `create` makes a session on A in a fresh project. */
async function twoReplicas(redisA: { port: number }, redisB: { port: number }) {
  const env = (redis: { port: number }) => ({
    STORE: 'postgres',
    DATABASE_URL: `${databaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
  });
  const [a, b] = await Promise.all([startProcess('src/main.ts', env(redisA)), startProcess('src/main.ts', env(redisB))]);
  closeAfterTest(() => a.stop());
  closeAfterTest(() => b.stop());
  expect(await waitForReady(a.base, 200)).toBe(200);
  expect(await waitForReady(b.base, 200)).toBe(200);
  const project = `p${newId()}`;
  const create = (title: string) => fetch(`${a.base}/api/projects/${project}/sessions`, { method: 'POST', headers: json, body: JSON.stringify({ title }) });
  return { a, b, project, create };
}

describe('the event bus (Redis) cut between two replicas', () => {
  it('ends open subscriptions with EVENTS_INTERRUPTED, keeps both replicas writing, and delivers again once back', async () => {
    const proxy = await startTcpProxy(toRedis);
    const { a, b, project, create } = await twoReplicas(proxy, proxy);

    const before = sseSubscribe(b.base, EVENTS, { p: project });
    await sleep(300);
    expect((await create('before the cut')).status).toBe(201);
    await before.until(() => before.items.length >= 1);
    expect(before.items[0]?.data?.sessionEvents.kind).toBe('CREATED');

    proxy.down();
    await before.until(() => before.ended, 10_000);
    expect(before.items.at(-1)?.errors?.[0]?.extensions).toMatchObject({ code: 'EVENTS_INTERRUPTED' });
    // Writes go on without the bus; neither replica is ready meanwhile, and a new subscription is told to come back.
    expect((await create('during the cut')).status).toBe(201);
    expect((await fetch(`${a.base}/readyz`)).status).toBe(503);
    expect((await fetch(`${b.base}/readyz`)).status).toBe(503);
    const refused = sseSubscribe(b.base, EVENTS, { p: project });
    await refused.until(() => refused.ended, 10_000);
    expect(refused.items[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'EVENTS_INTERRUPTED' });

    proxy.up();
    expect(await waitForReady(a.base, 200)).toBe(200);
    expect(await waitForReady(b.base, 200)).toBe(200);
    const after = sseSubscribe(b.base, EVENTS, { p: project });
    await sleep(300);
    expect((await create('after the cut')).status).toBe(201);
    await after.until(() => after.items.length >= 1, 10_000);
    expect(after.items[0]?.data?.sessionEvents.kind).toBe('CREATED');
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  }, 60_000);

  it('ends subscriptions on other replicas too when only one replica lost Redis and could not publish meanwhile', async () => {
    // Each replica reaches Redis through a proxy of its own; only A's is cut. B stays connected throughout, so only
    // A's notice, sent once it is back, can tell B's subscribers that events from A were lost.
    const [proxyA, proxyB] = await Promise.all([startTcpProxy(toRedis), startTcpProxy(toRedis)]);
    const { a, b, project, create } = await twoReplicas(proxyA, proxyB);

    const onB = sseSubscribe(b.base, EVENTS, { p: project });
    await sleep(300);
    expect((await create('before')).status).toBe(201);
    await onB.until(() => onB.items.length >= 1);

    proxyA.down();
    expect(await waitForReady(a.base, 503)).toBe(503);
    expect((await create('lost on the way to B')).status).toBe(201);
    expect((await fetch(`${b.base}/readyz`)).status).toBe(200);
    proxyA.up();
    await onB.until(() => onB.ended, 15_000);
    expect(onB.items.map((p) => p.data?.sessionEvents.kind ?? p.errors?.[0]?.extensions?.code)).toEqual(['CREATED', 'EVENTS_INTERRUPTED']);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  }, 60_000);
});
