// Share links: made with chat:write, read by anyone holding the token (over GraphQL, also without credentials when
// auth is on, and as an HTML page), frozen at the time of sharing, gone when revoked, expired or the session is deleted.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { startLiveServer } from '../helpers/live-server.js';
import { restClient } from '../helpers/rest.js';

const CREATE = 'mutation($s: ID!, $e: DateTime) { createShareLink(projectId: "p", sessionId: $s, expiresAt: $e) { __typename ... on CreateShareLinkSuccess { token link { id leafId sessionId } } ... on Error { message } } }';
const READ = 'query($t: String!) { sharedConversation(token: $t) { title messages { role content } } }';

describe('share links', () => {
  it('show the branch as it was when shared, escaped as HTML, until revoked; nothing for unknown, expired or deleted', async () => {
    const t = await createTestApp();
    const call = restClient(t.app);
    const gql = async (query: string, variables: Record<string, unknown>) => (await call('POST', '/graphql', { query, variables })).body;
    const session = await t.service.createSession('p', { title: '<script>alert("title")</script>' });
    await t.service.addMessage('p', session.id, { role: 'user', content: 'Is 1 < 2 & "true"? <script>x()</script>' });
    const answer = await t.service.addMessage('p', session.id, { role: 'assistant', content: 'Yes.' });
    const created = (await gql(CREATE, { s: session.id })).data.createShareLink;
    expect(created).toMatchObject({ __typename: 'CreateShareLinkSuccess', link: { sessionId: session.id, leafId: answer.message.id } });
    expect(Buffer.from(created.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    await t.service.addMessage('p', session.id, { role: 'user', content: 'added after sharing' });

    const shared = (await gql(READ, { t: created.token })).data.sharedConversation;
    expect(shared).toEqual({ title: session.title, messages: [{ role: 'USER', content: 'Is 1 < 2 & "true"? <script>x()</script>' }, { role: 'ASSISTANT', content: 'Yes.' }] });
    const page = await t.app.fetch(new Request(`http://test/shared/${created.token}`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
    expect(html).toContain('Is 1 &lt; 2 &amp; &quot;true&quot;?');
    expect(html).not.toContain('added after sharing');

    for (const bad of ['unknown', 'x'.repeat(300), '']) expect((await gql(READ, { t: bad })).data.sharedConversation).toBeNull();
    expect((await t.app.fetch(new Request('http://test/shared/unknown'))).status).toBe(404);
    const links = async () => (await gql('{ project(id: "p") { shareLinks { id } } }', {})).data.project.shareLinks;
    expect(await links()).toEqual([{ id: created.link.id }]);
    const revoked = await gql('mutation($id: ID!) { revokeShareLink(projectId: "p", id: $id) { __typename } }', { id: created.link.id });
    expect(revoked.data.revokeShareLink.__typename).toBe('RevokeShareLinkSuccess');
    expect((await gql('mutation($id: ID!) { revokeShareLink(projectId: "p", id: $id) { __typename } }', { id: created.link.id })).data.revokeShareLink.__typename).toBe('NotFoundError');
    expect((await gql(READ, { t: created.token })).data.sharedConversation).toBeNull();
    expect(await links()).toEqual([]);

    const soon = (await gql(CREATE, { s: session.id, e: new Date(Date.now() + 400).toISOString() })).data.createShareLink;
    expect((await gql(READ, { t: soon.token })).data.sharedConversation).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await gql(READ, { t: soon.token })).data.sharedConversation).toBeNull();
    expect((await gql(CREATE, { s: session.id, e: '2020-01-01T00:00:00.000Z' })).data.createShareLink.__typename).toBe('ValidationError');
    expect((await gql(CREATE, { s: 'missing' })).data.createShareLink.__typename).toBe('NotFoundError');

    const kept = (await gql(CREATE, { s: session.id })).data.createShareLink;
    await t.service.deleteSession('p', session.id, { force: true });
    expect((await gql(READ, { t: kept.token })).data.sharedConversation).toBeNull();
    expect((await t.app.fetch(new Request(`http://test/shared/${kept.token}`))).status).toBe(404);
  });

  it('with auth on, read without credentials only through sharedConversation and the page; made only with chat:write', async () => {
    const secret = 'a-test-secret-that-is-long-enough-0123456789';
    const server = await startLiveServer({ auth: { secret } });
    const sign = (scope: string) => new SignJWT({ projects: ['p'], scope }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
    const post = async (bearer: string | null, query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${server.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    };
    const writer = await sign('chat:read chat:write');
    const reader = await sign('chat:read');
    const session = (await post(writer, 'mutation { createSession(projectId: "p", input: { title: "shared" }) { ... on CreateSessionSuccess { session { id } } } }')).body.data.createSession.session.id;
    const refused = await post(reader, CREATE, { s: session });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { token } = (await post(writer, CREATE, { s: session })).body.data.createShareLink;
    const anonymous = await post(null, READ, { t: token });
    expect(anonymous).toEqual({ status: 200, body: { data: { sharedConversation: { title: 'shared', messages: [] } } } });
    for (const query of ['{ project(id: "p") { sessions { id } } }', `{ sharedConversation(token: "${token}") { title } project(id: "p") { id } }`, 'mutation { createSession(projectId: "p", input: { title: "x" }) { __typename } }']) {
      const answer = await post(null, query);
      expect(answer.status, query).toBe(401);
      expect(answer.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect((await post('not-a-token', READ, { t: token })).status).toBe(401);
    expect((await fetch(`${server.base}/shared/${token}`)).status).toBe(200);
  });
});
