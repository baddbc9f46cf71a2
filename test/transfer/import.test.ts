// Importing the shared fixtures (ChatGPT, its split files, Open WebUI) and generated exports through the CLI and the
// service on a real file store: sessions, active branches, siblings, times and metadata as the fixtures' README says;
// a second import skips; a dry run writes nothing; unreadable files write nothing; broken conversations are reported.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import type { Message } from '../../src/domain/message.js';
import type { Session } from '../../src/domain/session.js';
import { ChatService } from '../../src/service/chat-service.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { silentLogger } from '../helpers/app.js';
import { listDataFiles } from '../helpers/files.js';
import { postgresSchemas } from '../helpers/postgres-schemas.js';
import { postgresHarness } from '../helpers/store-harness.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';

const root = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

async function service(dataDir?: string) {
  const dir = dataDir ?? (await tempDir());
  const store = new FileStore({ dataDir: dir, logger: silentLogger });
  closeAfterTest(() => store.close());
  return { dir, store, service: new ChatService({ store, maxMessageBytes: 256 * 1024 }) };
}

const file = (name: string) => ({ path: path.join(FIXTURES, name), label: path.basename(name) });

async function branch(store: FileStore, session: Session): Promise<Message[]> {
  const [page] = await store.readBranches([{ projectId: session.projectId, sessionId: session.id, leafId: null, window: (n) => ({ from: 1, to: n }) }]);
  return page!.messages;
}

async function all(store: FileStore, session: Session): Promise<Message[]> {
  return (await store.readMessages([{ projectId: session.projectId, sessionId: session.id, fromSeq: 1, toSeq: 100_000 }]))[0]!;
}

/** A hash of every file of a data dir but its search index (derived, and touched by any open). */
async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of await listDataFiles(dir)) {
    if (name === 'server.lock') continue;
    hash.update(name).update(await readFile(path.join(dir, name)));
  }
  return hash.digest('hex');
}

function cli(args: string[], dataDir: string, script = 'src/transfer/import-cli.ts') {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return once(child, 'exit').then(([code]) => ({ code: code as number, output }));
}

