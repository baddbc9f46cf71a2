// Streamed messages over GraphQL: the mutations and their typed errors through app.fetch, and messageStream through
// real transports (SSE and graphql-ws) on an ephemeral port, replaying, resuming and ending as the contract says.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { restClient } from '../helpers/rest.js';
import { sseSubscribe, startLiveServer, wsSubscribe } from '../helpers/live-server.js';
import { AddMessage, AppendContent, ContextWindow, CreateSession, FinishMessage, MessageTokens, StartMessage } from './operations.js';

async function chat() {
  const t = await createTestApp({ maxMessageBytes: 200 });
  const created = await t.data(CreateSession, { projectId: 'p', input: { title: 'chat' } });
  if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
  return { ...t, sessionId: created.createSession.session.id };
}

describe('GraphQL streamed messages', () => {
  it('starts, appends, retries, refuses gaps and oversize, finishes once, with typed results throughout', async () => {
    const t = await chat();
    const ids = { projectId: 'p', sessionId: t.sessionId };
    const started = (await t.data(StartMessage, { ...ids, input: { role: 'ASSISTANT', clientMessageId: 'gen-1', metadata: { model: 'demo' } } })).startMessage;
    if (started.__typename !== 'StartMessageSuccess') throw new Error(JSON.stringify(started));
    expect(started).toMatchObject({ deduplicated: false, message: { sequence: 1, status: 'STREAMING', content: '', chunkCount: 0 }, session: { activeLeafId: started.message.id } });
    const messageId = started.message.id;
    const append = async (index: number, chunk: string) => (await t.data(AppendContent, { ...ids, messageId, index, chunk })).appendMessageContent;
    expect(await append(0, 'Hello')).toMatchObject({ __typename: 'AppendContentSuccess', appended: true, message: { content: 'Hello', chunkCount: 1, status: 'STREAMING' } });
    expect(await append(0, 'Hello')).toMatchObject({ __typename: 'AppendContentSuccess', appended: false, message: { content: 'Hello', chunkCount: 1 } });
    expect(await append(2, '!')).toMatchObject({ __typename: 'ConflictError', error: expect.stringContaining('expects chunk 1 next') });
    expect(await append(1, 'x'.repeat(300))).toMatchObject({ __typename: 'ValidationError' });
    expect(await append(-1, 'x')).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['index'] }] });
    expect(await append(1, ', world')).toMatchObject({ appended: true, message: { content: 'Hello, world' } });
    const again = (await t.data(StartMessage, { ...ids, input: { role: 'ASSISTANT', clientMessageId: 'gen-1' } })).startMessage;
    expect(again).toMatchObject({ __typename: 'StartMessageSuccess', deduplicated: true, message: { id: messageId, content: 'Hello, world', status: 'STREAMING' } });
    const finish = async (status: 'COMPLETE' | 'INCOMPLETE' | 'STREAMING') =>
      (await t.data(FinishMessage, { ...ids, messageId, input: { status, metadata: { finishReason: 'stop', usage: { output: 3 } } } })).finishMessage;
    expect(await finish('STREAMING')).toMatchObject({ __typename: 'ValidationError' });
    expect(await finish('COMPLETE')).toMatchObject({
      __typename: 'FinishMessageSuccess',
      message: { status: 'COMPLETE', content: 'Hello, world', chunkCount: 2, metadata: { model: 'demo', finishReason: 'stop', usage: { output: 3 } } },
    });
    expect(await finish('COMPLETE')).toMatchObject({ __typename: 'FinishMessageSuccess', message: { status: 'COMPLETE' } });
    expect(await finish('INCOMPLETE')).toMatchObject({ __typename: 'ConflictError' });
    expect(await append(2, 'late')).toMatchObject({ __typename: 'ConflictError', error: expect.stringContaining('not STREAMING') });
    const other = await t.data(FinishMessage, { projectId: 'q', sessionId: t.sessionId, messageId, input: { status: 'COMPLETE' } });
    expect(other.finishMessage).toMatchObject({ __typename: 'NotFoundError' });
    const missing = await t.data(AppendContent, { ...ids, messageId: 'nope', index: 0, chunk: 'x' });
    expect(missing.appendMessageContent).toMatchObject({ __typename: 'NotFoundError', error: `Message nope not found in session ${t.sessionId}` });
  });

  it('counts tokens per encoding and fits a context window: leading SYSTEM messages kept, then the newest that fit', async () => {
    const t = await chat();
    const ids = { projectId: 'p', sessionId: t.sessionId };
    const add = async (role: 'SYSTEM' | 'USER' | 'ASSISTANT', content: string) => {
      const r = await t.data(AddMessage, { ...ids, input: { role, content } });
      if (r.addMessage.__typename !== 'AddMessageSuccess') throw new Error('add failed');
    };
    await add('SYSTEM', 'hello world');
    for (let i = 1; i <= 6; i++) await add(i % 2 ? 'USER' : 'ASSISTANT', `message number ${i}`);
    const tokens = await t.data(MessageTokens, { projectId: 'p', id: t.sessionId });
    expect(tokens.session!.messages[0]).toMatchObject({ o200k: 2, cl100k: 2 });
    const window = async (maxTokens: number) => (await t.gql(ContextWindow, { projectId: 'p', id: t.sessionId, maxTokens }));
    // In o200k_base "hello world" is 2 tokens and "message number N" 4: three of the six fit in 14 after the system message.
    expect(tokens.session!.messages.map((m) => m.o200k)).toEqual([2, 4, 4, 4, 4, 4, 4]);
    const fit = (await window(14)).data!.session!.context;
    expect(fit.messages.map((m) => m.content)).toEqual(['hello world', 'message number 4', 'message number 5', 'message number 6']);
    expect(fit).toMatchObject({ tokenCount: 14, truncated: true });
    expect((await window(17)).data!.session!.context.messages).toHaveLength(4);
    const all = (await window(1000)).data!.session!.context;
    expect(all).toMatchObject({ tokenCount: 26, truncated: false });
    expect(all.messages).toHaveLength(7);
    const tooSmall = await window(1);
    expect(tooSmall.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('messageStream over real transports', () => {
  const STREAM = 'subscription($p: ID!, $s: ID!, $m: ID!, $after: Int) { messageStream(projectId: $p, sessionId: $s, messageId: $m, afterIndex: $after) { chunk { index chunk } message { status content chunkCount } } }';

  async function setup() {
    const server = await startLiveServer();
    const call = restClient({ fetch: (request: Request) => fetch(new Request(request.url.replace('http://test', server.base), request)) });
    const gql = async (query: string, variables: Record<string, unknown>) => (await call('POST', '/graphql', { query, variables })).body.data;
    const session = (await call('POST', '/api/projects/p/sessions', { title: 'streams' })).body.id as string;
    const start = async () =>
      (await gql('mutation($s: ID!) { startMessage(projectId: "p", sessionId: $s, input: { role: ASSISTANT }) { ... on StartMessageSuccess { message { id } } } }', { s: session }))
        .startMessage.message.id as string;
    const append = async (m: string, index: number, chunk: string) =>
      (await gql('mutation($s: ID!, $m: ID!, $i: Int!, $c: String!) { appendMessageContent(projectId: "p", sessionId: $s, messageId: $m, index: $i, chunk: $c) { __typename } }', { s: session, m, i: index, c: chunk }))
        .appendMessageContent.__typename as string;
    const finish = async (m: string) =>
      gql('mutation($s: ID!, $m: ID!) { finishMessage(projectId: "p", sessionId: $s, messageId: $m, input: { status: COMPLETE }) { __typename } }', { s: session, m });
    return { ...server, call, session, start, append, finish };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  const text = (n: number, from = 0) => Array.from({ length: n - from }, (_, i) => `c${i + from} `);

  it('delivers 30 chunks in order and then the end, over SSE and over WebSocket', async () => {
    const t = await setup();
    const m = await t.start();
    const sse = sseSubscribe(t.base, STREAM, { p: 'p', s: t.session, m });
    const ws = wsSubscribe(t.ws, STREAM, { p: 'p', s: t.session, m });
    await settle();
    for (const [i, chunk] of text(30).entries()) expect(await t.append(m, i, chunk)).toBe('AppendContentSuccess');
    await t.finish(m);
    for (const client of [sse, ws]) {
      await client.until(() => client.ended);
      const events = client.items.map((p) => p.data?.messageStream);
      expect(events).toHaveLength(31);
      expect(events.slice(0, 30).map((e) => e.chunk)).toEqual(text(30).map((chunk, index) => ({ index, chunk })));
      expect(events[29].message).toMatchObject({ status: 'STREAMING', chunkCount: 30, content: text(30).join('') });
      expect(events[30]).toEqual({ chunk: null, message: { status: 'COMPLETE', chunkCount: 30, content: text(30).join('') } });
    }
  });

  it('resumes after an index while the writer keeps appending: exactly the missing chunks, then the end', async () => {
    const t = await setup();
    const m = await t.start();
    for (const [i, chunk] of text(20).entries()) await t.append(m, i, chunk);
    const writer = (async () => {
      for (let i = 20; i < 60; i++) await t.append(m, i, `c${i} `);
      await t.finish(m);
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const sse = sseSubscribe(t.base, STREAM, { p: 'p', s: t.session, m, after: 9 });
    const ws = wsSubscribe(t.ws, STREAM, { p: 'p', s: t.session, m, after: 9 });
    await writer;
    for (const client of [sse, ws]) {
      await client.until(() => client.ended);
      const events = client.items.map((p) => p.data?.messageStream);
      expect(events.slice(0, -1).map((e) => e.chunk.index)).toEqual(Array.from({ length: 50 }, (_, i) => i + 10));
      expect(events.at(-1)).toMatchObject({ chunk: null, message: { status: 'COMPLETE', chunkCount: 60 } });
    }
    // A finished message replays its stored chunks after the index, then the end, at once.
    const late = sseSubscribe(t.base, STREAM, { p: 'p', s: t.session, m, after: 57 });
    await late.done;
    expect(late.items.map((p) => p.data?.messageStream.chunk)).toEqual([{ index: 58, chunk: 'c58 ' }, { index: 59, chunk: 'c59 ' }, null]);
    const missing = sseSubscribe(t.base, STREAM, { p: 'p', s: t.session, m: 'nope' });
    await missing.done;
    expect(missing.items[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('announces MESSAGE_UPDATED for each chunk and for the finish on sessionEvents', async () => {
    const t = await setup();
    const events = wsSubscribe(t.ws, 'subscription { sessionEvents(projectId: "p") { kind message { status content } } }', {});
    await settle();
    const m = await t.start();
    await t.append(m, 0, 'a');
    await t.append(m, 1, 'b');
    await t.finish(m);
    await events.until(() => events.items.length >= 4);
    expect(events.items.map((e) => e.data?.sessionEvents)).toEqual([
      { kind: 'MESSAGE_ADDED', message: { status: 'STREAMING', content: '' } },
      { kind: 'MESSAGE_UPDATED', message: { status: 'STREAMING', content: 'a' } },
      { kind: 'MESSAGE_UPDATED', message: { status: 'STREAMING', content: 'ab' } },
      { kind: 'MESSAGE_UPDATED', message: { status: 'COMPLETE', content: 'ab' } },
    ]);
  });
});
