// What the file store does with what a crash or a bad disk leaves: torn tails, stale or missing indexes, damage
// in the middle of a log; and that the newest page of a long session is read without reading its history.
import { cp, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreCorruptionError } from '../../src/domain/errors.js';
import { newSession } from '../../src/domain/session.js';
import { ChatService } from '../../src/service/chat-service.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { readStats } from '../../src/store/file/read-stats.js';
import { silentLogger } from '../helpers/app.js';
import { writeSessionFixture } from '../helpers/session-fixture.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';

function openStore(dataDir: string, options: { searchIndex?: boolean } = {}): FileStore {
  const store = new FileStore({ dataDir, logger: silentLogger, ...options });
  closeAfterTest(() => store.close());
  return store;
}

async function sessionWithMessages(dataDir: string, contents: string[]) {
  const store = openStore(dataDir);
  const session = newSession('p', { title: 't' });
  await store.createSession(session);
  const key = { projectId: 'p', sessionId: session.id };
  for (const [i, content] of contents.entries()) {
    await store.appendMessage(key, { id: `m${i}`, role: i % 2 ? 'assistant' : 'user', content, metadata: {}, clientMessageId: `c${i}` });
  }
  await store.close();
  return { key, dir: path.join(dataDir, 'projects/p/chat_sessions', session.id) };
}

describe('torn tails', () => {
  it('keeps exactly the complete records when the log is cut at every byte offset of its last record', async () => {
    const source = await tempDir();
    const contents = ['first', 'second — ünïcødé ✨', 'third\nwith newline', 'fourth', 'the last one, cut anywhere'];
    const { key, dir } = await sessionWithMessages(source, contents);
    const log = await readFile(path.join(dir, 'messages.jsonl'));
    const lastStart = log.lastIndexOf(0x0a, log.length - 2) + 1;
    expect(lastStart).toBeGreaterThan(0);
    for (let cut = lastStart; cut < log.length; cut++) {
      const dataDir = await tempDir();
      await cp(source, dataDir, { recursive: true });
      const copy = path.join(dataDir, path.relative(source, dir));
      await truncate(path.join(copy, 'messages.jsonl'), cut);
      // Without the search index, whose thread would cost each of these ~150 stores more than the rest of the check.
      const store = openStore(dataDir, { searchIndex: false });
      const [session] = await store.getSessions([key]);
      expect(session, `cut at ${cut}`).toMatchObject({ messageCount: 4, messagesByRole: { user: 2, assistant: 2, system: 0, tool: 0 } });
      const [messages] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
      expect(messages!.map((m) => m.content), `cut at ${cut}`).toEqual(contents.slice(0, 4));
      expect((await stat(path.join(copy, 'messages.jsonl'))).size).toBe(lastStart);
      // The session goes on from there: the next append is message 5 again, and the lost client id is free.
      const next = await store.appendMessage(key, { id: 'again', role: 'user', content: 'again', metadata: {}, clientMessageId: 'c4' });
      expect(next).toMatchObject({ deduplicated: false, message: { sequence: 5 } });
      await store.close();
    }
  });

  it('cuts away junk after the last complete record (zeros, half a line)', async () => {
    const dataDir = await tempDir();
    const { key, dir } = await sessionWithMessages(dataDir, ['a', 'b']);
    const file = path.join(dir, 'messages.jsonl');
    const good = await readFile(file);
    await writeFile(file, Buffer.concat([good, Buffer.alloc(300), Buffer.from('\n{"crc":"00000000","msg":{"seq":3,')]));
    const store = openStore(dataDir);
    expect((await store.getSessions([key]))[0]?.messageCount).toBe(2);
    expect((await readFile(file)).equals(good)).toBe(true);
  });
});

