// The chat session service: every rule of projects, sessions and messages lives here, for every transport.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type Access, OPEN_ACCESS } from '../domain/access.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { idSchema, newId } from '../domain/ids.js';
import {
  type AppendResult,
  addMessageInputSchema,
  chunkInputSchema,
  emptyRoleCounts,
  FOLLOW_LEAF,
  finishMessageInputSchema,
  type Message,
  type ParentChoice,
  startMessageInputSchema,
} from '../domain/message.js';
import {
  createSessionInputSchema,
  forkSessionInputSchema,
  newSession,
  type Session,
  type SessionKey,
  BULK_MAX,
  bulkSessionInputSchema,
  DEFAULT_RETENTION,
  editTags,
  type RetentionPolicy,
  type ShareLink,
  retentionPolicyInputSchema,
  sessionFilterSchema,
  TAGS_MAX,
  tagKey,
  updateSessionInputSchema,
} from '../domain/session.js';
import type { ProjectStats } from '../domain/stats.js';
import type { BranchPage, ChatStore, ChunkResult, FinishResult, MessageLinks, MessageRange, SessionOrder, TagCount, TrashedSession } from '../store/store.js';
import { EventBus, type SessionEvent, type SessionEventKind } from '../events/event-bus.js';
import {
  decodeMessageCursor,
  decodeSessionCursor,
  decodeSessionPageCursor,
  decodeTrashCursor,
  messageCursor,
  sessionCursor,
  sessionPageCursor,
  trashCursor,
} from './cursors.js';
import { placeOf } from '../store/session-order.js';
import { chunksAfter, endWithFeed, messagesAfter, projectEvents, type StreamEvent } from './message-stream.js';
import { type ContextWindow, contextWindow } from './context-window.js';
import { TokenCounter, type TokenEncoding } from './tokens.js';
import { type ConnectionArgs, connectionWindow, DEFAULT_PAGE, type LimitOffsetArgs, messageRange, type Page, PAGE_MAX, type PageWindow, parseLimitOffset, startAfter, toPage } from './pagination.js';
import { type SearchHit, searchProject } from './search.js';
import { exportMarkdown, exportNative, exportProject, runImport } from './transfer.js';
import type { ImportReport } from '../transfer/import-file.js';
import { parseInput, projectIdOf, sessionIdOf } from './validate.js';

export interface ChatServiceOptions {
  store: ChatStore;
  /** Largest message content accepted, in UTF-8 bytes. */
  maxMessageBytes: number;
  /** Where changes are announced once durable; subscriptions read from it. */
  events?: EventBus;
  /** What the caller may do (everything when absent). Projects it may not use look empty; writes to them are refused. */
  access?: Access;
  /** A STREAMING message with no chunk for this long is ended as INCOMPLETE by the sweep (default 60 000). */
  streamIdleTimeoutMs?: number;
}

/** What one service shares with every per-request copy: schemas (building one costs more than a read) and caches. */
interface Shared {
  addMessageSchema: ReturnType<typeof addMessageInputSchema>;
  startMessageSchema: ReturnType<typeof startMessageInputSchema>;
  tokens: TokenCounter;
}

const importFormatSchema = z.enum(['auto', 'native', 'chatgpt', 'open-webui'], { error: 'must be auto, native, chatgpt or open-webui' });

const expectedVersionSchema = z.number({ error: 'must be an integer' }).int().min(1).nullish();

/** A page of one path through a session: the active branch (leafId null) or the path to a message. */
export type BranchPageRequest = { session: Session; leafId?: string | null } & ConnectionArgs;

const sessionsPageSchema = z.object({
  first: z.number().int().min(0, { error: `must be between 0 and ${PAGE_MAX}` }).max(PAGE_MAX, { error: `must be between 0 and ${PAGE_MAX}` }).nullish(),
});

export class ChatService {
  private readonly store: ChatStore;
  private readonly events: EventBus;
  private readonly access: Access;

  constructor(
    private readonly options: ChatServiceOptions,
    private readonly shared: Shared = {
      addMessageSchema: addMessageInputSchema(options.maxMessageBytes),
      startMessageSchema: startMessageInputSchema(options.maxMessageBytes),
      tokens: new TokenCounter(),
    },
  ) {
    this.store = options.store;
    this.events = options.events ?? new EventBus();
    this.access = options.access ?? OPEN_ACCESS;
  }

  /** The same service acting for a caller with `access` (one per request: it must stay cheap). */
  forAccess(access: Access): ChatService {
    if (access === this.access) return this;
    return new ChatService({ ...this.options, events: this.events, access }, this.shared);
  }

  /** Whether the caller may see this project's data; without the read scope nothing is readable at all. */
  private readable(projectId: string): boolean {
    if (!this.access.scopes.has('chat:read')) throw new ForbiddenError('This token lacks the chat:read scope');
    return this.access.allows(projectId);
  }

  private assertWritable(projectId: string): void {
    if (!this.access.scopes.has('chat:write')) throw new ForbiddenError('This token lacks the chat:write scope');
    if (!this.access.allows(projectId)) throw new ForbiddenError(`This token may not write to project ${projectId}`);
  }

  private announce(kind: SessionEventKind, key: SessionKey, session: Session | null, message: Message | null = null): void {
    this.events.publish({ kind, projectId: key.projectId, sessionId: key.sessionId, session, message });
  }

