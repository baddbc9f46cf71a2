// GraphQL over app.fetch: conversations as trees. Edit, regenerate, switch branches and fork, as a chat frontend does.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { AddReply, Branch, ConversationViews, CreateSession, ForkSession, SetActiveLeaf } from './operations.js';

async function conversation() {
  const t = await createTestApp();
  const created = await t.data(CreateSession, { projectId: 'p', input: { title: 'chat', metadata: { topic: 'x' } } });
  if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
  const sessionId = created.createSession.session.id;
  const add = async (content: string, extra: { parentId?: string; root?: boolean; clientMessageId?: string } = {}) => {
    const r = await t.data(AddReply, { projectId: 'p', sessionId, input: { role: 'USER', content, ...extra } });
    if (r.addMessage.__typename !== 'AddMessageSuccess') throw new Error(JSON.stringify(r.addMessage));
    return r.addMessage;
  };
  const branch = async (args: { leafId?: string; first?: number; after?: string; last?: number; before?: string } = {}) => {
    const r = await t.data(Branch, { projectId: 'p', id: sessionId, ...args });
    return r.session!;
  };
  return { ...t, sessionId, add, branch };
}

describe('GraphQL conversation trees', () => {
  it('regenerates an answer and edits a prompt as siblings, shows `2 / 2` and switches back to `1 / 2`', async () => {
    const t = await conversation();
    const q = await t.add('question');
    const a1 = await t.add('answer one');
    expect(a1.message).toMatchObject({ parentId: q.message.id, siblingCount: 1, siblingIndex: 0, childCount: 0 });
    // Regenerate: another answer to the same question.
    const a2 = await t.add('answer two', { parentId: q.message.id });
    expect(a2.message).toMatchObject({ sequence: 3, parentId: q.message.id, siblingCount: 2, siblingIndex: 1, siblingIds: [a1.message.id, a2.message.id] });
    expect(a2.session).toMatchObject({ messageCount: 3, activeLeafId: a2.message.id });
    let view = await t.branch();
    expect(view.branch.edges.map((e) => e.node.content)).toEqual(['question', 'answer two']);
    expect(view.branch.edges[0]!.node).toMatchObject({ childCount: 2, siblingCount: 1 });
    expect(view.branch.totalCount).toBe(2);

    const switched = await t.data(SetActiveLeaf, { projectId: 'p', sessionId: t.sessionId, messageId: a1.message.id, expectedVersion: 1 });
    expect(switched.setActiveLeaf).toMatchObject({ __typename: 'SetActiveLeafSuccess', session: { activeLeafId: a1.message.id, version: 2 } });
    view = await t.branch();
    expect(view.branch.edges.map((e) => [e.node.content, e.node.siblingIndex, e.node.siblingCount])).toEqual([['question', 0, 1], ['answer one', 0, 2]]);

    // Edit the first prompt: a new first message; what follows goes on from it.
    const edited = await t.add('question, edited', { root: true });
    expect(edited.message).toMatchObject({ parentId: null, siblingIds: [q.message.id, edited.message.id], siblingIndex: 1 });
    await t.add('answer to the edit');
    const views = await t.data(ConversationViews, { projectId: 'p', id: t.sessionId });
    expect(views.session!.messages.map((m) => m.content)).toEqual(['question, edited', 'answer to the edit']);
    expect(views.session!.messagesConnection).toMatchObject({ totalCount: 2 });
    expect(views.session!.allMessagesConnection.totalCount).toBe(5);
    expect(views.session!.allMessagesConnection.edges.map((e) => e.node.sequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('names the newest message below each version, so a switcher shows a version with the replies that followed it', async () => {
    const t = await conversation();
    const q = await t.add('question');
    const a1 = await t.add('answer one');
    const more = await t.add('more on answer one');
    const a2 = await t.add('answer two', { parentId: q.message.id });
    // On the newest branch: the question leads to answer two; off it, answer one still leads to what followed it.
    const view = await t.branch({ leafId: more.message.id });
    expect(view.branch.edges.map((e) => [e.node.content, e.node.newestLeafId])).toEqual([
      ['question', a2.message.id],
      ['answer one', more.message.id],
      ['more on answer one', more.message.id],
    ]);
    const switched = await t.data(SetActiveLeaf, { projectId: 'p', sessionId: t.sessionId, messageId: view.branch.edges[1]!.node.newestLeafId });
    expect(switched.setActiveLeaf).toMatchObject({ __typename: 'SetActiveLeafSuccess', session: { activeLeafId: more.message.id } });
    expect((await t.branch()).branch.edges.map((e) => e.node.content)).toEqual(['question', 'answer one', 'more on answer one']);
    expect(a1.message.id).not.toBe(more.message.id);
  });

  it('pages a long branch both ways with cursors that stay valid while it grows', async () => {
    const t = await conversation();
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push((await t.add(`m${i}`)).message.id);
    // A branch from m3: the active path is m1 m2 m3 b1..b4 (7 long), skipping m4..m6.
    let parent = ids[2]!;
    for (let i = 1; i <= 4; i++) parent = (await t.add(`b${i}`, { parentId: parent })).message.id;
    const newest = await t.branch({ last: 3 });
    expect(newest.branch.edges.map((e) => e.node.content)).toEqual(['b2', 'b3', 'b4']);
    expect(newest.branch.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const older = await t.branch({ last: 3, before: newest.branch.pageInfo.startCursor! });
    expect(older.branch.edges.map((e) => e.node.content)).toEqual(['m2', 'm3', 'b1']);
    const oldest = await t.branch({ last: 3, before: older.branch.pageInfo.startCursor! });
    expect(oldest.branch.edges.map((e) => e.node.content)).toEqual(['m1']);
    expect(oldest.branch.pageInfo.hasPreviousPage).toBe(false);
    // Forward from the start, then the branch grows and the same cursor goes on where it was.
    const first = await t.branch({ first: 4 });
    expect(first.branch.edges.map((e) => e.node.content)).toEqual(['m1', 'm2', 'm3', 'b1']);
    await t.add('b5');
    const rest = await t.branch({ first: 10, after: first.branch.pageInfo.endCursor! });
    expect(rest.branch.edges.map((e) => e.node.content)).toEqual(['b2', 'b3', 'b4', 'b5']);
    expect(rest.branch).toMatchObject({ totalCount: 8, pageInfo: { hasNextPage: false } });
    // Any other path by its leaf.
    const old = await t.branch({ leafId: ids[5]!, last: 4 });
    expect(old.branch.edges.map((e) => e.node.content)).toEqual(['m3', 'm4', 'm5', 'm6']);
    expect(old.activeLeafId).not.toBe(ids[5]);
  });

  it('forks from any message into a new session of the same project, copying the path', async () => {
    const t = await conversation();
    const one = await t.add('one', { clientMessageId: 'c1' });
    const two = await t.add('two');
    await t.add('two, again', { parentId: one.message.id });
    const forked = await t.data(ForkSession, { projectId: 'p', sessionId: t.sessionId, messageId: two.message.id, input: { title: 'fork' } });
    if (forked.forkSession.__typename !== 'ForkSessionSuccess') throw new Error(JSON.stringify(forked.forkSession));
    const fork = forked.forkSession.session;
    expect(fork).toMatchObject({ projectId: 'p', title: 'fork', metadata: { topic: 'x' }, messageCount: 2, forkedFrom: { sessionId: t.sessionId, messageId: two.message.id } });
    expect(fork.id).not.toBe(t.sessionId);
    expect(fork.messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(fork.messages.map((m) => m.id)).not.toContain(one.message.id);
    expect(fork.messages[1]!.parentId).toBe(fork.messages[0]!.id);
    expect(fork.activeLeafId).toBe(fork.messages[1]!.id);
    expect(fork.messages[0]!.clientMessageId).toBeNull();
    const view = await t.data(Branch, { projectId: 'p', id: fork.id });
    expect(view.session!.forkedFrom).toEqual({ sessionId: t.sessionId, messageId: two.message.id });
    // The original is untouched.
    expect((await t.branch()).messageCount).toBe(3);
  });

  it('answers typed errors: a parent or leaf from another session, root with parentId, a stale version', async () => {
    const t = await conversation();
    const mine = await t.add('mine');
    const other = await t.data(CreateSession, { projectId: 'p', input: { title: 'other' } });
    if (other.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
    const otherId = other.createSession.session.id;
    const foreign = await t.data(AddReply, { projectId: 'p', sessionId: otherId, input: { role: 'USER', content: 'x', parentId: mine.message.id } });
    expect(foreign.addMessage).toEqual({ __typename: 'NotFoundError', errorMessage: `Message ${mine.message.id} not found in session ${otherId}` });
    const both = await t.data(AddReply, { projectId: 'p', sessionId: t.sessionId, input: { role: 'USER', content: 'x', parentId: mine.message.id, root: true } });
    expect(both.addMessage).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'root'] }] });
    const badId = await t.data(AddReply, { projectId: 'p', sessionId: t.sessionId, input: { role: 'USER', content: 'x', parentId: '../x' } });
    expect(badId.addMessage).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'parentId'] }] });
    const stale = await t.data(SetActiveLeaf, { projectId: 'p', sessionId: t.sessionId, messageId: mine.message.id, expectedVersion: 7 });
    expect(stale.setActiveLeaf).toMatchObject({ __typename: 'ConflictError' });
    const missing = await t.data(SetActiveLeaf, { projectId: 'p', sessionId: otherId, messageId: mine.message.id });
    expect(missing.setActiveLeaf).toMatchObject({ __typename: 'NotFoundError' });
    const elsewhere = await t.data(SetActiveLeaf, { projectId: 'q', sessionId: t.sessionId, messageId: mine.message.id });
    expect(elsewhere.setActiveLeaf).toMatchObject({ __typename: 'NotFoundError' });
    const noFork = await t.data(ForkSession, { projectId: 'p', sessionId: otherId, messageId: mine.message.id });
    expect(noFork.forkSession).toMatchObject({ __typename: 'NotFoundError' });
    const leaf = await t.gql(Branch, { projectId: 'p', id: otherId, leafId: mine.message.id });
    expect(leaf.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    // Nothing was written by any of these.
    expect((await t.branch()).messageCount).toBe(1);
  });
});
