// Builds the HTTP app: GraphQL (Yoga) at /graphql, the legacy REST shim at /api, health at /healthz. Never listens; src/main.ts does.
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { EventBus, type EventBusOptions, type EventLink } from './events/event-bus.js';
import { createAuthenticator } from './auth/authenticate.js';
import { ANONYMOUS, NO_ACCESS, OPEN_ACCESS } from './domain/access.js';
import { NOT_FOUND_PAGE, renderSharedPage, SHARED_PAGE_HEADERS } from './http/shared-page.js';
import { createGraphQLServer, type GraphQLServerContext } from './graphql/yoga.js';
import { type AuthEnv, authenticateRequests } from './http/auth.js';
import { declaredBodyLength, limitBody } from './http/body-limit.js';
import { corsFor, requestIds } from './http/headers.js';
import { createMetrics } from './http/metrics.js';
import { requestLog, type RequestLogEnv } from './http/request-log.js';
import { renderGraphiQLPage } from './http/graphiql-page.js';
import { APP_PAGE_CSP, loadWebAssets, NOT_BUILT_PAGE } from './http/web-app.js';
import { createRestApp } from './rest/rest-app.js';
import { ChatService } from './service/chat-service.js';
import type { ChatStore } from './store/store.js';

export interface AppOptions {
  config: Pick<Config, 'maxBodyBytes' | 'maxMessageBytes'> & Partial<Pick<Config, 'maxImportBytes' | 'subscriptionBuffer' | 'corsOrigins' | 'introspection' | 'auth' | 'streamIdleTimeoutMs'>>;
  store: ChatStore;
  logger: Logger;
  /** Carries live events between replicas (Redis); in-process when absent. */
  eventTarget?: EventBusOptions['eventTarget'];
  /** The state of that carrier's connection: /readyz waits for it, and subscriptions end when it drops. */
  eventLink?: EventLink;
  /** Where the built web app and GraphiQL's files are (default: dist/web). */
  webDir?: string;
}

export type AppEnv = { Variables: RequestLogEnv['Variables'] & AuthEnv['Variables'] };