  /** Creates a session in a project (projects need no creation). */
  async createSession(projectId: unknown, input: unknown): Promise<Session> {
    const project = projectIdOf(projectId);
    this.assertWritable(project);
    const fields = parseInput(createSessionInputSchema, input, ['input']);
    const session = newSession(project, { ...fields, createdBy: this.access.subject });
    await this.store.createSession(session);
    this.announce('CREATED', { projectId: project, sessionId: session.id }, session);
    return session;
  }

  /** The session, or null when the project has no such session. */
  async getSession(projectId: unknown, sessionId: unknown): Promise<Session | null> {
    const [session] = await this.getSessions([{ projectId, sessionId }]);
    return session ?? null;
  }

  /** Many sessions in one store call, in key order. */
  async getSessions(keys: readonly { projectId: unknown; sessionId: unknown }[]): Promise<(Session | null)[]> {
    const parsed = keys.map(keyOf);
    const visible = parsed.filter((key) => this.readable(key.projectId));
    const found = visible.length > 0 ? await this.store.getSessions(visible) : [];
    let next = 0;
    return parsed.map((key) => (this.access.allows(key.projectId) ? (found[next++] ?? null) : null));
  }

  /** Sessions of a project, most recently updated first; archived ones only with `includeInactive`. */
  async listSessions(projectId: unknown, options: { includeInactive?: boolean | null } = {}): Promise<Session[]> {
    const project = projectIdOf(projectId);
    if (!this.readable(project)) return [];
    return this.store.listSessions(project, { includeInactive: options.includeInactive ?? false });
  }

  /** A page of {@link listSessions}, after a cursor. */
  async listSessionsPage(projectId: unknown, args: { includeInactive?: boolean | null; first?: number | null; after?: string | null }): Promise<Page<Session>> {
    const { first } = parseInput(sessionsPageSchema, { first: args.first }, []);
    const position = args.after != null ? decodeSessionCursor(args.after, 'after') : null;
    const all = await this.listSessions(projectId, args);
    const from = startAfter(all, position, (s) => ({ at: s.updatedAt, id: s.id }));
    const items = all.slice(from, from + (first ?? DEFAULT_PAGE));
    return toPage(items, sessionCursor, from > 0, from + items.length < all.length, all.length);
  }

  /**
   * A page of a project's sessions matching `filter`, in `orderBy` (pinned ones first unless `pinnedFirst` is false),
   * after a cursor of the same order. Cursors name a place in the order, so they stay valid while sessions change.
   */
  async sessionsPage(projectId: unknown, args: { filter?: unknown; orderBy?: SessionOrder | null; pinnedFirst?: boolean | null; first?: unknown; after?: unknown }): Promise<Page<Session>> {
    const project = projectIdOf(projectId);
    const order = args.orderBy ?? 'updatedAt';
    const { first } = parseInput(sessionsPageSchema, { first: args.first }, []);
    const filter = parseInput(sessionFilterSchema, args.filter ?? {}, ['filter']);
    const cursor = args.after != null ? decodeSessionPageCursor(args.after, 'after') : null;
    if (cursor && cursor.order !== order) throw new ValidationError([{ path: ['after'], message: 'is a cursor of another order' }]);
    if (!this.readable(project)) return toPage([], (s) => sessionPageCursor(order, placeOf(s, order)), false, false, 0);
    const page = await this.store.querySessions({
      projectId: project,
      filter: {
        includeInactive: filter.includeInactive ?? false,
        onlyInactive: filter.onlyInactive ?? false,
        tags: (filter.tags ?? []).map(tagKey),
        pinned: filter.pinned ?? null,
        mine: filter.mine ? { createdBy: this.access.subject } : null,
        titleContains: filter.titleContains ? filter.titleContains.toLowerCase() : null,
      },
      order,
      pinnedFirst: args.pinnedFirst ?? true,
      after: cursor?.place ?? null,
      limit: first ?? 50,
    });
    return toPage(page.sessions, (s) => sessionPageCursor(order, placeOf(s, order)), cursor !== null, page.hasNextPage, page.totalCount);
  }

