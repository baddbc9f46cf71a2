// GraphQL over app.fetch: deleting moves a session to the trash, from which it is restored whole or erased.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { restClient } from '../helpers/rest.js';
import { CreateSession, DeleteSession, PurgeSession, RestoreSession, TrashAndRestore } from './operations.js';

describe('GraphQL trash', () => {
  it('deletes into the trash (gone for every reader), lists it with purgeAt, restores it whole, erases it for good', async () => {
    const t = await createTestApp();
    const call = restClient(t.app);
    const created = await t.data(CreateSession, { projectId: 'p', input: { title: 'kept', tags: ['x'] } });
    if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
    const id = created.createSession.session.id;
    await t.service.addMessage('p', id, { role: 'user', content: 'hello' });
    const deleted = await t.data(DeleteSession, { projectId: 'p', id, force: true });
    expect(deleted.deleteSession.__typename).toBe('DeleteSessionSuccess');
    expect((await call('GET', `/api/projects/p/sessions/${id}`)).status).toBe(404);
    expect((await call('GET', '/api/projects/p/stats')).body.total_sessions).toBe(0);

    const trash = (await t.data(TrashAndRestore, { projectId: 'p' })).project.trash;
    expect(trash.totalCount).toBe(1);
    const [entry] = trash.edges.map((e) => e.node);
    expect(entry!.session).toMatchObject({ id, title: 'kept', messageCount: 1, tags: ['x'] });
    expect(Date.parse(entry!.purgeAt) - Date.parse(entry!.deletedAt)).toBe(30 * 24 * 3600 * 1000);
    expect((await t.data(TrashAndRestore, { projectId: 'q' })).project.trash.totalCount).toBe(0);

    const restored = await t.data(RestoreSession, { projectId: 'p', id });
    expect(restored.restoreSession).toMatchObject({ __typename: 'RestoreSessionSuccess', session: { id, messageCount: 1, tags: ['x'], version: 1 } });
    expect((await call('GET', `/api/projects/p/sessions/${id}/messages`)).body.map((m: { content: string }) => m.content)).toEqual(['hello']);
    expect((await t.data(RestoreSession, { projectId: 'p', id })).restoreSession).toMatchObject({ __typename: 'NotFoundError' });

    await call('DELETE', `/api/projects/p/sessions/${id}?force=true`);
    expect((await t.data(PurgeSession, { projectId: 'p', id })).purgeSession).toEqual({ __typename: 'PurgeSessionSuccess', purgedSessionId: id });
    expect((await t.data(PurgeSession, { projectId: 'p', id })).purgeSession).toMatchObject({ __typename: 'NotFoundError' });
    expect((await t.data(RestoreSession, { projectId: 'p', id })).restoreSession).toMatchObject({ __typename: 'NotFoundError' });
    expect((await t.data(TrashAndRestore, { projectId: 'p' })).project.trash.totalCount).toBe(0);
  });
});
