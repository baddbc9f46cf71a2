// GraphQL over app.fetch: appending and reading messages, idempotency, pagination, concurrency.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { AddMessage, CreateSession, MessagesPage, ProjectSession } from './operations.js';

async function appWithSession() {
  const t = await createTestApp();
  const created = await t.data(CreateSession, { projectId: 'p', input: { title: 'chat' } });
  if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
  return { ...t, sessionId: created.createSession.session.id };
}

describe('GraphQL messages', () => {
  it('addMessage stores the message and updates the session', async () => {
    const t = await appWithSession();
    const r = await t.data(AddMessage, { projectId: 'p', sessionId: t.sessionId, input: { role: 'ASSISTANT', content: 'Hi! ✨', metadata: { model: 'm' } } });
    expect(r.addMessage).toMatchObject({
      __typename: 'AddMessageSuccess',
      deduplicated: false,
      message: { projectId: 'p', sessionId: t.sessionId, sequence: 1, role: 'ASSISTANT', content: 'Hi! ✨', metadata: { model: 'm' }, clientMessageId: null },
      session: { id: t.sessionId, messageCount: 1, version: 1 },
    });
    if (r.addMessage.__typename !== 'AddMessageSuccess') return;
    expect(r.addMessage.session.lastMessageAt).toBe(r.addMessage.message.createdAt);
  });

  it('a repeated clientMessageId returns the original message, deduplicated, and adds nothing', async () => {
    const t = await appWithSession();
    const input = { role: 'USER' as const, content: 'once', clientMessageId: 'retry-1' };
    const first = await t.data(AddMessage, { projectId: 'p', sessionId: t.sessionId, input });
    const second = await t.data(AddMessage, { projectId: 'p', sessionId: t.sessionId, input: { ...input, content: 'changed' } });
    expect(second.addMessage).toMatchObject({ __typename: 'AddMessageSuccess', deduplicated: true, session: { messageCount: 1 } });
    if (first.addMessage.__typename !== 'AddMessageSuccess' || second.addMessage.__typename !== 'AddMessageSuccess') return;
    expect(second.addMessage.message).toEqual(first.addMessage.message);
  });

  it('addMessage answers NotFoundError for another project and ValidationError for bad input', async () => {
    const t = await appWithSession();
    const other = await t.data(AddMessage, { projectId: 'q', sessionId: t.sessionId, input: { role: 'USER', content: 'x' } });
    expect(other.addMessage).toEqual({ __typename: 'NotFoundError', errorMessage: `Session ${t.sessionId} not found in project q` });
    const long = await t.data(AddMessage, { projectId: 'p', sessionId: t.sessionId, input: { role: 'USER', content: 'x', clientMessageId: 'c'.repeat(129) } });
    expect(long.addMessage).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'clientMessageId'] }] });
    const badId = await t.data(AddMessage, { projectId: 'p', sessionId: 'a/b', input: { role: 'USER', content: 'x' } });
    expect(badId.addMessage).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['sessionId'] }] });
  });

  it('an unknown role is refused by the schema as a GraphQL error', async () => {
    const t = await appWithSession();
    const response = await t.post({
      query: 'mutation($s: ID!) { addMessage(projectId: "p", sessionId: $s, input: { role: WIZARD, content: "x" }) { __typename } }',
      variables: { s: t.sessionId },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/WIZARD/);
  });

  it('messages(limit, offset) pages oldest first, and out-of-range arguments are BAD_USER_INPUT', async () => {
    const t = await appWithSession();
    for (let i = 1; i <= 12; i++) await t.data(AddMessage, { projectId: 'p', sessionId: t.sessionId, input: { role: 'USER', content: `m${i}` } });
    const page = await t.data(ProjectSession, { projectId: 'p', id: t.sessionId, limit: 5, offset: 10 });
    expect(page.project.session?.messages.map((m) => [m.sequence, m.content])).toEqual([[11, 'm11'], [12, 'm12']]);
    for (const [limit, offset] of [[0, 0], [1001, 0], [10, -1]] as const) {
      const bad = await t.gql(ProjectSession, { projectId: 'p', id: t.sessionId, limit, offset });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('messagesConnection pages forward and back; last: N is the newest N in order; cursors survive growth', async () => {
    const t = await appWithSession();
    const add = (content: string) => t.data(AddMessage, { projectId: 'p', sessionId: t.sessionId, input: { role: 'USER', content } });
    for (let i = 1; i <= 6; i++) await add(`m${i}`);
    const read = async (args: { first?: number; after?: string | null; last?: number; before?: string | null }) =>
      (await t.data(MessagesPage, { projectId: 'p', id: t.sessionId, ...args })).session!.messagesConnection;
    const newest = await read({ last: 3 });
    expect(newest.edges.map((e) => e.node.content)).toEqual(['m4', 'm5', 'm6']);
    expect(newest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect(newest.totalCount).toBe(6);
    const older = await read({ last: 3, before: newest.pageInfo.startCursor });
    expect(older.edges.map((e) => e.node.content)).toEqual(['m1', 'm2', 'm3']);
    expect(older.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    await add('m7');
    const fresh = await read({ first: 10, after: newest.pageInfo.endCursor });
    expect(fresh.edges.map((e) => e.node.content)).toEqual(['m7']);
    const forward = await read({ first: 2 });
    expect(forward.edges.map((e) => e.node.sequence)).toEqual([1, 2]);
    expect(forward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const empty = await read({ first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toMatchObject({ startCursor: null, endCursor: null });
  });

  it('a malformed cursor or page size is a clean BAD_USER_INPUT error', async () => {
    const t = await appWithSession();
    for (const args of [{ after: 'garbage' }, { before: 'bXNnOjA' }, { first: -1 }, { last: 5000 }, { first: 1, last: 1 }]) {
      const result = await t.gql(MessagesPage, { projectId: 'p', id: t.sessionId, ...args });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(result)).not.toMatch(/at \w+ \(|\/work|node_modules/);
    }
  });

  it('200 parallel addMessage calls on one session store exactly 200 messages, sequence 1..200', async () => {
    const t = await appWithSession();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.data(AddMessage, { projectId: 'p', sessionId: t.sessionId, input: { role: 'USER', content: `c${i}` } })),
    );
    expect(results.every((r) => r.addMessage.__typename === 'AddMessageSuccess')).toBe(true);
    const all = (await t.data(ProjectSession, { projectId: 'p', id: t.sessionId, limit: 1000 })).project.session!.messages;
    expect(all.map((m) => m.sequence)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(all.map((m) => m.content)).size).toBe(200);
  });
});
