// What the file store does when the disk refuses a write: a full disk (ENOSPC, EDQUOT) becomes StorageFullError
// (507 / STORAGE_FULL) and every other write error stays a fault of the server; either way the store remembers that
// writes are failing (for /readyz) and logs it once per outage with the data directory and its free space.
import { statfs } from 'node:fs/promises';
import type { Logger } from 'pino';
import { StorageFullError } from '../../domain/errors.js';

/**
 * A test hook called before each write and each sync of a session's files; throwing from it stands in for a disk
 * that fails (e.g. an Error with code 'EIO' or 'ENOSPC'). Absent in production.
 */
export type WriteFaultHook = (step: 'write' | 'sync', file: string) => void;

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Whether `error` is the disk's answer to a write (an errno), as opposed to a rule or a bug. */
export function isDiskError(error: unknown): boolean {
  return errnoOf(error) !== undefined;
}

export class WriteFaults {
  /** The failing write that began the current outage, or null while writes succeed. */
  private failing: { code: string; since: number } | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  /** Whether the last write failed (and none has succeeded since). */
  get active(): boolean {
    return this.failing !== null;
  }

  /** A write went through: an outage, if any, is over. */
  succeeded(): void {
    if (!this.failing) return;
    this.logger.info({ dataDir: this.dataDir, code: this.failing.code, downMs: Date.now() - this.failing.since }, 'writes to the data directory succeed again');
    this.failing = null;
  }

  /** The error a client should get for a failed write; notes the outage and logs its start once. */
  async failed(error: unknown): Promise<unknown> {
    const code = errnoOf(error);
    if (code === undefined) return error;
    const full = FULL_CODES.has(code);
    if (!this.failing) {
      this.failing = { code, since: Date.now() };
      const freeBytes = await statfs(this.dataDir).then((s) => s.bavail * s.bsize, () => null);
      this.logger.error(
        { err: error, dataDir: this.dataDir, freeBytes, code },
        full ? 'the data directory is full: writes answer 507 until space is freed' : 'writing to the data directory failed',
      );
    }
    return full ? new StorageFullError(`no space left in the data directory (${code}); free some space and retry`, { cause: error }) : error;
  }
}
