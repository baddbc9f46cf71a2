// What only the file store's search index has: it is derived from the logs, so a crash between an append and its
// indexing, a lost index or an unclean stop is repaired from the logs at the next start, while searches say
// "catching up" (never wrong results).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SearchCatchingUpError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import { newSession } from '../../src/domain/session.js';
import { parseSearchQuery } from '../../src/search/query.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { encodeRecord } from '../../src/store/file/record-codec.js';
import type { SearchScope } from '../../src/store/store.js';
import { silentLogger } from '../helpers/app.js';
import { writeSessionFixture } from '../helpers/session-fixture.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';
import { searchReady } from './search-contract.js';

const scope: SearchScope = { roles: null, sessionIds: null, since: null, until: null, includeInactive: false };

function open(dataDir: string): FileStore {
  const store = new FileStore({ dataDir, logger: silentLogger });
  closeAfterTest(() => store.close());
  return store;
}

async function find(store: FileStore, projectId: string, query: string): Promise<(number | null)[]> {
  const page = await store.search({ projectId, expression: parseSearchQuery(query), scope, offset: 0, limit: 100 });
  return page.matches.map((m) => m.sequence).sort();
}

describe('file store search index', () => {
  it('catches up from the log after a crash between an append and its indexing', async () => {
    const dataDir = await tempDir();
    const before = open(dataDir);
    const session = newSession('p', { title: 'Crash' });
    await before.createSession(session);
    const key = { projectId: 'p', sessionId: session.id };
    const first = (await before.appendMessage(key, { id: newId(), role: 'user', content: 'indexed before the crash', metadata: {}, clientMessageId: null }))!.message;
    // Its index write committed (a search commits what waits), so that nothing of this store lands after the crash.
    expect(await find(before, 'p', 'indexed')).toEqual([1]);
    // The crash: a record reached the log (and was acknowledged) but not the index; the store never closed.
    const record = { seq: 2, id: newId(), role: 'assistant' as const, content: 'only in the log echidna', metadata: {}, createdAt: new Date().toISOString(), clientMessageId: null, parent: 1, parentId: first.id };
    await appendFile(path.join(dataDir, 'projects/p/chat_sessions', session.id, 'messages.jsonl'), encodeRecord(record));

    const after = open(dataDir);
    await expect(after.search({ projectId: 'p', expression: parseSearchQuery('echidna'), scope, offset: 0, limit: 10 })).rejects.toBeInstanceOf(SearchCatchingUpError);
    await searchReady(after);
    expect(await find(after, 'p', 'echidna')).toEqual([2]);
    expect(await find(after, 'p', 'crash')).toEqual([1, null]);
    // Appends after the catch-up are indexed as before.
    await after.appendMessage(key, { id: newId(), role: 'user', content: 'after echidna', metadata: {}, clientMessageId: null });
    expect(await find(after, 'p', 'echidna')).toEqual([2, 3]);
  });

  it('builds a missing index from the logs in the background; start-up does not wait for it', async () => {
    const dataDir = await tempDir();
    const fixtures = await Promise.all(Array.from({ length: 8 }, () => writeSessionFixture(dataDir, 'big', 400, 200)));
    const began = performance.now();
    const store = open(dataDir);
    expect(performance.now() - began).toBeLessThan(1000);
    await expect(store.search({ projectId: 'big', expression: parseSearchQuery('lorem'), scope, offset: 0, limit: 1 })).rejects.toBeInstanceOf(SearchCatchingUpError);
    await searchReady(store, 'big');
    const page = await store.search({ projectId: 'big', expression: parseSearchQuery('"399 lorem"'), scope, offset: 0, limit: 100 });
    expect(page.matches.map((m) => m.sessionId).sort()).toEqual(fixtures.map((f) => f.session.id).sort());

    // A clean stop leaves an index the next start trusts at once; a lost one is built again.
    await store.close();
    const reopened = open(dataDir);
    expect(await find(reopened, 'big', '"7 lorem"')).toHaveLength(8);
    await reopened.close();
    await rm(path.join(dataDir, 'search'), { recursive: true });
    const rebuilt = open(dataDir);
    await searchReady(rebuilt, 'big');
    expect(await find(rebuilt, 'big', '"7 lorem"')).toHaveLength(8);
  });

  it('drops sessions deleted while the index was not looking (a session gone from disk at the next start)', async () => {
    const dataDir = await tempDir();
    const store = open(dataDir);
    const session = newSession('p', { title: 'Doomed dodo' });
    await store.createSession(session);
    expect(await find(store, 'p', 'dodo')).toEqual([null]);
    // Not closed (an unclean stop), and the session's folder removed behind the store's back.
    await rm(path.join(dataDir, 'projects/p/chat_sessions', session.id), { recursive: true });
    const after = open(dataDir);
    await searchReady(after);
    expect(await find(after, 'p', 'dodo')).toEqual([]);
  });
});

describe('file store search index damage', () => {
  it('builds a damaged index file again instead of failing to open the store', async () => {
    const dataDir = await tempDir();
    const first = open(dataDir);
    const session = newSession('p', { title: 'Quokka' });
    await first.createSession(session);
    await first.close();
    await writeFile(path.join(dataDir, 'search/index.sqlite'), 'this is not a database');
    const store = open(dataDir);
    await searchReady(store);
    expect(await find(store, 'p', 'quokka')).toEqual([null]);
  });
});

describe('npm run search:reindex', () => {
  async function reindex(...args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/store/file/reindex-cli.ts', ...args], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    return { code, output };
  }

  it('rebuilds the index from the logs, which the next start trusts at once; bad usage exits 2', async () => {
    const dataDir = await tempDir();
    await Promise.all(Array.from({ length: 3 }, () => writeSessionFixture(dataDir, 'p', 300, 100)));
    const { code, output } = await reindex('--data-dir', dataDir);
    expect(output).toMatch(/done: 3 session\(s\), 900 message\(s\)/);
    expect(code).toBe(0);
    const store = open(dataDir);
    expect(await find(store, 'p', '"299 lorem"')).toEqual([299, 299, 299]);
    expect((await reindex('--nonsense')).code).toBe(2);
  });
});
