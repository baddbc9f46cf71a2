// Subscriptions through real transports on an ephemeral port: SSE and graphql-ws.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { restClient } from '../helpers/rest.js';
import { sseSubscribe, startLiveServer, wsSubscribe } from '../helpers/live-server.js';

const MESSAGE_ADDED = 'subscription($p: ID!, $s: ID!, $after: String) { messageAdded(projectId: $p, sessionId: $s, after: $after) { sequence content sessionId } }';
const SESSION_EVENTS = 'subscription($p: ID!) { sessionEvents(projectId: $p) { kind projectId sessionId session { id title version } message { sequence content } } }';

async function setup(options: { subscriptionBuffer?: number } = {}) {
  const server = await startLiveServer(options);
  const call = restClient({ fetch: (request: Request) => fetch(new Request(request.url.replace('http://test', server.base), request)) });
  const create = async (project: string, title: string) => (await call('POST', `/api/projects/${project}/sessions`, { title })).body.id as string;
  const add = async (project: string, session: string, content: string) => {
    const r = await call('POST', `/api/projects/${project}/sessions/${session}/messages`, { role: 'user', content });
    expect(r.status).toBe(201);
    return r.body as { sequence: number; id: string };
  };
  // A subscription is live once the server holds it; an event published first would not reach it.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  return { ...server, call, create, add, settle };
}

