// Every row of rest.md's error table, ETag/If-Match, idempotent client_message_id, list order, concurrency.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { listFiles } from '../helpers/files.js';
import { restClient } from '../helpers/rest.js';
import { tempDir } from '../helpers/temp-dir.js';

const P = '/api/projects/p';

async function setup(options: Parameters<typeof createTestApp>[0] = {}) {
  const t = await createTestApp(options);
  const call = restClient(t.app);
  const created = await call('POST', `${P}/sessions`, { title: 'chat' });
  return { ...t, call, id: created.body.id as string };
}

describe('REST error table', () => {
  it('400 for malformed ids, with nothing written', async () => {
    const { call, id, dataDir } = await setup();
    const before = await listFiles(dataDir);
    for (const bad of ['a%2Fb', 'a%5Cb', '%00', 'x'.repeat(200), '%D0%B0dmin', 'a..b', '-lead', '%20']) {
      for (const [method, url] of [
        ['POST', `/api/projects/${bad}/sessions`],
        ['GET', `${P}/sessions/${bad}`],
        ['PUT', `${P}/sessions/${bad}`],
        ['DELETE', `${P}/sessions/${bad}`],
        ['POST', `${P}/sessions/${bad}/messages`],
        ['GET', `/api/projects/${bad}/sessions/${id}/messages`],
      ] as const) {
        const r = await call(method, url, method === 'POST' || method === 'PUT' ? { title: 't', role: 'user', content: 'x' } : undefined);
        expect(r.status, `${method} ${url}`).toBe(400);
        expect(r.body.detail, url).toMatch(/^Invalid (project|session)_id: /);
      }
    }
    expect(await listFiles(dataDir)).toEqual(before);
  });

  it('dot segments resolve by the URL standard and never reach a handler', async () => {
    const { call } = await setup();
    for (const url of ['/api/projects/%2e%2e/sessions', '/api/projects/../../etc/sessions', `${P}/sessions/%2E%2E/messages`]) {
      const r = await call('GET', url);
      expect(r.status, url).toBe(404);
      expect(r.body).toEqual({ detail: 'Not Found' });
    }
  });

  it('400 for a project_id in the body that differs from the path', async () => {
    const { call } = await setup();
    const r = await call('POST', `${P}/sessions`, { title: 't', project_id: 'other' });
    expect(r).toMatchObject({ status: 400, body: { detail: 'project_id in the body (other) does not match the path (p)' } });
    expect((await call('POST', `${P}/sessions`, { title: 't', project_id: 'p' })).status).toBe(201);
  });

  it('404 reads "Session <id> not found in project <project_id>", also when it exists in another project', async () => {
    const { call, id } = await setup();
    for (const [method, suffix] of [['GET', ''], ['PUT', ''], ['DELETE', ''], ['GET', '/messages'], ['POST', '/messages'], ['GET', '/full']] as const) {
      const r = await call(method, `/api/projects/q/sessions/${id}${suffix}`, method === 'POST' || method === 'PUT' ? { role: 'user', content: 'x' } : undefined);
      expect(r, `${method} ${suffix}`).toMatchObject({ status: 404, body: { detail: `Session ${id} not found in project q` } });
    }
  });

  it('413 for a body over the limit, declared or streamed, not read past the limit', async () => {
    const { app, call, id } = await setup({ maxBodyBytes: 4096 });
    const big = { role: 'user', content: 'x'.repeat(10_000) };
    const r = await call('POST', `${P}/sessions/${id}/messages`, big);
    expect(r.status).toBe(413);
    expect(typeof r.body.detail).toBe('string');
    let pulled = 0;
    const stream = new ReadableStream({
      pull(controller) {
        pulled += 1024;
        if (pulled > 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const streamed = await app.fetch(new Request(`http://test${P}/sessions/${id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit));
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(64 * 1024);
    expect((await call('GET', `${P}/sessions/${id}`)).body.message_count).toBe(0);
  });

  it('415 for a body that is not application/json', async () => {
    const { call, id } = await setup();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const r = await call('POST', `${P}/sessions/${id}/messages`, '{"role":"user","content":"x"}', { 'content-type': type });
      expect(r, type).toMatchObject({ status: 415, body: { detail: 'Content-Type must be application/json' } });
    }
    expect((await call('POST', `${P}/sessions/${id}/messages`, '{"role":"user","content":"x"}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('422 with FastAPI locations for missing fields, bad role, wrong types, limits and malformed JSON', async () => {
    const { call, id } = await setup();
    const cases: [string, string, unknown, unknown[]][] = [
      ['POST', `${P}/sessions`, {}, ['body', 'title']],
      ['POST', `${P}/sessions`, { title: 42 }, ['body', 'title']],
      ['POST', `${P}/sessions`, { title: '   ' }, ['body', 'title']],
      ['POST', `${P}/sessions`, { title: 't', metadata: [1] }, ['body', 'metadata']],
      ['POST', `${P}/sessions/${id}/messages`, { role: 'robot', content: 'x' }, ['body', 'role']],
      ['POST', `${P}/sessions/${id}/messages`, { role: 'user' }, ['body', 'content']],
      ['POST', `${P}/sessions/${id}/messages`, { role: 'user', content: 'x', client_message_id: 'c'.repeat(129) }, ['body', 'client_message_id']],
      ['PUT', `${P}/sessions/${id}`, { is_active: 'yes' }, ['body', 'is_active']],
      ['GET', `${P}/sessions/${id}/messages?limit=2000`, undefined, ['query', 'limit']],
      ['POST', `${P}/sessions/${id}/messages`, '{"role": "user", ', ['body']],
      ['POST', `${P}/sessions/${id}/messages`, '', ['body']],
    ];
    for (const [method, url, body, loc] of cases) {
      const r = await call(method, url, body, body === '' ? { 'content-type': 'application/json' } : {});
      expect(r.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(422);
      expect(r.body.detail[0], JSON.stringify(body)).toMatchObject({ loc, msg: expect.any(String), type: expect.any(String) });
    }
    expect((await call('GET', `${P}/sessions/${id}`)).body.message_count).toBe(0);
  });

  it('500 {"detail":"Internal error","request_id"} for a damaged file, without a stack; other sessions still work', async () => {
    const dataDir = await tempDir();
    const damaged = path.join(dataDir, 'projects/p/chat_sessions/Broken');
    await mkdir(damaged, { recursive: true });
    await writeFile(path.join(damaged, 'metadata.json'), 'not json');
    const { call, id } = await setup({ dataDir });
    const r = await call('GET', `${P}/sessions/Broken`, undefined, { 'x-request-id': 'trace-7' });
    expect(r).toMatchObject({ status: 500, body: { detail: 'Internal error', request_id: 'trace-7' } });
    expect(Object.keys(r.body)).toEqual(['detail', 'request_id']);
    expect((await call('GET', `${P}/sessions/${id}`)).status).toBe(200);
  });
});

describe('REST semantics', () => {
  it('GET sends ETag "<version>"; PUT with a stale If-Match is 412 and changes nothing; without If-Match it applies', async () => {
    const { call, id } = await setup();
    const got = await call('GET', `${P}/sessions/${id}`);
    expect(got.headers.get('etag')).toBe('"1"');
    const ok = await call('PUT', `${P}/sessions/${id}`, { title: 'v2' }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await call('PUT', `${P}/sessions/${id}`, { title: 'lost' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.detail).toMatch(/version 2/);
    expect((await call('GET', `${P}/sessions/${id}`)).body).toMatchObject({ title: 'v2', version: 2 });
    expect((await call('PUT', `${P}/sessions/${id}`, { title: 'v3' }, { 'if-match': 'W/"2"' })).status).toBe(200);
    expect((await call('PUT', `${P}/sessions/${id}`, { title: 'v4' })).body.version).toBe(4);
    expect((await call('PUT', `${P}/sessions/${id}`, { title: 'v5' }, { 'if-match': 'garbage' })).status).toBe(400);
  });

  it('a repeated client_message_id answers 200 with the original message and stores nothing new', async () => {
    const { call, id } = await setup();
    const first = await call('POST', `${P}/sessions/${id}/messages`, { role: 'user', content: 'hi', client_message_id: 'k1' });
    const again = await call('POST', `${P}/sessions/${id}/messages`, { role: 'user', content: 'hi (retry)', client_message_id: 'k1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await call('GET', `${P}/sessions/${id}/messages`)).body).toHaveLength(1);
  });

  it('lists sessions most recently updated first and messages oldest first', async () => {
    const { call, id } = await setup();
    const second = (await call('POST', `${P}/sessions`, { title: 'second' })).body.id;
    expect((await call('GET', `${P}/sessions`)).body.map((s: { id: string }) => s.id)).toEqual([second, id]);
    await call('POST', `${P}/sessions/${id}/messages`, { role: 'user', content: 'a' });
    await call('POST', `${P}/sessions/${id}/messages`, { role: 'assistant', content: 'b' });
    expect((await call('GET', `${P}/sessions`)).body.map((s: { id: string }) => s.id)).toEqual([id, second]);
    expect((await call('GET', `${P}/sessions/${id}/messages`)).body.map((m: { content: string }) => m.content)).toEqual(['a', 'b']);
  });

  it('200 concurrent POSTs of messages to one session: all 201, each stored once, in one sequence', async () => {
    const { call, id } = await setup();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call('POST', `${P}/sessions/${id}/messages`, { role: 'user', content: `c${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    const stored = (await call('GET', `${P}/sessions/${id}/messages?limit=1000`)).body as { sequence: number; content: string }[];
    expect(stored.map((m) => m.sequence)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(stored.map((m) => m.content)).size).toBe(200);
    expect((await call('GET', `${P}/sessions/${id}`)).body.message_count).toBe(200);
  });
});
