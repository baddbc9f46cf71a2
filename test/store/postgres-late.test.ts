// A replica on PostgreSQL starts while the database is unreachable, says so on /readyz, and works once it comes up.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { startProcess } from '../helpers/server-process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { closeAfterTest } from '../helpers/temp-dir.js';

const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const schema = `late_${newId().toLowerCase()}`;
const admin = new pg.Pool({ connectionString: databaseUrl.toString(), max: 1 });

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe('PostgreSQL coming up late', () => {
  it('starts without the database, is not ready, then serves once the database is reachable', async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    // The database is "down": the proxy in front of it closes every connection it accepts, until up().
    const proxy = await startTcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
    proxy.down();
    const url = new URL(databaseUrl.toString());
    url.port = String(proxy.port);
    url.search = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const server = await startProcess('src/main.ts', { STORE: 'postgres', DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '500' });
    closeAfterTest(() => server.stop());
    const { base } = server;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    proxy.up();
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      ready = (await fetch(`${base}/readyz`)).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);
    const created = await fetch(`${base}/api/projects/p/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"late"}' });
    expect(created.status).toBe(201);
  }, 30_000);
});