  /**
   * Imports a file of conversations (ChatGPT, Open WebUI or this service's export) into a project; on a dry run the
   * full report and no write. ValidationError when the file cannot be read at all (nothing is written then).
   */
  async importConversations(
    projectId: unknown,
    file: { path: string; label: string },
    options: { format?: unknown; dryRun?: boolean | null; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ImportReport> {
    const project = projectIdOf(projectId);
    this.assertWritable(project);
    const format = parseInput(importFormatSchema, options.format ?? 'auto', ['format']);
    const report = await runImport(this.store, project, file, {
      format,
      dryRun: options.dryRun ?? false,
      maxMessageBytes: this.options.maxMessageBytes,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    for (const session of report.sessions) this.announce('CREATED', { projectId: project, sessionId: session.id }, session);
    return report;
  }

  /**
   * A session with every message of every branch, as this service's export (format NATIVE): the session, and its JSON
   * in pieces (a page of messages at a time); null when absent.
   */
  async exportSession(projectId: unknown, sessionId: unknown): Promise<{ session: Session; json: AsyncGenerator<string> } | null> {
    const session = await this.getSession(projectId, sessionId);
    return session && { session, json: exportNative(this.store, session) };
  }

  /** A session's active branch as Markdown, with the session; null when absent. */
  async exportMarkdown(projectId: unknown, sessionId: unknown): Promise<{ session: Session; markdown: string } | null> {
    const session = await this.getSession(projectId, sessionId);
    return session && { session, markdown: await exportMarkdown(this.store, session) };
  }

  /** Every session of a project (archived too, not the trash) as NDJSON of this service's export, in pieces. */
  exportProject(projectId: unknown): AsyncGenerator<string> {
    const project = projectIdOf(projectId);
    if (!this.readable(project)) return (async function* () {})();
    return exportProject(this.store, project);
  }

  /** Messages and titles of a project matching a search query, most relevant first (see src/service/search.ts). */
  search(projectId: unknown, args: { query: unknown; filter?: unknown; first?: unknown; after?: unknown }): Promise<Page<SearchHit>> {
    const project = projectIdOf(projectId);
    return searchProject(this.store, project, this.readable(project), args);
  }

  /** Every tag in use in a project with how many sessions carry it, most used first. */
  async tagCounts(projectId: unknown): Promise<TagCount[]> {
    const project = projectIdOf(projectId);
    if (!this.readable(project)) return [];
    return this.store.tagCounts(project);
  }

  /**
   * Applies a partial update. With `expectedVersion` not equal to the current version: ConflictError, nothing changes.
   * Resolves null when the session does not exist in that project.
   */
  async updateSession(projectId: unknown, sessionId: unknown, input: unknown): Promise<Session | null> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const { expectedVersion, ...patch } = parseInput(updateSessionInputSchema, input, ['input']);
    const updated = await this.store.updateSession(key, (current) => {
      if (expectedVersion != null && expectedVersion !== current.version) {
        throw new ConflictError(`Session ${current.id} is at version ${current.version}, not ${expectedVersion}`);
      }
      const next: Session = { ...current, version: current.version + 1, updatedAt: laterThan(current.updatedAt) };
      if (patch.title != null) next.title = patch.title;
      if (patch.description !== undefined) next.description = patch.description;
      if (patch.metadata != null) next.metadata = patch.metadata;
      if (patch.isActive != null) next.isActive = patch.isActive;
      if (patch.pinned != null) next.pinned = patch.pinned;
      if (patch.tags != null) next.tags = patch.tags;
      return next;
    });
    if (updated) this.announce('UPDATED', key, updated);
    return updated;
  }

  /**
   * Applies one change to many sessions of a project (at most 1000 ids), each answered on its own: a session that
   * is missing or refuses the change is reported in `failed`, the others are changed. Events are published per session.
   * `delete` removes a session with its messages (force implied); `updated` then holds it as it was.
   */
  async updateSessions(projectId: unknown, ids: unknown, input: unknown): Promise<{ updated: Session[]; failed: { sessionId: string; error: Error }[] }> {
    const project = projectIdOf(projectId);
    this.assertWritable(project);
    const list = parseInput(z.array(z.string(), { error: 'must be a list of ids' }).max(BULK_MAX, { error: `must hold at most ${BULK_MAX} ids` }), ids, ['ids']);
    const change = parseInput(bulkSessionInputSchema, input, ['input']);
    const updated: Session[] = [];
    const failed: { sessionId: string; error: Error }[] = [];
    const apply = async (sessionId: string): Promise<Session> => {
      const key = keyOf({ projectId: project, sessionId });
      if (change.delete) {
        let before: Session | null = null;
        const deleted = await this.store.deleteSession(
          key,
          (current) => {
            before = current;
          },
          await this.trashFor(project),
        );
        if (!deleted || !before) throw NotFoundError.session(project, sessionId);
        this.announce('DELETED', key, null);
        return before;
      }
      const next = await this.store.updateSession(key, (current) => {
        const tags = editTags(current.tags, change.addTags ?? [], change.removeTags ?? []);
        if (tags.length > TAGS_MAX) throw new ValidationError([{ path: ['input', 'addTags'], message: `would give session ${sessionId} more than ${TAGS_MAX} tags` }]);
        return {
          ...current,
          version: current.version + 1,
          updatedAt: laterThan(current.updatedAt),
          isActive: change.isActive ?? current.isActive,
          pinned: change.pinned ?? current.pinned,
          tags,
        };
      });
      if (!next) throw NotFoundError.session(project, sessionId);
      this.announce('UPDATED', key, next);
      return next;
    };
    // Up to 16 at a time, answered in the order named.
    const outcomes: (Session | Error)[] = new Array(list.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(16, list.length) }, async () => {
        while (next < list.length) {
          const i = next++;
          outcomes[i] = await apply(list[i]!).catch((error: unknown) => {
            if (error instanceof ValidationError || error instanceof NotFoundError || error instanceof ConflictError) return error;
            throw error;
          });
        }
      }),
    );
    outcomes.forEach((outcome, i) => {
      if (outcome instanceof Error) failed.push({ sessionId: list[i]!, error: outcome });
      else updated.push(outcome);
    });
    return { updated, failed };
  }

  /**
   * Deletes a session with its messages. One that has messages needs `force` (else ConflictError).
   * Resolves false when the session does not exist in that project.
   */
  async deleteSession(projectId: unknown, sessionId: unknown, options: { force?: boolean | null } = {}): Promise<boolean> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const deleted = await this.store.deleteSession(
      key,
      (current) => {
        if (current.messageCount > 0 && options.force !== true) {
          throw new ConflictError(`Session ${current.id} has ${current.messageCount} message${current.messageCount === 1 ? '' : 's'}; delete it with force to remove them too`);
        }
      },
      await this.trashFor(key.projectId),
    );
    if (deleted) this.announce('DELETED', key, null);
    return deleted;
  }

