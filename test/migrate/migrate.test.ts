// The migration command on generated legacy data dirs: dry run, conversion served intact, idempotency, crash, problems.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { StoreCorruptionError } from '../../src/domain/errors.js';
import { legacyTimestamp } from '../../src/migrate/legacy-format.js';
import { LEGACY_CHECKED_FILE, openStore, StoreOpenError } from '../../src/store/open-store.js';
import { createTestApp } from '../helpers/app.js';
import { hashTree, type LegacySessionData, writeLegacyDataDir, writeLegacySession } from '../helpers/legacy-fixture.js';
import { restClient } from '../helpers/rest.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function migrate(...args: string[]): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number, output };
}

/** Every legacy session is served by the new service exactly: fields, message ids, order, content, timestamps. */
async function expectServedIntact(dataDir: string, sessions: LegacySessionData[]) {
  const t = await createTestApp({ dataDir });
  const call = restClient(t.app);
  for (const legacy of sessions) {
    const m = legacy.metadata;
    const project = legacy.spec.projectId ?? 'fallback';
    const full = await call('GET', `/api/projects/${project}/sessions/${m.id}/full`);
    expect(full.status, legacy.dir).toBe(200);
    expect(full.body.session).toMatchObject({
      id: m.id,
      project_id: project,
      title: m.title,
      description: m.description,
      metadata: m.metadata,
      is_active: m.is_active,
      created_at: legacyTimestamp(m.created_at as string),
      message_count: legacy.messages.length,
    });
    expect(full.body.messages.map((x: Record<string, unknown>) => [x.id, x.role, x.content, x.metadata, x.created_at])).toEqual(
      legacy.messages.map((x) => [x.id, x.role, x.content, x.metadata ?? {}, legacyTimestamp((x.timestamp ?? x.created_at) as string)]),
    );
    // The earlier service kept one list: converted, each message follows the one before it, the last is the active leaf.
    expect(full.body.messages.map((x: Record<string, unknown>) => x.parent_id)).toEqual(legacy.messages.map((_, i) => (i === 0 ? null : legacy.messages[i - 1]!.id)));
    expect(full.body.session.active_leaf_id).toBe(legacy.messages.at(-1)?.id ?? null);
  }
  for (const legacy of sessions) {
    const response = await t.post({
      query: 'query($p: ID!, $s: ID!) { session(projectId: $p, id: $s) { title isActive messagesConnection(first: 1000) { totalCount edges { node { id role content createdAt } } } } }',
      variables: { p: legacy.spec.projectId ?? 'fallback', s: legacy.metadata.id },
    });
    const body = await response.json();
    if (!(body as { data?: unknown }).data) throw new Error(JSON.stringify(body));
    const { data } = body as { data: { session: { title: string; messagesConnection: { totalCount: number; edges: { node: Record<string, string> }[] } } } };
    expect(data.session.title).toBe(legacy.metadata.title);
    expect(data.session.messagesConnection.edges.map((e) => [e.node.id, e.node.role, e.node.content, e.node.createdAt])).toEqual(
      legacy.messages.map((x) => [x.id, String(x.role).toUpperCase(), x.content, legacyTimestamp((x.timestamp ?? x.created_at) as string)]),
    );
  }
  const gql = await t.post({ query: 'query($id: ID!) { project(id: $id) { stats { totalSessions totalMessages } } }', variables: { id: 'proj-0' } });
  const expected = sessions.filter((s) => s.spec.projectId === 'proj-0');
  expect(((await gql.json()) as { data: { project: { stats: unknown } } }).data.project.stats).toEqual({
    totalSessions: expected.length,
    totalMessages: expected.reduce((n, s) => n + s.messages.length, 0),
  });
  // Stopped, as a server would be, before the files are compared: its search index is built on a thread of its own.
  await t.close();
}

