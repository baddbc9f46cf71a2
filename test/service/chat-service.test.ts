// The seed service's 27 cases, by name, against the real service on a file store in a temp dir; then the rules it added.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { Message } from '../../src/domain/message.js';
import { ChatService } from '../../src/service/chat-service.js';
import type { ConnectionArgs } from '../../src/service/pagination.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { silentLogger } from '../helpers/app.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';

async function makeService(maxMessageBytes = 256 * 1024) {
  const store = new FileStore({ dataDir: await tempDir(), logger: silentLogger });
  closeAfterTest(() => store.close());
  return new ChatService({ store, maxMessageBytes });
}

const P = 'project-a';

describe('seed cases', () => {
  it('create session with project id', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 'Test Session', description: 'A test', metadata: { k: 'v' } });
    expect(session).toMatchObject({ projectId: P, title: 'Test Session', description: 'A test', metadata: { k: 'v' }, isActive: true, version: 1, messageCount: 0 });
    expect(session.id).toMatch(/^[A-Za-z0-9]/);
  });

  it('create session without project id fails', async () => {
    const service = await makeService();
    for (const missing of [undefined, null, '']) {
      await expect(service.createSession(missing, { title: 'x' })).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('get session requires project id', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await expect(service.getSession(undefined, session.id)).rejects.toBeInstanceOf(ValidationError);
  });

  it('get session returns none if not found', async () => {
    const service = await makeService();
    expect(await service.getSession(P, 'nonexistent')).toBeNull();
  });

  it('list sessions requires project id', async () => {
    const service = await makeService();
    await expect(service.listSessions(undefined)).rejects.toBeInstanceOf(ValidationError);
  });

  it('list sessions for project', async () => {
    const service = await makeService();
    const a = await service.createSession(P, { title: 'a' });
    const b = await service.createSession(P, { title: 'b' });
    await service.createSession('other-project', { title: 'c' });
    const listed = await service.listSessions(P);
    expect(listed.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('list sessions include_inactive filter', async () => {
    const service = await makeService();
    const active = await service.createSession(P, { title: 'active' });
    const archived = await service.createSession(P, { title: 'archived' });
    await service.updateSession(P, archived.id, { isActive: false });
    expect((await service.listSessions(P)).map((s) => s.id)).toEqual([active.id]);
    expect((await service.listSessions(P, { includeInactive: true })).map((s) => s.id)).toEqual([archived.id, active.id]);
  });

  it('update session requires project id', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await expect(service.updateSession(undefined, session.id, { title: 'x' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('update session', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 'Old' });
    const updated = await service.updateSession(P, session.id, { title: 'New', description: 'Desc', metadata: { a: 1 } });
    expect(updated).toMatchObject({ title: 'New', description: 'Desc', metadata: { a: 1 }, version: 2 });
    expect(updated!.updatedAt > session.updatedAt).toBe(true);
    expect(await service.getSession(P, session.id)).toEqual(updated);
  });

  it('update nonexistent session returns none', async () => {
    const service = await makeService();
    expect(await service.updateSession(P, 'nonexistent', { title: 'x' })).toBeNull();
  });

  it('delete session requires project id', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await expect(service.deleteSession(undefined, session.id)).rejects.toBeInstanceOf(ValidationError);
    expect(await service.getSession(P, session.id)).not.toBeNull();
  });

  it('delete session', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    expect(await service.deleteSession(P, session.id)).toBe(true);
    expect(await service.getSession(P, session.id)).toBeNull();
  });

  it('delete nonexistent session returns false', async () => {
    const service = await makeService();
    expect(await service.deleteSession(P, 'nonexistent')).toBe(false);
  });

  it('delete session with messages requires force', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await service.addMessage(P, session.id, { role: 'user', content: 'hi' });
    await service.addMessage(P, session.id, { role: 'assistant', content: 'hello' });
    await expect(service.deleteSession(P, session.id)).rejects.toThrow(new ConflictError(`Session ${session.id} has 2 messages; delete it with force to remove them too`));
    expect((await service.getSession(P, session.id))?.messageCount).toBe(2);
    expect(await service.deleteSession(P, session.id, { force: true })).toBe(true);
    expect(await service.getSession(P, session.id)).toBeNull();
  });

  it('add message requires project id', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await expect(service.addMessage(undefined, session.id, { role: 'user', content: 'x' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('add message to existing session', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    const { message, session: after, deduplicated } = await service.addMessage(P, session.id, { role: 'user', content: 'Hello', metadata: { m: 1 } });
    expect(message).toMatchObject({ projectId: P, sessionId: session.id, role: 'user', content: 'Hello', metadata: { m: 1 }, sequence: 1, clientMessageId: null });
    expect(deduplicated).toBe(false);
    expect(after).toMatchObject({ messageCount: 1, lastMessageAt: message.createdAt, updatedAt: message.createdAt });
  });

  it('add message validates role', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    const error = await service.addMessage(P, session.id, { role: 'invalid_role', content: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(['input', 'role']);
    expect((await service.getSession(P, session.id))?.messageCount).toBe(0);
  });

  it('add message to nonexistent session fails', async () => {
    const service = await makeService();
    await expect(service.addMessage(P, 'nonexistent', { role: 'user', content: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('get messages requires project id', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await expect(service.getMessages(undefined, session.id)).rejects.toBeInstanceOf(ValidationError);
  });

  it('get messages from session', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await service.addMessage(P, session.id, { role: 'user', content: 'one' });
    await service.addMessage(P, session.id, { role: 'assistant', content: 'two' });
    const messages = await service.getMessages(P, session.id);
    expect(messages.map((m) => [m.role, m.content])).toEqual([['user', 'one'], ['assistant', 'two']]);
  });

  it('get messages with pagination', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    for (let i = 0; i < 10; i++) await service.addMessage(P, session.id, { role: 'user', content: `m${i}` });
    expect((await service.getMessages(P, session.id, { limit: 3, offset: 2 })).map((m) => m.content)).toEqual(['m2', 'm3', 'm4']);
    expect((await service.getMessages(P, session.id, { limit: 5, offset: 8 })).map((m) => m.content)).toEqual(['m8', 'm9']);
    expect(await service.getMessages(P, session.id, { limit: 5, offset: 10 })).toEqual([]);
    for (const bad of [{ limit: 0 }, { limit: 1001 }, { offset: -1 }, { limit: 1.5 }]) {
      await expect(service.getMessages(P, session.id, bad)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('get messages from nonexistent session fails', async () => {
    const service = await makeService();
    await expect(service.getMessages(P, 'nonexistent')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('get session with messages requires project id', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await expect(service.getSessionWithMessages(undefined, session.id)).rejects.toBeInstanceOf(ValidationError);
  });

  it('get session with messages', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 't' });
    await service.addMessage(P, session.id, { role: 'system', content: 'be brief' });
    await service.addMessage(P, session.id, { role: 'user', content: 'hi' });
    const full = await service.getSessionWithMessages(P, session.id);
    expect(full?.session).toMatchObject({ id: session.id, messageCount: 2 });
    expect(full?.messages.map((m) => m.content)).toEqual(['be brief', 'hi']);
  });

  it('get session with messages nonexistent returns none', async () => {
    const service = await makeService();
    expect(await service.getSessionWithMessages(P, 'nonexistent')).toBeNull();
  });

  it('get session stats requires project id', async () => {
    const service = await makeService();
    await expect(service.projectStats(undefined)).rejects.toBeInstanceOf(ValidationError);
  });

  it('get session stats for project', async () => {
    const service = await makeService();
    const a = await service.createSession(P, { title: 'a' });
    const b = await service.createSession(P, { title: 'b' });
    await service.createSession('elsewhere', { title: 'not counted' });
    await service.addMessage(P, a.id, { role: 'user', content: '1' });
    await service.addMessage(P, a.id, { role: 'assistant', content: '2' });
    const last = await service.addMessage(P, b.id, { role: 'user', content: '3' });
    await service.updateSession(P, b.id, { isActive: false });
    const stats = await service.projectStats(P);
    expect(stats).toMatchObject({
      projectId: P,
      totalSessions: 2,
      activeSessions: 1,
      inactiveSessions: 1,
      totalMessages: 3,
      messagesByRole: { user: 2, assistant: 1, system: 0, tool: 0 },
    });
    expect(stats.lastActivityAt! >= last.message.createdAt).toBe(true);
  });
});

describe('service rules', () => {
  it('isolates projects: a session of another project is not found, never hinted at', async () => {
    const service = await makeService();
    const session = await service.createSession('owner', { title: 'private' });
    expect(await service.getSession('intruder', session.id)).toBeNull();
    expect(await service.updateSession('intruder', session.id, { title: 'x' })).toBeNull();
    expect(await service.deleteSession('intruder', session.id, { force: true })).toBe(false);
    await expect(service.addMessage('intruder', session.id, { role: 'user', content: 'x' })).rejects.toThrow(
      new NotFoundError(`Session ${session.id} not found in project intruder`),
    );
    expect(await service.getSession('owner', session.id)).toMatchObject({ title: 'private', messageCount: 0 });
  });

  it('refuses a stale expectedVersion with ConflictError and changes nothing', async () => {
    const service = await makeService();
    const session = await service.createSession(P, { title: 'v1' });
    await service.updateSession(P, session.id, { title: 'v2', expectedVersion: 1 });
    await expect(service.updateSession(P, session.id, { title: 'stale', expectedVersion: 1 })).rejects.toBeInstanceOf(ConflictError);
    expect(await service.getSession(P, session.id)).toMatchObject({ title: 'v2', version: 2 });
  });

  it('validates session fields: trimmed title of 1..200, description up to 10 000, metadata an object of at most 16 KiB', async () => {
    const service = await makeService();
    expect((await service.createSession(P, { title: '  padded  ' })).title).toBe('padded');
    const bad = [
      { title: '   ' },
      { title: 'x'.repeat(201) },
      { title: 'ok', description: 'x'.repeat(10_001) },
      { title: 'ok', metadata: [] },
      { title: 'ok', metadata: 'text' },
      { title: 'ok', metadata: { big: 'x'.repeat(16 * 1024) } },
      { title: 42 },
      {},
    ];
    for (const input of bad) await expect(service.createSession(P, input)).rejects.toBeInstanceOf(ValidationError);
    expect(await service.listSessions(P)).toHaveLength(1);
  });

  it('bounds message content by MAX_MESSAGE_BYTES in UTF-8 bytes', async () => {
    const service = await makeService(10);
    const session = await service.createSession(P, { title: 't' });
    await service.addMessage(P, session.id, { role: 'user', content: '0123456789' });
    await expect(service.addMessage(P, session.id, { role: 'user', content: 'ééééé!' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses malformed ids before anything reaches the store', async () => {
    const service = await makeService();
    for (const bad of ['..', 'a/b', 'a\0b', 'x'.repeat(200), 'аbc', '-lead', '']) {
      await expect(service.createSession(bad, { title: 't' })).rejects.toBeInstanceOf(ValidationError);
      await expect(service.getSession(P, bad)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('pages messages as a connection whose cursors stay valid while the session grows', async () => {
    const service = await makeService();
    const created = await service.createSession(P, { title: 't' });
    for (let i = 1; i <= 5; i++) await service.addMessage(P, created.id, { role: 'user', content: `m${i}` });
    const page = async (args: ConnectionArgs) => {
      const session = (await service.getSession(P, created.id))!;
      const [result] = await service.branchPagesOf([{ session, ...args }]);
      if (result instanceof Error) throw result;
      return result!;
    };
    const newest = await page({ last: 2 });
    expect(newest.edges.map((e) => e.node.content)).toEqual(['m4', 'm5']);
    expect(newest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    for (let i = 6; i <= 7; i++) await service.addMessage(P, created.id, { role: 'user', content: `m${i}` });
    expect((await page({ first: 10, after: newest.pageInfo.endCursor })).edges.map((e) => e.node.content)).toEqual(['m6', 'm7']);
    const back = await page({ last: 2, before: newest.pageInfo.startCursor });
    expect(back.edges.map((e) => e.node.content)).toEqual(['m2', 'm3']);
    expect(back.totalCount).toBe(7);
    await expect(page({ after: 'not-a-cursor' })).rejects.toBeInstanceOf(ValidationError);
    await expect(page({ first: 1, last: 1 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('serves the good requests of a batch when one has bad arguments', async () => {
    const service = await makeService();
    const created = await service.createSession(P, { title: 't' });
    await service.addMessage(P, created.id, { role: 'user', content: 'only' });
    const session = (await service.getSession(P, created.id))!;
    const [good, bad] = await service.messagesOf([{ session, limit: 10 }, { session, limit: 0 }]);
    expect((good as Message[]).map((m) => m.content)).toEqual(['only']);
    expect(bad).toBeInstanceOf(ValidationError);
  });
});
