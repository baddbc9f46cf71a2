// Opens the configured store: the embedded file store (after the legacy-data check and the data-dir lock), or
// PostgreSQL (connected lazily, so the server starts even while the database is still coming up).
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { findLegacyData } from '../migrate/scan.js';
import { acquireDataDirLock } from './file/data-dir-lock.js';
import { FileStore } from './file/file-store.js';
import { exists, replaceFileAtomic } from './file/fs-utils.js';
import type { ChatStore } from './store.js';

/**
 * In a data dir once it has been found to hold no files of the earlier service: later starts skip that search, which
 * reads every session folder (10 000 sessions took ~0.3 s of start-up). Converting legacy data is done by its own
 * command, before the server first starts on it.
 */
export const LEGACY_CHECKED_FILE = 'legacy-checked.json';

/** Thrown when the store cannot be opened for a reason the operator must fix; the message says how. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError' as const;
}

export async function openStore(config: Config, logger: Logger): Promise<{ store: ChatStore; release: () => Promise<void> }> {
  if (config.store.kind === 'postgres') {
    const { url, poolSize, statementTimeoutMs, connectTimeoutMs } = config.store;
    // Loaded only when used, so a file-store server never loads the PostgreSQL driver.
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    const store = new PostgresStore({ connectionString: url, poolSize, statementTimeoutMs, connectTimeoutMs, logger: logger.child({ component: 'postgres' }) });
    return { store, release: async () => undefined };
  }
  // Never half-read the earlier service's files: they are converted first, by a command of their own. Looking for them
  // opens every session folder, so it is done until a data dir is found clean once, and remembered in the data dir.
  const checked = path.join(config.dataDir, LEGACY_CHECKED_FILE);
  const known = await exists(checked);
  if (!known) {
    const legacy = await findLegacyData(config.dataDir);
    if (legacy) {
      throw new StoreOpenError(`${config.dataDir} holds data of the earlier service (${legacy}); convert it first: npm run migrate -- --data-dir ${config.dataDir}`);
    }
  }
  const lock = await acquireDataDirLock(config.dataDir);
  if (!known) await replaceFileAtomic(checked, `${JSON.stringify({ checkedAt: new Date().toISOString() })}\n`);
  return { store: new FileStore({ dataDir: config.dataDir, logger }), release: () => lock.release() };
}