describe('migrate', () => {
  it('dry run changes no byte; the run converts both layouts, served intact; a second run changes nothing', async () => {
    const dataDir = await tempDir();
    const sessions = await writeLegacyDataDir(dataDir, { nested: 12, flat: 6, maxMessages: 300 });
    const before = await hashTree(dataDir);
    const dry = await migrate('--data-dir', dataDir, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.output).toContain('would convert 18 session(s)');
    expect(dry.output).toMatch(/project proj-0: 4 session\(s\)/);
    expect(await hashTree(dataDir)).toBe(before);

    const run = await migrate('--data-dir', dataDir);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/done: 18 session\(s\)/);
    expect((await readdir(dataDir)).sort()).toEqual(['projects']);
    await expectServedIntact(dataDir, sessions);

    const converted = await hashTree(dataDir);
    const again = await migrate('--data-dir', dataDir);
    expect(again.code).toBe(0);
    expect(again.output).toContain('converting 0 session(s)');
    expect(await hashTree(dataDir)).toBe(converted);
  });

  it('finishes a run that was killed midway, losing nothing', async () => {
    const dataDir = await tempDir();
    const sessions = await writeLegacyDataDir(dataDir, { nested: 100, flat: 40, maxMessages: 200 });
    for (const delay of [1100, 1400, 1700, 2000]) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate/cli.ts', '--data-dir', dataDir], { cwd: root, stdio: 'ignore' });
      const exited = once(child, 'exit'); // it may finish before the kill
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await exited;
    }
    const rerun = await migrate('--data-dir', dataDir);
    expect(rerun.code, rerun.output).toBe(0);
    await expectServedIntact(dataDir, sessions);
  }, 120_000);

  it('reports bad files with their paths, skips them, converts the rest, and exits 1', async () => {
    const dataDir = await tempDir();
    const good = await writeLegacySession(dataDir, { layout: 'nested', projectId: 'proj-0', messages: 3 }, 1);
    const unparseable = await writeLegacySession(dataDir, { layout: 'nested', projectId: 'proj-0', messages: 2 }, 2);
    await writeFile(path.join(unparseable.dir, 'messages.json'), '[{"id": ');
    const badRole = await writeLegacySession(dataDir, { layout: 'nested', projectId: 'proj-0', messages: 2 }, 3);
    badRole.messages[1]!.role = 'wizard';
    await writeFile(path.join(badRole.dir, 'messages.json'), JSON.stringify(badRole.messages));
    const badId = path.join(dataDir, 'projects', 'proj-0', 'chat_sessions', 'bad id!');
    await mkdir(badId, { recursive: true });
    await writeFile(path.join(badId, 'metadata.json'), JSON.stringify({ id: 'bad id!', title: 't', created_at: '2024-01-01T00:00:00' }));
    await writeFile(path.join(badId, 'messages.json'), '[]');
    const twice = await writeLegacySession(dataDir, { layout: 'nested', projectId: 'proj-0', messages: 1 }, 4);
    const copy = path.join(dataDir, 'chat_sessions', path.basename(twice.dir));
    await mkdir(copy, { recursive: true });
    await writeFile(path.join(copy, 'metadata.json'), JSON.stringify({ ...twice.metadata, project_id: 'proj-1' }));
    await writeFile(path.join(copy, 'messages.json'), JSON.stringify(twice.messages));

    const strict = await migrate('--data-dir', dataDir, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.output).toContain('nothing was changed');

    const run = await migrate('--data-dir', dataDir);
    expect(run.code).toBe(1);
    expect(run.output).toContain(`problem: ${path.join(unparseable.dir, 'messages.json')}: is not valid JSON`);
    expect(run.output).toContain(`problem: ${path.join(badRole.dir, 'messages.json')}: message 2`);
    expect(run.output).toContain('unknown role "wizard"');
    expect(run.output).toContain(`problem: ${path.join(badId, 'metadata.json')}: session id "bad id!" does not match the id pattern`);
    expect(run.output).toContain(`session id ${twice.metadata.id} exists in two places`);
    expect(run.output).toContain('5 session(s) skipped');
    await expectServedIntact(dataDir, [good]);
  });

  it('stops before changing anything when flat sessions name no project, and takes --default-project', async () => {
    const dataDir = await tempDir();
    const sessions = await writeLegacyDataDir(dataDir, { nested: 2, flat: 1, flatWithoutProject: 2, maxMessages: 5 });
    const before = await hashTree(dataDir);
    const stopped = await migrate('--data-dir', dataDir);
    expect(stopped.code).toBe(1);
    expect(stopped.output).toContain('2 flat session(s) name no project; run again with --default-project ID');
    expect(await hashTree(dataDir)).toBe(before);
    const run = await migrate('--data-dir', dataDir, '--default-project', 'fallback');
    expect(run.code, run.output).toBe(0);
    await expectServedIntact(dataDir, sessions);
  });

  it('answers bad usage with exit code 2 and help', async () => {
    expect((await migrate()).code).toBe(2);
    expect((await migrate('--data-dir', '/nonexistent/dir')).code).toBe(2);
    const help = await migrate('--help');
    expect(help.code).toBe(0);
    expect(help.output).toContain('Usage: npm run migrate');
  });

  it('searches a data dir for legacy files until it finds it clean once, and remembers that in the data dir', async () => {
    const dataDir = await tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    const logger = pino({ level: 'silent' });
    const [legacy] = await writeLegacyDataDir(dataDir, { nested: 1, flat: 0, maxMessages: 2 });
    await expect(openStore(config, logger)).rejects.toThrow(StoreOpenError);
    await expect(access(path.join(dataDir, LEGACY_CHECKED_FILE))).rejects.toThrow();
    expect((await migrate('--data-dir', dataDir)).code).toBe(0);
    const opened = await openStore(config, logger);
    await opened.store.close();
    await opened.release();
    await access(path.join(dataDir, LEGACY_CHECKED_FILE));
    // Legacy files put there afterwards are not looked for at start; the store never reads them as its own either:
    // their session answers as damaged.
    const late = await writeLegacySession(dataDir, { layout: 'nested', projectId: legacy!.spec.projectId!, messages: 1 }, 7);
    const again = await openStore(config, logger);
    try {
      await expect(again.store.getSessions([{ projectId: legacy!.spec.projectId!, sessionId: late.metadata.id as string }])).rejects.toThrow(StoreCorruptionError);
    } finally {
      await again.store.close();
      await again.release();
    }
  });

  it('the server refuses to start on legacy data, naming the command', async () => {
    const dataDir = await tempDir();
    await writeLegacyDataDir(dataDir, { nested: 1, flat: 0, maxMessages: 2 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...process.env, PORT: '0', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output).toContain(`npm run migrate -- --data-dir ${dataDir}`);
  });
});
