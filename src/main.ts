// The entry point and the only file that listens: config -> store -> app -> HTTP server, and a graceful stop.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { acquireDataDirLock, type DataDirLock, DataDirLockedError } from './store/file/data-dir-lock.js';
import { FileStore } from './store/file/file-store.js';
import { attachWebSocket } from './graphql/websocket.js';
import { findLegacyData } from './migrate/scan.js';

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
  // Never half-read the earlier service's files: they are converted first, by a command of their own.
  const legacy = await findLegacyData(config.dataDir);
  if (legacy) {
    process.stderr.write(`${config.dataDir} holds data of the earlier service (${legacy}); convert it first: npm run migrate -- --data-dir ${config.dataDir}\n`);
    process.exit(1);
  }
  let lock: DataDirLock;
  try {
    lock = await acquireDataDirLock(config.dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const store = new FileStore({ dataDir: config.dataDir, logger });
  const { app, service, yoga, authenticate } = createApp({ config, store, logger });

  if (!config.auth && !['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    // Authentication is off: anyone who can reach this address can read and write every project.
    logger.warn({ host: config.host }, 'LISTENING BEYOND THIS MACHINE WITHOUT AUTHENTICATION: every project is open to anyone who can reach it');
  }
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({ url: `http://${config.host}:${info.port}/graphql`, dataDir: config.dataDir }, 'listening');
  });
  const websocket = attachWebSocket(server as Server, yoga, authenticate);
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
    void websocket.close();
    // close() stops accepting and calls back once every open request has been answered.
    server.close(async () => {
      await store.close();
      await lock.release();
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
