// The search contract: every store runs it, against ground truth this file computes itself from the messages it
// wrote (whole words, case and accents folded, the last word a prefix, phrases, exclusions, every filter).
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { emptyRoleCounts, type Message } from '../../src/domain/message.js';
import type { Role } from '../../src/domain/roles.js';
import { newSession, type Session } from '../../src/domain/session.js';
import { parseSearchQuery } from '../../src/search/query.js';
import type { ChatStore, SearchMatch, SearchScope } from '../../src/store/store.js';
import type { StoreHarness } from './contract.js';

const ROLES: Role[] = ['user', 'assistant', 'system', 'tool'];
const VOCABULARY = ['refund', 'policy', 'Café', 'CAFÉ', 'cafe', 'naïve', 'Zürich', 'order', 'orders', 'shipping', 'delay', 'invoice', 'ticket', 'alpha', 'beta', 'gamma'];
const DAY = 86_400_000;
const BASE = Date.parse('2025-03-01T00:00:00.000Z');

/** The test's own idea of a word: letters and digits, accents and case folded. */
function wordsOf(text: string): string[] {
  return (text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.normalize('NFKC'));
}

interface Doc {
  sessionId: string;
  sequence: number | null;
  text: string;
  role: Role | null;
  at: number;
  active: boolean;
}

/** Ground truth for a query given as lists of words: `all` words (last one a prefix when `prefix`), `phrases`, `none`. */
function expected(docs: Doc[], q: { all?: readonly string[]; prefix?: boolean; phrases?: string[][]; none?: string[] }, scope: Partial<SearchScope> = {}): string[] {
  return docs
    .filter((doc) => {
      if (!doc.active && !scope.includeInactive) return false;
      if (scope.roles && (doc.role === null || !scope.roles.includes(doc.role))) return false;
      if (scope.sessionIds && !scope.sessionIds.includes(doc.sessionId)) return false;
      if (scope.since && doc.at < Date.parse(scope.since)) return false;
      if (scope.until && doc.at >= Date.parse(scope.until)) return false;
      const words = wordsOf(doc.text);
      const all = q.all ?? [];
      const ok = all.every((w, i) => (i === all.length - 1 && q.prefix ? words.some((x) => x.startsWith(w)) : words.includes(w)));
      const phrases = (q.phrases ?? []).every((p) => words.some((_, i) => p.every((w, k) => words[i + k] === w)));
      const none = (q.none ?? []).every((w) => !words.includes(w));
      return ok && phrases && none;
    })
    .map(keyOf);
}

const keyOf = (hit: { sessionId: string; sequence: number | null }) => `${hit.sessionId}#${hit.sequence ?? 'title'}`;

const everyScope: SearchScope = { roles: null, sessionIds: null, since: null, until: null, includeInactive: false };

/** Every hit of a search, page by page. */
async function searchAll(store: ChatStore, projectId: string, query: string, scope: Partial<SearchScope> = {}, limit = 7): Promise<SearchMatch[]> {
  const hits: SearchMatch[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await store.search({ projectId, expression: parseSearchQuery(query), scope: { ...everyScope, ...scope }, offset, limit });
    hits.push(...page.matches);
    expect(page.matches.length).toBeLessThanOrEqual(limit);
    if (!page.hasNextPage) return hits;
  }
}

/** Waits until the store answers searches (an index catching up answers SEARCH_CATCHING_UP meanwhile). */
export async function searchReady(store: ChatStore, projectId = 'p'): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await store.search({ projectId, expression: parseSearchQuery('x'), scope: everyScope, offset: 0, limit: 1 });
      return;
    } catch (error) {
      if ((error as Error).name !== 'SearchCatchingUpError' || i > 600) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function message(session: Session, sequence: number, parentId: string | null, role: Role, content: string, at: number): Message {
  const createdAt = new Date(at).toISOString();
  return { projectId: session.projectId, sessionId: session.id, id: newId(), sequence, role, content, metadata: {}, createdAt, clientMessageId: null, parentId, status: 'complete', updatedAt: createdAt, chunkCount: 0 };
}

/** Writes sessions of pseudo-random messages through importSession (so their times are spread over days). */
async function corpus(store: ChatStore, projectId: string, sessions: number, perSession: number): Promise<Doc[]> {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const docs: Doc[] = [];
  for (let s = 0; s < sessions; s++) {
    const createdAt = new Date(BASE + s * DAY).toISOString();
    const title = s % 5 === 0 ? `Trip to Zürich ${s}` : `Session ${s}`;
    const base = { ...newSession(projectId, { title }), createdAt, updatedAt: createdAt };
    const messages: Message[] = [];
    for (let i = 1; i <= perSession; i++) {
      const words = Array.from({ length: 3 + Math.floor(random() * 8) }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]!);
      const at = BASE + s * DAY + i * 60_000;
      messages.push(message(base, i, messages.at(-1)?.id ?? null, ROLES[i % 4]!, `${words.join(' ')}.`, at));
    }
    const last = messages.at(-1)!;
    const isActive = s % 7 !== 3;
    const session: Session = { ...base, isActive, messageCount: perSession, lastMessageAt: last.createdAt, updatedAt: last.createdAt, activeLeafId: last.id, messagesByRole: roleCounts(messages) };
    expect(await store.importSession(session, messages)).toBe(true);
    docs.push({ sessionId: session.id, sequence: null, text: title, role: null, at: Date.parse(createdAt), active: isActive });
    for (const m of messages) docs.push({ sessionId: session.id, sequence: m.sequence, text: m.content, role: m.role, at: Date.parse(m.createdAt), active: isActive });
  }
  return docs;
}

