// DataLoader: one query over 20 sessions with their messages and stats makes batched store reads, not one per session.
import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { ChatStore } from '../../src/store/store.js';
import { createTestApp } from '../helpers/app.js';
import { countingStore } from '../helpers/counting-store.js';
import { AddMessage, CreateSession } from './operations.js';

async function seededApp() {
  let counter: ReturnType<typeof countingStore> | undefined;
  const t = await createTestApp({
    wrapStore: (store: ChatStore) => {
      counter = countingStore(store);
      return counter.store;
    },
  });
  const ids: string[] = [];
  for (let s = 0; s < 20; s++) {
    const created = await t.data(CreateSession, { projectId: 'p', input: { title: `s${s}` } });
    if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
    ids.push(created.createSession.session.id);
    for (let m = 0; m < 3; m++) await t.data(AddMessage, { projectId: 'p', sessionId: created.createSession.session.id, input: { role: 'USER', content: `m${m}` } });
  }
  counter!.calls.clear();
  return { ...t, ids, calls: counter!.calls };
}

describe('batched reads', () => {
  it('reads 20 sessions with messages, a connection and stats in one store call each', async () => {
    const t = await seededApp();
    const response = await t.post({
      query: `{ project(id: "p") {
        sessions { id messageCount messages(limit: 20) { id content } messagesConnection(last: 2) { edges { node { id } } totalCount } }
        stats { totalSessions totalMessages }
      } }`,
    });
    const body = (await response.json()) as { data: { project: { sessions: { messages: unknown[] }[]; stats: { totalMessages: number } } } };
    expect(body.data.project.sessions).toHaveLength(20);
    expect(body.data.project.sessions.every((s) => s.messages.length === 3)).toBe(true);
    expect(body.data.project.stats.totalMessages).toBe(60);
    expect(Object.fromEntries(t.calls)).toEqual({ listSessions: 1, readBranches: 2, projectStats: 1 });
  });

  it('reads the siblings and newest leaf of every message of 20 sessions in one store call each', async () => {
    const t = await seededApp();
    const response = await t.post({ query: '{ project(id: "p") { sessions { branch(last: 3) { edges { node { siblingCount newestLeafId } } } } } }' });
    const body = (await response.json()) as { data: { project: { sessions: { branch: { edges: { node: { newestLeafId: string } }[] } }[] } } };
    expect(body.data.project.sessions.flatMap((s) => s.branch.edges)).toHaveLength(60);
    expect(Object.fromEntries(t.calls)).toEqual({ listSessions: 1, readBranches: 1, readLinks: 1, readNewestLeaves: 1 });
  });

  it('loads 20 sessions named by id in one store call', async () => {
    const t = await seededApp();
    const fields = t.ids.map((id, i) => `s${i}: session(projectId: "p", id: "${id}") { id messages { id } }`).join(' ');
    const response = await t.post({ query: `{ ${fields} }` });
    const body = (await response.json()) as { data: Record<string, { id: string; messages: unknown[] } | null> };
    expect(Object.values(body.data).map((s) => s?.id)).toEqual(t.ids);
    expect(Object.fromEntries(t.calls)).toEqual({ getSessions: 1, readBranches: 1 });
    expect(parse(`{ ${fields} }`).definitions).toHaveLength(1);
  });
});
