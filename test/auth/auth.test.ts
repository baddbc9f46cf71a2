// Table-driven auth over GraphQL, REST, SSE and WebSocket: every bad token refused, scopes and projects enforced.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { sseSubscribe, startLiveServer, wsSubscribe } from '../helpers/live-server.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const auth = { secret: SECRET, issuer: 'https://issuer.example', audience: 'chat-api' };

async function token(claims: Record<string, unknown>, options: { secret?: string; issuer?: string; audience?: string; exp?: string | number; nbf?: string | number } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setIssuer(options.issuer ?? auth.issuer).setAudience(options.audience ?? auth.audience);
  jwt = jwt.setExpirationTime(options.exp ?? '1h');
  if (options.nbf !== undefined) jwt = jwt.setNotBefore(options.nbf);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

function unsigned(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, iss: auth.issuer, aud: auth.audience, exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
}

const all = { projects: ['p'], scope: 'chat:read chat:write' };

async function setup() {
  const server = await startLiveServer({ auth });
  const request = async (method: string, path: string, bearer: string | null, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    // biome-ignore lint/suspicious/noExplicitAny: the table reads answers loosely, then asserts their shape
    return { status: response.status, body: (await response.json()) as any };
  };
  const gql = (bearer: string | null, query: string, variables: Record<string, unknown> = {}) => request('POST', '/graphql', bearer, { query, variables });
  const good = await token(all);
  const created = await request('POST', '/api/projects/p/sessions', good, { title: 'secured' });
  expect(created.status).toBe(201);
  return { ...server, request, gql, good, sessionId: created.body.id as string };
}

describe('authentication', () => {
  it('refuses every bad token over GraphQL and REST with 401, and accepts a good one', async () => {
    const t = await setup();
    const bad: [string, string | null][] = [
      ['no token', null],
      ['garbage', 'abc.def.ghi'],
      ['alg none', unsigned(all)],
      ['expired', await token(all, { exp: Math.floor(Date.now() / 1000) - 60 })],
      ['not yet valid', await token(all, { nbf: Math.floor(Date.now() / 1000) + 3600 })],
      ['wrong key', await token(all, { secret: 'another-secret-that-is-also-long-enough-42' })],
      ['wrong issuer', await token(all, { issuer: 'https://evil.example' })],
      ['wrong audience', await token(all, { audience: 'other-api' })],
      ['no claims', await token({})],
    ];
    for (const [name, bearer] of bad) {
      const graphql = await t.gql(bearer, '{ project(id: "p") { sessions { id } } }');
      expect(graphql.status, name).toBe(401);
      expect(graphql.body.errors[0].extensions.code, name).toBe('UNAUTHENTICATED');
      const rest = await t.request('GET', '/api/projects/p/sessions', bearer);
      expect(rest.status, name).toBe(401);
      expect(typeof rest.body.detail, name).toBe('string');
    }
    expect((await t.gql(t.good, '{ project(id: "p") { sessions { id } } }')).body.data.project.sessions).toEqual([{ id: t.sessionId }]);
    expect((await t.request('GET', '/healthz', null)).status).toBe(200);
    // The GraphiQL page is open; asking it for data as well as HTML still needs a token.
    const sneaky = await fetch(`${t.base}/graphql?query=${encodeURIComponent('{ project(id: "p") { sessions { id } } }')}`, {
      headers: { accept: 'text/html, application/graphql-response+json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(await sneaky.text()).not.toContain(t.sessionId);
  });

  it('enforces scopes and projects: read-only cannot write; another project looks empty and refuses writes', async () => {
    const t = await setup();
    const readOnly = await token({ projects: ['p'], scope: 'chat:read' });
    const writeOnly = await token({ projects: ['p'], scope: 'chat:write' });
    const elsewhere = await token({ projects: ['q'], scope: 'chat:read chat:write' });
    const star = await token({ projects: ['*'], scope: 'chat:read chat:write' });
    const add = 'mutation($s: ID!) { addMessage(projectId: "p", sessionId: $s, input: { role: USER, content: "x" }) { __typename } }';

    const denied = await t.gql(readOnly, add, { s: t.sessionId });
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.request('POST', `/api/projects/p/sessions/${t.sessionId}/messages`, readOnly, { role: 'user', content: 'x' })).status).toBe(403);
    expect((await t.gql(readOnly, '{ project(id: "p") { sessions { id } } }')).body.data.project.sessions).toHaveLength(1);

    expect((await t.gql(writeOnly, '{ project(id: "p") { sessions { id } } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(writeOnly, add, { s: t.sessionId })).body.data.addMessage.__typename).toBe('AddMessageSuccess');

    const peek = await t.gql(elsewhere, `{ project(id: "p") { sessions { id } stats { totalSessions } } session(projectId: "p", id: "${t.sessionId}") { id } }`);
    expect(peek.body.data).toEqual({ project: { sessions: [], stats: { totalSessions: 0 } }, session: null });
    expect((await t.request('GET', '/api/projects/p/sessions', elsewhere)).body).toEqual([]);
    expect((await t.request('GET', `/api/projects/p/sessions/${t.sessionId}`, elsewhere)).status).toBe(404);
    expect((await t.gql(elsewhere, add, { s: t.sessionId })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.request('DELETE', `/api/projects/p/sessions/${t.sessionId}?force=true`, elsewhere)).status).toBe(403);

    expect((await t.request('GET', `/api/projects/p/sessions/${t.sessionId}`, star)).status).toBe(200);
  });

  it('takes an import upload only with chat:write: 401 without a token, 403 read-only, imported into its projects only', async () => {
    const t = await setup();
    const upload = async (bearer: string | null, projectId: string) => {
      const form = new FormData();
      const query = 'mutation($f: File!, $p: ID!) { importConversations(projectId: $p, file: $f) { __typename ... on ImportConversationsSuccess { report { imported } } } }';
      form.set('operations', JSON.stringify({ query, variables: { f: null, p: projectId } }));
      form.set('map', JSON.stringify({ 0: ['variables.f'] }));
      form.set('0', new File([await readFile(path.resolve(import.meta.dirname, '../fixtures/open-webui/chats.json'))], 'chats.json'));
      const headers: Record<string, string> = { 'x-graphql-yoga-csrf': '1', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
      return fetch(`${t.base}/graphql`, { method: 'POST', body: form, headers });
    };
    expect((await upload(null, 'p')).status).toBe(401);
    expect((await upload(await token({ projects: ['p'], scope: 'chat:read' }), 'p')).status).toBe(403);
    const elsewhere = (await (await upload(await token({ projects: ['q'], scope: 'chat:read chat:write' }), 'p')).json()) as { errors?: { extensions: { code: string } }[] };
    expect(elsewhere.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const ok = (await (await upload(t.good, 'p')).json()) as { data: { importConversations: { report: { imported: number } } } };
    expect(ok.data.importConversations.report.imported).toBe(2);
  });

  it('authenticates subscriptions over SSE and WebSocket', async () => {
    const t = await setup();
    const query = 'subscription($s: ID!) { messageAdded(projectId: "p", sessionId: $s) { content } }';
    const anonymous = await fetch(`${t.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query, variables: { s: t.sessionId } }) });
    expect(anonymous.status).toBe(401);
    await anonymous.text();
    const refused = wsSubscribe(t.ws, query, { s: t.sessionId }, { authorization: 'Bearer not.a.token' });
    await refused.until(() => refused.ended || refused.items.length > 0);
    expect(refused.items.some((p) => p.errors)).toBe(true);

    const elsewhere = await token({ projects: ['q'], scope: 'chat:read chat:write' });
    const hidden = sseSubscribe(t.base, query, { s: t.sessionId }, { authorization: `Bearer ${elsewhere}` });
    await hidden.done;
    expect(hidden.items[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const sse = sseSubscribe(t.base, query, { s: t.sessionId }, { authorization: `Bearer ${t.good}` });
    const ws = wsSubscribe(t.ws, query, { s: t.sessionId }, { authorization: `Bearer ${t.good}` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.request('POST', `/api/projects/p/sessions/${t.sessionId}/messages`, t.good, { role: 'user', content: 'live' });
    await sse.until(() => sse.items.length >= 1);
    await ws.until(() => ws.items.length >= 1);
    expect(sse.items[0]?.data?.messageAdded).toEqual({ content: 'live' });
    expect(ws.items[0]?.data?.messageAdded).toEqual({ content: 'live' });
  });

  it('verifies RS256 tokens with a PEM public key, pins the algorithm, and suggests no field names', async () => {
    const { generateKeyPair, exportSPKI } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const server = await startLiveServer({ auth: { publicKey: await exportSPKI(publicKey) } });
    const signed = await new SignJWT({ projects: ['*'], scope: 'chat:read' }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('1h').sign(privateKey);
    const hs = await new SignJWT({ projects: ['*'], scope: 'chat:read' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const ask = (bearer: string, query: string) =>
      fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query }) });
    expect((await ask(signed, '{ project(id: "p") { id } }')).status).toBe(200);
    expect((await ask(hs, '{ project(id: "p") { id } }')).status).toBe(401);
    const typo = await (await ask(signed, '{ project(id: "p") { sesions { id } } }')).text();
    expect(typo).not.toMatch(/Did you mean/);
  });

  it('verifies ES256 tokens against a remote key set (JWKS)', async () => {
    const { generateKeyPair, exportJWK } = await import('jose');
    const { createServer } = await import('node:http');
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const keys = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = keys.address() as import('node:net').AddressInfo;
      const server = await startLiveServer({ auth: { jwksUrl: `http://127.0.0.1:${port}/jwks.json` } });
      const signed = await new SignJWT({ projects: ['p'], scope: 'chat:write' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('1h').sign(privateKey);
      const created = await fetch(`${server.base}/api/projects/p/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${signed}` }, body: '{"title":"jwks"}' });
      expect(created.status).toBe(201);
      const other = (await generateKeyPair('ES256')).privateKey;
      const forged = await new SignJWT({ projects: ['p'], scope: 'chat:write' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('1h').sign(other);
      expect((await fetch(`${server.base}/api/projects/p/sessions`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    } finally {
      keys.closeAllConnections();
      await new Promise((resolve) => keys.close(resolve));
    }
  });

  it("records the token's subject as createdBy, and `mine` lists only the caller's sessions", async () => {
    const t = await setup();
    const ann = await token({ ...all, sub: 'ann' });
    const bob = await token({ ...all, sub: 'bob' });
    const create = async (bearer: string, title: string) =>
      (await t.gql(bearer, 'mutation($t: String!) { createSession(projectId: "p", input: { title: $t }) { ... on CreateSessionSuccess { session { createdBy } } } }', { t: title })).body.data.createSession.session;
    expect(await create(ann, 'by ann')).toEqual({ createdBy: 'ann' });
    expect(await create(bob, 'by bob')).toEqual({ createdBy: 'bob' });
    const mine = async (bearer: string) =>
      (await t.gql(bearer, '{ project(id: "p") { sessionsPage(filter: { mine: true }) { edges { node { title createdBy } } } } }')).body.data.project.sessionsPage.edges.map((e: { node: unknown }) => e.node);
    expect(await mine(ann)).toEqual([{ title: 'by ann', createdBy: 'ann' }]);
    expect(await mine(bob)).toEqual([{ title: 'by bob', createdBy: 'bob' }]);
    // A token without a subject made the first session: it has no creator.
    expect(await mine(t.good)).toEqual([{ title: 'secured', createdBy: null }]);
  });
});

