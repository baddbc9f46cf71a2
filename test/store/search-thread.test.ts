// The file store's search index runs on a thread of its own: calls are answered in order, a failing call fails
// alone, and a thread that stops unasked fails what was in flight while the next call starts another over the same
// file, with what was committed still there.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { newSession } from '../../src/domain/session.js';
import { parseSearchQuery } from '../../src/search/query.js';
import { SearchThread, SearchThreadError } from '../../src/store/file/search-thread.js';
import type { SearchRequest } from '../../src/store/store.js';
import { silentLogger } from '../helpers/app.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';

function request(query: string): SearchRequest {
  return { projectId: 'p', expression: parseSearchQuery(query), scope: { roles: null, sessionIds: null, since: null, until: null, includeInactive: false }, offset: 0, limit: 10 };
}

async function openThread(): Promise<SearchThread> {
  const thread = new SearchThread(path.join(await tempDir(), 'search', 'index.sqlite'), silentLogger);
  closeAfterTest(() => thread.close(false));
  return thread;
}

const message = (seq: number, content: string) => ({ seq, role: 'user' as const, content, createdAt: new Date().toISOString(), status: 'complete' as const });

describe('search index thread', () => {
  it('answers in the order asked; a batch reports the writes that found the index behind; a failing call fails alone', async () => {
    const thread = await openThread();
    expect(await thread.opened).toBe('unclean'); // a new index was never closed cleanly
    const session = newSession('p', { title: 'Wombat' });
    const key = { projectId: 'p', sessionId: session.id };
    // Not awaited: each is answered after the one before it.
    const created = thread.call('resetSession', session);
    const stale = thread.batch([
      { what: 'first', method: 'applyRecords', args: [key, 0, 100, [message(1, 'burrowing wombat')]] },
      { what: 'gap', method: 'applyRecords', args: [key, 150, 200, [message(3, 'never indexed wombat')]] },
    ]);
    const found = thread.call('search', request('wombat'));
    await created;
    expect(await stale).toEqual(['gap']);
    expect((await found).matches.map((m) => m.sequence).sort()).toEqual([1, null]);
    expect(await thread.call('indexed', key)).toEqual({ logBytes: 100, title: 'Wombat', active: true });

    await expect(thread.call('resetSession', { ...session, createdAt: 'not a time' })).rejects.toThrow(/NOT NULL/);
    expect((await thread.call('search', request('burrowing'))).matches).toHaveLength(1);
  });

  it('fails the calls in flight when the thread stops unasked; the next call starts another with what was committed', async () => {
    const thread = await openThread();
    await thread.opened;
    const session = newSession('p', { title: 'Platypus' });
    const key = { projectId: 'p', sessionId: session.id };
    await thread.call('resetSession', session);
    await thread.call('applyRecords', key, 0, 80, [message(1, 'committed platypus')]);

    const stopped = thread.abandon();
    const inFlight = thread.call('search', request('platypus')); // reaches a thread that is stopping
    await stopped;
    await expect(inFlight).rejects.toBeInstanceOf(SearchThreadError);

    expect((await thread.call('search', request('platypus'))).matches.map((m) => m.sequence).sort()).toEqual([1, null]);
    expect(await thread.call('indexed', key)).toMatchObject({ logBytes: 80 });
  });

  it("reports through the store's logger, from its own thread, that it rebuilt a damaged index file", async () => {
    const file = path.join(await tempDir(), 'search', 'index.sqlite');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'this is not a database');
    const lines: { level: number; msg: string; err?: { message: string } }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const thread = new SearchThread(file, logger);
    closeAfterTest(() => thread.close(false));
    expect(await thread.opened).toBe('unclean');
    expect(await thread.call('sessions')).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: expect.stringMatching(/could not be opened/), err: expect.objectContaining({ message: expect.any(String) }) }));
  });
});
