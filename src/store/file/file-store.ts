// The embedded store: one directory per session under DATA_DIR/projects, metadata.json replaced atomically,
// messages.jsonl appended with group commit (every append waiting while a sync runs shares the next one).
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import path from 'node:path';
import { nanoid } from 'nanoid';
import type { Logger } from 'pino';
import { ConflictError, NotFoundError, StoreCorruptionError } from '../../domain/errors.js';
import { type AppendResult, emptyRoleCounts, type Message, type MessageDraft } from '../../domain/message.js';
import type { RetentionPolicy, Session, SessionKey, ShareLink } from '../../domain/session.js';
import type { ProjectStats } from '../../domain/stats.js';
import type {
  BranchPage,
  BranchRequest,
  ChatStore,
  ChunkResult,
  ChunkWrite,
  FinishRequest,
  FinishResult,
  ListSessionsOptions,
  MessageKey,
  SearchPage,
  SearchRequest,
  SessionPlace,
  SessionQuery,
  SessionsPage,
  TagCount,
  TrashedSession,
  MessageLinks,
  MessageRange,
  MessageRef,
  StoredChunks,
} from '../store.js';
import { appendChannel } from '../store-events.js';
import { isValidId } from '../../domain/ids.js';
import { planAppends } from './append-plan.js';
import { linksOf, newestLeafOf, readWindow, windowInTail } from './branch-reads.js';
import { settledForImport } from '../stream-rules.js';
import { comparePlaces, countTags, placeOf, sessionMatches } from '../session-order.js';
import { type CatchUpProgress, FileSearch } from './file-search.js';
import { FileStreams } from './file-streams.js';
import { SessionTrash } from './session-trash.js';
import { ShareLinks } from './share-links.js';
import { fsyncDir, replaceFileAtomic, writeFileDurable } from './fs-utils.js';
import { writeSessionFolder } from './session-folder.js';
import type { MessageLog } from './message-log.js';
import { METADATA_FILE, MESSAGES_FILE, StorePaths, TEMP_PREFIX, TRASH_PREFIX } from './paths.js';
import { recordOf } from './record-codec.js';
import { OpenLogs } from './open-logs.js';
import { countersFromLog, newEntry, type PendingAppend, type SessionEntry } from './session-entry.js';
import { encodeSessionFile, readSessionFile } from './session-file.js';
import { isDiskError, type WriteFaultHook, WriteFaults } from './write-faults.js';

const retentionFileSchema = z.object({ archivedDays: z.number().int().min(0).nullable(), inactiveDays: z.number().int().min(0).nullable(), trashDays: z.number().int().min(0) });

/** How long counters may stay only in memory and the log before metadata.json catches up (they are rebuilt from the log after a crash). */
const CHECKPOINT_DELAY_MS = 200;
/** Message logs kept open at once by default (three file descriptors each: log, index, tree index). */
const MAX_OPEN_LOGS = 200;
/** While writes are failing, /readyz answers ready again only once a file this large can be written and synced. */
const RECOVERY_PROBE_BYTES = 64 * 1024;

export interface FileStoreOptions {
  dataDir: string;
  logger: Logger;
  /** Message logs kept open at once; beyond it the least recently used idle ones are closed (default 200). */
  maxOpenLogs?: number;
  /** Test hook standing in for a failing disk (see WriteFaultHook). */
  faultHook?: WriteFaultHook;
  /** Keep the search index (default true); off only to measure what indexing costs an append, or in tests of other things that open many stores. */
  searchIndex?: boolean;
}

interface ProjectEntry {
  sessions: Map<string, SessionEntry>;
  /** Sessions whose files are damaged: each answers with its error, the rest of the project works. */
  broken: Map<string, StoreCorruptionError>;
}

export class FileStore implements ChatStore {
  private readonly paths: StorePaths;
  private readonly logger: Logger;
  private readonly projects = new Map<string, ProjectEntry>();
  private readonly loading = new Map<string, Promise<ProjectEntry | null>>();
  private readonly logs: OpenLogs;
  private readonly faults: WriteFaults;
  private readonly faultHook: WriteFaultHook | undefined;
  private readonly streams: FileStreams;
  private readonly trash: SessionTrash;
  private readonly shareLinks: ShareLinks;
  private readonly searchIndex: FileSearch | null;
  private closed = false;

