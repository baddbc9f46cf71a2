// Import and export over HTTP (app.fetch): importConversations as a GraphQL multipart upload (limited by
// MAX_IMPORT_BYTES, writers only), the REST exports (JSON, Markdown, the project as streamed NDJSON), and an export
// imported into another project reading back identical, every branch.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.js';
import { createTestApp } from '../helpers/app.js';
import { countingStore } from '../helpers/counting-store.js';
import { writeSessionFixture } from '../helpers/session-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

const IMPORT = `mutation Import($projectId: ID!, $file: File!, $format: ImportFormat, $dryRun: Boolean) {
  importConversations(projectId: $projectId, file: $file, format: $format, dryRun: $dryRun) {
    __typename
    ... on ImportConversationsSuccess { report { format dryRun imported skipped messages problems { item message } sessions { id title messageCount } } }
    ... on ValidationError { message }
  }
}`;

type App = Awaited<ReturnType<typeof createTestApp>>;

function upload(t: App, projectId: string, content: Uint8Array<ArrayBuffer> | string, name: string, variables: Record<string, unknown> = {}) {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: IMPORT, variables: { projectId, file: null, ...variables } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new File([content], name, { type: 'application/json' }));
  // A multipart request is one a browser sends cross-site without asking: Yoga's CSRF check wants this header.
  return t.app.fetch(new Request('http://test/graphql', { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1' } }));
}

async function uploaded(t: App, projectId: string, content: Uint8Array<ArrayBuffer> | string, name: string, variables: Record<string, unknown> = {}) {
  const response = await upload(t, projectId, content, name, variables);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data?: { importConversations: Record<string, unknown> }; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.importConversations as { __typename: string; report?: { imported: number; skipped: number; messages: number; format: string; dryRun: boolean; sessions: { id: string; title: string }[] }; message?: string };
}

describe('import and export over HTTP', () => {
  it('imports an upload, reports a dry run without writing, answers ValidationError for an unreadable file', async () => {
    const t = await createTestApp();
    const chatgpt = await readFile(path.join(FIXTURES, 'chatgpt/conversations.json'));
    const dry = await uploaded(t, 'p', chatgpt, 'conversations.json', { dryRun: true });
    expect(dry.report).toMatchObject({ format: 'CHATGPT', dryRun: true, imported: 3, messages: 16, sessions: [] });
    expect(await t.service.listSessions('p')).toEqual([]);
    const real = await uploaded(t, 'p', chatgpt, 'conversations.json', { format: 'CHATGPT' });
    expect(real.report).toMatchObject({ imported: 3, skipped: 0 });
    expect((await t.service.listSessions('p')).map((s) => s.title).sort()).toEqual(real.report!.sessions.map((s) => s.title).sort());
    expect((await uploaded(t, 'p', chatgpt, 'conversations.json')).report).toMatchObject({ imported: 0, skipped: 3 });
    const bad = await uploaded(t, 'p', '{"not": "a conversation"', 'broken.json');
    expect(bad.__typename).toBe('ValidationError');
    expect(bad.message).toMatch(/not valid JSON|not a conversation/);
  });

  it('refuses an upload over MAX_IMPORT_BYTES (101 MiB) with 413, reading no further', async () => {
    const t = await createTestApp();
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 101) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await t.app.fetch(new Request('http://test/graphql', { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } } as RequestInit));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(sent).toBeLessThanOrEqual(101);
  });

  it('exports a session as JSON and Markdown, and a project as NDJSON that imports into another project identical, every branch', async () => {
    const t = await createTestApp();
    await uploaded(t, 'p', await readFile(path.join(FIXTURES, 'chatgpt/conversations.json')), 'c.json');
    await uploaded(t, 'p', await readFile(path.join(FIXTURES, 'open-webui/chats.json')), 'o.json');
    const sessions = await t.service.listSessions('p', { includeInactive: true });
    const regex = sessions.find((s) => s.title === 'Regex for ISO 8601 dates')!;

    const json = await t.app.fetch(new Request(`http://test/api/projects/p/sessions/${regex.id}/export`));
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="Regex for ISO 8601 dates.json"; filename*=UTF-8\'\'Regex%20for%20ISO%208601%20dates.json');
    const exported = (await json.json()) as { format: string; messages: unknown[] };
    expect(exported.format).toBe('chat-session-service/session');
    expect(exported.messages).toHaveLength(8);

    const markdown = await t.app.fetch(new Request(`http://test/api/projects/p/sessions/${regex.id}/export?format=markdown`));
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await markdown.text();
    const branch = (await t.service.branchPagesOf([{ session: regex, first: 100 }]))[0] as { edges: { node: Message }[] };
    expect(text.startsWith('# Regex for ISO 8601 dates\n')).toBe(true);
    let at = 0;
    for (const { node } of branch.edges) {
      const found = text.indexOf(node.content, at);
      expect(found, node.content.slice(0, 30)).toBeGreaterThan(at);
      at = found;
    }
    expect(text).not.toContain('Make it accept a time as well.');
    expect((await t.app.fetch(new Request('http://test/api/projects/p/sessions/nope/export'))).status).toBe(404);
    expect((await t.app.fetch(new Request(`http://test/api/projects/p/sessions/${regex.id}/export?format=pdf`))).status).toBe(422);

    const ndjson = await t.app.fetch(new Request('http://test/api/projects/p/export'));
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await ndjson.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const dir = await tempDir();
    await writeFile(path.join(dir, 'p.ndjson'), `${lines.join('\n')}\n`);
    const copy = await uploaded(t, 'q', await readFile(path.join(dir, 'p.ndjson')), 'p.ndjson');
    expect(copy.report).toMatchObject({ format: 'NATIVE', imported: 5 });
    for (const session of sessions) {
      const [copied] = await t.store.getSessions([{ projectId: 'q', sessionId: session.id }]);
      expect(copied).toEqual({ ...session, projectId: 'q' });
      const [original] = await t.store.readMessages([{ projectId: 'p', sessionId: session.id, fromSeq: 1, toSeq: 1000 }]);
      const [again] = await t.store.readMessages([{ projectId: 'q', sessionId: session.id, fromSeq: 1, toSeq: 1000 }]);
      expect(again).toEqual(original!.map((m) => ({ ...m, projectId: 'q' })));
    }
    expect((await uploaded(t, 'q', await readFile(path.join(dir, 'p.ndjson')), 'p.ndjson')).report).toMatchObject({ imported: 0, skipped: 5 });
  });

  it('streams the NDJSON of 10 000 sessions as the client reads, a chunk at a time', async () => {
    const dataDir = await tempDir({ inMemory: true });
    for (let i = 0; i < 10_000; i += 100) await Promise.all(Array.from({ length: 100 }, () => writeSessionFixture(dataDir, 'big', 2, 50)));
    let counted: ReturnType<typeof countingStore> | null = null;
    const t = await createTestApp({
      dataDir,
      wrapStore: (store) => {
        counted = countingStore(store);
        return counted.store;
      },
    });
    await t.store.catchUpSearch();
    const response = await t.app.fetch(new Request('http://test/api/projects/big/export'));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).split('\n')[0]).toMatch(/^\{"format":"chat-session-service\/session"/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Only what the reader took (a chunk of about 64 KiB, and one more ahead) has been read from the store.
    expect(counted!.calls.get('readMessages') ?? 0).toBeLessThan(300);
    let lines = first.value!.filter((b) => b === 0x0a).length;
    const heapBefore = process.memoryUsage().heapUsed;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      lines += value.filter((b) => b === 0x0a).length;
    }
    expect(lines).toBe(10_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});
