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
  });

  it('answers GraphQL over GET for queries', async () => {
    const { app } = await createTestApp();
    const query = encodeURIComponent('{ project(id: "p") { id } }');
    const response = await app.fetch(new Request(`http://test/graphql?query=${query}`, { headers: { accept: 'application/json' } }));
    expect(await response.json()).toEqual({ data: { project: { id: 'p' } } });
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
