// The file store runs the shared contract, plus what only a file store has: its disk layout and path safety.
import { mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyRoleCounts } from '../../src/domain/message.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { silentLogger } from '../helpers/app.js';
import { listDataFiles } from '../helpers/files.js';
import { writeSessionFixture } from '../helpers/session-fixture.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';
import { fileHarness } from '../helpers/store-harness.js';
import { runStoreContract } from './contract.js';

function fileStore(dataDir: string): FileStore {
  const store = new FileStore({ dataDir, logger: silentLogger });
  closeAfterTest(() => store.close());
  return store;
}

runStoreContract('file', fileHarness);

const session = (projectId: string, id: string) => ({
  projectId,
  id,
  title: 't',
  description: null,
  metadata: {},
  isActive: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  messageCount: 0,
  lastMessageAt: null,
  messagesByRole: emptyRoleCounts(),
  activeLeafId: null,
  forkedFrom: null,
  pinned: false,
  tags: [],
  createdBy: null,
});

describe('file store on disk', () => {
  it('lays a session out as projects/{project}/chat_sessions/{session}/ with metadata.json, messages.jsonl and its index', async () => {
    const dataDir = await tempDir();
    const store = fileStore(dataDir);
    await store.createSession(session('proj', 'S1'));
    await store.appendMessage({ projectId: 'proj', sessionId: 'S1' }, { id: 'M1', role: 'user', content: 'hi\nthere', metadata: {}, clientMessageId: null });
    await store.close();
    expect(await listDataFiles(dataDir)).toEqual(['messages.idx', 'messages.jsonl', 'metadata.json', 'tree.idx'].map((f) => `projects/proj/chat_sessions/S1/${f}`));
    const lines = (await readFile(path.join(dataDir, 'projects/proj/chat_sessions/S1/messages.jsonl'), 'utf8')).split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).msg).toMatchObject({ seq: 1, id: 'M1', content: 'hi\nthere' });
    const metadata = JSON.parse(await readFile(path.join(dataDir, 'projects/proj/chat_sessions/S1/metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({ id: 'S1', projectId: 'proj', messageCount: 1 });
  });

  it('appends without rewriting history: earlier bytes of messages.jsonl never change', async () => {
    const dataDir = await tempDir();
    const store = fileStore(dataDir);
    await store.createSession(session('p', 'S'));
    const key = { projectId: 'p', sessionId: 'S' };
    const file = path.join(dataDir, 'projects/p/chat_sessions/S/messages.jsonl');
    await store.appendMessage(key, { id: 'a', role: 'user', content: 'first', metadata: {}, clientMessageId: null });
    const before = await readFile(file);
    await store.appendMessage(key, { id: 'b', role: 'user', content: 'second', metadata: {}, clientMessageId: null });
    const after = await readFile(file);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('refuses ids that could leave the data directory, before touching the disk', async () => {
    const dataDir = await tempDir();
    const store = fileStore(dataDir);
    for (const bad of ['..', '../x', 'a/b', 'a\\b', '.hidden', 'a\0b', '', 'x'.repeat(129)]) {
      await expect(store.createSession(session(bad, 'S'))).rejects.toThrow(/malformed/);
      await expect(store.createSession(session('p', bad))).rejects.toThrow(/malformed/);
      await expect(store.getSessions([{ projectId: bad, sessionId: 'S' }])).rejects.toThrow(/malformed/);
    }
    expect(await listDataFiles(dataDir)).toEqual([]);
  });

  it('reading an unknown project creates nothing on disk', async () => {
    const dataDir = await tempDir();
    const store = fileStore(dataDir);
    expect(await store.listSessions('ghost', { includeInactive: true })).toEqual([]);
    expect(await store.getSessions([{ projectId: 'ghost', sessionId: 'S' }])).toEqual([null]);
    expect((await readdir(dataDir)).filter((name) => name !== 'search')).toEqual([]);
  });

  it('removes what a crash mid-create or mid-delete left behind, and never lists it', async () => {
    const dataDir = await tempDir();
    const sessions = path.join(dataDir, 'projects/p/chat_sessions');
    await mkdir(path.join(sessions, '.tmp-half'), { recursive: true });
    await mkdir(path.join(sessions, '.trash-gone-1234'), { recursive: true });
    await writeFile(path.join(sessions, '.trash-gone-1234', 'metadata.json'), '{}');
    const store = fileStore(dataDir);
    expect(await store.listSessions('p', { includeInactive: true })).toEqual([]);
    expect(await readdir(sessions)).toEqual([]);
  });

  it('rebuilds counters from the log when metadata.json is behind it', async () => {
    const dataDir = await tempDir();
    const store = fileStore(dataDir);
    await store.createSession(session('p', 'S'));
    const metadataFile = path.join(dataDir, 'projects/p/chat_sessions/S/metadata.json');
    const stale = await readFile(metadataFile);
    const key = { projectId: 'p', sessionId: 'S' };
    await store.appendMessage(key, { id: 'a', role: 'user', content: '1', metadata: {}, clientMessageId: null });
    const last = await store.appendMessage(key, { id: 'b', role: 'tool', content: '2', metadata: {}, clientMessageId: null });
    await store.close();
    // As if the process died before its checkpoint: the log has two messages, metadata.json none.
    await writeFile(metadataFile, stale);
    const reopened = fileStore(dataDir);
    const [found] = await reopened.getSessions([key]);
    expect(found).toMatchObject({ messageCount: 2, messagesByRole: { user: 1, assistant: 0, system: 0, tool: 1 }, lastMessageAt: last!.message.createdAt });
  });

  it('keeps at most maxOpenLogs logs open, and every session stays readable and writable', async () => {
    const dataDir = await tempDir();
    const store = new FileStore({ dataDir, logger: silentLogger, maxOpenLogs: 5 });
    closeAfterTest(() => store.close());
    await store.catchUpSearch(); // its search index's files (opened on the index's own thread) count from the start
    // Only descriptors of this test's files count: other tests may run in the same process.
    const openFds = async () => {
      const links = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return links.filter((target) => target.startsWith(dataDir)).length;
    };
    const before = await openFds();
    const keys = [];
    for (let i = 0; i < 30; i++) {
      await store.createSession(session('p', `S${i}`));
      const key = { projectId: 'p', sessionId: `S${i}` };
      keys.push(key);
      await store.appendMessage(key, { id: `a${i}`, role: 'user', content: `first ${i}`, metadata: {}, clientMessageId: `c${i}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await openFds()).toBeLessThanOrEqual(before + 3 * 5 + 2);
    const pages = await store.readMessages(keys.map((key) => ({ ...key, fromSeq: 1, toSeq: 5 })));
    expect(pages.map((page) => page.map((m) => m.content))).toEqual(keys.map((_, i) => [`first ${i}`]));
    const again = await Promise.all(keys.map((key, i) => store.appendMessage(key, { id: `b${i}`, role: 'user', content: 'x', metadata: {}, clientMessageId: `c${i}` })));
    expect(again.every((r) => r?.deduplicated && r.message.sequence === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await openFds()).toBeLessThanOrEqual(before + 3 * 5 + 2);
  });

  it('reads a session written before conversations had branches as a chain, and upgrades its files as it goes', async () => {
    const dataDir = await tempDir();
    const { session } = await writeSessionFixture(dataDir, 'p', 300, 40, { beforeBranches: true });
    const dir = path.join(dataDir, 'projects/p/chat_sessions', session.id);
    expect(JSON.parse(await readFile(path.join(dir, 'metadata.json'), 'utf8'))).toMatchObject({ format: 1 });
    const store = fileStore(dataDir);
    const key = { projectId: 'p', sessionId: session.id };
    const [loaded] = await store.getSessions([key]);
    expect(loaded).toMatchObject({ messageCount: 300, activeLeafId: 'm300', forkedFrom: null });
    const [page] = await store.readMessages([{ ...key, fromSeq: 100, toSeq: 102 }]);
    expect(page!.map((m) => m.parentId)).toEqual(['m99', 'm100', 'm101']);
    const [newest] = await store.readBranches([{ ...key, leafId: null, window: (length) => ({ from: length - 1, to: length }) }]);
    expect(newest).toMatchObject({ from: 299, length: 300 });
    expect(newest!.messages.map((m) => [m.id, m.parentId])).toEqual([['m299', 'm298'], ['m300', 'm299']]);
    const [links] = await store.readLinks([{ ...key, sequence: 150, id: 'm150' }]);
    expect(links).toEqual({ siblingIds: ['m150'], childCount: 1 });
    // A branch from an old message, then the files are in the current format and the old records still read alike.
    const alt = (await store.appendMessage(key, { id: 'alt', role: 'assistant', content: 'again', metadata: {}, clientMessageId: null, parent: { kind: 'message', id: 'm150' } }))!;
    expect(alt.message).toMatchObject({ sequence: 301, parentId: 'm150' });
    await store.close();
    expect(JSON.parse(await readFile(path.join(dir, 'metadata.json'), 'utf8'))).toMatchObject({ format: 2, activeLeafId: 'alt', activeLeafSeq: 301 });
    const reopened = fileStore(dataDir);
    const [branch] = await reopened.readBranches([{ ...key, leafId: null, window: (length) => ({ from: 149, to: length }) }]);
    expect(branch!.messages.map((m) => m.id)).toEqual(['m149', 'm150', 'alt']);
    expect((await reopened.readLinks([{ ...key, sequence: 151, id: 'm151' }]))[0]!.siblingIds).toEqual(['m151', 'alt']);
  });

  it('rebuilds a damaged tree index from the log', async () => {
    const dataDir = await tempDir();
    const store = fileStore(dataDir);
    await store.createSession(session('p', 'T'));
    const key = { projectId: 'p', sessionId: 'T' };
    for (let i = 1; i <= 5; i++) await store.appendMessage(key, { id: `m${i}`, role: 'user', content: `${i}`, metadata: {}, clientMessageId: null, ...(i === 4 ? { parent: { kind: 'message' as const, id: 'm2' } } : {}) });
    await store.close();
    const treeFile = path.join(dataDir, 'projects/p/chat_sessions/T/tree.idx');
    const bytes = await readFile(treeFile);
    bytes[13] = bytes[13]! ^ 0xff;
    await writeFile(treeFile, bytes);
    const reopened = fileStore(dataDir);
    const [branch] = await reopened.readBranches([{ ...key, leafId: null, window: (length) => ({ from: 1, to: length }) }]);
    expect(branch!.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm4', 'm5']);
    expect((await reopened.readLinks([{ ...key, sequence: 3, id: 'm3' }]))[0]!.siblingIds).toEqual(['m3', 'm4']);
  });

  it('streams through one journal: chunks survive a stop without close, finals are found again without an index, and the journal is compacted', async () => {
    const dataDir = await tempDir();
    const first = fileStore(dataDir);
    const key = { projectId: 'p', sessionId: 'S' };
    await first.createSession(session('p', 'S'));
    const start = async (store: FileStore, id: string) => store.appendMessage(key, { id, role: 'assistant', content: '', metadata: {}, clientMessageId: null, streaming: true });
    await start(first, 'a');
    await start(first, 'b');
    for (let i = 0; i < 3; i++) await first.appendChunk({ ...key, messageId: 'a', index: i, chunk: `a${i} `, maxBytes: 1000 });
    await first.appendChunk({ ...key, messageId: 'b', index: 0, chunk: 'b0', maxBytes: 1000 });
    await first.finishMessage({ ...key, messageId: 'a', status: 'complete', metadata: {} });
    // A second store over the same directory, the first never closed: what a crash and restart leaves.
    const second = fileStore(dataDir);
    const [messages] = await second.readMessages([{ ...key, fromSeq: 1, toSeq: 2 }]);
    expect(messages!.map((m) => [m.content, m.status, m.chunkCount])).toEqual([['a0 a1 a2 ', 'complete', 3], ['b0', 'streaming', 1]]);
    expect((await readdir(path.join(dataDir, 'streams'))).length).toBe(1);
    const journal = await readFile(path.join(dataDir, 'streams', (await readdir(path.join(dataDir, 'streams')))[0]!), 'utf8');
    expect(journal).not.toContain('"c":"a0');
    await second.finishMessage({ ...key, messageId: 'b', status: 'incomplete', metadata: {} });
    await second.close();
    await writeFile(path.join(dataDir, 'projects', 'p', 'chat_sessions', 'S', 'messages.idx'), 'garbage');
    const third = fileStore(dataDir);
    const [again] = await third.readMessages([{ ...key, fromSeq: 1, toSeq: 2 }]);
    expect(again!.map((m) => [m.content, m.status])).toEqual([['a0 a1 a2 ', 'complete'], ['b0', 'incomplete']]);
    expect((await third.readChunks({ ...key, messageId: 'a' }, 0))!.chunks.map((c) => c.chunk)).toEqual(['a1 ', 'a2 ']);
  });

  it('keeps a trashed session whole under projects/{project}/trash and erases its files when purged', async () => {
    const dataDir = await tempDir();
    const store = fileStore(dataDir);
    await store.createSession(session('p', 'T'));
    const key = { projectId: 'p', sessionId: 'T' };
    await store.appendMessage(key, { id: 'm1', role: 'user', content: 'hello', metadata: {}, clientMessageId: null });
    await store.deleteSession(key, () => undefined, { deletedAt: '2026-01-02T00:00:00.000Z' });
    expect((await listDataFiles(dataDir)).filter((f) => f.includes('/T/')).sort()).toEqual(
      ['messages.idx', 'messages.jsonl', 'metadata.json', 'trashed.json', 'tree.idx'].map((name) => `projects/p/trash/T/${name}`),
    );
    expect(await store.purgeSession(key)).toBe(true);
    expect((await listDataFiles(dataDir)).filter((f) => f.includes('T'))).toEqual([]);
  });
});

