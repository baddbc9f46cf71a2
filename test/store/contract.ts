// The store contract: every backend runs this one suite (file now, PostgreSQL later), so they behave alike.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import type { Message, MessageDraft, ParentChoice } from '../../src/domain/message.js';
import type { Role } from '../../src/domain/roles.js';
import { newSession, type Session } from '../../src/domain/session.js';
import { placeOf } from '../../src/store/session-order.js';
import type { ChatStore, SessionPlace, SessionQuery, SessionsPage } from '../../src/store/store.js';

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

/** A draft following the named message (or another first message). */
function reply(content: string, parent: ParentChoice, clientMessageId: string | null = null): MessageDraft {
  return { ...draft(content, 'assistant', clientMessageId), parent };
}

const all = (length: number) => ({ from: 1, to: length });

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
        { projectId: 'imported', sessionId: session.id, id: 'm1', sequence: 1, role: 'user' as const, content: 'hi ✨', metadata: { a: 1 }, createdAt: '2024-01-01T00:00:00.500Z', clientMessageId: 'c1', parentId: null, status: 'complete', updatedAt: '2024-01-01T00:00:00.500Z', chunkCount: 0 },
        { projectId: 'imported', sessionId: session.id, id: 'm2', sequence: 2, role: 'assistant' as const, content: 'hello', metadata: {}, createdAt: '2024-01-01T00:00:01.000Z', clientMessageId: null, parentId: 'm1', status: 'incomplete', updatedAt: '2024-01-01T00:00:03.000Z', chunkCount: 3 },
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
      describe('conversation trees', () => {
      async function chain(store: ChatStore, n: number, projectId = 'p') {
        const session = sessionRecord(projectId);
        await store.createSession(session);
        const key = { projectId, sessionId: session.id };
        const ids: string[] = [];
        for (let i = 1; i <= n; i++) ids.push((await store.appendMessage(key, draft(`m${i}`)))!.message.id);
        return { key, ids };
      }
      const contents = (messages: Message[] | undefined) => messages!.map((m) => m.content);
      const path = async (store: ChatStore, key: { projectId: string; sessionId: string }, leafId: string | null = null) => {
        const [page] = await store.readBranches([{ ...key, leafId, window: all }]);
        return contents(page!.messages);
      };

      it('links appends without a parent into one chain, each the active leaf in turn', async () => {
        const { store } = await makeHarness();
        const { key, ids } = await chain(store, 4);
        const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
        expect(messages!.map((m) => m.parentId)).toEqual([null, ids[0], ids[1], ids[2]]);
        expect((await store.getSessions([key]))[0]!.activeLeafId).toBe(ids[3]);
        const [page] = await store.readBranches([{ ...key, leafId: null, window: all }]);
        expect(page).toMatchObject({ from: 1, length: 4, leafId: ids[3] });
        expect(contents(page!.messages)).toEqual(['m1', 'm2', 'm3', 'm4']);
        const links = await store.readLinks(messages!.map((m) => ({ ...key, sequence: m.sequence, id: m.id })));
        expect(links).toEqual(ids.map((id, i) => ({ siblingIds: [id], childCount: i < 3 ? 1 : 0 })));
      });

      it('keeps edits and regenerations as siblings, counts every branch, and follows the newest', async () => {
        const { store } = await makeHarness();
        const { key, ids } = await chain(store, 2);
        const regenerated = (await store.appendMessage(key, reply('m2 again', { kind: 'message', id: ids[0]! })))!;
        expect(regenerated.message).toMatchObject({ sequence: 3, parentId: ids[0] });
        expect(regenerated.session).toMatchObject({ messageCount: 3, activeLeafId: regenerated.message.id, messagesByRole: { user: 2, assistant: 1 } });
        const edited = (await store.appendMessage(key, reply('m1 edited', { kind: 'root' })))!;
        expect(edited.message).toMatchObject({ sequence: 4, parentId: null });
        const next = (await store.appendMessage(key, draft('after the edit')))!;
        expect(next.message.parentId).toBe(edited.message.id);
        expect(await path(store, key)).toEqual(['m1 edited', 'after the edit']);
        expect(await path(store, key, ids[1]!)).toEqual(['m1', 'm2']);
        expect(await path(store, key, regenerated.message.id)).toEqual(['m1', 'm2 again']);
        const [m1, m2] = (await store.readMessages([{ ...key, fromSeq: 1, toSeq: 2 }]))[0]!;
        const links = await store.readLinks([m1!, m2!, regenerated.message, edited.message].map((m) => ({ ...key, sequence: m.sequence, id: m.id })));
        expect(links).toEqual([
          { siblingIds: [ids[0], edited.message.id], childCount: 2 },
          { siblingIds: [ids[1], regenerated.message.id], childCount: 0 },
          { siblingIds: [ids[1], regenerated.message.id], childCount: 0 },
          { siblingIds: [ids[0], edited.message.id], childCount: 1 },
        ]);
        expect((await store.projectStats(['p']))[0]).toMatchObject({ totalMessages: 5 });
      });

      it('finds the newest message at or below each message, on the branch being written and off it', async () => {
        const { store } = await makeHarness();
        const { key, ids } = await chain(store, 4);
        const newest = async (messages: Message[]) => store.readNewestLeaves(messages.map((m) => ({ ...key, sequence: m.sequence, id: m.id })));
        // m2 regenerated (m2 again), then an answer to that: the newest message is on the new branch.
        const again = (await store.appendMessage(key, reply('m2 again', { kind: 'message', id: ids[0]! })))!.message;
        const after = (await store.appendMessage(key, draft('after m2 again')))!.message;
        const [m1, m2, m3, m4] = (await store.readMessages([{ ...key, fromSeq: 1, toSeq: 4 }]))[0]!;
        expect(await newest([m1!, m2!, m3!, m4!, again, after])).toEqual([after.id, m4!.id, m4!.id, m4!.id, after.id, after.id]);
        // The old branch written on: now its messages lead to the newest message, and the other branch ends where it did.
        const continued = (await store.appendMessage(key, reply('after m4', { kind: 'message', id: m4!.id })))!.message;
        expect(await newest([m1!, m2!, m4!, again, continued])).toEqual([continued.id, continued.id, continued.id, after.id, continued.id]);
        // A second first message (an edited opening) starts a tree of its own.
        const opening = (await store.appendMessage(key, reply('m1 edited', { kind: 'root' })))!.message;
        expect(await newest([m1!, opening])).toEqual([continued.id, opening.id]);
        expect(await store.readNewestLeaves([{ projectId: 'p', sessionId: 'missing', sequence: 1, id: 'x' }])).toEqual([null]);
      });

      it('pages any path both ways, by positions on it', async () => {
        const { store } = await makeHarness();
        const { key, ids } = await chain(store, 10);
        // A branch from message 5: 11..15 follow 5, 11, 12, ...
        let parent = ids[4]!;
        for (let i = 11; i <= 15; i++) parent = (await store.appendMessage(key, reply(`b${i}`, { kind: 'message', id: parent })))!.message.id;
        const read = async (leafId: string | null, from: number, to: number) => (await store.readBranches([{ ...key, leafId, window: () => ({ from, to }) }]))[0]!;
        const newest = await read(null, 8, 12);
        expect(newest).toMatchObject({ from: 8, length: 10, leafId: parent });
        expect(contents(newest.messages)).toEqual(['b13', 'b14', 'b15']);
        expect(contents((await read(null, 4, 7)).messages)).toEqual(['m4', 'm5', 'b11', 'b12']);
        expect(contents((await read(ids[9]!, 4, 7)).messages)).toEqual(['m4', 'm5', 'm6', 'm7']);
        expect((await read(ids[9]!, 9, 20)).messages.map((m) => m.sequence)).toEqual([9, 10]);
        expect((await read(ids[2]!, 1, 100)).length).toBe(3);
        expect(await store.readBranches([{ ...key, leafId: 'absent', window: all }, { projectId: 'p', sessionId: 'absent', leafId: null, window: all }])).toEqual([null, null]);
      });

      it('switches the active leaf to any message; appends then follow it; a stale change or a foreign message writes nothing', async () => {
        const { store } = await makeHarness();
        const { key, ids } = await chain(store, 3);
        const other = await chain(store, 1);
        const switched = await store.setActiveLeaf(key, ids[0]!, (s) => ({ ...s, version: s.version + 1 }));
        expect(switched).toMatchObject({ activeLeafId: ids[0], version: 2, messageCount: 3 });
        expect(await path(store, key)).toEqual(['m1']);
        const next = (await store.appendMessage(key, draft('from m1')))!;
        expect(next.message.parentId).toBe(ids[0]);
        await expect(store.setActiveLeaf(key, ids[2]!, () => { throw new ConflictError('stale'); })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.setActiveLeaf(key, other.ids[0]!, (s) => s)).rejects.toBeInstanceOf(NotFoundError);
        expect((await store.getSessions([key]))[0]).toMatchObject({ activeLeafId: next.message.id, version: 2 });
        expect(await store.setActiveLeaf({ projectId: 'p', sessionId: 'absent' }, ids[0]!, (s) => s)).toBeNull();
        expect(await store.setActiveLeaf({ projectId: 'elsewhere', sessionId: key.sessionId }, ids[0]!, (s) => s)).toBeNull();
      });

      it('refuses a parent from another session, writing nothing, and keeps the batch around it', async () => {
        const { store } = await makeHarness();
        const { key } = await chain(store, 2);
        const other = await chain(store, 1);
        const results = await Promise.allSettled([
          store.appendMessage(key, draft('before')),
          store.appendMessage(key, reply('foreign', { kind: 'message', id: other.ids[0]! })),
          store.appendMessage(key, draft('after')),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
        expect((await store.getSessions([key]))[0]!.messageCount).toBe(4);
        expect(await path(store, key)).toEqual(['m1', 'm2', 'before', 'after']);
        expect((await store.getSessions([other.key]))[0]!.messageCount).toBe(1);
      });

      it('chains concurrent appends without a parent, each after the one before it in sequence', async () => {
        const { store } = await makeHarness();
        const { key } = await chain(store, 1);
        await Promise.all(Array.from({ length: 40 }, (_, i) => store.appendMessage(key, draft(`c${i}`))));
        const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 100 }]);
        expect(messages!.map((m) => m.parentId)).toEqual(messages!.map((_, i) => (i === 0 ? null : messages![i - 1]!.id)));
        expect((await store.readBranches([{ ...key, leafId: null, window: all }]))[0]!.length).toBe(41);
      });

      it('deduplicates a retried clientMessageId on a branch, whatever parent the retry names', async () => {
        const { store } = await makeHarness();
        const { key, ids } = await chain(store, 2);
        const first = (await store.appendMessage(key, reply('alt', { kind: 'message', id: ids[0]! }, 'alt-1')))!;
        const retry = (await store.appendMessage(key, reply('alt', { kind: 'root' }, 'alt-1')))!;
        expect(retry).toMatchObject({ deduplicated: true, message: { id: first.message.id, parentId: ids[0] } });
        expect((await store.getSessions([key]))[0]!.messageCount).toBe(3);
      });

      it('keeps the tree and the active leaf across a reopen, and imports a tree exactly', async () => {
        const { store, reopen } = await makeHarness();
        const { key, ids } = await chain(store, 3);
        const alt = (await store.appendMessage(key, reply('alt', { kind: 'message', id: ids[0]! })))!;
        await store.setActiveLeaf(key, ids[2]!, (s) => ({ ...s, version: s.version + 1 }));
        const before = (await store.getSessions([key]))[0]!;
        const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
        const reopened = await reopen();
        expect((await reopened.getSessions([key]))[0]).toEqual(before);
        expect((await reopened.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]))[0]).toEqual(messages);
        expect(await path(reopened, key)).toEqual(['m1', 'm2', 'm3']);
        expect((await reopened.readLinks([{ ...key, sequence: alt.message.sequence, id: alt.message.id }]))[0]!.siblingIds).toEqual([ids[1], alt.message.id]);
        const copy = { ...before, id: newId(), projectId: 'copy' };
        const copied = messages!.map((m) => ({ ...m, projectId: 'copy', sessionId: copy.id }));
        expect(await reopened.importSession(copy, copied)).toBe(true);
        const copyKey = { projectId: 'copy', sessionId: copy.id };
        expect((await reopened.readMessages([{ ...copyKey, fromSeq: 1, toSeq: 10 }]))[0]).toEqual(copied);
        expect(await path(reopened, copyKey)).toEqual(['m1', 'm2', 'm3']);
        expect(await path(reopened, copyKey, alt.message.id)).toEqual(['m1', 'alt']);
        expect((await reopened.appendMessage(copyKey, draft('m4')))!.message.parentId).toBe(ids[2]);
        await reopened.close();
      });
    });
    describe('streamed messages', () => {
      const MAX = 64;
      async function started(store: ChatStore, content = 'Hi: ', projectId = 'p') {
        const session = sessionRecord(projectId);
        await store.createSession(session);
        const key = { projectId, sessionId: session.id };
        const prompt = (await store.appendMessage(key, draft('question')))!.message;
        const start = (await store.appendMessage(key, { ...draft(content, 'assistant', 'stream-1'), streaming: true }))!;
        return { key, prompt, start, ref: { ...key, messageId: start.message.id } };
      }
      const chunk = (ref: { projectId: string; sessionId: string; messageId: string }, index: number, text: string, maxBytes = MAX) =>
        ({ ...ref, index, chunk: text, maxBytes });

      it('starts a STREAMING message at once, takes chunks in order, answers a repeat without change and refuses a gap', async () => {
        const { store } = await makeHarness();
        const { key, prompt, start, ref } = await started(store);
        expect(start.message).toMatchObject({ status: 'streaming', sequence: 2, parentId: prompt.id, content: 'Hi: ', chunkCount: 0 });
        expect(start.session.activeLeafId).toBe(start.message.id);
        expect(await store.appendChunk(chunk(ref, 0, 'one '))).toMatchObject({ appended: true, message: { content: 'Hi: one ', chunkCount: 1, status: 'streaming' } });
        expect(await store.appendChunk(chunk(ref, 1, 'two '))).toMatchObject({ appended: true, message: { content: 'Hi: one two ', chunkCount: 2 } });
        expect(await store.appendChunk(chunk(ref, 1, 'TWO '))).toMatchObject({ appended: false, message: { content: 'Hi: one two ', chunkCount: 2 } });
        await expect(store.appendChunk(chunk(ref, 3, 'four'))).rejects.toThrow(ConflictError);
        await expect(store.appendChunk(chunk(ref, 3, 'four'))).rejects.toThrow(/expects chunk 2/);
        await expect(store.appendChunk(chunk(ref, 2, 'x'.repeat(MAX)))).rejects.toThrow(ValidationError);
        // A user message may follow while the answer streams; every read shows the content so far.
        await store.appendMessage(key, reply('aside', { kind: 'message', id: prompt.id }));
        const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
        expect(messages!.map((m) => [m.content, m.status])).toEqual([['question', 'complete'], ['Hi: one two ', 'streaming'], ['aside', 'complete']]);
        const [branch] = await store.readBranches([{ ...key, leafId: start.message.id, window: all }]);
        expect(branch!.messages.map((m) => m.content)).toEqual(['question', 'Hi: one two ']);
        expect(branch!.messages[1]!.updatedAt >= start.message.createdAt).toBe(true);
        expect(await store.readChunks(ref, -1)).toMatchObject({ message: { chunkCount: 2 }, chunks: [{ index: 0, chunk: 'one ' }, { index: 1, chunk: 'two ' }] });
        expect((await store.readChunks(ref, 0))!.chunks).toEqual([{ index: 1, chunk: 'two ' }]);
        const retry = (await store.appendMessage(key, { ...draft('again', 'assistant', 'stream-1'), streaming: true }))!;
        expect(retry).toMatchObject({ deduplicated: true, message: { id: start.message.id, content: 'Hi: one two ', status: 'streaming' } });
      });

      it('reads a message that opens a long conversation as it is now, before and after it finishes', async () => {
        const { store } = await makeHarness();
        const { key, ref } = await started(store, '');
        await store.appendChunk(chunk(ref, 0, 'first '));
        // Enough after it that the opening messages are no longer among the newest a store keeps at hand.
        for (let i = 0; i < 300; i++) await store.appendMessage(key, draft(`later ${i}`));
        const opening = async () => (await store.readMessages([{ ...key, fromSeq: 1, toSeq: 4 }]))[0]!.map((m) => [m.sequence, m.content, m.status]);
        expect(await opening()).toEqual([[1, 'question', 'complete'], [2, 'first ', 'streaming'], [3, 'later 0', 'complete'], [4, 'later 1', 'complete']]);
        await store.appendChunk(chunk(ref, 1, 'second'));
        expect((await opening())[1]).toEqual([2, 'first second', 'streaming']);
        await store.finishMessage({ ...ref, status: 'complete', metadata: {} });
        expect((await opening())[1]).toEqual([2, 'first second', 'complete']);
        const [branch] = await store.readBranches([{ ...key, leafId: null, window: () => ({ from: 1, to: 2 }) }]);
        expect(branch!.messages.map((m) => [m.content, m.status])).toEqual([['question', 'complete'], ['first second', 'complete']]);
      });

      it('finishes once: the content whole, metadata merged, the same finish again a success, any other a conflict', async () => {
        const { store, reopen } = await makeHarness();
        const { key, ref } = await started(store, '');
        for (const [i, text] of ['a', 'bé', '✨c'].entries()) await store.appendChunk(chunk(ref, i, text));
        const done = (await store.finishMessage({ ...ref, status: 'complete', metadata: { model: 'm', usage: { out: 3 } } }))!;
        expect(done).toMatchObject({ changed: true, message: { status: 'complete', content: 'abé✨c', chunkCount: 3, metadata: { n: '', model: 'm', usage: { out: 3 } } } });
        expect(await store.finishMessage({ ...ref, status: 'complete', metadata: {} })).toMatchObject({ changed: false, message: { status: 'complete' } });
        await expect(store.finishMessage({ ...ref, status: 'incomplete', metadata: {} })).rejects.toThrow(ConflictError);
        await expect(store.appendChunk(chunk(ref, 3, 'late'))).rejects.toThrow(ConflictError);
        expect((await store.readChunks(ref, 0))!.chunks).toEqual([{ index: 1, chunk: 'bé' }, { index: 2, chunk: '✨c' }]);
        await store.appendMessage(key, draft('next'));
        const [before] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
        const reopened = await reopen();
        const [after] = await reopened.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
        expect(after).toEqual(before);
        expect(after!.map((m) => [m.content, m.status])).toEqual([['question', 'complete'], ['abé✨c', 'complete'], ['next', 'complete']]);
        expect((await reopened.readMessages([{ ...key, fromSeq: 2, toSeq: 2 }]))[0]![0]).toEqual(before![1]);
        expect((await reopened.readChunks(ref, -1))!.chunks.map((c) => c.chunk)).toEqual(['a', 'bé', '✨c']);
        await reopened.close();
      });

      it('answers NotFound for a message of another session, null without the session, and Conflict for a message written whole', async () => {
        const { store } = await makeHarness();
        const { key, prompt, ref } = await started(store);
        const other = await started(store);
        await expect(store.appendChunk(chunk({ ...other.key, messageId: ref.messageId }, 0, 'x'))).rejects.toThrow(NotFoundError);
        await expect(store.finishMessage({ ...other.key, messageId: ref.messageId, status: 'complete', metadata: {} })).rejects.toThrow(NotFoundError);
        await expect(store.readChunks({ ...other.key, messageId: ref.messageId }, -1)).rejects.toThrow(NotFoundError);
        expect(await store.appendChunk(chunk({ projectId: 'p', sessionId: 'gone', messageId: ref.messageId }, 0, 'x'))).toBeNull();
        await expect(store.appendChunk(chunk({ ...key, messageId: prompt.id }, 0, 'x'))).rejects.toThrow(ConflictError);
        expect(await store.finishMessage({ ...key, messageId: prompt.id, status: 'complete', metadata: {} })).toMatchObject({ changed: false });
      });

      it('keeps acknowledged chunks across a reopen, and the stream goes on', async () => {
        const { store, reopen } = await makeHarness();
        const { key, ref } = await started(store);
        await store.appendChunk(chunk(ref, 0, 'one '));
        await store.appendChunk(chunk(ref, 1, 'two '));
        const reopened = await reopen();
        const [messages] = await reopened.readMessages([{ ...key, fromSeq: 2, toSeq: 2 }]);
        expect(messages![0]).toMatchObject({ status: 'streaming', content: 'Hi: one two ', chunkCount: 2 });
        expect(await reopened.appendChunk(chunk(ref, 1, 'two '))).toMatchObject({ appended: false });
        expect(await reopened.appendChunk(chunk(ref, 2, 'three'))).toMatchObject({ appended: true, message: { content: 'Hi: one two three' } });
        expect(await reopened.finishMessage({ ...ref, status: 'complete', metadata: {} })).toMatchObject({ message: { content: 'Hi: one two three', chunkCount: 3 } });
        await reopened.close();
      });

      it('ends idle streams as INCOMPLETE with what arrived, and leaves streams that are not idle', async () => {
        const { store } = await makeHarness();
        const idle = await started(store);
        await store.appendChunk(chunk(idle.ref, 0, 'partial'));
        const empty = await started(store, 'nothing yet');
        await new Promise((resolve) => setTimeout(resolve, 30));
        const cutoff = Date.now() - 5;
        const busy = await started(store);
        await store.appendChunk(chunk(busy.ref, 0, 'fresh'));
        const ended = await store.finishIdleStreams(cutoff);
        expect(ended.map((m) => [m.id, m.status, m.content]).sort()).toEqual(
          [[idle.ref.messageId, 'incomplete', 'Hi: partial'], [empty.ref.messageId, 'incomplete', 'nothing yet']].sort(),
        );
        expect(await store.finishIdleStreams(cutoff)).toEqual([]);
        const [still] = await store.readMessages([{ ...busy.key, fromSeq: 2, toSeq: 2 }]);
        expect(still![0]).toMatchObject({ status: 'streaming', content: 'Hi: fresh' });
        await expect(store.appendChunk(chunk(idle.ref, 1, 'late'))).rejects.toThrow(ConflictError);
      });

      it('ends a stream left open in a trashed session once the session is restored and the stream is idle', async () => {
        const { store } = await makeHarness();
        const { key, ref } = await started(store);
        await store.appendChunk(chunk(ref, 0, 'half'));
        await store.deleteSession(key, () => undefined, { deletedAt: new Date().toISOString() });
        const later = Date.now() + 1000;
        expect(await store.finishIdleStreams(later)).toEqual([]);
        await store.restoreSession(key);
        const [ended] = await store.finishIdleStreams(later);
        expect(ended).toMatchObject({ id: ref.messageId, status: 'incomplete', content: 'Hi: half' });
      });

      it('keeps 20 concurrent streams in many sessions apart, each chunk once and in order', async () => {
        const { store } = await makeHarness();
        const streams = await Promise.all(Array.from({ length: 20 }, () => started(store, '')));
        await Promise.all(
          streams.map(async ({ ref }, s) => {
            for (let i = 0; i < 10; i++) await store.appendChunk(chunk(ref, i, `${s}.${i} `, 4096));
          }),
        );
        for (const [s, { ref }] of streams.entries()) {
          const done = (await store.finishMessage({ ...ref, status: 'complete', metadata: {} }))!;
          expect(done.message.content).toBe(Array.from({ length: 10 }, (_, i) => `${s}.${i} `).join(''));
        }
      });
    });
    describe('keeping sessions in order', () => {
      const query = (projectId: string, overrides: Partial<SessionQuery> = {}): SessionQuery => ({
        projectId,
        filter: { includeInactive: false, onlyInactive: false, tags: [], pinned: null, mine: null, titleContains: null },
        order: 'updatedAt',
        pinnedFirst: true,
        after: null,
        limit: 50,
        ...overrides,
      });
      const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
      async function project(store: ChatStore) {
        const projectId = `o${newId()}`;
        const rows = [
          { title: 'Banana', updatedAt: at(5), createdAt: at(1), lastMessageAt: at(4), pinned: false, tags: ['Work', 'urgent'], createdBy: 'ann', isActive: true },
          { title: 'apple', updatedAt: at(3), createdAt: at(2), lastMessageAt: null, pinned: true, tags: ['work'], createdBy: 'bob', isActive: true },
          { title: 'Cherry pie', updatedAt: at(9), createdAt: at(3), lastMessageAt: at(8), pinned: false, tags: [], createdBy: null, isActive: true },
          { title: 'date', updatedAt: at(7), createdAt: at(4), lastMessageAt: at(6), pinned: false, tags: ['WORK'], createdBy: 'ann', isActive: false },
          { title: 'elder', updatedAt: at(7), createdAt: at(5), lastMessageAt: at(2), pinned: true, tags: ['home'], createdBy: 'ann', isActive: true },
        ];
        const sessions: Session[] = [];
        for (const row of rows) {
          const session = sessionRecord(projectId, row);
          await store.createSession(session);
          sessions.push(session);
        }
        return { projectId, titles: (page: { sessions: Session[] }) => page.sessions.map((s) => s.title) };
      }

      it('orders pinned first, then by each order, ties by id; without pinnedFirst by the order alone', async () => {
        const { store } = await makeHarness();
        const { projectId, titles } = await project(store);
        expect(titles(await store.querySessions(query(projectId)))).toEqual(['elder', 'apple', 'Cherry pie', 'Banana']);
        expect(titles(await store.querySessions(query(projectId, { pinnedFirst: false })))).toEqual(['Cherry pie', 'elder', 'Banana', 'apple']);
        expect(titles(await store.querySessions(query(projectId, { order: 'createdAt', pinnedFirst: false })))).toEqual(['elder', 'Cherry pie', 'apple', 'Banana']);
        expect(titles(await store.querySessions(query(projectId, { order: 'lastMessageAt', pinnedFirst: false })))).toEqual(['Cherry pie', 'Banana', 'elder', 'apple']);
        expect(titles(await store.querySessions(query(projectId, { order: 'title', pinnedFirst: false })))).toEqual(['apple', 'Banana', 'Cherry pie', 'elder']);
        expect(titles(await store.querySessions(query(projectId, { order: 'title' })))).toEqual(['apple', 'elder', 'Banana', 'Cherry pie']);
      });

      it('filters by archived state, tags (all of them, any case), pinned, creator and part of the title', async () => {
        const { store } = await makeHarness();
        const { projectId, titles } = await project(store);
        const filtered = async (filter: Partial<SessionQuery['filter']>) =>
          titles(await store.querySessions(query(projectId, { pinnedFirst: false, order: 'title', filter: { ...query(projectId).filter, ...filter } })));
        expect(await filtered({ includeInactive: true })).toEqual(['apple', 'Banana', 'Cherry pie', 'date', 'elder']);
        expect(await filtered({ onlyInactive: true })).toEqual(['date']);
        expect(await filtered({ tags: ['work'] })).toEqual(['apple', 'Banana']);
        expect(await filtered({ tags: ['work', 'urgent'], includeInactive: true })).toEqual(['Banana']);
        expect(await filtered({ pinned: true })).toEqual(['apple', 'elder']);
        expect(await filtered({ pinned: false })).toEqual(['Banana', 'Cherry pie']);
        expect(await filtered({ mine: { createdBy: 'ann' } })).toEqual(['Banana', 'elder']);
        expect(await filtered({ mine: { createdBy: null } })).toEqual(['Cherry pie']);
        expect(await filtered({ titleContains: 'an' })).toEqual(['Banana']);
        expect(await filtered({ titleContains: 'Y P'.toLowerCase() })).toEqual(['Cherry pie']);
        const page = await store.querySessions(query(projectId, { filter: { ...query(projectId).filter, tags: ['work'] }, limit: 1 }));
        expect(page).toMatchObject({ totalCount: 2, hasNextPage: true });
      });

      it('pages by keyset: every session once, in order, also while sessions change between pages', async () => {
        const { store } = await makeHarness();
        const { projectId } = await project(store);
        for (const order of ['updatedAt', 'createdAt', 'lastMessageAt', 'title'] as const) {
          for (const pinnedFirst of [true, false]) {
            const whole = (await store.querySessions(query(projectId, { order, pinnedFirst, filter: { ...query(projectId).filter, includeInactive: true } }))).sessions.map((s) => s.id);
            const seen: string[] = [];
            let after: SessionPlace | null = null;
            for (let i = 0; i < 10; i++) {
              const page: SessionsPage = await store.querySessions(query(projectId, { order, pinnedFirst, after, limit: 2, filter: { ...query(projectId).filter, includeInactive: true } }));
              seen.push(...page.sessions.map((s) => s.id));
              if (!page.hasNextPage) break;
              after = placeOf(page.sessions.at(-1)!, order);
            }
            expect(seen, `${order} ${pinnedFirst}`).toEqual(whole);
          }
        }
        // A session created after the first page was read, ahead of it in the order, is not shown again or shifted in.
        const first = await store.querySessions(query(projectId, { limit: 2, pinnedFirst: false }));
        expect(first.sessions.map((s) => s.title)).toEqual(['Cherry pie', 'elder']);
        await store.createSession(sessionRecord(projectId, { title: 'newest', updatedAt: at(30) }));
        const second = await store.querySessions(query(projectId, { limit: 10, pinnedFirst: false, after: placeOf(first.sessions.at(-1)!, 'updatedAt') }));
        expect(second.sessions.map((s) => s.title)).toEqual(['Banana', 'apple']);
      });

      it('counts tags case-insensitively, most used first, spelled as on the most recently updated session; all kept across a reopen', async () => {
        const { store: first, reopen } = await makeHarness();
        const { projectId } = await project(first);
        const before = await first.querySessions(query(projectId, { filter: { ...query(projectId).filter, includeInactive: true } }));
        const store = await reopen();
        expect(await store.querySessions(query(projectId, { filter: { ...query(projectId).filter, includeInactive: true } }))).toEqual(before);
        expect(before.sessions.map((s) => [s.pinned, s.tags, s.createdBy])).toContainEqual([false, ['Work', 'urgent'], 'ann']);
        expect(await store.tagCounts(projectId)).toEqual([
          { tag: 'WORK', count: 3 },
          { tag: 'home', count: 1 },
          { tag: 'urgent', count: 1 },
        ]);
        expect(await store.tagCounts('nobody')).toEqual([]);
        await store.close();
      });
    });
    describe('trash', () => {
      it('takes a trashed session away from every reader, lists it, restores it whole, and erases it for good', async () => {
        const { store, reopen } = await makeHarness();
        const session = sessionRecord('t', { tags: ['kept'], pinned: true });
        await store.createSession(session);
        const key = { projectId: 't', sessionId: session.id };
        await store.appendMessage(key, draft('one'));
        await store.appendMessage(key, draft('two'));
        const before = (await store.getSessions([key]))[0]!;
        const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
        expect(await store.deleteSession(key, () => undefined, { deletedAt: '2026-01-02T00:00:00.000Z' })).toBe(true);
        expect(await store.getSessions([key])).toEqual([null]);
        expect(await store.listSessions('t', { includeInactive: true })).toEqual([]);
        expect((await store.projectStats(['t']))[0]).toMatchObject({ totalSessions: 0, totalMessages: 0 });
        expect(await store.appendMessage(key, draft('three'))).toBeNull();
        expect(await store.updateSession(key, (s) => s)).toBeNull();
        const [branch] = await store.readBranches([{ ...key, leafId: null, window: all }]);
        expect(branch).toBeNull();
        expect((await store.querySessions({ projectId: 't', filter: { includeInactive: true, onlyInactive: false, tags: [], pinned: null, mine: null, titleContains: null }, order: 'updatedAt', pinnedFirst: true, after: null, limit: 10 })).totalCount).toBe(0);
        expect(await store.tagCounts('t')).toEqual([]);
        expect(await store.deleteSession(key, () => undefined, { deletedAt: '2026-01-03T00:00:00.000Z' })).toBe(false);
        expect(await store.listTrash('t')).toEqual([{ session: before, deletedAt: '2026-01-02T00:00:00.000Z' }]);

        // Kept across a restart, and brought back whole.
        const reopened = await reopen();
        expect((await reopened.listTrash('t')).map((t) => t.session.id)).toEqual([session.id]);
        expect(await reopened.restoreSession(key)).toEqual(before);
        expect(await reopened.restoreSession(key)).toBeNull();
        expect(await reopened.listTrash('t')).toEqual([]);
        expect((await reopened.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]))[0]).toEqual(messages);
        expect((await reopened.appendMessage(key, draft('three')))!.message.sequence).toBe(3);

        // Erased for good.
        await reopened.deleteSession(key, () => undefined, { deletedAt: '2026-01-04T00:00:00.000Z' });
        expect(await reopened.purgeSession(key)).toBe(true);
        expect(await reopened.purgeSession(key)).toBe(false);
        expect(await reopened.listTrash('t')).toEqual([]);
        expect(await reopened.restoreSession(key)).toBeNull();
        expect(await reopened.purgeSession({ projectId: 't', sessionId: 'never' })).toBe(false);
        await reopened.close();
      });

      it('lists the trash most recently deleted first, per project', async () => {
        const { store } = await makeHarness();
        const ids: string[] = [];
        for (const [i, at] of ['2026-01-02T00:00:00.000Z', '2026-01-05T00:00:00.000Z', '2026-01-03T00:00:00.000Z'].entries()) {
          const session = sessionRecord('u', { title: `s${i}` });
          await store.createSession(session);
          ids.push(session.id);
          await store.deleteSession({ projectId: 'u', sessionId: session.id }, () => undefined, { deletedAt: at });
        }
        expect((await store.listTrash('u')).map((t) => t.session.title)).toEqual(['s1', 's2', 's0']);
        expect(await store.listTrash('elsewhere')).toEqual([]);
        expect(await store.restoreSession({ projectId: 'elsewhere', sessionId: ids[0]! })).toBeNull();
      });
    });
    it('keeps share links: found by token hash, listed newest first, revoked once, across a reopen', async () => {
      const { store, reopen } = await makeHarness();
      const session = sessionRecord('sh');
      await store.createSession(session);
      const link = (n: number) => ({
        id: `link${n}`,
        projectId: 'sh',
        sessionId: session.id,
        leafId: null,
        tokenHash: `${n}`.repeat(64).slice(0, 64),
        createdAt: `2026-01-0${n}T00:00:00.000Z`,
        expiresAt: null,
        createdBy: n === 1 ? 'ann' : null,
        revokedAt: null,
      });
      await store.createShareLink(link(1));
      await store.createShareLink(link(2));
      expect(await store.findShareLink(link(1).tokenHash)).toEqual(link(1));
      expect(await store.findShareLink('f'.repeat(64))).toBeNull();
      expect((await store.listShareLinks('sh')).map((l) => l.id)).toEqual(['link2', 'link1']);
      expect(await store.listShareLinks('other')).toEqual([]);
      expect(await store.revokeShareLink('other', 'link1', '2026-02-01T00:00:00.000Z')).toBe(false);
      expect(await store.revokeShareLink('sh', 'link1', '2026-02-01T00:00:00.000Z')).toBe(true);
      expect(await store.revokeShareLink('sh', 'link1', '2026-02-02T00:00:00.000Z')).toBe(false);
      const reopened = await reopen();
      expect(await reopened.findShareLink(link(1).tokenHash)).toEqual({ ...link(1), revokedAt: '2026-02-01T00:00:00.000Z' });
      expect((await reopened.listShareLinks('sh')).map((l) => l.id)).toEqual(['link2', 'link1']);
      await reopened.close();
    });
});
}
