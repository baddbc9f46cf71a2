// A replica on PostgreSQL starts while the database is unreachable, says so on /readyz, and works once it comes up.
import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { startProcess } from '../helpers/server-process.js';
import { closeAfterTest } from '../helpers/temp-dir.js';

const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const schema = `late_${newId().toLowerCase()}`;
const admin = new pg.Pool({ connectionString: databaseUrl.toString(), max: 1 });

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('PostgreSQL coming up late', () => {
  it('starts without the database, is not ready, then serves once the database is reachable', async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const port = await freePort();
    const url = new URL(databaseUrl.toString());
    url.port = String(port);
    url.search = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const server = await startProcess('src/main.ts', { STORE: 'postgres', DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '500' });
    closeAfterTest(() => server.stop());
    const { base } = server;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    // The database "comes up": a proxy on the configured port to the real server.
    const proxy = net.createServer((socket) => {
      const upstream = net.connect(Number(databaseUrl.port || 5432), databaseUrl.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    closeAfterTest(async () => {
      await new Promise((resolve) => proxy.close(resolve));
    });
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