/** The whole HTTP surface over one store; `app.fetch` serves a Request, which is how tests drive it. */
export function createApp({ config, store, logger, eventTarget, eventLink, webDir }: AppOptions) {
  const events = new EventBus({ maxBuffered: config.subscriptionBuffer ?? 1000, ...(eventTarget ? { eventTarget } : {}), ...(eventLink ? { link: eventLink } : {}) });
  const service = new ChatService({ store, maxMessageBytes: config.maxMessageBytes, events, ...(config.streamIdleTimeoutMs ? { streamIdleTimeoutMs: config.streamIdleTimeoutMs } : {}) });
  const metrics = createMetrics({ openSubscriptions: () => events.size });
  const allowedOrigins = new Set(config.corsOrigins ?? []);
  const authenticate = createAuthenticator(config.auth ?? null);
  // Requests on open paths carry no access of their own: with auth on they get none (they never need the service).
  const defaultAccess = config.auth ? NO_ACCESS : OPEN_ACCESS;
  const web = loadWebAssets(webDir);
  const graphiql = web.graphiql;
  const yoga = createGraphQLServer({
    service,
    logger,
    introspection: config.introspection ?? true,
    authEnabled: Boolean(config.auth),
    graphiqlPage: graphiql ? (options) => renderGraphiQLPage(graphiql, options) : null,
  });
  const app = new Hono<AppEnv>();

  app.use(requestIds());
  app.use(requestLog(logger, metrics));
  // A share link's page runs no script at all: its stricter policy replaces the one below (set after it, on the way out).
  app.use('/shared/*', async (c, next) => {
    await next();
    c.res.headers.set('content-security-policy', SHARED_PAGE_HEADERS['content-security-policy']);
  });
  // The web app's pages and files run no inline script or style: a stricter policy than the one below replaces it.
  for (const appPath of ['/', '/p/*', '/assets/*']) {
    app.use(appPath, async (c, next) => {
      await next();
      c.res.headers.set('content-security-policy', APP_PAGE_CSP);
    });
  }
  app.use(
    secureHeaders({
      crossOriginEmbedderPolicy: false,
      // Everything from this server only. GraphiQL sets inline styles, and its page runs Yoga's inline script when its
      // bundle was not built into files of its own (dist/web).
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: graphiql ? ["'self'"] : ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
      },
    }),
  );
  // Only listed origins are told they may read answers; none by default.
  app.use(corsFor(allowedOrigins, ['x-request-id', 'etag']));

  app.use(authenticateRequests(authenticate, Boolean(config.auth)));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await store.checkReady();
      if (eventLink && !eventLink.isUp()) throw new Error('the event bus (Redis) is not connected');
      return c.json({ status: 'ready' });
    } catch (error) {
      logger.warn({ err: error }, 'not ready');
      return c.json({ status: 'unavailable' }, 503);
    }
  });
  app.get('/shared/:token', async (c) => {
    // The token is the credential: the page needs no other, and says nothing more for a bad token than for none.
    const shared = await service.sharedConversation(c.req.param('token'));
    if (!shared) return c.body(NOT_FOUND_PAGE, 404, SHARED_PAGE_HEADERS);
    return c.body(renderSharedPage(shared), 200, SHARED_PAGE_HEADERS);
  });
  // The chat web app: / opens the default project; /p/<project>[/c/<session>] is the app's page, which reads the rest.
  app.get('/', (c) => (web.indexHtml ? c.redirect('/p/default', 302) : c.html(NOT_BUILT_PAGE, 200, { 'cache-control': 'no-cache' })));
  app.get('/p/*', (c) => c.html(web.indexHtml ?? NOT_BUILT_PAGE, 200, { 'cache-control': 'no-cache' }));
  app.get('/assets/:name', async (c) => {
    const asset = await web.asset(c.req.param('name'), c.req.header('accept-encoding') ?? '');
    if (!asset) return c.json({ detail: 'Not Found' }, 404);
    return c.body(new Uint8Array(asset.body), 200, asset.headers);
  });
  app.get('/metrics', async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));

  // Bodies are counted as they stream in and refused at the limit, declared length or not. A multipart request (an
  // upload to importConversations) has a limit of its own, and is taken only from a caller that may write.
  const tooLarge = `Request body is larger than ${config.maxBodyBytes} bytes`;
  const maxImportBytes = config.maxImportBytes ?? 100 * 1024 * 1024;
  const graphqlLimit = limitBody({
    maxSize: config.maxBodyBytes,
    onError: (c) => c.json({ errors: [{ message: tooLarge, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, 413),
  });
  const uploadLimit = limitBody({
    maxSize: maxImportBytes,
    onError: (c) => c.json({ errors: [{ message: `Upload is larger than MAX_IMPORT_BYTES (${maxImportBytes} bytes)`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, 413),
  });
  app.use('/graphql', async (c, next) => {
    if (!c.req.header('content-type')?.toLowerCase().startsWith('multipart/form-data')) return graphqlLimit(c, next);
    const access = c.get('access') ?? defaultAccess;
    if (access === ANONYMOUS) return c.json({ errors: [{ message: 'Uploads need a bearer token', extensions: { code: 'UNAUTHENTICATED' } }] }, 401, { 'WWW-Authenticate': 'Bearer' });
    if (!access.scopes.has('chat:write')) return c.json({ errors: [{ message: 'Uploads need the chat:write scope', extensions: { code: 'FORBIDDEN' } }] }, 403);
    return uploadLimit(c, next);
  });
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', async (c) => {
    const context: GraphQLServerContext = { requestId: c.get('requestId'), access: c.get('access') ?? defaultAccess, seen: {} };
    // On Node, Yoga reads the request straight from the socket's IncomingMessage (headers as Node parsed them, the
    // body as a Node stream) instead of through a web-standard Request, whose Headers, AbortSignal and body stream
    // cost more than executing a typical query. A body of undeclared length has already been read by the body limit,
    // so that request goes on as the web-standard Request holding it, as does every request outside Node (app.fetch).
    const { incoming, outgoing } = (c.env ?? {}) as Partial<HttpBindings>;
    const viaNode = incoming !== undefined && outgoing !== undefined && declaredBodyLength(c) !== null;
    const response = await (viaNode ? yoga.handleNodeRequestAndResponse(incoming, outgoing, context) : yoga.fetch(c.req.raw, context));
    if (context.seen?.operation) c.set('operation', context.seen.operation);
    return response;
  });

  app.use('/api/*', limitBody({ maxSize: config.maxBodyBytes, onError: (c) => c.json({ detail: tooLarge }, 413) }));
  app.route('/api', createRestApp({ service, logger, defaultAccess }));

  app.notFound((c) => c.json({ detail: 'Not Found' }, 404));
  app.onError((error, c) => {
    const id = c.get('requestId');
    logger.error({ requestId: id, err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ detail: 'Internal error', request_id: id }, 500);
  });

  return { app, service, yoga, authenticate };
}
