// The real app on an ephemeral port of 127.0.0.1 with its WebSocket endpoint, plus SSE and graphql-ws clients.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApp } from '../../src/app.js';
import type { AuthConfig } from '../../src/auth/authenticate.js';
import { attachWebSocket } from '../../src/graphql/websocket.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { silentLogger } from './app.js';
import { closeAfterTest, tempDir } from './temp-dir.js';

export async function startLiveServer(options: { subscriptionBuffer?: number; auth?: AuthConfig } = {}) {
  const store = new FileStore({ dataDir: await tempDir(), logger: silentLogger });
  const { app, service, yoga, authenticate } = createApp({
    config: { maxBodyBytes: 1024 * 1024, maxMessageBytes: 256 * 1024, subscriptionBuffer: options.subscriptionBuffer ?? 1000, auth: options.auth ?? null },
    store,
    logger: silentLogger,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  const websocket = attachWebSocket(server, yoga, authenticate, 1000);
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    service.closeStreams();
    await websocket.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  };
  closeAfterTest(close);
  /** Cuts every open connection (streams included), as a network failure would; the server goes on. */
  const dropConnections = () => server.closeAllConnections();
  return { base: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/graphql`, service, close, dropConnections };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read subscription payloads loosely, then assert their shape
type Payload = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** A stream of payloads with a `take(n)` that waits for n more (failing after `timeoutMs`). */
function collector() {
  const items: Payload[] = [];
  let waiting: (() => void) | null = null;
  let ended = false;
  return {
    items,
    push(item: Payload) {
      items.push(item);
      waiting?.();
    },
    end() {
      ended = true;
      waiting?.();
    },
    get ended() {
      return ended;
    },
    async until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out with ${items.length} payloads: ${JSON.stringify(items.slice(-3))}`);
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

/** Subscribes over Server-Sent Events (Yoga's own protocol: POST with accept: text/event-stream). */
export function sseSubscribe(base: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const out = collector();
  const abort = new AbortController();
  const done = (async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'next' && data) out.push(JSON.parse(data) as Payload);
        if (event === 'complete') return;
      }
    }
  })()
    .catch((error: unknown) => {
      if ((error as Error).name !== 'AbortError') throw error;
    })
    .finally(() => out.end());
  closeAfterTest(async () => {
    abort.abort();
    await done;
  });
  return {
    items: out.items,
    until: out.until,
    get ended() {
      return out.ended;
    },
    close: () => abort.abort(),
    done,
  };
}

/** Subscribes over WebSocket with the graphql-ws protocol. */
export function wsSubscribe(url: string, query: string, variables: Record<string, unknown>, connectionParams?: Record<string, unknown>) {
  const out = collector();
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...(connectionParams ? { connectionParams } : {}) });
  const dispose = client.subscribe(
    { query, variables },
    { next: (value) => out.push(value as Payload), error: (error) => out.push({ errors: [{ message: String((error as Error).message ?? error) }] }), complete: () => out.end() },
  );
  closeAfterTest(async () => {
    dispose();
    await client.dispose();
  });
  return { items: out.items, until: out.until, get ended() { return out.ended; } };
}
