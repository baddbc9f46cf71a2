// Query limits: every contract query shape passes, abusive ones are refused before execution.
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { NestedConnections } from './operations.js';

describe('GraphQL query limits', () => {
  it('lets a connection inside a connection through', async () => {
    const t = await createTestApp();
    const result = await t.gql(NestedConnections, { projectId: 'p' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.project.sessionsConnection.edges).toEqual([]);
  });

  it('serves the introspection query GraphiQL sends', async () => {
    const t = await createTestApp();
    const response = await t.post({ query: getIntrospectionQuery() });
    const body = (await response.json()) as { data?: { __schema: { types: unknown[] } }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.types.length).toBeGreaterThan(20);
  });

  it('refuses a query with 500 aliases', async () => {
    const t = await createTestApp();
    const fields = Array.from({ length: 500 }, (_, i) => `a${i}: project(id: "p") { id }`).join(' ');
    const response = await t.post({ query: `{ ${fields} }` });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/alias|token/i);
  });

  it('refuses a query of more tokens than any real operation needs', async () => {
    const t = await createTestApp();
    const response = await t.post({ query: `{ project(id: "p") { ${'id '.repeat(3000)} } }` });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/token/i);
  });

  it('lets one connection take its largest page, but refuses a largest page of largest pages', async () => {
    const t = await createTestApp();
    const one = '{ session(projectId: "p", id: "s") { title messagesConnection(first: 1000) { totalCount edges { cursor node { id role content createdAt metadata } } } } }';
    expect(((await (await t.post({ query: one })).json()) as { errors?: unknown }).errors).toBeUndefined();
    const product = '{ project(id: "p") { sessionsConnection(first: 1000) { edges { node { messagesConnection(first: 1000) { edges { node { id content } } } } } } } }';
    const body = (await (await t.post({ query: product })).json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/cost/i);
  });

  it('refuses an operation again when it comes again (validation results are cached per parsed operation)', async () => {
    const t = await createTestApp();
    const product = '{ project(id: "p") { sessionsConnection(first: 1000) { edges { node { messagesConnection(first: 1000) { edges { node { id } } } } } } } }';
    const unknown = '{ project(id: "p") { noSuchField } }';
    for (let i = 0; i < 3; i++) {
      const costly = (await (await t.post({ query: product })).json()) as { data?: unknown; errors?: { message: string }[] };
      expect(costly.data, `attempt ${i}`).toBeUndefined();
      expect(costly.errors?.[0]?.message).toMatch(/cost/i);
      const invalid = (await (await t.post({ query: unknown })).json()) as { data?: unknown; errors?: { message: string }[] };
      expect(invalid.data, `attempt ${i}`).toBeUndefined();
      expect(invalid.errors?.[0]?.message).toMatch(/noSuchField/);
      // A valid one in between is answered each time.
      expect(((await (await t.post({ query: '{ project(id: "p") { id } }' })).json()) as { data?: unknown }).data).toEqual({ project: { id: 'p' } });
    }
  });

  it('refuses introspection when GRAPHQL_INTROSPECTION is off', async () => {
    const t = await createTestApp({ introspection: false });
    const body = (await (await t.post({ query: getIntrospectionQuery() })).json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
    expect(((await (await t.post({ query: '{ project(id: "p") { id } }' })).json()) as { data?: unknown }).data).toEqual({ project: { id: 'p' } });
  });
});
