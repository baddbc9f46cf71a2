// The store contract: every backend runs this one suite (file now, PostgreSQL later), so they behave alike.
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import type { Message, MessageDraft, Role } from '../../src/domain/message.js';
import { newSession, type Session } from '../../src/domain/session.js';
import type { ChatStore } from '../../src/store/store.js';

export interface StoreHarness {
  store: ChatStore;
  /** Closes the store and opens a new one over the same data. */
  reopen: () => Promise<ChatStore>;
}

function sessionRecord(projectId: string, overrides: Partial<Session> = {}): Session {
  return { ...newSession(projectId, { title: 'A session' }), ...overrides };
}

function draft(content: string, role: Role = 'user', clientMessageId: string | null = null): MessageDraft {
  return { id: newId(), role, content, metadata: { n: content }, clientMessageId };
}

export function runStoreContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`store contract: ${name}`, () => {
    it('creates a session and reads it back by key; a missing key reads null', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p1', { title: 'Hello', description: 'd', metadata: { a: [1, { b: null }] } });
      await store.createSession(session);
      const [found, missing] = await store.getSessions([
        { projectId: 'p1', sessionId: session.id },
        { projectId: 'p1', sessionId: 'nope' },
      ]);
      expect(found).toEqual(session);
      expect(missing).toBeNull();
    });

    it('keeps sessions inside their project: any other project sees nothing', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p1');
      await store.createSession(session);
      const elsewhere = { projectId: 'p2', sessionId: session.id };
      expect(await store.getSessions([elsewhere])).toEqual([null]);
      expect(await store.listSessions('p2', { includeInactive: true })).toEqual([]);
      expect(await store.updateSession(elsewhere, (s) => ({ ...s, title: 'x' }))).toBeNull();
      expect(await store.deleteSession(elsewhere, () => undefined)).toBe(false);
      expect(await store.appendMessage(elsewhere, draft('x'))).toBeNull();
      expect(await store.readMessages([{ ...elsewhere, fromSeq: 1, toSeq: 10 }])).toEqual([[]]);
      expect((await store.projectStats(['p2']))[0]!.totalSessions).toBe(0);
      expect((await store.getSessions([{ projectId: 'p1', sessionId: session.id }]))[0]?.title).toBe('A session');
    });

    it('lists newest updatedAt first and leaves archived sessions out unless asked', async () => {
      const { store } = await makeHarness();
      const old = sessionRecord('p', { updatedAt: '2026-01-01T00:00:00.000Z' });
      const mid = sessionRecord('p', { updatedAt: '2026-01-02T00:00:00.000Z', isActive: false });
      const recent = sessionRecord('p', { updatedAt: '2026-01-03T00:00:00.000Z' });
      for (const s of [mid, old, recent]) await store.createSession(s);
      expect((await store.listSessions('p', { includeInactive: false })).map((s) => s.id)).toEqual([recent.id, old.id]);
      expect((await store.listSessions('p', { includeInactive: true })).map((s) => s.id)).toEqual([recent.id, mid.id, old.id]);
    });

    it('updates through a change function, and a change that throws writes nothing', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p');
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      const updated = await store.updateSession(key, (s) => ({ ...s, title: 'New', version: s.version + 1 }));
      expect(updated).toMatchObject({ title: 'New', version: 2 });
      await expect(
        store.updateSession(key, () => {
          throw new ConflictError('stale');
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await store.getSessions([key]))[0]).toMatchObject({ title: 'New', version: 2 });
    });

    it('deletes a session with its messages; a refusing check keeps everything', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p');
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      await store.appendMessage(key, draft('one'));
      await expect(
        store.deleteSession(key, () => {
          throw new ConflictError('has messages');
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await store.getSessions([key]))[0]?.messageCount).toBe(1);
      expect(await store.deleteSession(key, () => undefined)).toBe(true);
      expect(await store.getSessions([key])).toEqual([null]);
      expect(await store.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }])).toEqual([[]]);
      expect(await store.deleteSession(key, () => undefined)).toBe(false);
      expect(await store.appendMessage(key, draft('late'))).toBeNull();
    });

    it('appends with gap-free sequence numbers and keeps the counters with the session', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p');
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      const roles: Role[] = ['user', 'assistant', 'user', 'tool', 'system'];
      const results = [];
      for (const [i, role] of roles.entries()) results.push((await store.appendMessage(key, draft(`m${i}`, role)))!);
      expect(results.map((r) => r.message.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(results.every((r) => !r.deduplicated)).toBe(true);
      const createdAts = results.map((r) => r.message.createdAt);
      expect([...createdAts].sort()).toEqual(createdAts);
      const after = (await store.getSessions([key]))[0]!;
      expect(after.messageCount).toBe(5);
      expect(after.messagesByRole).toEqual({ user: 2, assistant: 1, system: 1, tool: 1 });
      expect(after.lastMessageAt).toBe(createdAts[4]);
      expect(after.updatedAt >= session.updatedAt).toBe(true);
      expect(after.version).toBe(1);
      expect(results[4]!.session.messageCount).toBe(5);
    });

    it('returns the original message for a repeated clientMessageId, sequentially and concurrently', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p');
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      const first = (await store.appendMessage(key, draft('hello', 'user', 'c-1')))!;
      const again = (await store.appendMessage(key, draft('hello (retry)', 'user', 'c-1')))!;
      expect(again.deduplicated).toBe(true);
      expect(again.message).toEqual(first.message);
      const racing = await Promise.all(Array.from({ length: 20 }, () => store.appendMessage(key, draft('race', 'user', 'c-2'))));
      expect(new Set(racing.map((r) => r!.message.id)).size).toBe(1);
      expect(racing.filter((r) => !r!.deduplicated)).toHaveLength(1);
      expect((await store.getSessions([key]))[0]!.messageCount).toBe(2);
    });

    it('keeps every repeat of a clientMessageId on its original among concurrent appends, and counts each message once', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p');
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      const stored = (await store.appendMessage(key, draft('stored', 'user', 'old')))!;
      // 60 at once: every third repeats the stored id; the rest are ten new ids, each sent several times.
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => store.appendMessage(key, draft(`n${i % 10}`, i % 2 ? 'assistant' : 'user', i % 3 === 0 ? 'old' : `new-${i % 10}`))),
      );
      const byClientId = new Map<string, { ids: Set<string>; added: number }>();
      for (const r of results) {
        const entry = byClientId.get(r!.message.clientMessageId!) ?? { ids: new Set(), added: 0 };
        entry.ids.add(r!.message.id);
        if (!r!.deduplicated) entry.added += 1;
        byClientId.set(r!.message.clientMessageId!, entry);
      }
      expect(byClientId.get('old')).toEqual({ ids: new Set([stored.message.id]), added: 0 });
      for (let k = 0; k < 10; k++) expect(byClientId.get(`new-${k}`)).toMatchObject({ added: 1, ids: expect.objectContaining({ size: 1 }) });
      const [after] = await store.getSessions([key]);
      expect(after).toMatchObject({ messageCount: 11, messagesByRole: { user: 6, assistant: 5, system: 0, tool: 0 } });
      const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 100 }]);
      expect(messages!.map((m) => m.sequence)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    });

    it('lands 200 concurrent appends to one session once each, in one sequence', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('p');
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.appendMessage(key, draft(`m${i}`))));
      expect(results.map((r) => r!.message.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 1000 }]);
      expect(messages!.map((m) => m.sequence)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(new Set(messages!.map((m) => m.content)).size).toBe(200);
    });

    it('keeps the sessions of concurrent appends to many sessions apart: own sequences, own client ids, counters, order', async () => {
      const { store } = await makeHarness();
      const sessions = Array.from({ length: 12 }, () => sessionRecord('p'));
      for (const session of sessions) await store.createSession(session);
      const keys = sessions.map((s) => ({ projectId: 'p', sessionId: s.id }));
      // Round-robin over the sessions; the same client ids in every session, each sent twice.
      const sends = Array.from({ length: 240 }, (_, i) => ({ key: keys[i % keys.length]!, n: Math.floor(i / keys.length) }));
      const results = await Promise.all(sends.map(({ key, n }) => store.appendMessage(key, draft(`m${n % 10}`, n % 3 ? 'user' : 'assistant', `c${n % 10}`))));
      for (const [i, key] of keys.entries()) {
        const mine = results.filter((_, j) => j % keys.length === i);
        expect(mine.every((r) => r!.message.sessionId === key.sessionId)).toBe(true);
        // The first ten sends made messages 1-10 in order; the next ten repeated their client ids.
        expect(mine.slice(0, 10).map((r) => [r!.deduplicated, r!.message.sequence])).toEqual(Array.from({ length: 10 }, (_, n) => [false, n + 1]));
        expect(mine.slice(10).map((r) => [r!.deduplicated, r!.message.sequence])).toEqual(Array.from({ length: 10 }, (_, n) => [true, n + 1]));
        const [session] = await store.getSessions([key]);
        expect(session).toMatchObject({ messageCount: 10, messagesByRole: { user: 6, assistant: 4, system: 0, tool: 0 } });
        const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 100 }]);
        expect(messages!.map((m) => m.content)).toEqual(Array.from({ length: 10 }, (_, n) => `m${n}`));
      }
    });

    it('reads ranges of several sessions in one call, clamped to what exists', async () => {
      const { store } = await makeHarness();
      const a = sessionRecord('p');
      const b = sessionRecord('p');
      await store.createSession(a);
      await store.createSession(b);
      for (let i = 1; i <= 7; i++) await store.appendMessage({ projectId: 'p', sessionId: a.id }, draft(`a${i}`));
      await store.appendMessage({ projectId: 'p', sessionId: b.id }, draft('b1'));
      const [pageA, pageB, past, missing] = await store.readMessages([
        { projectId: 'p', sessionId: a.id, fromSeq: 3, toSeq: 5 },
        { projectId: 'p', sessionId: b.id, fromSeq: 1, toSeq: 100 },
        { projectId: 'p', sessionId: a.id, fromSeq: 8, toSeq: 9 },
        { projectId: 'p', sessionId: 'absent', fromSeq: 1, toSeq: 2 },
      ]);
      expect(pageA!.map((m) => m.content)).toEqual(['a3', 'a4', 'a5']);
      expect(pageA![0]).toMatchObject({ projectId: 'p', sessionId: a.id, sequence: 3, role: 'user', metadata: { n: 'a3' }, clientMessageId: null });
      expect(pageB!.map((m) => m.content)).toEqual(['b1']);
      expect(past).toEqual([]);
      expect(missing).toEqual([]);
    });

    it('computes project stats from session counters', async () => {
      const { store } = await makeHarness();
      const a = sessionRecord('p');
      const b = sessionRecord('p', { isActive: false });
      await store.createSession(a);
      await store.createSession(b);
      await store.appendMessage({ projectId: 'p', sessionId: a.id }, draft('1', 'user'));
      const last = await store.appendMessage({ projectId: 'p', sessionId: b.id }, draft('2', 'assistant'));
      const [stats, empty] = await store.projectStats(['p', 'empty']);
      expect(stats).toEqual({
        projectId: 'p',
        totalSessions: 2,
        activeSessions: 1,
        inactiveSessions: 1,
        totalMessages: 2,
        messagesByRole: { user: 1, assistant: 1, system: 0, tool: 0 },
        lastActivityAt: last!.message.createdAt,
      });
      expect(empty).toMatchObject({ projectId: 'empty', totalSessions: 0, totalMessages: 0, lastActivityAt: null });
    });

    it('keeps everything across a close and reopen', async () => {
      const { store, reopen } = await makeHarness();
      const session = sessionRecord('p', { metadata: { keep: true } });
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      for (let i = 0; i < 5; i++) await store.appendMessage(key, draft(`m${i}`, 'assistant', `c${i}`));
      await store.updateSession(key, (s) => ({ ...s, title: 'Renamed', version: 2 }));
      const before = (await store.getSessions([key]))[0];
      const reopened = await reopen();
      expect((await reopened.getSessions([key]))[0]).toEqual(before);
      const [messages] = await reopened.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
      expect(messages!.map((m) => m.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      const retry = await reopened.appendMessage(key, draft('again', 'assistant', 'c3'));
      expect(retry).toMatchObject({ deduplicated: true, message: { sequence: 4, content: 'm3' } });
      await reopened.close();
    });

    it('imports a session with its messages exactly, once, and lists the projects', async () => {
      const { store } = await makeHarness();
      const session = sessionRecord('imported', { title: 'copied', activeLeafId: 'm2', messageCount: 2, lastMessageAt: '2024-01-01T00:00:01.000Z', messagesByRole: { user: 1, assistant: 1, system: 0, tool: 0 }, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:01.000Z' });
      const messages: Message[] = [
        { projectId: 'imported', sessionId: session.id, id: 'm1', sequence: 1, role: 'user' as const, content: 'hi ✨', metadata: { a: 1 }, createdAt: '2024-01-01T00:00:00.500Z', clientMessageId: 'c1', parentId: null },
        { projectId: 'imported', sessionId: session.id, id: 'm2', sequence: 2, role: 'assistant' as const, content: 'hello', metadata: {}, createdAt: '2024-01-01T00:00:01.000Z', clientMessageId: null, parentId: 'm1' },
      ];
      expect(await store.importSession(session, messages)).toBe(true);
      expect(await store.importSession(session, messages)).toBe(false);
      expect((await store.getSessions([{ projectId: 'imported', sessionId: session.id }]))[0]).toEqual(session);
      expect((await store.readMessages([{ projectId: 'imported', sessionId: session.id, fromSeq: 1, toSeq: 10 }]))[0]).toEqual(messages);
      const retry = await store.appendMessage({ projectId: 'imported', sessionId: session.id }, draft('again', 'user', 'c1'));
      expect(retry).toMatchObject({ deduplicated: true, message: { id: 'm1' } });
      const next = await store.appendMessage({ projectId: 'imported', sessionId: session.id }, draft('third'));
      expect(next?.message.sequence).toBe(3);
      expect(await store.listProjects()).toContain('imported');
    });
  });
}
