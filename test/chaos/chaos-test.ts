// Chaos test: a real restart of the local PostgreSQL (`pg_ctlcluster … restart -m fast`, what a failover or a minor
// upgrade does) while 8 writers append with client ids to one session through a server process on STORE=postgres.
// The server must live through it, answer 503 while the database is away, and end with every acknowledged append
// stored exactly once in a gap-free sequence. Needs root and a local cluster managed by pg_ctlcluster (CI has both).
// Usage: npm run test:chaos -- [--restarts N]
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { newId } from '../../src/domain/ids.js';
import { startProcess } from '../helpers/server-process.js';

const { values } = parseArgs({ options: { restarts: { type: 'string', default: '2' } } });
const restarts = Number(values.restarts);
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WRITERS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fail(message: string): never {
  console.error(`chaos test FAILED: ${message}`);
  process.exit(1);
}

const versions = (() => {
  try {
    return readdirSync('/etc/postgresql');
  } catch {
    return [];
  }
})();
const version = versions.sort((a, b) => Number(a) - Number(b)).at(-1) ?? fail('no PostgreSQL cluster under /etc/postgresql to restart');

const schema = `chaos_${newId().toLowerCase()}`;
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
await admin.end();
const server = await startProcess('src/main.ts', {
  STORE: 'postgres',
  DATABASE_URL: `${databaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
});
const base = server.base;
const json = { 'content-type': 'application/json' };
const session = (await (await fetch(`${base}/api/projects/chaos/sessions`, { method: 'POST', headers: json, body: '{"title":"chaos"}' })).json()) as { id: string };

const acknowledged: string[] = [];
const answers = new Map<number, number>();
const unavailableAt: number[] = [];
let writing = true;
async function writer(w: number): Promise<void> {
  for (let i = 0; writing; i++) {
    const clientId = `w${w}-${i}`;
    // Retried with the same client id until acknowledged, as a client should after a 503.
    for (let attempt = 0; ; attempt++) {
      if (attempt > 600) fail(`${clientId} was never acknowledged`);
      let status = 0;
      try {
        const response = await fetch(`${base}/api/projects/chaos/sessions/${session.id}/messages`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ role: 'user', content: `from ${clientId}`, client_message_id: clientId }),
          signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch (error) {
        fail(`the server stopped answering: ${(error as Error).message}`);
      }
      answers.set(status, (answers.get(status) ?? 0) + 1);
      if (status === 200 || status === 201) {
        acknowledged.push(clientId);
        break;
      }
      if (status !== 503) fail(`${clientId} answered ${status}`);
      unavailableAt.push(Date.now());
      await sleep(100);
    }
  }
}

const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
const restartMs: number[] = [];
for (let r = 0; r < restarts; r++) {
  await sleep(1500);
  const began = Date.now();
  // Asynchronously, so that the writers keep sending while the database goes down and comes back.
  await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast']);
  restartMs.push(Date.now() - began);
  if (server.child.exitCode !== null) fail(`the server exited (${server.child.exitCode}) during a database restart`);
}
await sleep(2000);
writing = false;
await Promise.all(writers);
if (server.child.exitCode !== null) fail(`the server exited with ${server.child.exitCode}`);

const stored: { sequence: number; client_message_id: string }[] = [];
for (let offset = 0; ; offset += 1000) {
  const page = (await (await fetch(`${base}/api/projects/chaos/sessions/${session.id}/messages?limit=1000&offset=${offset}`)).json()) as typeof stored;
  stored.push(...page);
  if (page.length < 1000) break;
}
stored.forEach((m, i) => {
  if (m.sequence !== i + 1) fail(`sequence gap: message ${i + 1} has sequence ${m.sequence}`);
});
const storedIds = stored.map((m) => m.client_message_id).sort();
const ackedIds = [...acknowledged].sort();
if (storedIds.length !== ackedIds.length || storedIds.some((id, i) => id !== ackedIds[i])) {
  fail(`stored ${storedIds.length} messages for ${ackedIds.length} acknowledged appends`);
}
if (!answers.has(503)) fail('no 503 was answered: the restarts did not reach the server');
await server.stop();
const cleanup = new pg.Client({ connectionString: databaseUrl });
await cleanup.connect();
await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
await cleanup.end();

const window = unavailableAt.length > 0 ? Math.max(...unavailableAt) - Math.min(...unavailableAt) : 0;
console.log(
  `chaos test passed: ${restarts} PostgreSQL restarts (${restartMs.join(', ')} ms each), ${acknowledged.length} acknowledged appends ` +
    `stored exactly once in a gap-free sequence; answers ${JSON.stringify(Object.fromEntries(answers))}; 503 answers spread over ${window} ms; the server never exited`,
);
