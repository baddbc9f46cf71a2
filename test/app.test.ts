// The HTTP shell: health, GraphiQL, unknown routes, request ids.
import { describe, expect, it } from 'vitest';
import { createTestApp } from './helpers/app.js';

describe('app', () => {
  it('GET /healthz answers 200 {"status":"ok"}', async () => {
    const { app } = await createTestApp();
    const response = await app.fetch(new Request('http://test/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves GraphiQL with a default query to a browser at /graphql', async () => {
    const { app } = await createTestApp();
    const response = await app.fetch(new Request('http://test/graphql', { headers: { accept: 'text/html' } }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Chat session service');
    expect(html).toContain('createSession');
    // Bundled into the page: no script or stylesheet from a CDN, so it works offline.
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
  });

  it('answers GraphQL over GET for queries', async () => {
    const { app } = await createTestApp();
    const query = encodeURIComponent('{ project(id: "p") { id } }');
    const response = await app.fetch(new Request(`http://test/graphql?query=${query}`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } }));
    expect(await response.json()).toEqual({ data: { project: { id: 'p' } } });
  });

  it('refuses GraphQL requests a browser could send cross-site without a preflight (CSRF)', async () => {
    const { app } = await createTestApp();
    const query = encodeURIComponent('{ project(id: "p") { id } }');
    const get = await app.fetch(new Request(`http://test/graphql?query=${query}`, { headers: { accept: 'application/json' } }));
    expect(get.status).toBe(403);
    const form = await app.fetch(new Request('http://test/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }));
    expect(form.status).toBe(403);
  });

  it('allows only listed origins (CORS) and sends security headers on every response', async () => {
    const { app } = await createTestApp({ corsOrigins: ['https://app.example'] });
    const preflight = (origin: string) =>
      app.fetch(new Request('http://test/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }));
    expect((await preflight('https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    // The actual request of an allowed origin may read the answer and its request id; every answer varies by Origin.
    const allowed = await app.fetch(
      new Request('http://test/graphql', { method: 'POST', headers: { origin: 'https://app.example', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
    );
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('x-request-id,etag');
    expect(allowed.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(allowed.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    expect(allowed.headers.get('content-security-policy')).toContain("default-src 'self'");
    // Nor may any other origin read a GraphQL answer (regression: Yoga's own CORS echoed every Origin, with credentials).
    for (const { fetch: serve, origin } of [
      { fetch: app.fetch, origin: 'https://evil.example' },
      { fetch: (await createTestApp()).app.fetch, origin: 'https://app.example' },
    ]) {
      const read = await serve(new Request('http://test/graphql', { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }));
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
      expect(read.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const health = await app.fetch(new Request('http://test/healthz', { headers: { origin: 'https://evil.example' } }));
    expect(health.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const { app: closed } = await createTestApp();
    const none = await closed.fetch(new Request('http://test/healthz', { headers: { origin: 'https://app.example' } }));
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers /readyz while the store can write, and exposes Prometheus metrics', async () => {
    const t = await createTestApp();
    expect(await (await t.app.fetch(new Request('http://test/readyz'))).json()).toEqual({ status: 'ready' });
    await t.post({ query: 'mutation { createSession(projectId: "p", input: { title: "t" }) { __typename } }' });
    const created = (await (await t.app.fetch(new Request('http://test/api/projects/p/sessions'))).json()) as { id: string }[];
    await t.app.fetch(new Request(`http://test/api/projects/p/sessions/${created[0]!.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"user","content":"x"}' }));
    const metrics = await (await t.app.fetch(new Request('http://test/metrics'))).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="200",operation="mutation"\} 1/);
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api",operation=""\} \d/);
    expect(metrics).toMatch(/store_append_batch_messages_count [1-9]/);
    expect(metrics).toContain('graphql_open_subscriptions 0');
    await t.close();
    expect((await t.app.fetch(new Request('http://test/readyz'))).status).toBe(503);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = await createTestApp();
    const response = await app.fetch(new Request('http://test/nope'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Not Found' });
  });

  it('echoes an incoming x-request-id and makes one otherwise', async () => {
    const { app } = await createTestApp();
    const given = await app.fetch(new Request('http://test/healthz', { headers: { 'x-request-id': 'abc-123' } }));
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await app.fetch(new Request('http://test/healthz'));
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
