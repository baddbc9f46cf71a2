// GraphQL over app.fetch: sessions, projects, stats and the typed error results of the mutations.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { AddMessage, CreateSession, DeleteSession, GetSession, ProjectOverview, ProjectSession, SessionsPage, UpdateSession } from './operations.js';

async function appWithSession(title = 'Hello') {
  const t = await createTestApp();
  const created = await t.data(CreateSession, { projectId: 'p1', input: { title, description: 'first', metadata: { tag: 'x' } } });
  if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
  return { ...t, session: created.createSession.session };
}

describe('GraphQL sessions', () => {
  it('createSession returns the new session with every field', async () => {
    const { session } = await appWithSession();
    expect(session).toMatchObject({ projectId: 'p1', title: 'Hello', description: 'first', metadata: { tag: 'x' }, isActive: true, version: 1, messageCount: 0, lastMessageAt: null });
    expect(new Date(session.createdAt).toISOString()).toBe(session.createdAt);
    expect(session.updatedAt).toBe(session.createdAt);
  });

  it('createSession answers ValidationError with issues for bad input and for a bad project id', async () => {
    const t = await createTestApp();
    const empty = await t.data(CreateSession, { projectId: 'p1', input: { title: '  ' } });
    expect(empty.createSession).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'title'], message: 'must not be empty' }] });
    const badProject = await t.data(CreateSession, { projectId: '../etc', input: { title: 'x' } });
    expect(badProject.createSession).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['projectId'] }] });
  });

  it('session(projectId, id) and project.session(id) find it only in its own project', async () => {
    const t = await appWithSession();
    expect((await t.data(GetSession, { projectId: 'p1', id: t.session.id })).session).toMatchObject({ id: t.session.id, title: 'Hello' });
    expect((await t.data(GetSession, { projectId: 'p2', id: t.session.id })).session).toBeNull();
    expect((await t.data(ProjectSession, { projectId: 'p2', id: t.session.id })).project.session).toBeNull();
    expect((await t.data(ProjectSession, { projectId: 'p1', id: t.session.id })).project.session?.id).toBe(t.session.id);
  });

  it('updateSession changes fields, bumps version, and refuses a stale expectedVersion with ConflictError', async () => {
    const t = await appWithSession();
    const updated = await t.data(UpdateSession, { projectId: 'p1', id: t.session.id, input: { title: 'Renamed', description: null, metadata: { v: 2 }, expectedVersion: 1 } });
    expect(updated.updateSession).toMatchObject({ __typename: 'UpdateSessionSuccess', session: { title: 'Renamed', description: null, metadata: { v: 2 }, version: 2 } });
    const stale = await t.data(UpdateSession, { projectId: 'p1', id: t.session.id, input: { title: 'Lost', expectedVersion: 1 } });
    expect(stale.updateSession).toMatchObject({ __typename: 'ConflictError', message: `Session ${t.session.id} is at version 2, not 1` });
    expect((await t.data(GetSession, { projectId: 'p1', id: t.session.id })).session).toMatchObject({ title: 'Renamed', version: 2 });
  });

  it('updateSession answers NotFoundError for another project and ValidationError for a bad title', async () => {
    const t = await appWithSession();
    const other = await t.data(UpdateSession, { projectId: 'p2', id: t.session.id, input: { title: 'x' } });
    expect(other.updateSession).toEqual({ __typename: 'NotFoundError', message: `Session ${t.session.id} not found in project p2` });
    const bad = await t.data(UpdateSession, { projectId: 'p1', id: t.session.id, input: { title: 'x'.repeat(201) } });
    expect(bad.updateSession).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'title'] }] });
  });

  it('deleteSession refuses a session with messages unless force, then it is gone', async () => {
    const t = await appWithSession();
    await t.data(AddMessage, { projectId: 'p1', sessionId: t.session.id, input: { role: 'USER', content: 'hi' } });
    const refused = await t.data(DeleteSession, { projectId: 'p1', id: t.session.id });
    expect(refused.deleteSession).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('has 1 message') });
    const forced = await t.data(DeleteSession, { projectId: 'p1', id: t.session.id, force: true });
    expect(forced.deleteSession).toEqual({ __typename: 'DeleteSessionSuccess', deletedSessionId: t.session.id });
    const again = await t.data(DeleteSession, { projectId: 'p1', id: t.session.id, force: true });
    expect(again.deleteSession.__typename).toBe('NotFoundError');
    expect((await t.data(GetSession, { projectId: 'p1', id: t.session.id })).session).toBeNull();
  });

  it('project lists sessions most recently updated first, archived only on request, with stats', async () => {
    const t = await createTestApp();
    const ids: string[] = [];
    for (const title of ['a', 'b', 'c']) {
      const r = await t.data(CreateSession, { projectId: 'p', input: { title } });
      if (r.createSession.__typename === 'CreateSessionSuccess') ids.push(r.createSession.session.id);
    }
    await t.data(AddMessage, { projectId: 'p', sessionId: ids[0]!, input: { role: 'USER', content: 'u' } });
    await t.data(AddMessage, { projectId: 'p', sessionId: ids[0]!, input: { role: 'ASSISTANT', content: 'a' } });
    await t.data(UpdateSession, { projectId: 'p', id: ids[1]!, input: { isActive: false } });
    const active = await t.data(ProjectOverview, { id: 'p' });
    expect(active.project.sessions.map((s) => s.id)).toEqual([ids[0], ids[2]]);
    expect(active.project.sessions[0]!.messages.map((m) => [m.sequence, m.role, m.content])).toEqual([[1, 'USER', 'u'], [2, 'ASSISTANT', 'a']]);
    const all = await t.data(ProjectOverview, { id: 'p', includeInactive: true });
    expect(all.project.sessions.map((s) => s.id)).toEqual([ids[1], ids[0], ids[2]]);
    expect(all.project.stats).toMatchObject({
      totalSessions: 3,
      activeSessions: 2,
      inactiveSessions: 1,
      totalMessages: 2,
      messagesByRole: [
        { role: 'USER', count: 1 },
        { role: 'ASSISTANT', count: 1 },
        { role: 'SYSTEM', count: 0 },
        { role: 'TOOL', count: 0 },
      ],
    });
    const empty = await t.data(ProjectOverview, { id: 'nobody' });
    expect(empty.project).toMatchObject({ id: 'nobody', sessions: [], stats: { totalSessions: 0, lastActivityAt: null } });
  });

  it('sessionsConnection pages through every session once, newest first', async () => {
    const t = await createTestApp();
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.data(CreateSession, { projectId: 'p', input: { title: `s${i}` } });
      if (r.createSession.__typename === 'CreateSessionSuccess') created.push(r.createSession.session.id);
    }
    const seen: string[] = [];
    let after: string | null | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = (await t.data(SessionsPage, { projectId: 'p', first: 3, after })).project.sessionsConnection;
      expect(page.totalCount).toBe(7);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([...created].reverse());
    const bad = await t.gql(SessionsPage, { projectId: 'p', after: 'bogus' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
