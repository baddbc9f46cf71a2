// The file store on a failing disk, through the real store and the real app with an injected fault: a full disk
// answers 507 / STORAGE_FULL and makes /readyz 503 while reads go on; writes resume by themselves once the disk takes
// them; a failed fdatasync (EIO) is never followed by an acknowledgement of what it covered, and the log is reopened
// and checked before the session takes another write. Nothing acknowledged is ever lost.
import { readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageFullError } from '../../src/domain/errors.js';
import { newSession } from '../../src/domain/session.js';
import { FileStore } from '../../src/store/file/file-store.js';
import type { WriteFaultHook } from '../../src/store/file/write-faults.js';
import { createTestApp, silentLogger } from '../helpers/app.js';
import { restClient } from '../helpers/rest.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';
import { AddMessage } from '../graphql/operations.js';

/** A disk that fails with `code` while `failing` names the step. */
function faultyDisk() {
  const state: { failing: 'write' | 'sync' | null; code: string; onFault?: (file: string) => Promise<void> | void } = { failing: null, code: 'ENOSPC' };
  const hook: WriteFaultHook = (step, file) => {
    if (state.failing !== step) return;
    state.onFault?.(file);
    throw Object.assign(new Error(`${state.code}: injected fault, ${step} '${file}'`), { code: state.code });
  };
  return { state, hook };
}

const draft = (i: number) => ({ id: `m${i}`, role: 'user' as const, content: `message ${i}`, metadata: {}, clientMessageId: `c${i}` });

describe('a full disk', () => {
  it('answers 507 and STORAGE_FULL, is not ready, keeps reads working, and writes again once there is room', async () => {
    const disk = faultyDisk();
    const { app, gql, dataDir } = await createTestApp({ faultHook: disk.hook });
    const rest = restClient(app);
    const created = await rest('POST', '/api/projects/p/sessions', { title: 'full' });
    const id = created.body.id as string;
    for (let i = 0; i < 3; i++) expect((await rest('POST', `/api/projects/p/sessions/${id}/messages`, { role: 'user', content: `m${i}` })).status).toBe(201);

    disk.state.failing = 'write';
    const refused = await rest('POST', `/api/projects/p/sessions/${id}/messages`, { role: 'user', content: 'no room', client_message_id: 'late' });
    expect(refused.status).toBe(507);
    expect(refused.body.detail).toMatch(/^Storage is full: /);
    expect((await rest('POST', '/api/projects/p/sessions', { title: 'another' })).status).toBe(507);
    expect((await rest('PUT', `/api/projects/p/sessions/${id}`, { title: 'renamed' })).status).toBe(507);
    const viaGraphql = await gql(AddMessage, { projectId: 'p', sessionId: id, input: { role: 'USER', content: 'no room' } });
    expect(viaGraphql.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Storage is full: /), extensions: { code: 'STORAGE_FULL' } });
    expect((await app.fetch(new Request('http://test/readyz'))).status).toBe(503);
    const read = await rest('GET', `/api/projects/p/sessions/${id}/messages`);
    expect(read.status).toBe(200);
    expect(read.body.map((m: { content: string }) => m.content)).toEqual(['m0', 'm1', 'm2']);

    disk.state.failing = null;
    expect((await app.fetch(new Request('http://test/readyz'))).status).toBe(200);
    const resumed = await rest('POST', `/api/projects/p/sessions/${id}/messages`, { role: 'user', content: 'room again', client_message_id: 'late' });
    expect(resumed.status).toBe(201);
    expect(resumed.body.sequence).toBe(4);

    // After a restart every acknowledged message is there, and nothing that was refused.
    const reopened = new FileStore({ dataDir, logger: silentLogger });
    closeAfterTest(() => reopened.close());
    const [messages] = await reopened.readMessages([{ projectId: 'p', sessionId: id, fromSeq: 1, toSeq: 100 }]);
    expect(messages!.map((m) => m.content)).toEqual(['m0', 'm1', 'm2', 'room again']);
  });
});

