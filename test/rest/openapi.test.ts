// The OpenAPI document is valid 3.1 and lists every route of rest.md with its request and response schemas.
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and describes every route with its schemas', async () => {
    const { app } = await createTestApp();
    const response = await app.fetch(new Request('http://test/api/openapi.json'));
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, Operation>> };
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(doc.openapi).toBe('3.1.0');

    const expected: [string, string, boolean, string, string?][] = [
      ['post', '/projects/{project_id}/sessions', true, '201'],
      ['get', '/projects/{project_id}/sessions', false, '200'],
      ['get', '/projects/{project_id}/sessions/{session_id}', false, '200'],
      ['put', '/projects/{project_id}/sessions/{session_id}', true, '200'],
      ['delete', '/projects/{project_id}/sessions/{session_id}', false, '200'],
      ['post', '/projects/{project_id}/sessions/{session_id}/messages', true, '201'],
      ['get', '/projects/{project_id}/sessions/{session_id}/messages', false, '200'],
      ['get', '/projects/{project_id}/sessions/{session_id}/full', false, '200'],
      ['get', '/projects/{project_id}/stats', false, '200'],
      ['get', '/projects/{project_id}/sessions/{session_id}/export', false, '200'],
      ['get', '/projects/{project_id}/export', false, '200', 'application/x-ndjson'],
    ];
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(listed.sort()).toEqual(expected.map(([m, p]) => `${m} ${p}`).sort());
    for (const [method, route, hasBody, success, type = 'application/json'] of expected) {
      const op = doc.paths[route]![method]!;
      expect(op.parameters?.filter((p) => p.in === 'path').map((p) => p.name), route).toEqual(route.includes('session_id') ? ['project_id', 'session_id'] : ['project_id']);
      if (hasBody) expect(op.requestBody?.content['application/json']?.schema, `${method} ${route}`).toBeDefined();
      expect(op.responses[success]?.content?.[type]?.schema, `${method} ${route}`).toBeDefined();
      for (const status of ['400', '422', '500']) expect(op.responses[status]?.content?.['application/json']?.schema, `${method} ${route} ${status}`).toBeDefined();
    }
  });

  it('serves human-readable docs at /api/docs from its own assets, with no CDN', async () => {
    const { app } = await createTestApp();
    const response = await app.fetch(new Request('http://test/api/docs'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const src of html.match(/(?:src|href)="([^"]+)"/g)!.map((m) => m.slice(m.indexOf('"') + 1, -1))) {
      const asset = await app.fetch(new Request(`http://test${src}`));
      expect(asset.status, src).toBe(200);
      expect((await asset.text()).length, src).toBeGreaterThan(src.endsWith('init.js') ? 10 : 10_000);
    }
    expect(await (await app.fetch(new Request('http://test/api/docs/assets/init.js'))).text()).toContain('/api/openapi.json');
    expect((await app.fetch(new Request('http://test/api/docs/assets/..%2Fpackage.json'))).status).toBe(404);
  });
});