describe('index', () => {
  it('is rebuilt from the log when missing, short or wrong', async () => {
    const dataDir = await tempDir();
    const contents = Array.from({ length: 40 }, (_, i) => `message ${i}`);
    const { key, dir } = await sessionWithMessages(dataDir, contents);
    const index = path.join(dir, 'messages.idx');
    const whole = await readFile(index);
    for (const damage of [
      () => writeFile(index, ''),
      () => writeFile(index, whole.subarray(0, 12 * 25)),
      () => writeFile(index, Buffer.concat([whole.subarray(0, 12 * 10), Buffer.alloc(12 * 10), whole.subarray(12 * 20)])),
      () => writeFile(index, Buffer.concat([whole, Buffer.alloc(12 * 40, 0xff)])),
      // One flipped bit in the client id hash of message 17: without a check per entry, its retry would be stored twice.
      () => {
        const flipped = Buffer.from(whole);
        flipped[16 * 12 + 9]! ^= 0x01;
        return writeFile(index, flipped);
      },
    ]) {
      await damage();
      const store = openStore(dataDir);
      const [all] = await store.readMessages([{ ...key, fromSeq: 1, toSeq: 100 }]);
      expect(all!.map((m) => m.content)).toEqual(contents);
      const [middle] = await store.readMessages([{ ...key, fromSeq: 12, toSeq: 14 }]);
      expect(middle!.map((m) => m.sequence)).toEqual([12, 13, 14]);
      expect(await store.appendMessage(key, { id: 'x', role: 'user', content: 'dup', metadata: {}, clientMessageId: 'c17' })).toMatchObject({ deduplicated: true, message: { sequence: 18 } });
      await store.close();
      expect((await readFile(index)).equals(whole)).toBe(true);
    }
  });
});

describe('damage in the middle of a log', () => {
  it('answers a clear error for the damaged range of that session only; its other pages and other sessions work', async () => {
    const dataDir = await tempDir();
    const { key: damaged, dir } = await sessionWithMessages(dataDir, ['one', 'two', 'three', 'four', 'five']);
    const healthy = openStore(dataDir);
    const other = newSession('p', { title: 'other' });
    await healthy.createSession(other);
    await healthy.appendMessage({ projectId: 'p', sessionId: other.id }, { id: 'o1', role: 'user', content: 'fine', metadata: {}, clientMessageId: null });
    await healthy.close();
    const file = path.join(dir, 'messages.jsonl');
    const log = await readFile(file);
    const at = log.indexOf('"two"') + 2;
    log[at] = 'X'.charCodeAt(0);
    await writeFile(file, log);

    const store = openStore(dataDir);
    const service = new ChatService({ store, maxMessageBytes: 1024 });
    await expect(service.getMessages('p', damaged.sessionId)).rejects.toBeInstanceOf(StoreCorruptionError);
    const [tail] = await store.readMessages([{ ...damaged, fromSeq: 4, toSeq: 5 }]);
    expect(tail!.map((m) => m.content)).toEqual(['four', 'five']);
    expect((await service.getMessages('p', other.id)).map((m) => m.content)).toEqual(['fine']);
    expect((await service.listSessions('p')).length).toBe(2);
  });
});

describe('tail reads', () => {
  it('serves the newest page, and a page deep inside, of a 100 000-message session without reading its history', async () => {
    const dataDir = await tempDir();
    const { session, logBytes } = await writeSessionFixture(dataDir, 'p', 100_000, 250);

    const store = openStore(dataDir);
    // A store opened on data without a search index builds it from the logs once, in the background: let it.
    await store.catchUpSearch();
    const service = new ChatService({ store, maxMessageBytes: 1024 });
    readStats.bytes = 0;
    const loaded = (await service.getSession('p', session.id))!;
    const [newest] = await service.branchPagesOf([{ session: loaded, last: 50 }]);
    if (newest instanceof Error || !newest) throw newest;
    expect(newest.edges.map((e) => e.node.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => 99_951 + i));
    const deep = await service.getMessages('p', session.id, { limit: 50, offset: 50_000 });
    expect(deep.map((m) => m.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => 50_001 + i));
    // Two pages of ~300 bytes a message, their index entries, the open-time check of the last record, and the tree
    // index (12 bytes a message, read once at open): a twentieth of the log.
    expect(logBytes).toBeGreaterThan(25_000_000);
    expect(readStats.bytes).toBeLessThan(100_000 + 12 * 100_000);
  });
});
