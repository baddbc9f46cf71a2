// store:copy between the file store and PostgreSQL, both ways: everything arrives exactly, and a second run copies nothing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { ChatService } from '../../src/service/chat-service.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { ChatStore } from '../../src/store/store.js';
import { silentLogger } from '../helpers/app.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `copy_${newId().toLowerCase()}`;
const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
const schemaUrl = `${databaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function copy(from: string, to: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/store/copy-cli.ts', '--from', from, '--to', to], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  return { code, output };
}

async function snapshot(store: ChatStore) {
  const all = [];
  for (const projectId of await store.listProjects()) {
    for (const session of await store.listSessions(projectId, { includeInactive: true })) {
      const [messages] = await store.readMessages([{ projectId, sessionId: session.id, fromSeq: 1, toSeq: 10_000 }]);
      const [branch] = await store.readBranches([{ projectId, sessionId: session.id, leafId: null, window: (length) => ({ from: 1, to: length }) }]);
      all.push({ session, messages, branch: branch!.messages.map((m) => m.id) });
    }
  }
  return all.sort((a, b) => a.session.id.localeCompare(b.session.id));
}

describe('store:copy', () => {
  it('copies file → PostgreSQL → file exactly, and a second run copies nothing', async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const source = await tempDir();
    const fileStore = new FileStore({ dataDir: source, logger: silentLogger });
    const service = new ChatService({ store: fileStore, maxMessageBytes: 1 << 20 });
    for (const project of ['alpha', 'beta']) {
      for (let s = 0; s < 3; s++) {
        const session = await service.createSession(project, { title: `${project} ${s}`, metadata: { s } });
        const ids: string[] = [];
        for (let m = 0; m < 25 * s; m++) {
          const { message } = await service.addMessage(project, session.id, { role: m % 2 ? 'assistant' : 'user', content: `m${m} ✨`, clientMessageId: m % 3 ? null : `c${m}` });
          ids.push(message.id);
        }
        if (s === 1) {
          // Branches travel too: a regenerated answer, an edited first prompt, and an active leaf on an older branch.
          await service.addMessage(project, session.id, { role: 'assistant', content: 'regenerated', parentId: ids[2] });
          await service.addMessage(project, session.id, { role: 'user', content: 'edited', root: true });
          await service.setActiveLeaf(project, session.id, ids[10]);
        }
        if (s === 2) await service.updateSession(project, session.id, { isActive: false });
      }
    }
    const expected = await snapshot(fileStore);
    await fileStore.close();

    const toPg = await copy(`file:${source}`, schemaUrl);
    expect(toPg.code, toPg.output).toBe(0);
    expect(toPg.output).toContain('copied 6 session(s) with 154 message(s)');
    const again = await copy(`file:${source}`, schemaUrl);
    expect(again.output).toContain('copied 0 session(s) with 0 message(s); 6 already there');

    const pgStore = new PostgresStore({ connectionString: schemaUrl });
    closeAfterTest(() => pgStore.close());
    expect(await snapshot(pgStore)).toEqual(expected);

    const back = await tempDir();
    const toFile = await copy(schemaUrl, `file:${back}`);
    expect(toFile.code, toFile.output).toBe(0);
    const copiedBack = new FileStore({ dataDir: back, logger: silentLogger });
    closeAfterTest(() => copiedBack.close());
    expect(await snapshot(copiedBack)).toEqual(expected);
  });
});
