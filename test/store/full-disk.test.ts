// A real full disk: the server process keeps its data on a 4 MiB tmpfs that is filled with messages until the disk
// refuses. Then: 507 (REST) and STORAGE_FULL (GraphQL), /readyz 503, reads still answered; once the tmpfs is made
// larger, writes resume by themselves; after a restart every acknowledged message is there, once.
// Mounting needs root (CI runs as root): in CI this test fails rather than skips without it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../helpers/server-process.js';
import { closeAfterTest } from '../helpers/temp-dir.js';

const isRoot = process.getuid?.() === 0;
const json = { 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!isRoot && !process.env.CI)('the file store on a full disk (tmpfs)', () => {
  it('answers 507 while full, stays readable, resumes when space is freed, and loses nothing acknowledged', async () => {
    expect(isRoot, 'mounting a tmpfs needs root').toBe(true);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'chat-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dataDir]);
    let server = await startProcess('src/main.ts', { STORE: 'file', DATA_DIR: dataDir });
    closeAfterTest(async () => {
      await server.stop();
      execFileSync('umount', [dataDir]);
      await rm(dataDir, { recursive: true, force: true });
    });
    const api = `${server.base}/api/projects/p/sessions`;
    const session = (await (await fetch(api, { method: 'POST', headers: json, body: '{"title":"filling up"}' })).json()) as { id: string };
    const append = (base: string, clientId: string) =>
      fetch(`${base}/api/projects/p/sessions/${session.id}/messages`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ role: 'user', content: `${clientId} ${'x'.repeat(50_000)}`, client_message_id: clientId }),
      });

    const acknowledged: string[] = [];
    let refused: Response | null = null;
    for (let i = 0; i < 200 && !refused; i++) {
      const response = await append(server.base, `c${i}`);
      if (response.status === 201) acknowledged.push(`c${i}`);
      else refused = response;
    }
    expect(refused?.status).toBe(507);
    expect(((await refused!.json()) as { detail: string }).detail).toMatch(/^Storage is full: /);
    expect(acknowledged.length).toBeGreaterThan(20);
    const viaGraphql = (await (
      await fetch(`${server.base}/graphql`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: `mutation { addMessage(projectId: "p", sessionId: "${session.id}", input: { role: USER, content: "${'y'.repeat(50_000)}" }) { __typename } }` }),
      })
    ).json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(viaGraphql.errors?.[0]?.extensions?.code).toBe('STORAGE_FULL');
    expect((await fetch(`${server.base}/readyz`)).status).toBe(503);
    const newest = await fetch(`${api}/${session.id}/messages?limit=5&offset=${acknowledged.length - 5}`);
    expect(newest.status).toBe(200);
    expect(((await newest.json()) as unknown[]).length).toBe(5);

    // Space is freed: readiness and writes come back by themselves.
    execFileSync('mount', ['-o', 'remount,size=16m', dataDir]);
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      ready = (await fetch(`${server.base}/readyz`)).status;
      if (ready !== 200) await sleep(100);
    }
    expect(ready).toBe(200);
    const retried = await append(server.base, `c${acknowledged.length}`);
    expect(retried.status).toBe(201);
    acknowledged.push(`c${acknowledged.length}`);

    await server.stop();
    server = await startProcess('src/main.ts', { STORE: 'file', DATA_DIR: dataDir });
    const stored = (await (await fetch(`${server.base}/api/projects/p/sessions/${session.id}/messages?limit=1000`)).json()) as { sequence: number; client_message_id: string }[];
    expect(stored.map((m) => m.client_message_id)).toEqual(acknowledged);
    expect(stored.map((m) => m.sequence)).toEqual(acknowledged.map((_, i) => i + 1));
  }, 60_000);
});
