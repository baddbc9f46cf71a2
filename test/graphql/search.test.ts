// Project.search over GraphQL (app.fetch): hits with sessions, messages, snippets and highlights that slice to the
// matched words; cursors; typed errors for bad input and hostile queries; "catching up" while the index is built.
import { describe, expect, it } from 'vitest';
import type { SearchQuery } from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';
import { writeSessionFixture } from '../helpers/session-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { AddMessage, CreateSession, Search } from './operations.js';

async function seeded() {
  const t = await createTestApp();
  const created = await t.data(CreateSession, { projectId: 'p', input: { title: 'Refund questions' } });
  if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
  const sessionId = created.createSession.session.id;
  const say = (content: string, role: 'USER' | 'ASSISTANT' = 'USER') => t.data(AddMessage, { projectId: 'p', sessionId, input: { role, content } });
  await say('Where can I read the refund policy? I bought a café table.');
  await say(`${'Some long preamble about shipping and delivery times. '.repeat(8)}Our Refund Policy allows returns within 30 days. ${'And then more text follows here. '.repeat(8)}`, 'ASSISTANT');
  for (let i = 0; i < 45; i++) await say(`filler message ${i} about refunds and the policy`);
  return { t, sessionId };
}

describe('GraphQL search', () => {
  it('returns hits with their session and message, snippets around the match, highlights that slice to the matched words', async () => {
    const { t, sessionId } = await seeded();
    const result = await t.data(Search, { projectId: 'p', query: 'refund pol' });
    const hits = result.project.search.edges.map((e) => e.node);
    expect(hits.map((h) => h.message?.sequence)).toEqual([1, 2]);
    for (const hit of hits) {
      expect(hit.session).toEqual({ id: sessionId, title: 'Refund questions' });
      expect(hit.snippet.length).toBeLessThanOrEqual(202);
      expect(hit.snippet).not.toMatch(/</);
      const marked = hit.highlights.map((r) => hit.snippet.slice(r.start, r.end).toLowerCase());
      expect(marked.length).toBeGreaterThan(0);
      for (const word of marked) expect(['refund', 'policy']).toContain(word);
    }
    // The long message is cut around its match, with an ellipsis where text was left out.
    expect(hits[1]!.snippet).toMatch(/^….*Our Refund Policy allows returns.*…$/);
    const cafe = await t.data(Search, { projectId: 'p', query: 'CAFE' });
    const hit = cafe.project.search.edges[0]!.node;
    expect(hit.highlights.map((r) => hit.snippet.slice(r.start, r.end))).toEqual(['café']);
    const title = await t.data(Search, { projectId: 'p', query: 'questions' });
    expect(title.project.search.edges.map((e) => [e.node.message, e.node.snippet, e.node.highlights])).toEqual([[null, 'Refund questions', [{ start: 7, end: 16 }]]]);
    const roles = await t.data(Search, { projectId: 'p', query: 'refund', filter: { roles: ['ASSISTANT'] } });
    expect(roles.project.search.edges.map((e) => e.node.message?.role)).toEqual(['ASSISTANT']);
  });

  it('pages with cursors without duplicates, and refuses a cursor of another search', async () => {
    const { t } = await seeded();
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: SearchQuery['project']['search'] = (await t.data(Search, { projectId: 'p', query: 'filler', first: 10, after })).project.search;
      seen.push(...page.edges.map((e) => e.node.message!.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    const first = (await t.data(Search, { projectId: 'p', query: 'filler', first: 5 })).project.search.pageInfo.endCursor;
    const other = await t.gql(Search, { projectId: 'p', query: 'refund', after: first });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const first of [0, 101]) expect((await t.gql(Search, { projectId: 'p', query: 'x', first })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers hostile queries with results or BAD_USER_INPUT, never a server error', async () => {
    const { t } = await seeded();
    const hostile = ["' OR 1=1 --", '"unbalanced', 'NEAR(a b)', '*', '^x', 'col:val', 'x'.repeat(10_000), 'a\u0000b', '😀', '😀 refund', '"', '-', '--', '-refund', 'refund AND OR NOT', "'; DROP TABLE sessions; --", '\\', 'body:refund', 'refund*', '(refund', 'a & b | !c <-> d:*', ''];
    for (const query of hostile) {
      const response = await t.post({ query: 'query($q: String!) { project(id: "p") { search(query: $q) { edges { node { snippet } } } } }', variables: { q: query } });
      expect(response.status, query).toBeLessThan(500);
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      if (body.errors) expect(body.errors.map((e) => e.extensions?.code), query.slice(0, 40)).toEqual(['BAD_USER_INPUT']);
      else expect(body.data).toBeTruthy();
    }
    const star = await t.data(Search, { projectId: 'p', query: 'refund*' });
    expect(star.project.search.edges.length).toBeGreaterThan(0);
  });

  it('answers SEARCH_CATCHING_UP while the index is built from existing data, then the results', async () => {
    const dataDir = await tempDir();
    for (let i = 0; i < 6; i++) await writeSessionFixture(dataDir, 'p', 500, 200);
    const t = await createTestApp({ dataDir });
    const early = await t.gql(Search, { projectId: 'p', query: 'lorem' });
    expect(early.errors?.[0]?.extensions?.code).toBe('SEARCH_CATCHING_UP');
    for (let i = 0; ; i++) {
      const result = await t.gql(Search, { projectId: 'p', query: '"499 lorem"' });
      if (!result.errors) {
        expect(result.data!.project.search.edges).toHaveLength(6);
        break;
      }
      expect(result.errors[0]!.extensions?.code).toBe('SEARCH_CATCHING_UP');
      expect(i).toBeLessThan(400);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
