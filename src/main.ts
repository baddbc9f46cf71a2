// The entry point and the only file that listens: config -> store -> app -> HTTP server, and a graceful stop.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { DataDirLockedError } from './store/file/data-dir-lock.js';
import { openStore, StoreOpenError } from './store/open-store.js';
import { attachWebSocket } from './graphql/websocket.js';
import { startRetentionSweep, startStreamSweep } from './service/stream-sweep.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // Node 20's bundled undici closes a streamed response body a second time when the client has already gone (an SSE
  // subscriber disconnecting), throwing ERR_INVALID_STATE from a microtask nobody can catch. That one error is
  // harmless (the response is over); anything else uncaught is still fatal.
  process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_INVALID_STATE' && /already closed/.test(error.message)) {
      logger.debug({ err: error }, 'a streamed response was closed twice after its client left');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  let opened: Awaited<ReturnType<typeof openStore>>;
  try {
    opened = await openStore(config, logger);
  } catch (error) {
    if (error instanceof StoreOpenError || error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { store } = opened;
  const redis = config.redisUrl ? (await import('./events/redis.js')).redisEventTarget(config.redisUrl, logger.child({ component: 'events' })) : null;
  const { app, service, yoga, authenticate } = createApp({ config, store, logger, ...(redis ? { eventTarget: redis.eventTarget, eventLink: redis.link } : {}) });

  if (!config.auth && !['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    // Authentication is off: anyone who can reach this address can read and write every project.
    logger.warn({ host: config.host }, 'LISTENING BEYOND THIS MACHINE WITHOUT AUTHENTICATION: every project is open to anyone who can reach it');
  }
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({ url: `http://${config.host}:${info.port}/graphql`, store: config.store.kind, ...(config.store.kind === 'file' ? { dataDir: config.dataDir } : {}) }, 'listening');
  });
  const websocket = attachWebSocket(server as Server, yoga, authenticate, undefined, new Set(config.corsOrigins));
  // Streams whose writer went away end as INCOMPLETE: once now (what a stop left streaming), then periodically.
  const sweep = startStreamSweep(service, logger, config.streamIdleTimeoutMs);
  const retention = startRetentionSweep(service, logger, config.retentionSweepIntervalMs);
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'cannot listen');
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    // Open subscriptions complete (SSE streams end, sockets close), so that close() can finish.
    service.closeStreams();
    sweep.stop();
    retention.stop();
    void websocket.close();
    // close() stops accepting and calls back once every open request has been answered.
    server.close(async () => {
      await store.close();
      await opened.release();
      await redis?.close();
      logger.info('stopped');
      process.exit(0);
    });
    // Keep-alive connections idle between requests (or once their stream has completed) would hold close() open.
    const http = server as Server;
    http.closeIdleConnections();
    setInterval(() => http.closeIdleConnections(), 100).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
