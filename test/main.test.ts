// The real server process: start on an ephemeral port, serve, refuse bad config, stop gracefully on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listFiles } from './helpers/files.js';
import { SERVER_NODE_FLAGS } from './helpers/server-process.js';
import { closeAfterTest, tempDir } from './helpers/temp-dir.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  // One process (no tsx wrapper), so signals and the lock's pid are the server's own.
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  closeAfterTest(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  return { child, output: () => text };
}

/** Up to 40 s: `npm start` compiles first, and CI runs this beside other test files that load both cores. */
async function waitForUrl(output: () => string): Promise<string> {
  for (let i = 0; i < 800; i++) {
    const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(output());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${output()}`);
}

describe('server process', () => {
  it('is started by npm start with the Node flags that tests and benchmarks start it with', async () => {
    const { readFile } = await import('node:fs/promises');
    const start = (JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe(`NODE_ENV=production exec node ${SERVER_NODE_FLAGS.join(' ')} dist/main.js`);
  });

  it('npm start builds and serves, and a SIGTERM to npm stops the server gracefully (regression: a shell between npm and node kept it)', async () => {
    const dataDir = await tempDir();
    const child = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout!.on('data', (chunk) => (text += chunk));
    child.stderr!.on('data', (chunk) => (text += chunk));
    closeAfterTest(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const base = await waitForUrl(() => text);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    child.kill('SIGTERM');
    await once(child, 'exit');
    expect(text).toContain('"msg":"stopped"');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('serves on its port and stops with exit code 0 on SIGTERM, store flushed', async () => {
    const dataDir = await tempDir();
    const { child, output } = startServer({ PORT: '0', DATA_DIR: dataDir });
    const base = await waitForUrl(output);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const created = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { createSession(projectId: "p", input: { title: "t" }) { ... on CreateSessionSuccess { session { id } } } }' }),
    });
    const id = ((await created.json()) as { data: { createSession: { session: { id: string } } } }).data.createSession.session.id;
    const add = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { addMessage(projectId: "p", sessionId: "${id}", input: { role: USER, content: "hi" }) { __typename } }` }),
    });
    expect(((await add.json()) as { data: { addMessage: { __typename: string } } }).data.addMessage.__typename).toBe('AddMessageSuccess');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
    // A clean stop leaves the search index whole in one file (its write-ahead log checkpointed into it).
    expect(await listFiles(dataDir)).toEqual(['legacy-checked.json', ...['messages.idx', 'messages.jsonl', 'metadata.json', 'tree.idx'].map((f) => `projects/p/chat_sessions/${id}/${f}`), 'search/index.sqlite']);
  });

  it('completes open subscriptions on SIGTERM and still exits 0', async () => {
    const dataDir = await tempDir();
    const { child, output } = startServer({ PORT: '0', DATA_DIR: dataDir });
    const base = await waitForUrl(output);
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { sessionEvents(projectId: "p") { kind } }' }),
    });
    const text = response.text();
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await text).toContain('event: complete');
  });

  it('keeps serving after SSE subscribers disconnect (regression: a double close of the response stream crashed it)', async () => {
    const dataDir = await tempDir();
    const { child, output } = startServer({ PORT: '0', DATA_DIR: dataDir });
    const base = await waitForUrl(output);
    const created = await fetch(`${base}/api/projects/p/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"t"}' });
    const { id } = (await created.json()) as { id: string };
    for (const query of [`subscription { messageAdded(projectId: "p", sessionId: "${id}") { sequence } }`, 'subscription { sessionEvents(projectId: "p") { kind } }']) {
      const abort = new AbortController();
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query }), signal: abort.signal });
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      abort.abort();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const added = await fetch(`${base}/api/projects/p/sessions/${id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"user","content":"after"}' });
    expect(added.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
  });

  it('refuses a second server on the same DATA_DIR, naming the holder, with exit code 1', async () => {
    const dataDir = await tempDir();
    const first = startServer({ PORT: '0', DATA_DIR: dataDir });
    await waitForUrl(first.output);
    const second = startServer({ PORT: '0', DATA_DIR: dataDir });
    const [code] = await once(second.child, 'exit');
    expect(code).toBe(1);
    expect(second.output()).toContain(`in use by another server (pid ${first.child.pid} on`);
  });

  it('takes over the lock of a server that was killed', async () => {
    const dataDir = await tempDir();
    const first = startServer({ PORT: '0', DATA_DIR: dataDir });
    await waitForUrl(first.output);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const second = startServer({ PORT: '0', DATA_DIR: dataDir });
    const base = await waitForUrl(second.output);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses a bad configuration value with one line naming it and exit code 1', async () => {
    const { child, output } = startServer({ PORT: 'eighty' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output().trim()).toMatch(/^Invalid configuration: PORT="eighty": .+$/);
  });

  it('ends a stream whose writer went away as INCOMPLETE after STREAM_IDLE_TIMEOUT_MS, and after a restart a stream left open', async () => {
    const dataDir = await tempDir();
    const env = { PORT: '0', DATA_DIR: dataDir, STREAM_IDLE_TIMEOUT_MS: '400' };
    const gql = async (base: string, query: string, variables: Record<string, unknown> = {}) =>
      // biome-ignore lint/suspicious/noExplicitAny: read loosely, asserted below
      ((await (await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as any).data;
    const first = startServer(env);
    let base = await waitForUrl(first.output);
    const session = (await (await fetch(`${base}/api/projects/p/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'idle' }) })).json()).id as string;
    const start = async () => (await gql(base, 'mutation($s: ID!) { startMessage(projectId: "p", sessionId: $s, input: { role: ASSISTANT }) { ... on StartMessageSuccess { message { id } } } }', { s: session })).startMessage.message.id as string;
    const append = (m: string, i: number, c: string) => gql(base, 'mutation($s: ID!, $m: ID!, $i: Int!, $c: String!) { appendMessageContent(projectId: "p", sessionId: $s, messageId: $m, index: $i, chunk: $c) { __typename } }', { s: session, m, i, c });
    const read = async () => (await gql(base, 'query($s: ID!) { session(projectId: "p", id: $s) { allMessagesConnection { edges { node { id status content } } } } }', { s: session })).session.allMessagesConnection.edges.map((e: { node: unknown }) => e.node);
    const idle = await start();
    await append(idle, 0, 'said this much');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await read()).toEqual([{ id: idle, status: 'INCOMPLETE', content: 'said this much' }]);
    // A stream open at a crash (SIGKILL): after the restart its chunks are there, and the sweep ends it once idle.
    const open = await start();
    await append(open, 0, 'before the crash');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const second = startServer(env);
    base = await waitForUrl(second.output);
    const after = await read();
    expect(after[1]).toMatchObject({ id: open, content: 'before the crash' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await read())[1]).toEqual({ id: open, status: 'INCOMPLETE', content: 'before the crash' });
  });
});
