// One server per data directory: an exclusive lock file naming its holder, taken over only from a dead process.
import { link, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { nanoid } from 'nanoid';
import { fsyncDir, writeFileDurable } from './fs-utils.js';

export const LOCK_FILE = 'server.lock';

/** Who holds a data directory. */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** Thrown when another live server holds the data directory. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError' as const;
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `${path.dirname(lockFile)} is in use by another server (pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}); stop it, or use another DATA_DIR`
        : `${path.dirname(lockFile)} is in use by another server (lock file ${lockFile})`,
    );
  }
}

export interface DataDirLock {
  holder: LockHolder;
  /** Removes the lock if it is still this process's. */
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<{ text: string; holder: LockHolder | null } | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as LockHolder;
    return { text, holder: typeof parsed.pid === 'number' && typeof parsed.hostname === 'string' ? parsed : null };
  } catch {
    return { text, holder: null };
  }
}

/** A holder that can no longer be running: its process is gone, or it is this very process's pid from an earlier life. */
function isStale(holder: LockHolder | null, self: LockHolder): boolean {
  if (!holder || holder.hostname !== self.hostname) return false;
  if (holder.pid === self.pid) return holder.startedAt !== self.startedAt;
  return !isAlive(holder.pid);
}

/**
 * Takes `DATA_DIR/server.lock`, holding this process's pid, host and start time. The file appears whole or not at all
 * (written aside, then hard-linked into place, which fails if it exists). A lock of a dead process is moved aside by
 * rename, which only one contender can win, and checked before it is discarded.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const self: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(self)}\n`;
  const release = async () => {
    const current = await readHolder(file);
    if (current?.text === text) await unlink(file).catch(() => undefined);
  };
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const temp = path.join(dataDir, `.${LOCK_FILE}.${nanoid(8)}`);
    await writeFileDurable(temp, text);
    try {
      await link(temp, file);
      await fsyncDir(dataDir);
      return { holder: self, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    const current = await readHolder(file);
    if (!current) continue;
    if (!isStale(current.holder, self)) throw new DataDirLockedError(file, current.holder);
    const aside = path.join(dataDir, `.${LOCK_FILE}.stale-${nanoid(8)}`);
    try {
      await rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = await readHolder(aside);
    // Someone else took over between the read and the rename: put their lock back and look again.
    if (moved?.text !== current.text) await link(aside, file).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
  }
  throw new DataDirLockedError(file, null);
}