describe('live updates', () => {
  it('delivers 20 messages in order, only those of the subscribed session, over SSE and over WebSocket', async () => {
    const t = await setup();
    const a = await t.create('p', 'a');
    const b = await t.create('p', 'b');
    const sse = sseSubscribe(t.base, MESSAGE_ADDED, { p: 'p', s: a });
    const ws = wsSubscribe(t.ws, MESSAGE_ADDED, { p: 'p', s: a });
    await t.settle();
    for (let i = 1; i <= 20; i++) {
      await t.add('p', a, `a${i}`);
      if (i % 4 === 0) await t.add('p', b, `b${i}`);
    }
    const expected = Array.from({ length: 20 }, (_, i) => ({ sequence: i + 1, content: `a${i + 1}`, sessionId: a }));
    await sse.until(() => sse.items.length >= 20);
    await ws.until(() => ws.items.length >= 20);
    expect(sse.items.map((p) => p.data?.messageAdded)).toEqual(expected);
    expect(ws.items.map((p) => p.data?.messageAdded)).toEqual(expected);
  });

  it('reports CREATED, UPDATED, MESSAGE_ADDED, UPDATED (active leaf) and DELETED in order, with the session after each change', async () => {
    const t = await setup();
    const events = wsSubscribe(t.ws, SESSION_EVENTS, { p: 'p' });
    await t.settle();
    const id = await t.create('p', 'first');
    await t.call('PUT', `/api/projects/p/sessions/${id}`, { title: 'second' });
    const hello = await t.add('p', id, 'hello');
    await t.add('p', id, 'world');
    const switched = await t.call('POST', '/graphql', {
      query: 'mutation($s: ID!, $m: ID!) { setActiveLeaf(projectId: "p", sessionId: $s, messageId: $m) { __typename } }',
      variables: { s: id, m: hello.id },
    });
    expect(switched.body.data.setActiveLeaf.__typename).toBe('SetActiveLeafSuccess');
    await t.call('DELETE', `/api/projects/p/sessions/${id}?force=true`);
    await events.until(() => events.items.length >= 6);
    expect(events.items.map((e) => e.data?.sessionEvents)).toEqual([
      { kind: 'CREATED', projectId: 'p', sessionId: id, session: { id, title: 'first', version: 1 }, message: null },
      { kind: 'UPDATED', projectId: 'p', sessionId: id, session: { id, title: 'second', version: 2 }, message: null },
      { kind: 'MESSAGE_ADDED', projectId: 'p', sessionId: id, session: { id, title: 'second', version: 2 }, message: { sequence: 1, content: 'hello' } },
      { kind: 'MESSAGE_ADDED', projectId: 'p', sessionId: id, session: { id, title: 'second', version: 2 }, message: { sequence: 2, content: 'world' } },
      { kind: 'UPDATED', projectId: 'p', sessionId: id, session: { id, title: 'second', version: 3 }, message: null },
      { kind: 'DELETED', projectId: 'p', sessionId: id, session: null, message: null },
    ]);
  });

  it('resumes after a cursor with no gap and no duplicate while a writer appends', async () => {
    const t = await setup();
    const id = await t.create('p', 'resume');
    for (let i = 1; i <= 30; i++) await t.add('p', id, `m${i}`);
    const page = await t.call('POST', '/graphql', {
      query: 'query($s: ID!) { session(projectId: "p", id: $s) { messagesConnection(first: 10) { pageInfo { endCursor } } } }',
      variables: { s: id },
    });
    const cursor = page.body.data.session.messagesConnection.pageInfo.endCursor as string;
    const writer = (async () => {
      for (let i = 31; i <= 80; i++) await t.add('p', id, `m${i}`);
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sse = sseSubscribe(t.base, MESSAGE_ADDED, { p: 'p', s: id, after: cursor });
    const ws = wsSubscribe(t.ws, MESSAGE_ADDED, { p: 'p', s: id, after: cursor });
    await writer;
    await sse.until(() => sse.items.length >= 70);
    await ws.until(() => ws.items.length >= 70);
    const expected = Array.from({ length: 70 }, (_, i) => i + 11);
    expect(sse.items.map((p) => p.data?.messageAdded.sequence)).toEqual(expected);
    expect(ws.items.map((p) => p.data?.messageAdded.sequence)).toEqual(expected);
  });

  it("reads each event's session fields afresh: a loader does not serve one event what it loaded for the one before", async () => {
    const t = await setup();
    const query = 'subscription($p: ID!) { sessionEvents(projectId: $p) { kind session { messageCount messages { content } } } }';
    const sse = sseSubscribe(t.base, query, { p: 'p' });
    const ws = wsSubscribe(t.ws, query, { p: 'p' });
    await t.settle();
    const id = await t.create('p', 'growing');
    await t.add('p', id, 'one');
    await t.add('p', id, 'two');
    const expected = [
      { kind: 'CREATED', session: { messageCount: 0, messages: [] } },
      { kind: 'MESSAGE_ADDED', session: { messageCount: 1, messages: [{ content: 'one' }] } },
      { kind: 'MESSAGE_ADDED', session: { messageCount: 2, messages: [{ content: 'one' }, { content: 'two' }] } },
    ];
    await sse.until(() => sse.items.length >= 3);
    await ws.until(() => ws.items.length >= 3);
    expect(sse.items.map((e) => e.data?.sessionEvents)).toEqual(expected);
    expect(ws.items.map((e) => e.data?.sessionEvents)).toEqual(expected);
  });

  it('gives another project nothing: not found for its session, no events of other projects', async () => {
    const t = await setup();
    const secret = await t.create('p', 'secret');
    const foreign = sseSubscribe(t.base, MESSAGE_ADDED, { p: 'q', s: secret });
    await foreign.done;
    expect(foreign.items).toEqual([{ errors: [expect.objectContaining({ message: `Session ${secret} not found in project q`, extensions: { code: 'NOT_FOUND' } })] }]);
    const events = wsSubscribe(t.ws, SESSION_EVENTS, { p: 'q' });
    await t.settle();
    await t.add('p', secret, 'private');
    await t.call('PUT', `/api/projects/p/sessions/${secret}`, { title: 'still private' });
    const own = await t.create('q', 'visible');
    await events.until(() => events.items.length >= 1);
    expect(events.items.map((e) => e.data?.sessionEvents.sessionId)).toEqual([own]);
    const bad = sseSubscribe(t.base, MESSAGE_ADDED, { p: '../x', s: secret });
    await bad.done;
    expect(bad.items[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('cuts off a subscriber that does not keep up, with an error it can resume from', async () => {
    const t = await setup({ subscriptionBuffer: 5 });
    const id = await t.create('p', 'flood');
    const stream = await t.service.messageStream('p', id);
    const first = stream.next();
    for (let i = 1; i <= 20; i++) await t.add('p', id, `m${i}`);
    expect((await first).value).toMatchObject({ sequence: 1 });
    let received = 1;
    const error = await (async () => {
      for await (const _ of stream) received += 1;
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe('SlowSubscriberError');
    // It never held more than its buffer: the first message, at most five waiting, then the cut.
    expect(received).toBeLessThanOrEqual(1 + 5);
  });

  it('disconnects an SSE client that stops reading, instead of buffering for it', async () => {
    const t = await setup({ subscriptionBuffer: 5 });
    const id = await t.create('p', 'stalled');
    const { request } = await import('node:http');
    const received: Buffer[] = [];
    const response = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      const req = request(`${t.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, resolve);
      req.end(JSON.stringify({ query: MESSAGE_ADDED, variables: { p: 'p', s: id } }));
    });
    response.on('data', (chunk: Buffer) => received.push(chunk));
    response.pause();
    await t.settle();
    const big = 'x'.repeat(200_000);
    for (let i = 1; i <= 60; i++) await t.add('p', id, `${i} ${big}`);
    response.resume();
    await new Promise((resolve) => response.on('end', resolve));
    const text = Buffer.concat(received).toString('utf8');
    expect(text).toContain('fell more than 5 events behind');
    // Far fewer than the 60 messages (12 MB) were ever queued for it.
    expect((text.match(/"sequence"/g) ?? []).length).toBeLessThan(60);
  });

  it('speaks the graphql-sse protocol (distinct connections mode) on the same endpoint', async () => {
    const t = await setup();
    const id = await t.create('p', 'sse-protocol');
    const { createClient } = await import('graphql-sse');
    const client = createClient({ url: `${t.base}/graphql`, singleConnection: false, retryAttempts: 0 });
    const got: unknown[] = [];
    const stop = client.subscribe({ query: MESSAGE_ADDED, variables: { p: 'p', s: id } }, { next: (value) => void got.push(value), error: () => undefined, complete: () => undefined });
    try {
      await t.settle();
      await t.add('p', id, 'over graphql-sse');
      for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(got).toEqual([{ data: { messageAdded: { sequence: 1, content: 'over graphql-sse', sessionId: id } } }]);
    } finally {
      stop();
      client.dispose();
    }
  });

  it('refuses a WebSocket from a web page of another origin (no cross-site use of a server the browser can reach)', async () => {
    const server = await startLiveServer();
    const upgrade = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(server.ws, 'graphql-transport-ws', { headers });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('error', reject);
      });
    expect(await upgrade({ origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade({ origin: 'null' })).toBe(403);
    // The server's own pages, and clients that are not browsers (no Origin), connect.
    expect(await upgrade({ origin: server.base })).toBe(101);
    expect(await upgrade({})).toBe(101);
  });

  it('answers a malformed WebSocket operation with an error, and the socket keeps serving', async () => {
    const t = await setup();
    const id = await t.create('p', 'ws-errors');
    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const client = createClient({ url: t.ws, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const broken = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: 'subscription { messageAdded(' }, { next: resolve, error: resolve, complete: () => resolve('complete') });
      });
      expect(JSON.stringify(broken)).toMatch(/Syntax Error/);
      const got: unknown[] = [];
      client.subscribe({ query: MESSAGE_ADDED, variables: { p: 'p', s: id } }, { next: (v) => void got.push(v), error: () => undefined, complete: () => undefined });
      await t.settle();
      await t.add('p', id, 'still here');
      for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(got).toEqual([{ data: { messageAdded: { sequence: 1, content: 'still here', sessionId: id } } }]);
    } finally {
      await client.dispose();
    }
  });
});