  constructor(options: FileStoreOptions) {
    this.paths = new StorePaths(options.dataDir);
    this.logger = options.logger;
    this.faultHook = options.faultHook;
    this.logs = new OpenLogs(this.logger, options.maxOpenLogs ?? MAX_OPEN_LOGS, options.faultHook);
    this.faults = new WriteFaults(path.resolve(options.dataDir), this.logger);
    this.trash = new SessionTrash(this.paths, this.logger);
    this.shareLinks = new ShareLinks(options.dataDir, this.logger);
    this.streams = new FileStreams(
      this.paths.streamsDir,
      {
        entry: (key) => this.entry(key),
        useLog: (entry, fn) => this.logs.use(entry, fn),
        writeFinal: (entry, write) => this.writeFinal(entry, write),
        writing: (op) => this.writing(op),
        inTrash: (key) => this.trash.has(key),
      },
      this.logger,
      options.faultHook,
    );
    this.searchIndex = options.searchIndex === false ? null : new FileSearch(
      options.dataDir,
      {
        projects: () => this.everyProject(),
        inTurn: (entry, fn) => entry.queue.run(fn),
        isLive: (key) => this.projects.get(key.projectId)?.sessions.has(key.sessionId) ?? false,
        mayHoldSessions: () => existsSync(this.paths.root),
      },
      this.logger,
    );
  }

  /** Every project's live sessions, a project at a time. */
  private async *everyProject(): AsyncGenerator<SessionEntry[]> {
    for (const projectId of await this.listProjects()) {
      const project = await this.project(projectId, false);
      if (project) yield [...project.sessions.values()].filter((entry) => !entry.deleted);
    }
  }

  /** Brings the search index up to the message logs (what a start after an unclean stop does in the background). */
  catchUpSearch(onProgress?: (progress: CatchUpProgress) => void): Promise<void> {
    if (!this.searchIndex) return Promise.resolve();
    this.searchIndex.onProgress = onProgress ?? null;
    return this.searchIndex.catchUp();
  }

