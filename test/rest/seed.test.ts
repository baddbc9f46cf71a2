// The seed's 27 cases again, over HTTP through the REST shim (app.fetch), as a legacy client would call them.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { restClient } from '../helpers/rest.js';

async function setup() {
  const t = await createTestApp();
  const call = restClient(t.app);
  const create = async (title = 'Test Session', project = 'proj-a') => {
    const r = await call('POST', `/api/projects/${project}/sessions`, { title, description: 'desc', metadata: { k: 'v' } });
    expect(r.status).toBe(201);
    return r.body as { id: string; version: number; updated_at: string };
  };
  return { ...t, call, create };
}

const P = '/api/projects/proj-a';

describe('seed cases over REST', () => {
  it('create session with project id', async () => {
    const { call } = await setup();
    const r = await call('POST', `${P}/sessions`, { title: 'Test Session', description: 'A test', metadata: { k: 'v' }, project_id: 'proj-a' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ project_id: 'proj-a', title: 'Test Session', description: 'A test', metadata: { k: 'v' }, is_active: true, version: 1, message_count: 0, last_message_at: null, active_leaf_id: null });
    expect(Object.keys(r.body).sort()).toEqual(['active_leaf_id', 'created_at', 'description', 'id', 'is_active', 'last_message_at', 'message_count', 'metadata', 'project_id', 'title', 'updated_at', 'version']);
  });

  it('create session without project id fails', async () => {
    const { call } = await setup();
    expect((await call('POST', '/api/projects//sessions', { title: 'x' })).status).toBe(404);
    expect((await call('POST', '/api/projects/%20/sessions', { title: 'x' })).status).toBe(400);
  });

  it('get session requires project id', async () => {
    const { call, create } = await setup();
    const s = await create();
    expect((await call('GET', `/api/projects//sessions/${s.id}`)).status).toBe(404);
    expect((await call('GET', `/api/sessions/${s.id}`)).status).toBe(404);
  });

  it('get session returns none if not found', async () => {
    const { call } = await setup();
    const r = await call('GET', `${P}/sessions/nonexistent`);
    expect(r).toMatchObject({ status: 404, body: { detail: 'Session nonexistent not found in project proj-a' } });
  });

  it('list sessions requires project id', async () => {
    const { call } = await setup();
    expect((await call('GET', '/api/projects//sessions')).status).toBe(404);
    expect((await call('GET', '/api/projects/bad$id/sessions')).status).toBe(400);
  });

  it('list sessions for project', async () => {
    const { call, create } = await setup();
    const a = await create('a');
    const b = await create('b');
    await create('c', 'proj-b');
    const r = await call('GET', `${P}/sessions`);
    expect(r.status).toBe(200);
    expect(r.body.map((s: { id: string }) => s.id)).toEqual([b.id, a.id]);
  });

  it('list sessions include_inactive filter', async () => {
    const { call, create } = await setup();
    const active = await create('active');
    const archived = await create('archived');
    expect((await call('PUT', `${P}/sessions/${archived.id}`, { is_active: false })).status).toBe(200);
    expect((await call('GET', `${P}/sessions`)).body.map((s: { id: string }) => s.id)).toEqual([active.id]);
    expect((await call('GET', `${P}/sessions?include_inactive=true`)).body.map((s: { id: string }) => s.id)).toEqual([archived.id, active.id]);
    expect((await call('GET', `${P}/sessions?include_inactive=maybe`)).status).toBe(422);
  });

  it('update session requires project id', async () => {
    const { call, create } = await setup();
    const s = await create();
    expect((await call('PUT', `/api/projects//sessions/${s.id}`, { title: 'x' })).status).toBe(404);
    expect((await call('PUT', `/api/projects/a%2Fb/sessions/${s.id}`, { title: 'x' })).status).toBe(400);
  });

  it('update session', async () => {
    const { call, create } = await setup();
    const s = await create();
    const r = await call('PUT', `${P}/sessions/${s.id}`, { title: 'Updated', description: null, metadata: { n: 2 } });
    expect(r).toMatchObject({ status: 200, body: { title: 'Updated', description: null, metadata: { n: 2 }, version: 2 } });
    expect(r.headers.get('etag')).toBe('"2"');
  });

  it('update nonexistent session returns none', async () => {
    const { call } = await setup();
    expect(await call('PUT', `${P}/sessions/nonexistent`, { title: 'x' })).toMatchObject({ status: 404, body: { detail: 'Session nonexistent not found in project proj-a' } });
  });

  it('delete session requires project id', async () => {
    const { call, create } = await setup();
    const s = await create();
    expect((await call('DELETE', `/api/projects/-x/sessions/${s.id}`)).status).toBe(400);
    expect((await call('GET', `${P}/sessions/${s.id}`)).status).toBe(200);
  });

  it('delete session', async () => {
    const { call, create } = await setup();
    const s = await create();
    expect(await call('DELETE', `${P}/sessions/${s.id}`)).toMatchObject({ status: 200, body: { message: 'Session deleted successfully' } });
    expect((await call('GET', `${P}/sessions/${s.id}`)).status).toBe(404);
  });

  it('delete nonexistent session returns false', async () => {
    const { call } = await setup();
    expect((await call('DELETE', `${P}/sessions/nonexistent`)).status).toBe(404);
  });

  it('delete session with messages requires force', async () => {
    const { call, create } = await setup();
    const s = await create();
    await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'user', content: 'hi' });
    const refused = await call('DELETE', `${P}/sessions/${s.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/has 1 message/);
    expect((await call('DELETE', `${P}/sessions/${s.id}?force=false`)).status).toBe(400);
    expect((await call('DELETE', `${P}/sessions/${s.id}?force=true`)).status).toBe(200);
    expect((await call('GET', `${P}/sessions/${s.id}/messages`)).status).toBe(404);
  });

  it('add message requires project id', async () => {
    const { call, create } = await setup();
    const s = await create();
    expect((await call('POST', `/api/projects/${'x'.repeat(200)}/sessions/${s.id}/messages`, { role: 'user', content: 'x' })).status).toBe(400);
  });

  it('add message to existing session', async () => {
    const { call, create } = await setup();
    const s = await create();
    const r = await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'assistant', content: 'Hello', metadata: { m: 1 } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ session_id: s.id, project_id: 'proj-a', role: 'assistant', content: 'Hello', metadata: { m: 1 }, client_message_id: null, sequence: 1 });
    expect((await call('GET', `${P}/sessions/${s.id}`)).body).toMatchObject({ message_count: 1, last_message_at: r.body.created_at });
  });

  it('add message validates role', async () => {
    const { call, create } = await setup();
    const s = await create();
    const r = await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'invalid_role', content: 'x' });
    expect(r.status).toBe(422);
    expect(r.body.detail[0]).toMatchObject({ loc: ['body', 'role'], type: 'enum' });
  });

  it('add message to nonexistent session fails', async () => {
    const { call } = await setup();
    expect((await call('POST', `${P}/sessions/nonexistent/messages`, { role: 'user', content: 'x' })).status).toBe(404);
  });

  it('get messages requires project id', async () => {
    const { call, create } = await setup();
    const s = await create();
    expect((await call('GET', `/api/projects/_x/sessions/${s.id}/messages`)).status).toBe(400);
  });

  it('get messages from session', async () => {
    const { call, create } = await setup();
    const s = await create();
    await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'user', content: 'one' });
    await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'assistant', content: 'two' });
    const r = await call('GET', `${P}/sessions/${s.id}/messages`);
    expect(r.body.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([['user', 'one'], ['assistant', 'two']]);
  });

  it('get messages with pagination', async () => {
    const { call, create } = await setup();
    const s = await create();
    for (let i = 0; i < 10; i++) await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'user', content: `m${i}` });
    const page = await call('GET', `${P}/sessions/${s.id}/messages?limit=3&offset=2`);
    expect(page.body.map((m: { content: string }) => m.content)).toEqual(['m2', 'm3', 'm4']);
    for (const bad of ['limit=0', 'limit=1001', 'offset=-1', 'limit=abc']) {
      const r = await call('GET', `${P}/sessions/${s.id}/messages?${bad}`);
      expect(r.status, bad).toBe(422);
      expect(r.body.detail[0].loc[0], bad).toBe('query');
    }
  });

  it('get messages from nonexistent session fails', async () => {
    const { call } = await setup();
    expect((await call('GET', `${P}/sessions/nonexistent/messages`)).status).toBe(404);
  });

  it('get session with messages requires project id', async () => {
    const { call, create } = await setup();
    const s = await create();
    expect((await call('GET', `/api/projects/%00/sessions/${s.id}/full`)).status).toBe(400);
  });

  it('get session with messages', async () => {
    const { call, create } = await setup();
    const s = await create();
    await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'system', content: 'be brief' });
    await call('POST', `${P}/sessions/${s.id}/messages`, { role: 'user', content: 'hi' });
    const r = await call('GET', `${P}/sessions/${s.id}/full`);
    expect(r.status).toBe(200);
    expect(r.body.session).toMatchObject({ id: s.id, message_count: 2 });
    expect(r.body.messages.map((m: { content: string }) => m.content)).toEqual(['be brief', 'hi']);
  });

  it('get session with messages nonexistent returns none', async () => {
    const { call } = await setup();
    expect((await call('GET', `${P}/sessions/nonexistent/full`)).status).toBe(404);
  });

  it('get session stats requires project id', async () => {
    const { call } = await setup();
    expect((await call('GET', '/api/projects/a.b/stats')).status).toBe(400);
  });

  it('get session stats for project', async () => {
    const { call, create } = await setup();
    const a = await create('a');
    const b = await create('b');
    await call('POST', `${P}/sessions/${a.id}/messages`, { role: 'user', content: '1' });
    await call('POST', `${P}/sessions/${a.id}/messages`, { role: 'assistant', content: '2' });
    await call('PUT', `${P}/sessions/${b.id}`, { is_active: false });
    const r = await call('GET', `${P}/stats`);
    expect(r).toMatchObject({
      status: 200,
      body: { project_id: 'proj-a', total_sessions: 2, active_sessions: 1, inactive_sessions: 1, total_messages: 2, messages_by_role: { user: 1, assistant: 1, system: 0, tool: 0 } },
    });
    expect(typeof r.body.last_activity_at).toBe('string');
  });
});
