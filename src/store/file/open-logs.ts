// The message logs the file store keeps open: opened on first use, and beyond a bound the least recently used idle
// ones are closed again, so file descriptors do not grow with the number of sessions read.
import path from 'node:path';
import type { Logger } from 'pino';
import { MessageLog } from './message-log.js';
import { INDEX_FILE, MESSAGES_FILE, TREE_FILE } from './paths.js';
import type { SessionEntry } from './session-entry.js';
import type { WriteFaultHook } from './write-faults.js';

export class OpenLogs {
  /** Sessions with an open log, least recently used first. */
  private readonly lru = new Set<SessionEntry>();

  constructor(
    private readonly logger: Logger,
    /** Logs kept open at once; beyond it the least recently used idle ones are closed. */
    private readonly max: number,
    private readonly faultHook?: WriteFaultHook,
  ) {}

  /** Runs `fn` with the session's log open, and keeps it open meanwhile. */
  async use<T>(entry: SessionEntry, fn: (log: MessageLog) => Promise<T>): Promise<T> {
    entry.users += 1;
    try {
      const log = await this.open(entry);
      this.lru.delete(entry);
      this.lru.add(entry);
      return await fn(log);
    } finally {
      entry.users -= 1;
      this.closeIdle();
    }
  }

  /** Marks an open log as just used (a read that needed no await). */
  touch(entry: SessionEntry): void {
    if (!this.lru.delete(entry)) return;
    this.lru.add(entry);
  }

  /** Closes the least recently used idle logs beyond `max`; each close waits its turn in the session's queue. */
  private closeIdle(): void {
    if (this.lru.size <= this.max) return;
    for (const entry of this.lru) {
      if (this.lru.size <= this.max) break;
      if (entry.users > 0 || entry.pending.length > 0) continue;
      this.lru.delete(entry);
      void entry.queue.run(async () => {
        if (entry.users === 0 && entry.pending.length === 0) await this.close(entry);
        else this.lru.add(entry);
      });
    }
  }

  /** Closes the session's log (after an open under way, if any); the next use opens it again. */
  async close(entry: SessionEntry): Promise<void> {
    this.lru.delete(entry);
    const log = entry.log ?? (await entry.opening?.catch(() => null));
    entry.log = null;
    await log?.close();
  }

  private async open(entry: SessionEntry): Promise<MessageLog> {
    if (entry.log) return entry.log;
    const trusted = { count: entry.checkpointCount, bytes: entry.checkpointBytes };
    const files = { log: path.join(entry.dir, MESSAGES_FILE), index: path.join(entry.dir, INDEX_FILE), tree: path.join(entry.dir, TREE_FILE) };
    entry.opening ??= MessageLog.open(entry.key, files, this.logger, trusted, this.faultHook).then(
      (log) => {
        entry.log = log;
        entry.opening = null;
        return log;
      },
      (error: unknown) => {
        entry.opening = null;
        throw error;
      },
    );
    return entry.opening;
  }
}
