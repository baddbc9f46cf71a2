// Hostile ids and oversize or malformed requests: typed errors, never a 5xx, never a file written.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { listDataFiles } from '../helpers/files.js';
import { AddMessage, CreateSession, DeleteSession, GetSession, UpdateSession } from './operations.js';

const HOSTILE_IDS = ['..', '.', 'a/b', '../../etc/passwd', 'a\\b', 'nul\0byte', 'x'.repeat(200), 'аdmin', 'ｐroject', '%2e%2e', '-dash', '_under', ' space', ''];

describe('hostile input over GraphQL', () => {
  it('refuses malformed ids in every position with a typed error and writes nothing', async () => {
    const t = await createTestApp();
    for (const bad of HOSTILE_IDS) {
      const create = await t.data(CreateSession, { projectId: bad, input: { title: 't' } });
      expect(create.createSession.__typename, bad).toBe('ValidationError');
      const add = await t.data(AddMessage, { projectId: 'p', sessionId: bad, input: { role: 'USER', content: 'x' } });
      expect(add.addMessage.__typename, bad).toBe('ValidationError');
      const update = await t.data(UpdateSession, { projectId: bad, id: 'S', input: { title: 'x' } });
      expect(update.updateSession.__typename, bad).toBe('ValidationError');
      const del = await t.data(DeleteSession, { projectId: 'p', id: bad, force: true });
      expect(del.deleteSession.__typename, bad).toBe('ValidationError');
      const read = await t.gql(GetSession, { projectId: bad, id: 'S' });
      expect(read.errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
    }
    expect(await listDataFiles(t.dataDir)).toEqual([]);
  });

  it('answers malformed requests with 4xx, never 5xx or a stack trace', async () => {
    const t = await createTestApp();
    const bodies = ['{', 'null', '[]', '{"query": 42}', '{"query": "{ project(id: \\"p\\") { nope } }"}', '{"query": "{"}', '{"query":"{ project(id: \\"p\\") { id } }","variables":"x"}'];
    for (const body of bodies) {
      const response = await t.post(body);
      expect(response.status, body).toBeGreaterThanOrEqual(400);
      expect(response.status, body).toBeLessThan(500);
      expect(await response.text(), body).not.toMatch(/\n\s+at |node_modules|\/src\//);
    }
  });

  it('refuses a body over MAX_BODY_BYTES with 413, whether or not it declares its length', async () => {
    const t = await createTestApp({ maxBodyBytes: 2048 });
    const big = JSON.stringify({ query: `{ project(id: "p") { id } }`, variables: { pad: 'x'.repeat(4096) } });
    expect((await t.post(big)).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await t.app.fetch(
      new Request('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit),
    );
    expect(chunked.status).toBe(413);
    expect((await t.post({ query: '{ project(id: "p") { id } }' })).status).toBe(200);
  });

  it('refuses message content over MAX_MESSAGE_BYTES as a ValidationError', async () => {
    const t = await createTestApp({ maxMessageBytes: 100 });
    const created = await t.data(CreateSession, { projectId: 'p', input: { title: 't' } });
    if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
    const r = await t.data(AddMessage, { projectId: 'p', sessionId: created.createSession.session.id, input: { role: 'USER', content: 'x'.repeat(101) } });
    expect(r.addMessage).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'content'] }] });
  });

  it('refuses a metadata value that is not a JSON object', async () => {
    const t = await createTestApp();
    for (const metadata of [[1, 2], 'text', 3, null]) {
      const response = await t.post({
        query: 'mutation($m: JSONObject) { createSession(projectId: "p", input: { title: "t", metadata: $m }) { __typename } }',
        variables: { m: metadata },
      });
      const body = (await response.json()) as { data?: { createSession: { __typename: string } }; errors?: unknown[] };
      // null means "not given" for a nullable input; anything else not an object is refused.
      if (metadata === null) expect(body.data?.createSession.__typename).toBe('CreateSessionSuccess');
      else expect(body.errors, JSON.stringify(metadata)).toBeDefined();
    }
  });
});
