// PostgreSQL going away under load: a TCP proxy between a server process and the real database cuts every
// connection several times, and refuses connections for a while, as 8 writers append with client ids. The server
// must live through it, answer 503 (REST, with Retry-After) and SERVICE_UNAVAILABLE (GraphQL) while the database is
// away, be unready meanwhile, and end with every acknowledged append stored exactly once in a gap-free sequence.
// Regression: a pooled client whose connection ended while it was checked out emitted an unhandled 'error' and the
// process died ("uncaught exception: Connection terminated unexpectedly").
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { startProcess } from '../helpers/server-process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { closeAfterTest } from '../helpers/temp-dir.js';

const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const schema = `faults_${newId().toLowerCase()}`;
const admin = new pg.Pool({ connectionString: databaseUrl.toString(), max: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < until) {
    last = (await fetch(url)).status;
    if (last === status) return last;
    await sleep(100);
  }
  return last;
}

describe('PostgreSQL connections cut under load', () => {
  it('survives, answers 503 while the database is away, and stores every acknowledged append exactly once', async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const proxy = await startTcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
    const url = new URL(databaseUrl.toString());
    url.port = String(proxy.port);
    url.search = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const server = await startProcess('src/main.ts', { STORE: 'postgres', DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    closeAfterTest(() => server.stop());
    const { base } = server;
    expect(await waitForStatus(`${base}/readyz`, 200, 10_000)).toBe(200);
    const api = `${base}/api/projects/p/sessions`;
    const session = (await (await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"under fire"}' })).json()) as { id: string };

    const acknowledged: string[] = [];
    const unavailable: { status: number; retryAfter: string | null; detail: unknown }[] = [];
    const unexpected: string[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const clientId = `w${w}-${i}`;
        // The same client id until it is acknowledged, as a client retrying after 503 would.
        for (let attempt = 0; ; attempt++) {
          const response = await fetch(`${api}/${session.id}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ role: 'user', content: `message ${clientId}`, client_message_id: clientId }),
          });
          const body = await response.json();
          if (response.status === 201 || response.status === 200) {
            acknowledged.push(clientId);
            break;
          }
          if (response.status === 503) unavailable.push({ status: 503, retryAfter: response.headers.get('retry-after'), detail: (body as { detail: unknown }).detail });
          else unexpected.push(`${response.status} ${JSON.stringify(body)}`);
          if (attempt > 200) throw new Error(`${clientId} never acknowledged`);
          await sleep(50);
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));

    // Cut every connection three times while the writers go on, then keep the database away for a while.
    for (let cut = 0; cut < 3; cut++) {
      await sleep(700);
      proxy.cut();
    }
    await sleep(500);
    proxy.down();
    await sleep(300);
    const readyWhileDown = (await fetch(`${base}/readyz`)).status;
    const graphqlWhileDown = (await (
      await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { addMessage(projectId: "p", sessionId: "${session.id}", input: { role: USER, content: "x" }) { __typename } }` }),
      })
    ).json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    const readWhileDown = await fetch(`${api}/${session.id}`);
    await sleep(1000);
    proxy.up();
    expect(await waitForStatus(`${base}/readyz`, 200, 10_000)).toBe(200);
    await sleep(700);
    writing = false;
    await Promise.all(writers);

    expect(server.child.exitCode).toBeNull();
    expect(readyWhileDown).toBe(503);
    expect(graphqlWhileDown.errors?.[0]).toMatchObject({ message: 'The database is unavailable; retry shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(readWhileDown.status).toBe(503);
    expect(unexpected).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const answer of unavailable) expect(answer).toEqual({ status: 503, retryAfter: '2', detail: 'The database is unavailable; retry shortly' });

    const stored: { sequence: number; client_message_id: string }[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = (await (await fetch(`${api}/${session.id}/messages?limit=1000&offset=${offset}`)).json()) as typeof stored;
      stored.push(...page);
      if (page.length < 1000) break;
    }
    expect(stored.map((m) => m.sequence)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.map((m) => m.client_message_id).sort()).toEqual([...acknowledged].sort());
    expect(acknowledged.length).toBeGreaterThan(50);
  }, 60_000);
});