  /** Where a session deleted now goes: the trash, or nowhere when the project's policy keeps no trash (trashDays 0). */
  private async trashFor(projectId: string): Promise<{ deletedAt: string } | undefined> {
    const policy = await this.retentionOf(projectId);
    return policy.trashDays === 0 ? undefined : { deletedAt: new Date().toISOString() };
  }

  private async retentionOf(projectId: string): Promise<RetentionPolicy> {
    return (await this.store.getRetention(projectId)) ?? DEFAULT_RETENTION;
  }

  /**
   * A read-only link to a session as it is now (its branch up to the active leaf). The token (256 random bits) is
   * returned here only; the store keeps its SHA-256.
   */
  async createShareLink(projectId: unknown, sessionId: unknown, expiresAt?: string | null): Promise<{ link: ShareLink; token: string }> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    if (expiresAt != null && Date.parse(expiresAt) <= Date.now()) throw new ValidationError([{ path: ['expiresAt'], message: 'must be in the future' }]);
    const [session] = await this.store.getSessions([key]);
    if (!session) throw NotFoundError.session(key.projectId, key.sessionId);
    const token = randomBytes(32).toString('base64url');
    const link: ShareLink = {
      id: newId(),
      projectId: key.projectId,
      sessionId: key.sessionId,
      leafId: session.activeLeafId,
      tokenHash: hashToken(token),
      createdAt: new Date().toISOString(),
      expiresAt: expiresAt ?? null,
      createdBy: this.access.subject,
      revokedAt: null,
    };
    await this.store.createShareLink(link);
    return { link, token };
  }

  /** Revokes a link of the project; NotFoundError when it has no such live link. */
  async revokeShareLink(projectId: unknown, id: unknown): Promise<void> {
    const project = projectIdOf(projectId);
    this.assertWritable(project);
    const linkId = parseInput(idSchema, id, ['id']);
    if (!(await this.store.revokeShareLink(project, linkId, new Date().toISOString()))) throw new NotFoundError(`Share link ${linkId} not found in project ${project}`);
  }

  /** The project's live share links (or one session's), newest first: revoked and expired ones left out. */
  async shareLinks(projectId: unknown, sessionId?: unknown): Promise<ShareLink[]> {
    const project = projectIdOf(projectId);
    const session = sessionId != null ? sessionIdOf(sessionId) : null;
    if (!this.readable(project)) return [];
    const now = new Date().toISOString();
    return (await this.store.listShareLinks(project)).filter((l) => l.revokedAt === null && (l.expiresAt === null || l.expiresAt > now) && (session === null || l.sessionId === session));
  }

  /**
   * What a share link shows, for anyone holding its token (no credentials needed): the title and the branch up to
   * the link's leaf as it was when shared. Null for an unknown, revoked or expired token, or a session that is gone.
   */
  async sharedConversation(token: unknown): Promise<{ title: string; sharedAt: string; messages: Message[] } | null> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 256) return null;
    const hash = hashToken(token);
    const link = await this.store.findShareLink(hash);
    // The lookup is by hash; the comparison of what it found takes the same time whatever the token.
    if (!link || !timingSafeEqual(Buffer.from(link.tokenHash, 'hex'), Buffer.from(hash, 'hex'))) return null;
    if (link.revokedAt !== null || (link.expiresAt !== null && link.expiresAt <= new Date().toISOString())) return null;
    const key = { projectId: link.projectId, sessionId: link.sessionId };
    const [session] = await this.store.getSessions([key]);
    if (!session) return null;
    if (link.leafId === null) return { title: session.title, sharedAt: link.createdAt, messages: [] };
    const [path] = await this.store.readBranches([{ ...key, leafId: link.leafId, window: (length) => ({ from: 1, to: length }) }]);
    return path ? { title: session.title, sharedAt: link.createdAt, messages: path.messages } : null;
  }

  /** A project's retention policy (the default one until it sets its own). */
  async retention(projectId: unknown): Promise<RetentionPolicy> {
    const project = projectIdOf(projectId);
    if (!this.readable(project)) return DEFAULT_RETENTION;
    return this.retentionOf(project);
  }

  /** Changes a project's retention policy: fields left out stay, null archivedDays or inactiveDays turns that rule off. */
  async setRetentionPolicy(projectId: unknown, input: unknown): Promise<RetentionPolicy> {
    const project = projectIdOf(projectId);
    this.assertWritable(project);
    const change = parseInput(retentionPolicyInputSchema, input, ['input']);
    const current = await this.retentionOf(project);
    const next: RetentionPolicy = {
      archivedDays: change.archivedDays !== undefined ? change.archivedDays : current.archivedDays,
      inactiveDays: change.inactiveDays !== undefined ? change.inactiveDays : current.inactiveDays,
      trashDays: change.trashDays ?? current.trashDays,
    };
    await this.store.setRetention(project, next);
    return next;
  }

  /**
   * Applies one project's retention policy as of `now` (ms since the epoch): archived sessions untouched for
   * archivedDays and sessions untouched for inactiveDays move to the trash; sessions in the trash for trashDays are
   * erased. One sweep at a time per project across replicas; a crash part-way leaves what the next sweep finishes.
   */
  async sweepRetention(projectId: string, now: number): Promise<{ trashed: number; erased: number } | null> {
    return this.store.exclusively(`retention:${projectId}`, async () => {
      const policy = await this.retentionOf(projectId);
      let trashed = 0;
      let erased = 0;
      const before = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
      if (policy.archivedDays !== null || policy.inactiveDays !== null) {
        for (const session of await this.store.listSessions(projectId, { includeInactive: true })) {
          const stale =
            (policy.inactiveDays !== null && session.updatedAt < before(policy.inactiveDays)) ||
            (policy.archivedDays !== null && !session.isActive && session.updatedAt < before(policy.archivedDays));
          if (!stale) continue;
          const key = { projectId, sessionId: session.id };
          const toTrash = policy.trashDays === 0 ? undefined : { deletedAt: new Date(now).toISOString() };
          if (await this.store.deleteSession(key, () => undefined, toTrash)) {
            trashed += 1;
            this.announce('DELETED', key, null);
          }
        }
      }
      for (const { session, deletedAt } of await this.store.listTrash(projectId)) {
        if (Date.parse(deletedAt) + policy.trashDays * DAY_MS <= now && (await this.store.purgeSession({ projectId, sessionId: session.id }))) erased += 1;
      }
      return { trashed, erased };
    });
  }

  /** Every project's retention sweep (see sweepRetention); returns what each moved and erased. */
  async sweepAllRetention(now: number): Promise<{ projectId: string; trashed: number; erased: number }[]> {
    const done: { projectId: string; trashed: number; erased: number }[] = [];
    for (const projectId of await this.store.listProjects()) {
      const result = await this.sweepRetention(projectId, now);
      if (result && (result.trashed > 0 || result.erased > 0)) done.push({ projectId, ...result });
    }
    return done;
  }

  /** A page of a project's trash, most recently deleted first, each with when it will be erased. */
  async trashPage(projectId: unknown, args: { first?: unknown; after?: unknown }): Promise<Page<TrashedView>> {
    const project = projectIdOf(projectId);
    const { first } = parseInput(sessionsPageSchema, { first: args.first }, []);
    const position = args.after != null ? decodeTrashCursor(args.after, 'after') : null;
    const cursorOf = (t: TrashedView) => trashCursor({ updatedAt: t.deletedAt, id: t.session.id });
    if (!this.readable(project)) return toPage([], cursorOf, false, false, 0);
    const all = await this.store.listTrash(project);
    const from = startAfter(all, position, (t) => ({ at: t.deletedAt, id: t.session.id }));
    const { trashDays } = await this.retentionOf(project);
    const items = all.slice(from, from + (first ?? 50)).map((t) => ({ ...t, purgeAt: new Date(Date.parse(t.deletedAt) + trashDays * DAY_MS).toISOString() }));
    return toPage(items, cursorOf, from > 0, from + items.length < all.length, all.length);
  }

  /** Brings a session back from the trash whole; NotFoundError when it is not there. Announced as CREATED. */
  async restoreSession(projectId: unknown, sessionId: unknown): Promise<Session> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const session = await this.store.restoreSession(key);
    if (!session) throw new NotFoundError(`Session ${key.sessionId} is not in the trash of project ${key.projectId}`);
    this.announce('CREATED', key, session);
    return session;
  }

  /** Erases a session in the trash now, for good; NotFoundError when it is not there. */
  async purgeSession(projectId: unknown, sessionId: unknown): Promise<void> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    if (!(await this.store.purgeSession(key))) throw new NotFoundError(`Session ${key.sessionId} is not in the trash of project ${key.projectId}`);
  }

  /** Appends a message; a repeated clientMessageId returns the original, deduplicated. NotFoundError without the session. */
  async addMessage(projectId: unknown, sessionId: unknown, input: unknown): Promise<AppendResult> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const fields = parseInput(this.shared.addMessageSchema, input, ['input']);
    return this.append(key, { ...fields, content: fields.content }, false);
  }

  private async append(key: SessionKey, fields: z.output<ReturnType<typeof startMessageInputSchema>>, streaming: boolean): Promise<AppendResult> {
    let parent: ParentChoice = FOLLOW_LEAF;
    if (fields.root === true) parent = { kind: 'root' };
    else if (fields.parentId != null) parent = { kind: 'message', id: fields.parentId };
    const result = await this.store.appendMessage(key, {
      id: newId(),
      role: fields.role,
      content: fields.content ?? '',
      metadata: fields.metadata ?? {},
      clientMessageId: fields.clientMessageId ?? null,
      parent,
      ...(streaming ? { streaming: true } : {}),
    });
    if (!result) throw NotFoundError.session(key.projectId, key.sessionId);
    if (!result.deduplicated) this.announce('MESSAGE_ADDED', key, result.session, result.message);
    return result;
  }

  /**
   * Starts a message whose content arrives in chunks (a model's answer): stored STREAMING at once, with its id,
   * sequence and parent, as the active leaf. A repeated clientMessageId returns the original, deduplicated.
   */
  async startMessage(projectId: unknown, sessionId: unknown, input: unknown): Promise<AppendResult> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    return this.append(key, parseInput(this.shared.startMessageSchema, input, ['input']), true);
  }

  /**
   * Stores chunk `index` of a STREAMING message, durable when this resolves. A chunk stored already answers
   * `appended: false` (a retry); an index past the next one expected, or a message not STREAMING, is a ConflictError.
   */
  async appendMessageContent(projectId: unknown, sessionId: unknown, messageId: unknown, index: unknown, chunk: unknown): Promise<ChunkResult> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const id = parseInput(idSchema, messageId, ['messageId']);
    const fields = parseInput(chunkInputSchema, { index, chunk }, []);
    // Spelled out, not spread from `key`: this runs for every chunk of every stream (see BENCHMARKS.md).
    const result = await this.store.appendChunk({
      projectId: key.projectId,
      sessionId: key.sessionId,
      messageId: id,
      index: fields.index,
      chunk: fields.chunk,
      maxBytes: this.options.maxMessageBytes,
    });
    if (!result) throw NotFoundError.session(key.projectId, key.sessionId);
    if (result.appended) this.events.publish({ kind: 'MESSAGE_UPDATED', ...key, session: null, message: result.message, chunk: { index: fields.index, chunk: fields.chunk } });
    return result;
  }

  /** Ends a STREAMING message as COMPLETE or INCOMPLETE, merging metadata (model, usage, finish reason); repeating the same finish succeeds. */
  async finishMessage(projectId: unknown, sessionId: unknown, messageId: unknown, input: unknown): Promise<FinishResult> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const id = parseInput(idSchema, messageId, ['messageId']);
    const fields = parseInput(finishMessageInputSchema, input, ['input']);
    const result = await this.store.finishMessage({ ...key, messageId: id, status: fields.status, metadata: fields.metadata ?? {} });
    if (!result) throw NotFoundError.session(key.projectId, key.sessionId);
    if (result.changed) this.events.publish({ kind: 'MESSAGE_UPDATED', ...key, session: null, message: result.message, chunk: null });
    return result;
  }

  /** Ends every stream idle for longer than the stream idle timeout as INCOMPLETE, and announces each; returns how many. */
  async sweepIdleStreams(): Promise<number> {
    const ended = await this.store.finishIdleStreams(Date.now() - (this.options.streamIdleTimeoutMs ?? 60_000));
    for (const message of ended) this.events.publish({ kind: 'MESSAGE_UPDATED', projectId: message.projectId, sessionId: message.sessionId, session: null, message, chunk: null });
    return ended.length;
  }

  /**
   * One message's content as it is written: its stored chunks after `afterIndex`, then live ones, no gap and no
   * duplicate, then a last event with its final status. NotFoundError when the session or message does not exist.
   */
  async messageChunkStream(projectId: unknown, sessionId: unknown, messageId: unknown, afterIndex?: unknown): Promise<AsyncGenerator<StreamEvent>> {
    const key = keyOf({ projectId, sessionId });
    const id = parseInput(idSchema, messageId, ['messageId']);
    const after = parseInput(z.number().int().min(-1, { error: 'must be -1 or more' }).nullish(), afterIndex, ['afterIndex']) ?? -1;
    if (!this.readable(key.projectId)) throw NotFoundError.session(key.projectId, key.sessionId);
    // Subscribe before reading, so that no chunk stored in between is missed.
    const feed = this.events.subscribeMessage(key.projectId, key.sessionId, id);
    const ref = { ...key, messageId: id };
    const stored = await this.store.readChunks(ref, after).catch(async (error: unknown) => {
      await feed.return();
      throw error;
    });
    if (!stored) {
      await feed.return();
      throw NotFoundError.session(key.projectId, key.sessionId);
    }
    return endWithFeed(chunksAfter(this.store, ref, after, stored, feed), feed);
  }

  /** A message's length in tokens of `encoding` (cached for messages that no longer change). */
  tokenCount(message: Message, encoding: TokenEncoding): Promise<number> {
    return this.shared.tokens.count(message, encoding);
  }

  /**
   * The newest messages of a branch (the active one unless `leafId`) that fit `maxTokens`, oldest first, after the
   * SYSTEM messages that open it (always kept; a ValidationError when they alone do not fit).
   */
  async context(session: Session, args: { maxTokens: unknown; leafId?: unknown; encoding: TokenEncoding }): Promise<ContextWindow> {
    const maxTokens = parseInput(z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(1, { error: 'must be at least 1' }).max(100_000_000, { error: 'must be at most 100000000' }), args.maxTokens, ['maxTokens']);
    const leafId = args.leafId != null ? parseInput(idSchema, args.leafId, ['leafId']) : null;
    const key = { projectId: session.projectId, sessionId: session.id };
    return contextWindow({
      read: async (from, to) => {
        const [page] = await this.store.readBranches([{ ...key, leafId, window: () => ({ from, to }) }]);
        if (!page) throw leafId !== null ? NotFoundError.message(session.id, leafId) : NotFoundError.session(session.projectId, session.id);
        return page;
      },
      count: (message) => this.shared.tokens.count(message, args.encoding),
      maxTokens,
    });
  }

  /**
   * Every message appended to a session from now on, in order; with `after` (a message cursor), first every stored
   * message after it. NotFoundError when the session does not exist in that project; ends when it is deleted.
   */
  async messageStream(projectId: unknown, sessionId: unknown, after?: string | null): Promise<AsyncGenerator<Message>> {
    const key = keyOf({ projectId, sessionId });
    const afterSeq = after != null ? decodeMessageCursor(after, 'after').seq : null;
    if (!this.readable(key.projectId)) throw NotFoundError.session(key.projectId, key.sessionId);
    // Subscribe before looking at the session, so that nothing appended in between is missed.
    const feed = this.events.subscribe(key.projectId);
    const [session] = await this.store.getSessions([key]).catch(async (error: unknown) => {
      await feed.return();
      throw error;
    });
    if (!session) {
      await feed.return();
      throw NotFoundError.session(key.projectId, key.sessionId);
    }
    return endWithFeed(messagesAfter(this.store, key, afterSeq ?? session.messageCount, feed), feed);
  }

  /** Every change to any session of a project, from now on. */
  sessionEventStream(projectId: unknown): AsyncGenerator<SessionEvent> {
    const project = projectIdOf(projectId);
    // A project the caller may not see has no events for it: the stream ends at once.
    if (!this.readable(project)) return (async function* () {})();
    const feed = this.events.subscribe(project);
    return endWithFeed(projectEvents(feed), feed);
  }

  /** Ends every open subscription (server shutdown). */
  closeStreams(): void {
    this.events.close();
  }

  /** Messages of the active branch, oldest first, by limit/offset; NotFoundError without the session. */
  async getMessages(projectId: unknown, sessionId: unknown, args: { limit?: number | null; offset?: number | null } = {}): Promise<Message[]> {
    const key = keyOf({ projectId, sessionId });
    const { limit, offset } = parseLimitOffset(args);
    if (!this.readable(key.projectId)) throw NotFoundError.session(key.projectId, key.sessionId);
    const [page] = await this.store.readBranches([{ ...key, leafId: null, window: () => ({ from: offset + 1, to: offset + limit }) }]);
    if (!page) throw NotFoundError.session(key.projectId, key.sessionId);
    return page.messages;
  }

  /**
   * For each request, a session's active branch by limit/offset, all in one store call. A request with bad arguments
   * gets its ValidationError in its place; the others are still served.
   */
  async messagesOf(requests: readonly ({ session: Session } & LimitOffsetArgs)[]): Promise<(Message[] | Error)[]> {
    return this.readBranchesPlanned(requests, ({ session, ...args }) => {
      const { limit, offset } = parseLimitOffset(args);
      return { session, leafId: null, window: () => ({ from: offset + 1, to: offset + limit }) };
    }, (page) => page.messages);
  }

  /**
   * For each request, a Relay-style page of a path through a session (its active branch unless `leafId` names the
   * path's last message), all in one store call. Cursors name positions on the path, so they stay valid while the
   * session grows. NotFoundError in a request's place when its leafId is not in the session.
   */
  async branchPagesOf(requests: readonly BranchPageRequest[]): Promise<(Page<Message> | Error)[]> {
    return this.readBranchesPlanned(
      requests,
      ({ session, leafId, ...args }) => ({ session, leafId: leafId != null ? parseInput(idSchema, leafId, ['leafId']) : null, window: connectionWindow(args, (c) => c.position) }),
      (page, window) => {
        const to = Math.min(page.length, window(page.length).to);
        return toPage(page.messages, (m, i) => messageCursor(m.sequence, page.from + i), page.from > 1 && page.length > 0, to < page.length, page.length);
      },
    );
  }

  /** For each request, a Relay-style page of every message of every branch, in the order written; one store call. */
  async allMessagePagesOf(requests: readonly ({ session: Session } & ConnectionArgs)[]): Promise<(Page<Message> | Error)[]> {
    return this.readPlanned(
      requests,
      ({ session, ...args }) => ({ projectId: session.projectId, sessionId: session.id, ...messageRange(args, session.messageCount) }),
      (messages, range, { session }) => toPage(messages, (m) => messageCursor(m.sequence), range.fromSeq > 1 && session.messageCount > 0, range.toSeq < session.messageCount, session.messageCount),
    );
  }

  private async readPlanned<R, T>(requests: readonly R[], plan: (request: R) => MessageRange, finish: (messages: Message[], range: MessageRange, request: R) => T): Promise<(T | Error)[]> {
    const plans = requests.map((request) => planOrRefuse(() => plan(request)));
    const ranges = plans.filter((p): p is MessageRange => !(p instanceof Error));
    const lists = ranges.length > 0 ? await this.store.readMessages(ranges) : [];
    let next = 0;
    return plans.map((p, i) => (p instanceof Error ? p : finish(lists[next++]!, p, requests[i]!)));
  }

  private async readBranchesPlanned<R, T>(
    requests: readonly R[],
    plan: (request: R) => { session: Session; leafId: string | null; window: PageWindow },
    finish: (page: BranchPage, window: PageWindow) => T,
  ): Promise<(T | Error)[]> {
    const plans = requests.map((request) => planOrRefuse(() => plan(request)));
    const reads = plans.filter((p): p is Exclude<typeof p, Error> => !(p instanceof Error));
    const pages = reads.length > 0 ? await this.store.readBranches(reads.map(({ session, leafId, window }) => ({ projectId: session.projectId, sessionId: session.id, leafId, window }))) : [];
    let next = 0;
    return plans.map((p) => {
      if (p instanceof Error) return p;
      const page = pages[next++];
      if (page) return finish(page, p.window);
      // The session was there when it was loaded for this request; a missing path means a leaf not in it (or it was just deleted).
      return p.leafId !== null ? NotFoundError.message(p.session.id, p.leafId) : NotFoundError.session(p.session.projectId, p.session.id);
    });
  }

  /** For each message, its siblings and child count, in one store call. */
  async linksOf(messages: readonly Message[]): Promise<MessageLinks[]> {
    return messages.length > 0 ? this.store.readLinks(messages.map((m) => ({ projectId: m.projectId, sessionId: m.sessionId, sequence: m.sequence, id: m.id }))) : [];
  }

  /** For each message, the id of the newest message at or below it (the leaf to show for that version), in one store call. */
  async newestLeavesOf(messages: readonly Message[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const ids = await this.store.readNewestLeaves(messages.map((m) => ({ projectId: m.projectId, sessionId: m.sessionId, sequence: m.sequence, id: m.id })));
    // A session deleted since its message was read: the message is still the end of its own branch.
    return ids.map((id, i) => id ?? messages[i]!.id);
  }

  /** A session with its active branch whole, or null when it does not exist in that project. */
  async getSessionWithMessages(projectId: unknown, sessionId: unknown): Promise<{ session: Session; messages: Message[] } | null> {
    const session = await this.getSession(projectId, sessionId);
    if (!session) return null;
    const [page] = await this.store.readBranches([{ projectId: session.projectId, sessionId: session.id, leafId: null, window: (length) => ({ from: 1, to: length }) }]);
    return page ? { session, messages: page.messages } : null;
  }

  /**
   * Shows another branch: `messageId` (any message of the session) becomes the active leaf. Bumps the version
   * (ConflictError when `expectedVersion` is stale). Resolves null when the session does not exist; NotFoundError when
   * the message is not in it.
   */
  async setActiveLeaf(projectId: unknown, sessionId: unknown, messageId: unknown, expectedVersion?: unknown): Promise<Session | null> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const leafId = parseInput(idSchema, messageId, ['messageId']);
    const expected = parseInput(expectedVersionSchema, expectedVersion, ['expectedVersion']);
    const updated = await this.store.setActiveLeaf(key, leafId, (current) => {
      if (expected != null && expected !== current.version) {
        throw new ConflictError(`Session ${current.id} is at version ${current.version}, not ${expected}`);
      }
      return { ...current, version: current.version + 1, updatedAt: laterThan(current.updatedAt) };
    });
    if (updated) this.announce('UPDATED', key, updated);
    return updated;
  }

  /**
   * A new session in the same project holding copies (new ids; same roles, contents, metadata and times) of the path
   * from the first message to `messageId`, the last one its active leaf; written in one atomic step.
   */
  async forkSession(projectId: unknown, sessionId: unknown, messageId: unknown, input: unknown): Promise<Session> {
    const key = keyOf({ projectId, sessionId });
    this.assertWritable(key.projectId);
    const leafId = parseInput(idSchema, messageId, ['messageId']);
    const fields = parseInput(forkSessionInputSchema, input ?? {}, ['input']);
    const [source] = await this.store.getSessions([key]);
    if (!source) throw NotFoundError.session(key.projectId, key.sessionId);
    const [path] = await this.store.readBranches([{ ...key, leafId, window: (length) => ({ from: 1, to: length }) }]);
    if (!path) throw NotFoundError.message(key.sessionId, leafId);
    const base = newSession(key.projectId, {
      title: fields.title ?? source.title,
      description: source.description,
      metadata: fields.metadata ?? source.metadata,
      tags: source.tags,
      createdBy: this.access.subject,
    });
    const messages: Message[] = [];
    const messagesByRole = emptyRoleCounts();
    for (const original of path.messages) {
      const copy: Message = { ...original, sessionId: base.id, id: newId(), sequence: messages.length + 1, clientMessageId: null, parentId: messages.at(-1)?.id ?? null };
      messages.push(copy);
      messagesByRole[copy.role] += 1;
    }
    const session: Session = {
      ...base,
      messageCount: messages.length,
      lastMessageAt: messages.at(-1)?.createdAt ?? null,
      messagesByRole,
      activeLeafId: messages.at(-1)?.id ?? null,
      forkedFrom: { sessionId: key.sessionId, messageId: leafId },
    };
    await this.store.importSession(session, messages);
    this.announce('CREATED', { projectId: key.projectId, sessionId: session.id }, session);
    return session;
  }

  /** Totals of a project, from per-session counters. */
  async projectStats(projectId: unknown): Promise<ProjectStats> {
    const [stats] = await this.projectStatsMany([projectId]);
    return stats!;
  }

  /** Stats of several projects in one store call. */
  async projectStatsMany(projectIds: readonly unknown[]): Promise<ProjectStats[]> {
    const ids = projectIds.map(projectIdOf);
    const visible = ids.filter((id) => this.readable(id));
    const stats = visible.length > 0 ? await this.store.projectStats(visible) : [];
    let next = 0;
    return ids.map((id) => (this.access.allows(id) ? stats[next++]! : emptyStats(id)));
  }
}

const DAY_MS = 24 * 3600 * 1000;

/** A session in the trash, with when it will be erased. */
export interface TrashedView extends TrashedSession {
  purgeAt: string;
}

/** A request's plan, or the ValidationError its arguments earned (the other requests are still served). */
function planOrRefuse<T>(plan: () => T): T | ValidationError {
  try {
    return plan();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

function keyOf(key: { projectId: unknown; sessionId: unknown }): SessionKey {
  return { projectId: projectIdOf(key.projectId), sessionId: sessionIdOf(key.sessionId) };
}

/** Now, but strictly after `previous`, so every update moves a session to the front of its project's list. */
function laterThan(previous: string): string {
  const now = Date.now();
  const before = Date.parse(previous);
  return new Date(now > before ? now : before + 1).toISOString();
}

function emptyStats(projectId: string): ProjectStats {
  return { projectId, totalSessions: 0, activeSessions: 0, inactiveSessions: 0, totalMessages: 0, messagesByRole: emptyRoleCounts(), lastActivityAt: null };
}

/** A share link's token as the store keeps it: SHA-256, hex. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
