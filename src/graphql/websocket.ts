// GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's own port, at /graphql: each operation runs
// through Yoga's envelop (same schema, plugins, context and error masking as HTTP).
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type Authenticate, UnauthenticatedError } from '../auth/authenticate.js';
import { type Access, NO_ACCESS } from '../domain/access.js';
import type { createGraphQLServer } from './yoga.js';

type Yoga = ReturnType<typeof createGraphQLServer>;
const accessOf = new WeakMap<object, Access>();
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;
type Enveloped = ReturnType<Yoga['getEnveloped']>;

export interface WebSocketEndpoint {
  /** Closes every socket (subscriptions end) and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * Whether a browser page of `origin` may open a socket here: one of this server's own pages, or a listed origin. A
 * WebSocket is not bound by CORS, so without this any web page could use a server the browser can reach (with
 * authentication off, every project). Clients other than browsers send no Origin and are let through.
 */
function originAllowed(origin: string | undefined, host: string | undefined, allowedOrigins: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.has(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Serves graphql-ws on `server` at /graphql; dead connections are found by ping within `keepAliveMs` and dropped.
 * Browser pages of other origins than this server's and `allowedOrigins` are refused (403) at the upgrade.
 */
export function attachWebSocket(server: Server, yoga: Yoga, authenticate: Authenticate, keepAliveMs = 12_000, allowedOrigins: ReadonlySet<string> = new Set()): WebSocketEndpoint {
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: 1024 * 1024,
    verifyClient: ({ origin, req }: { origin?: string; req: { headers: { host?: string } } }, done: (ok: boolean, code?: number, message?: string) => void) =>
      originAllowed(origin || undefined, req.headers.host, allowedOrigins) ? done(true) : done(false, 403, 'Origin not allowed'),
  });
  const disposable = useServer(
    {
      // A token in connection_init's payload ({ authorization: "Bearer ..." }) or the upgrade request's header;
      // a connection without a valid one is closed with 4403 before any operation runs.
      onConnect: async (ctx) => {
        const fromParams = (ctx.connectionParams as { authorization?: unknown } | undefined)?.authorization;
        const header = typeof fromParams === 'string' ? fromParams : ctx.extra.request.headers.authorization;
        try {
          accessOf.set(ctx.extra.socket, await authenticate(header));
          return true;
        } catch (error) {
          if (error instanceof UnauthenticatedError) return false;
          throw error;
        }
      },
      // A client that stops reading would make the socket buffer every event: past this much unsent data it is closed
      // (4408: it can reconnect and resume with `after`).
      onNext: (ctx) => {
        if (ctx.extra.socket.bufferedAmount > MAX_UNSENT_BYTES) ctx.extra.socket.close(4408, 'Subscriber too slow; resume with after');
      },
      execute: (args) => (args.rootValue as { execute: Enveloped['execute'] }).execute(args as ExecutionArgs),
      subscribe: (args) => (args.rootValue as { subscribe: Enveloped['subscribe'] }).subscribe(args as ExecutionArgs),
      onSubscribe: async (ctx, _id, params) => {
        const access = accessOf.get(ctx.extra.socket) ?? NO_ACCESS;
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, requestId: randomUUID(), access });
        let document: ReturnType<Enveloped['parse']>;
        try {
          document = enveloped.parse(params.query);
        } catch (error) {
          // A syntax error is the client's: answer it as an error of this operation, not by closing the socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: params.operationName ?? null,
          document,
          variableValues: params.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wss,
    keepAliveMs,
  );
  return {
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