describe('importing the fixtures', () => {
  it('ChatGPT: three sessions with their titles, times, branches, active leaves; hidden system messages and image pointers left out of content', async () => {
    const { store, service: s } = await service();
    const report = await s.importConversations('p', file('chatgpt/conversations.json'));
    expect(report).toMatchObject({ format: 'chatgpt', imported: 3, skipped: 0, messages: 16, problems: [] });
    const byTitle = new Map(report.sessions.map((x) => [x.title, x]));
    const source = JSON.parse(await readFile(path.join(FIXTURES, 'chatgpt/conversations.json'), 'utf8')) as { title: string; create_time: number; conversation_id: string }[];
    for (const conversation of source) {
      const session = byTitle.get(conversation.title)!;
      expect(session.createdAt).toBe(new Date(Math.round(conversation.create_time * 1000)).toISOString());
      expect(session.metadata.importedFrom).toEqual({ format: 'chatgpt', id: conversation.conversation_id });
    }
    const sourdough = byTitle.get('Sourdough starter feeding schedule')!;
    expect(sourdough.messageCount).toBe(4);
    const sourBranch = await branch(store, sourdough);
    expect(sourBranch.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(sourBranch.at(-1)!.content).toMatch(/^In the fridge it needs feeding/);
    expect(sourBranch.every((m) => m.role !== 'system')).toBe(true);

    const regex = byTitle.get('Regex for ISO 8601 dates')!;
    expect(regex.messageCount).toBe(8);
    const regexBranch = await branch(store, regex);
    expect(regexBranch).toHaveLength(6);
    expect(regexBranch.at(-1)!.content).toMatch(/^Yes: the date, the time/);
    const edited = regexBranch[2]!;
    const [links] = await store.readLinks([{ projectId: 'p', sessionId: regex.id, sequence: edited.sequence, id: edited.id }]);
    expect(links!.siblingIds).toHaveLength(2);
    const siblings = (await all(store, regex)).filter((m) => links!.siblingIds.includes(m.id));
    expect(siblings.map((m) => m.role)).toEqual(['user', 'user']);
    // Times kept, and a child never before its parent in sequence.
    const every = await all(store, regex);
    for (const m of every) if (m.parentId) expect(every.find((p) => p.id === m.parentId)!.sequence).toBeLessThan(m.sequence);

    const plot = byTitle.get('Plot a CSV column with pandas')!;
    const plotBranch = await branch(store, plot);
    expect(plotBranch.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(plotBranch[0]!.content).not.toMatch(/asset_pointer|file-service/);
    expect(plotBranch[0]!.metadata.attachments).toEqual([expect.objectContaining({ content_type: 'image_asset_pointer' })]);
    expect(plotBranch[1]!.content).toMatch(/import pandas as pd/);
    expect(plotBranch[2]!.content).toMatch(/count\s+12/);
    expect(plotBranch[3]!.content).toMatch(/^The revenue line is saved/);
  });

  it('ChatGPT split files make the same sessions; importing any file again skips what is there, across formats of the same export', async () => {
    const { service: s } = await service();
    const first = await s.importConversations('p', file('chatgpt-split/conversations-000.json'));
    const second = await s.importConversations('p', file('chatgpt-split/conversations-001.json'));
    expect([first.imported, second.imported]).toEqual([2, 1]);
    const whole = await s.importConversations('p', file('chatgpt/conversations.json'));
    expect(whole).toMatchObject({ imported: 0, skipped: 3, sessions: [] });
    const { service: other } = await service();
    const sessions = (await other.importConversations('q', file('chatgpt/conversations.json'))).sessions;
    expect([...first.sessions, ...second.sessions].map((x) => [x.id, x.title, x.messageCount]).sort()).toEqual(sessions.map((x) => [x.id, x.title, x.messageCount]).sort());
  });

  it('Open WebUI: pinned, tags, the regenerated answer as a sibling, the active branch and created_at kept', async () => {
    const { store, service: s } = await service();
    const report = await s.importConversations('p', file('open-webui/chats.json'));
    expect(report).toMatchObject({ format: 'open-webui', imported: 2, messages: 9, problems: [] });
    const k8s = report.sessions.find((x) => x.title === 'Kubernetes liveness vs readiness probes')!;
    expect(k8s).toMatchObject({ pinned: true, tags: ['devops', 'kubernetes'], messageCount: 5 });
    const k8sBranch = await branch(store, k8s);
    expect(k8sBranch).toHaveLength(4);
    expect(k8sBranch.at(-1)!.content).toMatch(/^Better not:/);
    const answer = k8sBranch[1]!;
    const [links] = await store.readLinks([{ projectId: 'p', sessionId: k8s.id, sequence: answer.sequence, id: answer.id }]);
    expect(links!.siblingIds).toHaveLength(2);
    const poem = report.sessions.find((x) => x.title === 'Gedicht ins Japanische übersetzen')!;
    const source = JSON.parse(await readFile(path.join(FIXTURES, 'open-webui/chats.json'), 'utf8')) as { title: string; created_at: number }[];
    expect(poem.messageCount).toBe(4);
    expect(poem.createdAt).toBe(new Date(source.find((c) => c.title === poem.title)!.created_at * 1000).toISOString());
  });

  it('reads the .zip as ChatGPT downloads it', async () => {
    const dir = await tempDir();
    const zip = path.join(dir, 'export.zip');
    await writeFile(zip, zipSync({ 'chat.html': new TextEncoder().encode('<html></html>'), 'conversations.json': await readFile(path.join(FIXTURES, 'chatgpt/conversations.json')) }));
    const { service: s } = await service();
    expect(await s.importConversations('p', { path: zip, label: 'export.zip' })).toMatchObject({ format: 'chatgpt', imported: 3, messages: 16 });
  });
});

/** A generated ChatGPT conversation: a chain of `length` messages under a hidden system root, and options. */
function chatgptConversation(id: string, length: number, options: { title?: string; wide?: number; unknownType?: boolean; nullTimes?: boolean } = {}) {
  const mapping: Record<string, unknown> = { root: { id: 'root', message: null, parent: null, children: ['sys'] } };
  mapping.sys = { id: 'sys', parent: 'root', children: [], message: { id: 'sys', author: { role: 'system' }, content: { content_type: 'text', parts: [''] }, weight: 0, metadata: {}, create_time: null } };
  let parent = 'sys';
  const time = 1_700_000_000;
  for (let i = 0; i < length; i++) {
    const node = `${id}-m${i}`;
    const role = i % 2 === 0 ? 'user' : 'assistant';
    const content = options.unknownType && i === 1 ? { content_type: 'mystery_widget', text: 'kept text of a mystery' } : { content_type: 'text', parts: [`message ${i} ✓ 日本語 ${id}`] };
    mapping[node] = { id: node, parent, children: [], message: { id: node, author: { role }, content, weight: 1, metadata: {}, create_time: options.nullTimes && i % 3 === 2 ? null : time + i } };
    (mapping[parent] as { children: string[] }).children.push(node);
    parent = node;
  }
  for (let w = 0; w < (options.wide ?? 0); w++) {
    const node = `${id}-alt${w}`;
    mapping[node] = { id: node, parent: `${id}-m0`, children: [], message: { id: node, author: { role: 'assistant' }, content: { content_type: 'text', parts: [`alternative ${w}`] }, weight: 1, metadata: {}, create_time: time + 1 } };
    (mapping[`${id}-m0`] as { children: string[] }).children.push(node);
  }
  return { id, conversation_id: id, title: options.title ?? `Generated ${id}`, create_time: time, update_time: time + length, current_node: parent, mapping };
}

describe('importing generated exports', () => {
  it('deep and wide trees, Unicode, null times, unknown content types and a broken conversation: the rest import, each problem reported', async () => {
    const dir = await tempDir();
    const conversations: unknown[] = Array.from({ length: 60 }, (_, i) => chatgptConversation(`c${i}`, 3 + (i % 5), { nullTimes: i % 4 === 0 }));
    conversations.push(chatgptConversation('deep', 3000));
    conversations.push(chatgptConversation('wide', 2, { wide: 200, title: 'Ünïcødé 💬 wide' }));
    conversations.push(chatgptConversation('odd', 3, { unknownType: true }));
    conversations.push({ id: 'broken', title: 'Broken', mapping: { a: 'not a node' } });
    const exportFile = path.join(dir, 'conversations.json');
    await writeFile(exportFile, JSON.stringify(conversations));
    const { store, service: s } = await service();
    const report = await s.importConversations('p', { path: exportFile, label: 'conversations.json' });
    expect(report.imported).toBe(63);
    expect(report.problems).toEqual([
      { item: '#63 "Generated odd"', message: expect.stringMatching(/content type "mystery_widget"/) },
      { item: '#64 "Broken"', message: expect.stringMatching(/^not imported: /) },
    ]);
    const deep = report.sessions.find((x) => x.title === 'Generated deep')!;
    expect((await branch(store, deep)).length).toBe(3000);
    const wide = report.sessions.find((x) => x.title === 'Ünïcødé 💬 wide')!;
    expect(wide.messageCount).toBe(202);
    const odd = await branch(store, report.sessions.find((x) => x.title === 'Generated odd')!);
    expect(odd[1]!.content).toBe('kept text of a mystery');
    // A null create_time takes the parent's.
    const nullTimes = await branch(store, report.sessions.find((x) => x.title === 'Generated c0')!);
    expect(nullTimes[2]!.createdAt).toBe(nullTimes[1]!.createdAt);
  });

  it('CLI: a dry run reports and writes nothing; the import exits 0, then 1 with a broken conversation; a second run skips all', async () => {
    const dir = await tempDir();
    const data = await tempDir();
    const fixture = path.join(FIXTURES, 'chatgpt/conversations.json');
    expect((await cli(['--project', 'p', path.join(FIXTURES, 'open-webui/chats.json')], data)).code).toBe(0);
    const before = await treeHash(data);
    const dry = await cli(['--project', 'p', '--dry-run', fixture], data);
    expect(dry.output).toMatch(/would import 3 conversation\(s\) with 16 message\(s\)/);
    expect(dry.code).toBe(0);
    expect(await treeHash(data)).toBe(before);
    const real = await cli(['--project', 'p', fixture], data);
    expect(real.output).toMatch(/3 \/ 3 conversations/);
    expect(real.code).toBe(0);
    const again = await cli(['--project', 'p', fixture], data);
    expect(again.output).toMatch(/imported 0 conversation\(s\) with 0 message\(s\), skipped 3/);
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify([chatgptConversation('fine', 2), { id: 'x', mapping: 7 }]));
    expect((await cli(['--project', 'p', broken], data)).code).toBe(1);
    expect((await cli(['--project', 'p'], data)).code).toBe(2);
    expect((await cli(['--project', '../etc', fixture], data)).code).toBe(2);
    expect((await cli(['--project', 'p', '--format', 'csv', fixture], data)).code).toBe(2);

    // And out again: the project as NDJSON to a file, a session's active branch as Markdown to standard output.
    const EXPORT = 'src/transfer/export-cli.ts';
    const out = path.join(dir, 'p.ndjson');
    const exported = await cli(['--project', 'p', '--out', out], data, EXPORT);
    expect(exported.output).toMatch(/exported 6 session\(s\) of p/);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { session: { id: string; title: string } });
    expect(lines).toHaveLength(6);
    const regex = lines.find((line) => line.session.title === 'Regex for ISO 8601 dates')!;
    const markdown = await cli(['--project', 'p', '--session', regex.session.id, '--format', 'markdown'], data, EXPORT);
    expect(markdown.code).toBe(0);
    expect(markdown.output).toMatch(/^# Regex for ISO 8601 dates\n[\s\S]*## Assistant · [\s\S]*Yes: the date, the time/);
    expect((await cli(['--project', 'p', '--session', 'missing'], data, EXPORT)).code).toBe(1);
    expect((await cli(['--project', 'p', '--format', 'markdown'], data, EXPORT)).code).toBe(2);
  });

  it('refuses files it cannot read with a ValidationError and writes nothing', async () => {
    const dir = await tempDir();
    const { dir: data, service: s } = await service();
    await s.importConversations('p', file('open-webui/chats.json'));
    const before = await treeHash(data);
    const valid = JSON.stringify([chatgptConversation('a', 2), chatgptConversation('b', 2)]);
    const cases: [string, string | Uint8Array][] = [
      ['truncated.json', valid.slice(0, valid.length - 40)],
      ['text.json', 'hello, not json'],
      ['empty.json', ''],
      ['numbers.json', '[1, 2, 3]'],
      ['garbage-after.json', `${valid} ]]`],
      ['nothing.zip', zipSync({ 'readme.txt': new TextEncoder().encode('no conversations here') })],
      ['broken.zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])],
    ];
    for (const [name, content] of cases) {
      await writeFile(path.join(dir, name), content);
      await expect(s.importConversations('p', { path: path.join(dir, name), label: name }), name).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await treeHash(data)).toBe(before);
  });
});

describe('importing into PostgreSQL', () => {
  const schemas = postgresSchemas();

  it('makes the same sessions, and a second import from another replica skips them all', async () => {
    const schema = await schemas.create();
    const first = await postgresHarness(schema);
    const second = await postgresHarness(schema);
    const a = new ChatService({ store: first.store, maxMessageBytes: 256 * 1024 });
    const b = new ChatService({ store: second.store, maxMessageBytes: 256 * 1024 });
    const [one, two] = await Promise.all([a.importConversations('p', file('chatgpt/conversations.json')), b.importConversations('p', file('chatgpt/conversations.json'))]);
    expect(one.imported + two.imported).toBe(3);
    expect(one.skipped + two.skipped).toBe(3);
    const sessions = await a.listSessions('p');
    expect(sessions.map((s) => [s.title, s.messageCount]).sort()).toEqual([
      ['Plot a CSV column with pandas', 4],
      ['Regex for ISO 8601 dates', 8],
      ['Sourdough starter feeding schedule', 4],
    ]);
    const regex = sessions.find((s) => s.title === 'Regex for ISO 8601 dates')!;
    const [page] = await first.store.readBranches([{ projectId: 'p', sessionId: regex.id, leafId: null, window: (n) => ({ from: 1, to: n }) }]);
    expect(page!.messages.at(-1)!.content).toMatch(/^Yes: the date, the time/);
    expect((await b.importConversations('p', file('chatgpt-split/conversations-001.json'))).skipped).toBe(1);
  });
});
