// GraphQL over app.fetch: pinned sessions, tags and the filtered, ordered, keyset-paged session list.
import { describe, expect, it } from 'vitest';
import type { OrderedSessionsQueryVariables } from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';
import { CreateSession, OrderedSessions, UpdateSession, UpdateSessions } from './operations.js';

describe('GraphQL sessions in order', () => {
  it('creates with pinned and tags (trimmed, deduplicated ignoring case), lists pinned first, filters, pages and counts tags', async () => {
    const t = await createTestApp();
    const create = async (title: string, extra: { pinned?: boolean; tags?: string[] } = {}) => {
      const r = await t.data(CreateSession, { projectId: 'p', input: { title, ...extra } });
      if (r.createSession.__typename !== 'CreateSessionSuccess') throw new Error(JSON.stringify(r.createSession));
      return r.createSession.session.id;
    };
    const plain = await create('plain');
    const work = await create('Work plan', { tags: [' Work ', 'work', 'Q3'] });
    await create('pinned one', { pinned: true, tags: ['home'] });
    await create('later', { tags: ['WORK'] });
    const archived = await create('archived', { tags: ['work'] });
    await t.data(UpdateSession, { projectId: 'p', id: archived, input: { isActive: false } });

    const page = async (variables: Omit<OrderedSessionsQueryVariables, 'projectId'> = {}) => (await t.data(OrderedSessions, { projectId: 'p', ...variables })).project.sessionsPage;
    const all = await page();
    expect(all.edges.map((e) => e.node.title)).toEqual(['pinned one', 'later', 'Work plan', 'plain']);
    expect(all.edges.find((e) => e.node.id === work)!.node).toMatchObject({ tags: ['Work', 'Q3'], pinned: false, createdBy: null });
    expect((await page({ filter: { tags: ['work'] } })).edges.map((e) => e.node.title)).toEqual(['later', 'Work plan']);
    expect((await page({ filter: { tags: ['work'], includeInactive: true } })).totalCount).toBe(3);
    expect((await page({ filter: { onlyInactive: true } })).edges.map((e) => e.node.id)).toEqual([archived]);
    expect((await page({ filter: { titleContains: 'PLAN' } })).edges.map((e) => e.node.id)).toEqual([work]);
    expect((await page({ orderBy: 'TITLE_ASC', pinnedFirst: false })).edges.map((e) => e.node.title)).toEqual(['later', 'pinned one', 'plain', 'Work plan']);

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p = await page({ first: 1, after });
      seen.push(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    await t.data(UpdateSession, { projectId: 'p', id: plain, input: { pinned: true, tags: ['home', 'HOME', 'x'] } });
    expect((await page()).edges.map((e) => e.node.title).slice(0, 2)).toEqual(['plain', 'pinned one']);
    expect((await t.data(OrderedSessions, { projectId: 'p' })).project.tags).toEqual([
      // Spelled as on the session changed last that carries it (the archived one).
      { tag: 'work', count: 3 },
      { tag: 'home', count: 2 },
      { tag: 'Q3', count: 1 },
      { tag: 'x', count: 1 },
    ]);
  });

  it('refuses bad tags, a foreign cursor and a cursor of another order with BAD_USER_INPUT or a ValidationError', async () => {
    const t = await createTestApp();
    const tooMany = await t.data(CreateSession, { projectId: 'p', input: { title: 't', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } });
    expect(tooMany.createSession).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'tags'] }] });
    const tooLong = await t.data(CreateSession, { projectId: 'p', input: { title: 't', tags: ['x'.repeat(51)] } });
    expect(tooLong.createSession.__typename).toBe('ValidationError');
    const blank = await t.data(CreateSession, { projectId: 'p', input: { title: 't', tags: ['  '] } });
    expect(blank.createSession.__typename).toBe('ValidationError');
    for (let i = 0; i < 2; i++) await t.data(CreateSession, { projectId: 'p', input: { title: `s${i}` } });
    const first = await t.gql(OrderedSessions, { projectId: 'p', first: 1 });
    const cursor = first.data!.project.sessionsPage.pageInfo.endCursor!;
    const other = await t.gql(OrderedSessions, { projectId: 'p', first: 1, after: cursor, orderBy: 'TITLE_ASC' });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const forged = await t.gql(OrderedSessions, { projectId: 'p', after: Buffer.from('sp:["updatedAt",1,"x","../etc"]').toString('base64url') });
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await t.gql(OrderedSessions, { projectId: 'p', first: 1001 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('changes many sessions at once, each answered on its own, and deletes some with their messages', async () => {
    const t = await createTestApp();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.data(CreateSession, { projectId: 'p', input: { title: `s${i}`, tags: i === 0 ? Array.from({ length: 20 }, (_, k) => `t${k}`) : ['old', 'Keep'] } });
      if (r.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
      ids.push(r.createSession.session.id);
    }
    await t.data(CreateSession, { projectId: 'q', input: { title: 'elsewhere' } });
    const bulk = await t.data(UpdateSessions, { projectId: 'p', ids: [...ids.slice(0, 3), 'missing', '../x'], input: { pinned: true, isActive: false, addTags: ['New', 'keep'], removeTags: ['OLD'] } });
    expect(bulk.updateSessions.updated.map((s) => [s.id, s.pinned, s.isActive, s.tags, s.version])).toEqual([
      [ids[1], true, false, ['Keep', 'New'], 2],
      [ids[2], true, false, ['Keep', 'New'], 2],
    ]);
    expect(bulk.updateSessions.failed).toEqual([
      { sessionId: ids[0], error: { __typename: 'ValidationError', message: expect.stringContaining('more than 20 tags') } },
      { sessionId: 'missing', error: { __typename: 'NotFoundError', message: 'Session missing not found in project p' } },
      { sessionId: '../x', error: { __typename: 'ValidationError', message: expect.any(String) } },
    ]);
    await t.service.addMessage('p', ids[3], { role: 'user', content: 'kept with it' });
    const deleted = await t.data(UpdateSessions, { projectId: 'p', ids: [ids[3]!, ids[4]!], input: { delete: true } });
    expect(deleted.updateSessions.updated.map((s) => s.id)).toEqual([ids[3], ids[4]]);
    expect(await t.service.getSession('p', ids[3])).toBeNull();
    const tooMany = await t.gql(UpdateSessions, { projectId: 'p', ids: Array.from({ length: 1001 }, (_, i) => `s${i}`), input: { pinned: true } });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