function roleCounts(messages: Message[]) {
  const counts = emptyRoleCounts();
  for (const m of messages) counts[m.role] += 1;
  return counts;
}

const draft = (content: string, role: Role = 'user') => ({ id: newId(), role, content, metadata: {}, clientMessageId: null });

export function runSearchContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`search contract: ${name}`, () => {
    it('finds what the ground truth finds, page by page without duplicates: words, case and accents, prefixes, phrases, exclusions', async () => {
      const { store } = await makeHarness();
      await searchReady(store);
      const docs = await corpus(store, 'p', 24, 25);
      const cases: [string, Parameters<typeof expected>[1]][] = [
        ['refund', { all: ['refund'], prefix: true }],
        ['refund policy', { all: ['refund', 'policy'], prefix: true }],
        ['CAFE', { all: ['cafe'], prefix: true }],
        ['café invoice', { all: ['cafe', 'invoice'], prefix: true }],
        ['zurich', { all: ['zurich'], prefix: true }],
        ['ord', { all: ['ord'], prefix: true }],
        ['ord refund', { all: ['ord', 'refund'], prefix: true }],
        ['"refund policy"', { phrases: [['refund', 'policy']] }],
        ['"policy refund" -delay', { phrases: [['policy', 'refund']], none: ['delay'] }],
        ['order -orders', { all: ['order'], none: ['orders'] }],
        ['shipping -"refund policy"', { all: ['shipping'], prefix: true, phrases: [] }],
      ];
      for (const [query, q] of cases) {
        const hits = await searchAll(store, 'p', query);
        const keys = hits.map(keyOf);
        expect(new Set(keys).size, `${query}: no duplicates`).toBe(keys.length);
        let truth = expected(docs, q);
        if (query === 'shipping -"refund policy"') {
          const excluded = new Set(expected(docs, { phrases: [['refund', 'policy']] }));
          truth = truth.filter((k) => !excluded.has(k));
        }
        expect([...keys].sort(), query).toEqual([...truth].sort());
      }
      // "ord" as a prefix finds order and orders; as a whole word before another word, nothing of them.
      expect((await searchAll(store, 'p', 'ord')).length).toBeGreaterThan(100);
      expect(await searchAll(store, 'p', 'ord refund')).toHaveLength(0);
      expect(await searchAll(store, 'p', 'refund ord')).not.toHaveLength(0);
      expect(await searchAll(store, 'p', '"ord"')).toHaveLength(0);
    });

    it('applies every filter: roles, sessions, since and until, archived sessions only when asked; titles have no role', async () => {
      const { store } = await makeHarness();
      await searchReady(store);
      const docs = await corpus(store, 'p', 21, 12);
      const sessions = [...new Set(docs.map((d) => d.sessionId))];
      const scopes: Partial<SearchScope>[] = [
        { roles: ['assistant'] },
        { roles: ['user', 'tool'] },
        { sessionIds: [sessions[0]!, sessions[3]!, sessions[10]!] },
        { since: new Date(BASE + 5 * DAY).toISOString() },
        { until: new Date(BASE + 9 * DAY).toISOString() },
        { since: new Date(BASE + 3 * DAY + 5 * 60_000).toISOString(), until: new Date(BASE + 12 * DAY).toISOString(), roles: ['system'] },
        { includeInactive: true },
        { includeInactive: true, sessionIds: [sessions[3]!] },
      ];
      for (const scope of scopes) {
        for (const [query, q] of [
          ['refund', { all: ['refund'], prefix: true }],
          ['zurich', { all: ['zurich'], prefix: true }],
        ] as const) {
          const keys = (await searchAll(store, 'p', query, scope, 50)).map(keyOf).sort();
          expect(keys, `${query} ${JSON.stringify(scope)}`).toEqual(expected(docs, q, scope).sort());
        }
      }
    });

    it('gives title-only hits without a message, ranks a many-times match above a single one, ties newest first', async () => {
      const { store } = await makeHarness();
      await searchReady(store);
      const session = newSession('p', { title: 'Quarterly planning' });
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      const once = (await store.appendMessage(key, draft('budget review for the team today, nothing else here')))!.message;
      const many = (await store.appendMessage(key, draft('budget budget budget budget and the budget again')))!.message;
      const titleHits = await searchAll(store, 'p', 'quarterly');
      expect(titleHits).toEqual([{ sessionId: session.id, sequence: null, score: expect.any(Number) }]);
      const ranked = await searchAll(store, 'p', 'budget');
      expect(ranked.map((h) => h.sequence)).toEqual([many.sequence, once.sequence]);
      expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
      const first = (await store.appendMessage(key, draft('identical words here')))!.message;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = (await store.appendMessage(key, draft('identical words here')))!.message;
      expect((await searchAll(store, 'p', 'identical')).map((h) => h.sequence)).toEqual([second.sequence, first.sequence]);
    });

    it('finds a message as soon as its append resolves, a streamed one once finished; renames, archives, deletes and restores show at once', async () => {
      const { store } = await makeHarness();
      await searchReady(store);
      const session = newSession('p', { title: 'Plain' });
      await store.createSession(session);
      const key = { projectId: 'p', sessionId: session.id };
      const hits = (query: string, scope: Partial<SearchScope> = {}) => searchAll(store, 'p', query, scope).then((list) => list.map((h) => h.sequence));
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendMessage(key, draft(`concurrent message number${i}`))));
      expect(await hits('concurrent')).toHaveLength(20);
      const started = (await store.appendMessage(key, { ...draft('', 'assistant'), streaming: true }))!.message;
      await store.appendChunk({ ...key, messageId: started.id, index: 0, chunk: 'streamed kangaroo ', maxBytes: 1000 });
      expect(await hits('kangaroo')).toEqual([]);
      await store.finishMessage({ ...key, messageId: started.id, status: 'complete', metadata: {} });
      expect(await hits('kangaroo')).toEqual([started.sequence]);
      expect(await hits('plain')).toEqual([null]);
      await store.updateSession(key, (s) => ({ ...s, title: 'Renamed wombat' }));
      expect(await hits('plain')).toEqual([]);
      expect(await hits('wombat')).toEqual([null]);
      await store.updateSession(key, (s) => ({ ...s, isActive: false }));
      expect(await hits('kangaroo')).toEqual([]);
      expect(await hits('kangaroo', { includeInactive: true })).toEqual([started.sequence]);
      await store.updateSession(key, (s) => ({ ...s, isActive: true }));
      expect(await store.deleteSession(key, () => undefined, { deletedAt: new Date().toISOString() })).toBe(true);
      expect(await hits('kangaroo', { includeInactive: true })).toEqual([]);
      expect(await hits('wombat', { includeInactive: true })).toEqual([]);
      await store.restoreSession(key);
      expect(await hits('kangaroo')).toEqual([started.sequence]);
      expect(await store.deleteSession(key, () => undefined)).toBe(true);
      expect(await hits('kangaroo', { includeInactive: true })).toEqual([]);
      expect(await hits('concurrent', { includeInactive: true })).toEqual([]);
    });

    it('takes hostile queries as text: each is refused by the parser (ValidationError) or searched, never an engine error', async () => {
      const { store } = await makeHarness();
      await searchReady(store);
      const session = newSession('p', { title: 'Hostile' });
      await store.createSession(session);
      await store.appendMessage({ projectId: 'p', sessionId: session.id }, draft("near a b or 1 1 col val x drop table sessions it's \\ quoted"));
      const hostile = ["' OR 1=1 --", '"unbalanced', 'NEAR(a b)', '*', '^x', 'col:val', 'x'.repeat(10_000), 'a\u0000b', '😀', 'a & b | !c <-> d:*', "'; DROP TABLE sessions; --", 'body:near', '"a" * NOT b', "it's", '\\quoted', 'AND OR NOT', '{col}: x', 'x:* & y'];
      for (const query of hostile) {
        let expression: ReturnType<typeof parseSearchQuery>;
        try {
          expression = parseSearchQuery(query);
        } catch (error) {
          expect((error as Error).name, query.slice(0, 30)).toBe('ValidationError');
          continue;
        }
        const page = await store.search({ projectId: 'p', expression, scope: everyScope, offset: 0, limit: 10 });
        expect(Array.isArray(page.matches), query.slice(0, 30)).toBe(true);
      }
      expect((await searchAll(store, 'p', "' OR 1=1 --")).map((h) => h.sequence)).toEqual([1]);
      expect((await searchAll(store, 'p', "it's")).map((h) => h.sequence)).toEqual([1]);
    });

    it('keeps projects apart and answers the same after a reopen', async () => {
      const harness = await makeHarness();
      await searchReady(harness.store);
      const a = newSession('alpha', { title: 'x' });
      const b = newSession('beta', { title: 'x' });
      await harness.store.createSession(a);
      await harness.store.createSession(b);
      await harness.store.appendMessage({ projectId: 'alpha', sessionId: a.id }, draft('secret platypus'));
      expect(await searchAll(harness.store, 'beta', 'platypus')).toEqual([]);
      const reopened = await harness.reopen();
      await searchReady(reopened, 'alpha');
      expect((await searchAll(reopened, 'alpha', 'platypus')).map(keyOf)).toEqual([`${a.id}#1`]);
      expect(await searchAll(reopened, 'beta', 'platypus')).toEqual([]);
    });
  });
}