  /** Runs a write; a disk error becomes what the client should see (StorageFullError when full) and is noted for /readyz. */
  private async writing<T>(op: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await op();
    } catch (error) {
      throw await this.faults.failed(error);
    }
    this.faults.succeeded();
    return result;
  }

  async createSession(session: Session): Promise<void> {
    this.assertOpen();
    await this.writing(() => this.writeNewSession(session));
  }

  private async writeNewSession(session: Session): Promise<void> {
    const key = { projectId: session.projectId, sessionId: session.id };
    const project = (await this.project(session.projectId, true))!;
    if (project.sessions.has(session.id) || project.broken.has(session.id)) throw new Error(`session ${session.id} already exists`);
    const sessionsDir = this.paths.sessionsDir(session.projectId);
    const dir = this.paths.sessionDir(key);
    const created = await mkdir(sessionsDir, { recursive: true });
    if (created !== undefined) {
      // New project: make every new directory level durable, from the first one created up to DATA_DIR/projects.
      for (let d = sessionsDir; d.length >= created.length; d = path.dirname(d)) await fsyncDir(path.dirname(d));
    }
    // Build the session in a temp directory and rename it into place, so a crash leaves it whole or absent.
    const temp = path.join(sessionsDir, `${TEMP_PREFIX}${session.id}`);
    await mkdir(temp);
    try {
      this.faultHook?.('write', temp);
      await writeFileDurable(path.join(temp, METADATA_FILE), encodeSessionFile(session, 0, 0));
      await writeFileDurable(path.join(temp, MESSAGES_FILE), '');
      await fsyncDir(temp);
      await rename(temp, dir);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
    await fsyncDir(sessionsDir);
    project.sessions.set(session.id, newEntry(key, dir, session, 0, 0));
    this.searchIndex?.created(session);
  }

  async getSessions(keys: readonly SessionKey[]): Promise<(Session | null)[]> {
    this.assertOpen();
    return Promise.all(keys.map(async (key) => (await this.entry(key))?.session ?? null));
  }

  async listSessions(projectId: string, options: ListSessionsOptions): Promise<Session[]> {
    this.assertOpen();
    const project = await this.project(projectId, false);
    if (!project) return [];
    const sessions: Session[] = [];
    for (const entry of project.sessions.values()) {
      if (options.includeInactive || entry.session.isActive) sessions.push(entry.session);
    }
    return sessions.sort(byUpdatedDesc);
  }

  async querySessions(query: SessionQuery): Promise<SessionsPage> {
    this.assertOpen();
    const project = await this.project(query.projectId, false);
    // The project's sessions are in memory: filtered here, no file read, and only the page (and one more, to know
    // whether a next page exists) kept in order, not every match sorted.
    const compare = (a: SessionPlace, b: SessionPlace) => comparePlaces(a, b, query.order, query.pinnedFirst);
    const after = query.after;
    const keep = query.limit + 1;
    const top: { session: Session; place: SessionPlace }[] = [];
    let totalCount = 0;
    for (const { session } of project?.sessions.values() ?? []) {
      if (!sessionMatches(session, query.filter)) continue;
      totalCount += 1;
      const place = placeOf(session, query.order);
      if (after && compare(place, after) <= 0) continue;
      if (top.length === keep && compare(place, top[keep - 1]!.place) >= 0) continue;
      let low = 0;
      let high = top.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (compare(top[middle]!.place, place) < 0) low = middle + 1;
        else high = middle;
      }
      top.splice(low, 0, { session, place });
      if (top.length > keep) top.pop();
    }
    return { sessions: top.slice(0, query.limit).map((m) => m.session), totalCount, hasNextPage: top.length > query.limit };
  }

  async tagCounts(projectId: string): Promise<TagCount[]> {
    this.assertOpen();
    const project = await this.project(projectId, false);
    return countTags([...(project?.sessions.values() ?? [])].map((entry) => entry.session));
  }

  async updateSession(key: SessionKey, change: (current: Session) => Session): Promise<Session | null> {
    this.assertOpen();
    const entry = await this.entry(key);
    if (!entry) return null;
    return entry.queue.run(async () => {
      if (entry.deleted) return null;
      const next = change(entry.session);
      await this.writing(() => this.writeMetadata(entry, next));
      const previous = entry.session;
      entry.session = next;
      if (previous.title !== next.title || previous.isActive !== next.isActive) this.searchIndex?.changed(next);
      return next;
    });
  }

  async deleteSession(key: SessionKey, check: (current: Session) => void, toTrash?: { deletedAt: string }): Promise<boolean> {
    this.assertOpen();
    const entry = await this.entry(key);
    if (!entry) return false;
    return entry.queue.run(async () => {
      if (entry.deleted) return false;
      check(entry.session);
      if (toTrash) {
        // Into the trash whole: metadata.json brought up to the log, the log closed, then one rename.
        if (entry.checkpointTimer) clearTimeout(entry.checkpointTimer);
        entry.checkpointTimer = null;
        await this.writing(async () => {
          await this.writeMetadata(entry, entry.session);
          await this.logs.close(entry);
          await this.trash.put(entry.dir, entry.session, toTrash.deletedAt);
        });
        entry.deleted = true;
        this.projects.get(key.projectId)?.sessions.delete(key.sessionId);
        this.searchIndex?.removed(key);
        return true;
      }
      // One rename takes the session out of the tree atomically; removing the files afterwards can be interrupted safely.
      const sessionsDir = path.dirname(entry.dir);
      const trash = path.join(sessionsDir, `${TRASH_PREFIX}${key.sessionId}-${nanoid(8)}`);
      await this.writing(async () => {
        await rename(entry.dir, trash);
        await fsyncDir(sessionsDir);
      });
      entry.deleted = true;
      this.projects.get(key.projectId)?.sessions.delete(key.sessionId);
      this.searchIndex?.removed(key);
      if (entry.checkpointTimer) clearTimeout(entry.checkpointTimer);
      await this.logs.close(entry);
      await rm(trash, { recursive: true, force: true });
      return true;
    });
  }

  async listTrash(projectId: string): Promise<TrashedSession[]> {
    this.assertOpen();
    return this.trash.list(projectId);
  }

  async restoreSession(key: SessionKey): Promise<Session | null> {
    this.assertOpen();
    if (!(await this.trash.has(key))) return null;
    const project = (await this.project(key.projectId, true))!;
    if (project.sessions.has(key.sessionId) || project.broken.has(key.sessionId)) throw new ConflictError(`A session ${key.sessionId} already exists in project ${key.projectId}`);
    const moved = await this.writing(async () => {
      await mkdir(this.paths.sessionsDir(key.projectId), { recursive: true });
      return this.trash.take(key, this.paths.sessionDir(key));
    });
    if (!moved) return null;
    const entry = await this.loadSession(key);
    project.sessions.set(key.sessionId, entry);
    await entry.queue.run(async () => this.searchIndex?.restored(entry));
    return entry.session;
  }

  async purgeSession(key: SessionKey): Promise<boolean> {
    this.assertOpen();
    return this.writing(() => this.trash.erase(key));
  }

  async createShareLink(link: ShareLink): Promise<void> {
    this.assertOpen();
    await this.writing(() => this.shareLinks.create(link));
  }

  async findShareLink(tokenHash: string): Promise<ShareLink | null> {
    this.assertOpen();
    return this.shareLinks.find(tokenHash);
  }

  async listShareLinks(projectId: string): Promise<ShareLink[]> {
    this.assertOpen();
    return this.shareLinks.list(projectId);
  }

  async revokeShareLink(projectId: string, id: string, revokedAt: string): Promise<boolean> {
    this.assertOpen();
    return this.writing(() => this.shareLinks.revoke(projectId, id, revokedAt));
  }

  async getRetention(projectId: string): Promise<RetentionPolicy | null> {
    this.assertOpen();
    const text = await readFile(this.paths.retentionFile(projectId), 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
    if (text === null) return null;
    const parsed = retentionFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new StoreCorruptionError(`${this.paths.retentionFile(projectId)} does not hold a retention policy`);
    return parsed.data;
  }

  async setRetention(projectId: string, policy: RetentionPolicy): Promise<void> {
    this.assertOpen();
    const file = this.paths.retentionFile(projectId);
    await this.writing(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await replaceFileAtomic(file, `${JSON.stringify(policy)}\n`);
    });
  }

  /** One process owns a data directory (server.lock): a name is taken in memory. */
  private readonly running = new Set<string>();

  async exclusively<T>(name: string, work: () => Promise<T>): Promise<T | null> {
    if (this.running.has(name)) return null;
    this.running.add(name);
    try {
      return await work();
    } finally {
      this.running.delete(name);
    }
  }

  async appendMessage(key: SessionKey, draft: MessageDraft): Promise<AppendResult | null> {
    this.assertOpen();
    const entry = await this.entry(key);
    if (!entry) return null;
    if (draft.streaming) await this.streams.begin(key, draft.id);
    const result = await this.queueAppend(entry, draft);
    // A repeated clientMessageId may name a message that is still streaming: shown with its chunks so far.
    return result?.deduplicated ? { ...result, message: await this.streams.liveOne(result.message) } : result;
  }

  private queueAppend(entry: SessionEntry, draft: MessageDraft): Promise<AppendResult | null> {
    return new Promise((resolve, reject) => {
      entry.pending.push({ draft, resolve, reject });
      // The first append of a batch schedules its flush for after this turn of the event loop, so that every append
      // arriving meanwhile (or while an earlier flush syncs) joins the same write and the same fdatasync.
      if (entry.pending.length === 1) setImmediate(() => void entry.queue.run(() => this.flush(entry)));
    });
  }

  private async flush(entry: SessionEntry): Promise<void> {
    const batch = entry.pending.splice(0);
    if (entry.deleted) {
      for (const item of batch) item.resolve(null);
      return;
    }
    try {
      await this.writing(() => this.logs.use(entry, (log) => this.commit(entry, log, batch)));
    } catch (failure) {
      if (isDiskError(failure)) {
        // A write or sync of the log failed: none of this batch is acknowledged, and what the kernel kept of it is
        // not to be trusted (a failed fsync may have dropped dirty pages). The log is closed here and reopened (its
        // records after the last checkpoint scanned and checked again) before this session takes another append.
        // A full disk (StorageFullError by now) is left out: the log undid the write by truncating, and stays open
        // so that reads keep working.
        entry.verify = true;
        await this.logs.close(entry).catch((error: unknown) => this.logger.warn({ err: error, dir: entry.dir }, 'closing a message log after a failed write'));
      }
      for (const item of batch) item.reject(failure);
    }
  }

  /** After a failed write: the reopened log must hold exactly what was acknowledged; counters follow the log if not. */
  private async verifyReopened(entry: SessionEntry, log: MessageLog): Promise<void> {
    entry.verify = false;
    if (log.size === entry.logBytes) return;
    this.logger.error({ dir: entry.dir, acknowledgedBytes: entry.logBytes, logBytes: log.size }, 'a reopened message log differs from what was acknowledged; counters follow the log');
    ({ session: entry.session, activeLeafSeq: entry.activeLeafSeq } = await countersFromLog(log, entry.session, Math.min(entry.logBytes, log.size), entry.activeLeafSeq));
    entry.logBytes = log.size;
  }

  /** Appends a batch in one write and one sync (see planAppends for what each append becomes). */
  private async commit(entry: SessionEntry, log: MessageLog, batch: readonly PendingAppend[]): Promise<void> {
    if (entry.verify) await this.verifyReopened(entry, log);
    const createdAt = nextTimestamp(entry.session.lastMessageAt);
    const { records, outcomes, leaf } = await planAppends(entry, log, batch, createdAt);
    const began = performance.now();
    const from = log.size;
    const appended = records.length > 0 ? await log.append(records) : [];
    if (appended.length > 0) this.searchIndex?.appended(entry.key, from, log.size, records);
    if (appended.length > 0 && appendChannel.hasSubscribers) appendChannel.publish({ size: appended.length, seconds: (performance.now() - began) / 1000 });
    if (appended.length > 0) {
      const messagesByRole = { ...entry.session.messagesByRole };
      for (const record of records) messagesByRole[record.role] += 1;
      entry.session = { ...entry.session, messageCount: log.count, messagesByRole, lastMessageAt: createdAt, updatedAt: createdAt, activeLeafId: leaf.id };
      entry.activeLeafSeq = leaf.seq;
      entry.logBytes = log.size;
      this.scheduleCheckpoint(entry);
    }
    const firstSeq = records[0]?.seq ?? 0;
    const session = entry.session;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if ('refused' in outcome) {
        item.reject(outcome.refused);
        return;
      }
      const { earlier, deduplicated } = outcome;
      const message = typeof earlier === 'number' ? appended[earlier - firstSeq]! : earlier;
      item.resolve({ message, session, deduplicated });
    });
  }

  /** Writes a streamed message's final record in the session's turn, as a batch of appends would be written. */
  private async writeFinal(entry: SessionEntry, write: (log: MessageLog) => Promise<Message>): Promise<Message | null> {
    return entry.queue.run(async () => {
      if (entry.deleted) return null;
      try {
        return await this.writing(() =>
          this.logs.use(entry, async (log) => {
            if (entry.verify) await this.verifyReopened(entry, log);
            const from = log.size;
            const message = await write(log);
            entry.logBytes = log.size;
            this.searchIndex?.finished(entry.key, from, log.size, message);
            this.scheduleCheckpoint(entry);
            return message;
          }),
        );
      } catch (failure) {
        if (isDiskError(failure)) {
          // As after a failed append (see flush): reopened and checked before the session's next write.
          entry.verify = true;
          await this.logs.close(entry).catch((error: unknown) => this.logger.warn({ err: error, dir: entry.dir }, 'closing a message log after a failed write'));
        }
        throw failure;
      }
    });
  }

  appendChunk(write: ChunkWrite): Promise<ChunkResult | null> {
    this.assertOpen();
    return this.streams.appendChunk(write);
  }

  finishMessage(request: FinishRequest): Promise<FinishResult | null> {
    this.assertOpen();
    return this.streams.finishMessage(request);
  }

  readChunks(key: MessageKey, afterIndex: number): Promise<StoredChunks | null> {
    this.assertOpen();
    return this.streams.readChunks(key, afterIndex);
  }

  finishIdleStreams(idleSince: number): Promise<Message[]> {
    this.assertOpen();
    return this.streams.finishIdle(idleSince);
  }

  private scheduleCheckpoint(entry: SessionEntry): void {
    if (entry.checkpointTimer) return;
    entry.checkpointTimer = setTimeout(() => {
      entry.checkpointTimer = null;
      void entry.queue.run(() => this.checkpointOrWarn(entry));
    }, CHECKPOINT_DELAY_MS);
    entry.checkpointTimer.unref();
  }

  /**
   * A checkpoint whose failure (a full disk) is only logged: the log holds every acknowledged message, and counters
   * that were not written down are rebuilt from it at the next open. Run from the session's queue, or while loading it.
   */
  private async checkpointOrWarn(entry: SessionEntry): Promise<void> {
    await this.writing(() => this.checkpoint(entry)).catch((error: unknown) => {
      this.logger.warn({ err: error, dir: entry.dir }, 'writing session metadata failed; its counters are rebuilt from the log at the next open');
    });
  }

  /** Brings metadata.json up to the log; only ever run from the session's queue. */
  private async checkpoint(entry: SessionEntry): Promise<void> {
    if (entry.deleted || entry.logBytes === entry.checkpointBytes) return;
    await this.writeMetadata(entry, entry.session);
  }

  /** Replaces metadata.json with `session` and the log length it reflects, after syncing the indexes up to it. */
  private async writeMetadata(entry: SessionEntry, session: Session, activeLeafSeq = entry.activeLeafSeq): Promise<void> {
    const bytes = entry.logBytes;
    this.faultHook?.('write', path.join(entry.dir, METADATA_FILE));
    await entry.log?.syncIndex();
    await replaceFileAtomic(path.join(entry.dir, METADATA_FILE), encodeSessionFile(session, bytes, activeLeafSeq));
    entry.checkpointBytes = bytes;
    entry.checkpointCount = session.messageCount;
  }

  async readMessages(ranges: readonly MessageRange[]): Promise<Message[][]> {
    this.assertOpen();
    return Promise.all(
      ranges.map(async (range) => {
        const entry = await this.entry(range);
        if (!entry || range.fromSeq > range.toSeq || range.fromSeq > entry.session.messageCount) return [];
        try {
          return await this.streams.live(await this.logs.use(entry, (log) => log.read(range.fromSeq, range.toSeq)));
        } catch (error) {
          // A delete that closed the log under this read: the session is gone, as if read a moment later.
          if (entry.deleted) return [];
          throw error;
        }
      }),
    );
  }

  async readBranches(requests: readonly BranchRequest[]): Promise<(BranchPage | null)[]> {
    this.assertOpen();
    return Promise.all(
      requests.map(async (request) => {
        const inMemory = this.branchInMemory(request);
        if (inMemory) return inMemory;
        const entry = await this.entry(request);
        if (!entry) return null;
        try {
          return await this.logs.use(entry, async (log) => {
            let leaf = { seq: entry.activeLeafSeq, id: entry.session.activeLeafId };
            if (request.leafId !== null) {
              const named = await log.findMessage(request.leafId);
              if (!named) return null;
              leaf = { seq: named.sequence, id: named.id };
            }
            return readWindow(log, leaf, request.window);
          }).then(async (page) => page && { ...page, messages: await this.streams.live(page.messages) });
        } catch (error) {
          if (entry.deleted) return null;
          throw error;
        }
      }),
    );
  }

  /**
   * The common read (the newest messages of an active branch whose log is open, no message streaming) answered from
   * the log's in-memory tail in the same tick: a read of 20 sessions makes 20 of these, and the general path costs
   * five promise hops each. Null when anything of it needs the general path.
   */
  private branchInMemory(request: BranchRequest): BranchPage | null {
    if (request.leafId !== null) return null;
    const entry = this.projects.get(request.projectId)?.sessions.get(request.sessionId);
    if (!entry?.log || entry.deleted) return null;
    const page = windowInTail(entry.log, { seq: entry.activeLeafSeq, id: entry.session.activeLeafId }, request.window);
    if (!page || page.messages.some((m) => m.status === 'streaming')) return null;
    this.logs.touch(entry);
    return page;
  }

  async readLinks(messages: readonly MessageRef[]): Promise<MessageLinks[]> {
    this.assertOpen();
    return Promise.all(
      messages.map(async (ref) => {
        const entry = await this.entry(ref);
        if (!entry) return { siblingIds: [], childCount: 0 };
        return this.logs.use(entry, (log) => linksOf(log, ref));
      }),
    );
  }

  async readNewestLeaves(messages: readonly MessageRef[]): Promise<(string | null)[]> {
    this.assertOpen();
    return Promise.all(
      messages.map(async (ref) => {
        const entry = await this.entry(ref);
        if (!entry) return null;
        return this.logs.use(entry, (log) => newestLeafOf(log, ref));
      }),
    );
  }

  async setActiveLeaf(key: SessionKey, messageId: string, change: (current: Session) => Session): Promise<Session | null> {
    this.assertOpen();
    const entry = await this.entry(key);
    if (!entry) return null;
    return entry.queue.run(async () => {
      if (entry.deleted) return null;
      const leaf = await this.logs.use(entry, (log) => log.findMessage(messageId));
      if (!leaf) throw NotFoundError.message(key.sessionId, messageId);
      const next = { ...change(entry.session), activeLeafId: leaf.id };
      await this.writing(() => this.writeMetadata(entry, next, leaf.sequence));
      entry.session = next;
      entry.activeLeafSeq = leaf.sequence;
      return next;
    });
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    this.assertOpen();
    if (!this.searchIndex) throw new Error('this store was opened without its search index');
    return this.searchIndex.search(request);
  }

  async projectStats(projectIds: readonly string[]): Promise<ProjectStats[]> {
    this.assertOpen();
    return Promise.all(
      projectIds.map(async (projectId) => {
        const stats: ProjectStats = {
          projectId,
          totalSessions: 0,
          activeSessions: 0,
          inactiveSessions: 0,
          totalMessages: 0,
          messagesByRole: emptyRoleCounts(),
          lastActivityAt: null,
        };
        const project = await this.project(projectId, false);
        for (const { session } of project?.sessions.values() ?? []) {
          stats.totalSessions += 1;
          if (session.isActive) stats.activeSessions += 1;
          else stats.inactiveSessions += 1;
          stats.totalMessages += session.messageCount;
          for (const role of Object.keys(stats.messagesByRole) as (keyof typeof stats.messagesByRole)[]) {
            stats.messagesByRole[role] += session.messagesByRole[role];
          }
          if (stats.lastActivityAt === null || session.updatedAt > stats.lastActivityAt) stats.lastActivityAt = session.updatedAt;
        }
        return stats;
      }),
    );
  }

  async listProjects(): Promise<string[]> {
    this.assertOpen();
    const names = await readdir(this.paths.root).catch(() => [] as string[]);
    return names.filter((name) => isValidId(name)).sort();
  }

  async importSession(session: Session, messages: readonly Message[]): Promise<boolean> {
    this.assertOpen();
    return this.writing(() => this.writeImported(session, messages));
  }

  private async writeImported(session: Session, messages: readonly Message[]): Promise<boolean> {
    const key = { projectId: session.projectId, sessionId: session.id };
    const project = (await this.project(session.projectId, true))!;
    if (project.sessions.has(session.id) || project.broken.has(session.id)) return false;
    const sessionsDir = this.paths.sessionsDir(session.projectId);
    await mkdir(sessionsDir, { recursive: true });
    const dir = this.paths.sessionDir(key);
    const seqs = new Map<string, number>();
    const records = messages.map((message) => {
      const parent = message.parentId === null ? 0 : seqs.get(message.parentId);
      if (parent === undefined) throw new Error(`message ${message.id} follows ${message.parentId}, which does not come before it`);
      seqs.set(message.id, message.sequence);
      return recordOf(settledForImport(message), parent);
    });
    const leafSeq = session.activeLeafId === null ? 0 : seqs.get(session.activeLeafId);
    if (leafSeq === undefined) throw new Error(`the active leaf ${session.activeLeafId} is not among the messages`);
    // Written whole in a temp folder and renamed into place, like a created session.
    const logBytes = await writeSessionFolder(path.join(sessionsDir, `${TEMP_PREFIX}${session.id}`), session, records, leafSeq);
    await rename(path.join(sessionsDir, `${TEMP_PREFIX}${session.id}`), dir);
    await fsyncDir(sessionsDir);
    project.sessions.set(session.id, newEntry(key, dir, session, logBytes, leafSeq));
    this.searchIndex?.created(session);
    this.searchIndex?.appended(key, 0, logBytes, records);
    return true;
  }

  async checkReady(): Promise<void> {
    this.assertOpen();
    // Writable means a file can be created, synced and removed in the data directory; after failed writes, a file
    // the size of a large message, so that a disk with a few bytes free does not pass for a working one.
    const probe = path.join(this.paths.root, `.ready-${nanoid(8)}`);
    await this.writing(async () => {
      try {
        await mkdir(this.paths.root, { recursive: true });
        this.faultHook?.('write', probe);
        await writeFileDurable(probe, this.faults.active ? Buffer.alloc(RECOVERY_PROBE_BYTES, 0x20) : 'ok');
      } finally {
        await rm(probe, { force: true });
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.searchIndex?.stop();
    const entries = [...this.projects.values()].flatMap((project) => [...project.sessions.values()]);
    await Promise.all(
      entries.map((entry) =>
        entry.queue.run(async () => {
          if (entry.checkpointTimer) clearTimeout(entry.checkpointTimer);
          entry.checkpointTimer = null;
          await this.checkpointOrWarn(entry);
          await this.logs.close(entry);
        }),
      ),
    );
    await this.streams.close();
    await this.searchIndex?.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }

  /** The live entry of a session; null when absent, StoreCorruptionError when its files are damaged. */
  private async entry(key: SessionKey): Promise<SessionEntry | null> {
    const project = await this.project(key.projectId, false);
    if (!project) return null;
    const broken = project.broken.get(key.sessionId);
    if (broken) throw broken;
    const entry = project.sessions.get(key.sessionId);
    return entry && !entry.deleted ? entry : null;
  }

  private async project(projectId: string, create: boolean): Promise<ProjectEntry | null> {
    const known = this.projects.get(projectId);
    if (known) return known;
    let loading = this.loading.get(projectId);
    if (!loading) {
      loading = this.loadProject(projectId).finally(() => this.loading.delete(projectId));
      this.loading.set(projectId, loading);
    }
    const loaded = await loading;
    // Another caller may have registered the project while this one waited.
    const current = this.projects.get(projectId) ?? loaded ?? (create ? { sessions: new Map(), broken: new Map() } : null);
    if (current) this.projects.set(projectId, current);
    return current;
  }

  private async loadProject(projectId: string): Promise<ProjectEntry | null> {
    const sessionsDir = this.paths.sessionsDir(projectId);
    let names: string[];
    try {
      names = await readdir(sessionsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const project: ProjectEntry = { sessions: new Map(), broken: new Map() };
    await Promise.all(
      names.map(async (name) => {
        if (name.startsWith(TEMP_PREFIX) || name.startsWith(TRASH_PREFIX)) {
          // Left by a crash mid-create or mid-delete: never part of the tree.
          await rm(path.join(sessionsDir, name), { recursive: true, force: true });
          return;
        }
        const key = { projectId, sessionId: name };
        try {
          project.sessions.set(name, await this.loadSession(key));
        } catch (error) {
          const corruption = error instanceof StoreCorruptionError ? error : new StoreCorruptionError(`session ${name} could not be read`, { cause: error });
          this.logger.error({ err: corruption, projectId, sessionId: name }, 'session files are damaged; that session answers with an error');
          project.broken.set(name, corruption);
        }
      }),
    );
    return project;
  }

  private async loadSession(key: SessionKey): Promise<SessionEntry> {
    const dir = this.paths.sessionDir(key);
    const { session, logBytes, activeLeafSeq } = await readSessionFile(dir);
    if (session.id !== key.sessionId || session.projectId !== key.projectId) {
      throw new StoreCorruptionError(`${dir} holds session ${session.projectId}/${session.id}`);
    }
    const entry = newEntry(key, dir, session, logBytes, activeLeafSeq ?? 0);
    const logSize = await stat(path.join(dir, MESSAGES_FILE)).then((s) => s.size, () => 0);
    if (logSize !== logBytes) {
      // metadata.json is behind the log (a crash between an append and its checkpoint): bring the counters up to it.
      await this.logs.use(entry, async (log) => {
        entry.logBytes = log.size;
        if (log.size === logBytes) return;
        ({ session: entry.session, activeLeafSeq: entry.activeLeafSeq } = await countersFromLog(log, session, logBytes, entry.activeLeafSeq));
        this.logger.warn({ dir, messages: log.count }, 'session counters rebuilt from its message log');
        // Writing them down is an optimisation: on a full disk the session is still whole (and read), not damaged.
        await this.checkpointOrWarn(entry);
      });
    }
    if (activeLeafSeq === null && entry.activeLeafSeq === 0 && entry.session.messageCount > 0) {
      // Written before conversations had branches: the active leaf is the last message. Noted in the new format once.
      const [last] = await this.logs.use(entry, (log) => log.read(log.count, log.count));
      entry.session = { ...entry.session, activeLeafId: last!.id };
      entry.activeLeafSeq = last!.sequence;
      await this.writing(() => this.writeMetadata(entry, entry.session)).catch((error: unknown) => {
        this.logger.warn({ err: error, dir }, 'writing session metadata in the current format failed; it is tried again at the next open');
      });
    }
    return entry;
  }

}

function byUpdatedDesc(a: Session, b: Session): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Now, but never before the previous message, so createdAt never goes backwards within a session. */
function nextTimestamp(previous: string | null): string {
  const now = new Date().toISOString();
  return previous !== null && previous > now ? previous : now;
}
