// Keeps the file store's search index up to its sessions: each acknowledged write is queued for the index (on its
// own thread, see search-thread.ts), and a search first commits what waits, so it sees every acknowledged write. At
// start (after an unclean stop, or with no index yet) a catch-up walks every session and indexes what its log holds
// beyond what the index has, while searches answer "catching up".
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { SearchCatchingUpError, StoreCorruptionError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { Session, SessionKey } from '../../domain/session.js';
import type { SearchPage, SearchRequest } from '../store.js';
import { MESSAGES_FILE } from './paths.js';
import { recordsOfFile } from './record-reader.js';
import type { StoredMessage } from './record-codec.js';
import type { IndexedMessage } from './search-index.js';
import { type IndexWrite, SearchThread, SearchThreadError } from './search-thread.js';
import type { SessionEntry } from './session-entry.js';

/** Records indexed per transaction while catching up (each a step the catch-up can resume from). */
const CATCH_UP_BATCH = 2000;
/** After a failed index write, the catch-up that repairs it is tried again after this long. */
const RETRY_MS = 5000;
/**
 * Index writes wait in memory up to this long (or this many) and are committed together, off the appends' path; a
 * search commits whatever waits before it reads, so a search still sees every acknowledged write. A crash loses only
 * what waited, which the next start finds again in the logs.
 */
const FLUSH_MS = 20;
const FLUSH_OPS = 512;

/** What the search index needs of the file store. */
export interface SearchHost {
  /** Every project's live sessions, loading projects not loaded yet. */
  projects(): AsyncIterable<SessionEntry[]>;
  /** Runs `fn` in the session's turn (after its pending writes, before the next). */
  inTurn<T>(entry: SessionEntry, fn: () => Promise<T>): Promise<T>;
  isLive(key: SessionKey): boolean;
  /** False only while the store has never held a session: a new index then has nothing to catch up with. */
  mayHoldSessions(): boolean;
}

/** Progress of a catch-up, for the reindex command. */
export interface CatchUpProgress {
  sessions: number;
  messages: number;
}

export class FileSearch {
  private readonly index: SearchThread;
  /** Whether the index holds every acknowledged write; searches are refused until it does. */
  private ready = false;
  private catchingUp: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  /** A write to the index failed since the last catch-up began: it is behind, and a catch-up is due. */
  private behind = false;
  private pending: IndexWrite[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  onProgress: ((progress: CatchUpProgress) => void) | null = null;

  constructor(
    dataDir: string,
    private readonly host: SearchHost,
    private readonly logger: Logger,
  ) {
    const file = path.join(path.resolve(dataDir), 'search', 'index.sqlite');
    const nothingToIndex = !existsSync(file) && !host.mayHoldSessions();
    this.index = new SearchThread(file, logger);
    void this.index.opened.then((state) => {
      if (state === 'clean' || (state === 'unclean' && nothingToIndex)) this.ready = true;
      else if (!this.closed) void this.catchUp();
    });
  }

  /** Brings the index up to every session's log; resolves when it is (at once when it is already). */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.runCatchUp().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private async runCatchUp(): Promise<void> {
    this.ready = false;
    this.behind = false;
    const began = performance.now();
    const progress: CatchUpProgress = { sessions: 0, messages: 0 };
    try {
      for await (const entries of this.host.projects()) {
        for (const entry of entries) {
          if (this.closed) return;
          progress.messages += await this.host.inTurn(entry, () => this.syncSession(entry));
          progress.sessions += 1;
          this.onProgress?.(progress);
        }
      }
      for (const key of await this.index.call('sessions')) {
        if (!this.host.isLive(key)) await this.index.call('removeSession', key);
      }
    } catch (error) {
      if (this.closed) return;
      this.logger.error({ err: error }, 'bringing the search index up to the message logs failed; searches answer "catching up" until a retry succeeds');
      this.scheduleRetry();
      return;
    }
    if (this.behind) {
      this.scheduleRetry();
      return;
    }
    this.ready = true;
    if (progress.messages > 0) this.logger.info({ ...progress, ms: Math.round(performance.now() - began) }, 'search index brought up to the message logs');
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.catchUp();
    }, RETRY_MS);
    this.retry.unref();
  }

  /** Indexes what a session's log holds beyond the index; returns how many records that was. Run in the session's turn. */
  private async syncSession(entry: SessionEntry): Promise<number> {
    void this.flush();
    if (entry.deleted) return 0;
    const { session } = entry;
    let indexed = await this.index.call('indexed', entry.key);
    if (!indexed || indexed.logBytes > entry.logBytes) {
      await this.index.call('resetSession', session);
      indexed = { logBytes: 0, title: session.title, active: session.isActive };
    } else if (indexed.title !== session.title || indexed.active !== session.isActive) {
      await this.index.call('updateSession', session);
    }
    if (indexed.logBytes === entry.logBytes) return 0;
    try {
      return await this.indexLog(entry, indexed.logBytes);
    } catch (error) {
      if (!(error instanceof StoreCorruptionError)) throw error;
      // What the index had does not line up with the log: the session is indexed again from its first record.
      this.logger.warn({ err: error, dir: entry.dir }, 'the search index did not line up with a message log; that session is indexed again');
      await this.index.call('resetSession', session);
      return this.indexLog(entry, 0);
    }
  }

  /**
   * Indexes a session's log from byte `from` to its committed end, read directly (its indexes are not needed). One
   * batch is indexed on the index's thread while the next is read.
   */
  private async indexLog(entry: SessionEntry, from: number): Promise<number> {
    let count = 0;
    let start = from;
    let batch: IndexedMessage[] = [];
    let end = from;
    let indexing: Promise<unknown> = Promise.resolve();
    try {
      for await (const { record, end: recordEnd } of recordsOfFile(path.join(entry.dir, MESSAGES_FILE), from, entry.logBytes)) {
        batch.push(indexedOf(record));
        end = recordEnd;
        if (batch.length >= CATCH_UP_BATCH) {
          await indexing;
          indexing = this.index.call('applyRecords', entry.key, start, end, batch);
          count += batch.length;
          start = end;
          batch = [];
        }
      }
    } finally {
      // Not left unhandled when reading fails; what it threw is the caller's to see.
      await indexing.catch(() => undefined);
    }
    await indexing;
    if (end > start || batch.length > 0) await this.index.call('applyRecords', entry.key, start, end, batch);
    return count + batch.length;
  }

  /** Queues an index write (see FLUSH_MS); a failure leaves the index behind (searches wait for the catch-up it schedules), never the write. */
  private write(write: IndexWrite): void {
    this.pending.push(write);
    if (this.pending.length >= FLUSH_OPS) void this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  /**
   * Sends the queued index writes to be committed in one transaction; resolves (never rejects) once they are, and
   * anything asked of the index after this call is answered after them.
   */
  flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return Promise.resolve();
    const writes = this.pending.splice(0);
    return this.index.batch(writes).then(
      (stale) => {
        if (stale.length > 0 && this.ready) {
          this.logger.warn({ what: stale[0] }, 'the search index was behind a session; it catches up');
          this.fallBehind();
        }
      },
      (error: unknown) => {
        this.logger.error({ err: error, what: writes[0]!.what }, 'writing the search index failed; searches answer "catching up" until it is repaired');
        this.fallBehind();
      },
    );
  }

  private fallBehind(): void {
    this.ready = false;
    this.behind = true;
    this.scheduleRetry();
  }

  created(session: Session): void {
    this.write({ what: 'create', method: 'resetSession', args: [session] });
  }

  changed(session: Session): void {
    this.write({ what: 'update', method: 'updateSession', args: [session] });
  }

  removed(key: SessionKey): void {
    this.write({ what: 'delete', method: 'removeSession', args: [key] });
  }

  /** Records appended to a session's log, from byte `from` to byte `to`. */
  appended(key: SessionKey, from: number, to: number, records: readonly StoredMessage[]): void {
    this.write({ what: 'append', method: 'applyRecords', args: [key, from, to, records.map(indexedOf)] });
  }

  /** A streamed message's final record, written from byte `from` to byte `to`. */
  finished(key: SessionKey, from: number, to: number, message: Message): void {
    const indexed = { seq: message.sequence, role: message.role, content: message.content, createdAt: message.createdAt, status: message.status };
    this.write({ what: 'finish', method: 'applyRecords', args: [key, from, to, [indexed]] });
  }

  /** A restored session: indexed whole from its log. Run in the session's turn. */
  async restored(entry: SessionEntry): Promise<void> {
    void this.flush();
    try {
      await this.index.call('resetSession', entry.session);
      await this.indexLog(entry, 0);
    } catch (error) {
      this.logger.error({ err: error, dir: entry.dir }, 'indexing a restored session failed; searches answer "catching up" until it is repaired');
      this.fallBehind();
    }
  }

  /** Stops a catch-up under way (it resumes at the next start); writes are still indexed until close. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.catchingUp;
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    await this.flush();
    await this.index.opened;
    if (!this.ready) throw new SearchCatchingUpError('The search index is catching up with the stored messages; try again shortly');
    try {
      return await this.index.call('search', request);
    } catch (error) {
      if (!(error instanceof SearchThreadError)) throw error;
      // The thread stopped under this search: it may have lost writes that waited, so the index catches up again.
      this.fallBehind();
      throw new SearchCatchingUpError('The search index is catching up with the stored messages; try again shortly', { cause: error });
    }
  }

  /** After stop and the store's last writes. */
  async close(): Promise<void> {
    await this.flush();
    try {
      await this.index.close(this.ready && !this.behind);
    } catch (error) {
      // Not marked clean, so the next start checks the index against the logs.
      this.logger.error({ err: error }, 'closing the search index failed');
    }
  }
}

function indexedOf(record: StoredMessage): IndexedMessage {
  return { seq: record.seq, role: record.role, content: record.content, createdAt: record.createdAt, status: record.status ?? 'complete' };
}