describe('opening on a full disk', () => {
  it('reads a session whose metadata is behind its log as whole, not damaged, when the counters cannot be written down', async () => {
    const source = await tempDir();
    const store = new FileStore({ dataDir: source, logger: silentLogger });
    closeAfterTest(() => store.close());
    const session = newSession('p', { title: 't' });
    await store.createSession(session);
    const key = { projectId: 'p', sessionId: session.id };
    for (let i = 1; i <= 3; i++) await store.appendMessage(key, draft(i));
    // A copy taken before the store's next checkpoint: metadata.json still says 0 messages, as after a crash.
    const copy = await tempDir();
    await cp(source, copy, { recursive: true });
    const disk = faultyDisk();
    disk.state.failing = 'write';
    const reopened = new FileStore({ dataDir: copy, logger: silentLogger, faultHook: disk.hook });
    closeAfterTest(() => reopened.close());
    expect((await reopened.getSessions([key]))[0]).toMatchObject({ messageCount: 3 });
    const [messages] = await reopened.readMessages([{ ...key, fromSeq: 1, toSeq: 10 }]);
    expect(messages!.map((m) => m.content)).toEqual(['message 1', 'message 2', 'message 3']);
  });
});

describe('a failed fdatasync', () => {
  async function storeWithSession(hook: WriteFaultHook) {
    const dataDir = await tempDir();
    const store = new FileStore({ dataDir, logger: silentLogger, faultHook: hook });
    closeAfterTest(() => store.close());
    const session = newSession('p', { title: 't' });
    await store.createSession(session);
    const key = { projectId: 'p', sessionId: session.id };
    return { store, key, dataDir, log: path.join(dataDir, 'projects/p/chat_sessions', session.id, 'messages.jsonl') };
  }

  it('fails the batch it covered, with nothing acknowledged, and the session goes on after it', async () => {
    const disk = faultyDisk();
    const { store, key, dataDir } = await storeWithSession(disk.hook);
    for (let i = 1; i <= 3; i++) await store.appendMessage(key, draft(i));
    Object.assign(disk.state, { failing: 'sync', code: 'EIO' });
    const batch = await Promise.allSettled([store.appendMessage(key, draft(4)), store.appendMessage(key, draft(5))]);
    expect(batch.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((batch[0] as PromiseRejectedResult).reason).not.toBeInstanceOf(StorageFullError);
    await expect(store.checkReady()).resolves.toBeUndefined();
    disk.state.failing = null;
    expect(await store.appendMessage(key, draft(6))).toMatchObject({ deduplicated: false, message: { sequence: 4, content: 'message 6' } });
    await store.close();
    const reopened = new FileStore({ dataDir, logger: silentLogger });
    closeAfterTest(() => reopened.close());
    const [messages] = await reopened.readMessages([{ ...key, fromSeq: 1, toSeq: 100 }]);
    expect(messages!.map((m) => m.content)).toEqual(['message 1', 'message 2', 'message 3', 'message 6']);
    expect((await reopened.getSessions([key]))[0]).toMatchObject({ messageCount: 4 });
  });

  it('reopens and re-reads the log before the next write: a record that reached the disk anyway is found, not overwritten', async () => {
    const disk = faultyDisk();
    const { store, key, log } = await storeWithSession(disk.hook);
    for (let i = 1; i <= 2; i++) await store.appendMessage(key, draft(i));
    // The sync fails, but the record it covered is on disk after all (the log's own undo does not reach it).
    let written = Buffer.alloc(0);
    Object.assign(disk.state, {
      failing: 'sync',
      code: 'EIO',
      onFault: () => {
        // The hook runs inside the append, between its write and its sync.
        written = readFileSync(log);
      },
    });
    await expect(store.appendMessage(key, draft(3))).rejects.toThrow(/EIO/);
    disk.state.failing = null;
    await writeFile(log, written);
    // The retry finds it (one copy), the session's counters follow the log, and the next message comes after it.
    expect(await store.appendMessage(key, draft(3))).toMatchObject({ deduplicated: true, message: { sequence: 3 } });
    expect(await store.appendMessage(key, draft(4))).toMatchObject({ deduplicated: false, message: { sequence: 4 } });
    expect((await store.getSessions([key]))[0]).toMatchObject({ messageCount: 4 });
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { msg: { seq: number } }).msg.seq)).toEqual([1, 2, 3, 4]);
  });
});

