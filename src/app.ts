// Builds the HTTP app: GraphQL (Yoga) at /graphql, the legacy REST shim at /api, health at /healthz. Never listens; src/main.ts does.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { EventBus } from './events/event-bus.js';
import { createGraphQLServer } from './graphql/yoga.js';
import { requestContext } from './request-context.js';
import { createRestApp } from './rest/rest-app.js';
import { ChatService } from './service/chat-service.js';
import type { ChatStore } from './store/store.js';

export interface AppOptions {
  config: Pick<Config, 'maxBodyBytes' | 'maxMessageBytes'> & Partial<Pick<Config, 'subscriptionBuffer'>>;
  store: ChatStore;
  logger: Logger;
}

export type AppEnv = { Variables: { requestId: string } };

/** The whole HTTP surface over one store; `app.fetch` serves a Request, which is how tests drive it. */
export function createApp({ config, store, logger }: AppOptions) {
  const service = new ChatService({ store, maxMessageBytes: config.maxMessageBytes, events: new EventBus({ maxBuffered: config.subscriptionBuffer ?? 1000 }) });
  const yoga = createGraphQLServer({ service, logger });
  const app = new Hono<AppEnv>();

  // Honour a sane incoming x-request-id so a caller can follow its request through the logs.
  app.use(requestId({ limitLength: 128 }));
  app.use((c, next) => requestContext.run({ requestId: c.get('requestId') }, next));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  // Bodies are counted as they stream in and refused at the limit, declared length or not.
  const tooLarge = `Request body is larger than ${config.maxBodyBytes} bytes`;
  app.use(
    '/graphql',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: (c) => c.json({ errors: [{ message: tooLarge, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, 413),
    }),
  );
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', (c) => yoga.fetch(c.req.raw, { requestId: c.get('requestId') }));

  app.use('/api/*', bodyLimit({ maxSize: config.maxBodyBytes, onError: (c) => c.json({ detail: tooLarge }, 413) }));
  app.route('/api', createRestApp({ service, logger }));

  app.notFound((c) => c.json({ detail: 'Not Found' }, 404));
  app.onError((error, c) => {
    const id = c.get('requestId');
    logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ detail: 'Internal error', request_id: id }, 500);
  });

  return { app, service, yoga };
}
