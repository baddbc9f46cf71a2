// The storage contract every backend implements. It knows nothing of files or SQL; the service owns the rules,
// a store owns persistence and makes each conditional write atomic.
import type { JsonObject } from '../domain/json.js';
import type { AppendResult, Message, MessageChunk, MessageDraft } from '../domain/message.js';
import type { Role } from '../domain/roles.js';
import type { RetentionPolicy, Session, SessionKey, ShareLink } from '../domain/session.js';
import type { ProjectStats } from '../domain/stats.js';
import type { SearchExpression } from '../search/query.js';

/** Messages `fromSeq`..`toSeq` (inclusive, 1-based) of one session; bounds past the end are clamped. */
export interface MessageRange extends SessionKey {
  fromSeq: number;
  toSeq: number;
}

/**
 * A stretch of one path through a session's tree: the messages from its first message to `leafId` (the active leaf
 * when null), at positions 1 (the first message) to the path's length. `window` picks positions `from`..`to`
 * (inclusive) once the length is known; positions past either end are clamped.
 */
export interface BranchRequest extends SessionKey {
  leafId: string | null;
  window: (length: number) => { from: number; to: number };
}

/** What a BranchRequest read: `messages` stand at positions `from`.., of a path `length` messages long. */
export interface BranchPage {
  messages: Message[];
  from: number;
  length: number;
  /** The path's last message (null for the active leaf of an empty session). */
  leafId: string | null;
}

/** Names one message by its place; its id is given so a store need not read it again. */
export interface MessageRef extends SessionKey {
  sequence: number;
  id: string;
}

/** A message's neighbours in the tree. */
export interface MessageLinks {
  /** The messages sharing its parent, itself included, in the order written. */
  siblingIds: string[];
  /** How many messages follow it directly. */
  childCount: number;
}

/** Names one message of a session by its id. */
export interface MessageKey extends SessionKey {
  messageId: string;
}

/** Chunk `index` of a STREAMING message; the message's content may not exceed `maxBytes` (UTF-8) with it. */
export interface ChunkWrite extends MessageKey {
  index: number;
  chunk: string;
  maxBytes: number;
}

export interface ChunkResult {
  /** The message with the chunk (as it is, when the chunk was stored already). */
  message: Message;
  /** False when chunk `index` had been stored already: nothing was added. */
  appended: boolean;
}

/** Ends a STREAMING message with `status`, merging `metadata` into its own. */
export interface FinishRequest extends MessageKey {
  status: 'complete' | 'incomplete';
  metadata: JsonObject;
}

export interface FinishResult {
  message: Message;
  /** False when it had been finished with that status already. */
  changed: boolean;
}

/** A message and its chunks after some index. */
export interface StoredChunks {
  message: Message;
  chunks: MessageChunk[];
}

/** The orders sessionsPage offers: newest first by a time, or by title (case-insensitive) A to Z. */
export type SessionOrder = 'updatedAt' | 'createdAt' | 'lastMessageAt' | 'title';

/**
 * A session's place in an order: pinned or not, its sort key (an ISO time, '' for a missing lastMessageAt, or its
 * lowercased title) and its id, which breaks ties.
 */
export interface SessionPlace {
  pinned: boolean;
  key: string;
  id: string;
}

/** Which sessions of a project sessionsPage lists (see sessionMatches for the meaning of each field). */
export interface SessionFilter {
  includeInactive: boolean;
  onlyInactive: boolean;
  /** Tag keys (lowercased) a session must all carry. */
  tags: string[];
  pinned: boolean | null;
  /** Only sessions created by this subject (null: those created without one), when `mine` is set. */
  mine: { createdBy: string | null } | null;
  /** A lowercased part of the title. */
  titleContains: string | null;
}

export interface SessionQuery {
  projectId: string;
  filter: SessionFilter;
  order: SessionOrder;
  pinnedFirst: boolean;
  /** Only sessions after this place in the order. */
  after: SessionPlace | null;
  limit: number;
}

export interface SessionsPage {
  sessions: Session[];
  /** Sessions matching the filter, wherever they stand. */
  totalCount: number;
  hasNextPage: boolean;
}

/** A tag in use and how many sessions carry it. */
export interface TagCount {
  tag: string;
  count: number;
}

/** A session in its project's trash. */
export interface TrashedSession {
  session: Session;
  deletedAt: string;
}

/** How sessions of a project are listed: newest `updatedAt` first, ties by id descending. */
export interface ListSessionsOptions {
  includeInactive: boolean;
}

/**
 * What a search looks at: the project's messages and session titles (a title counts as written when its session was
 * created, and has no role: a role filter leaves titles out).
 */
export interface SearchScope {
  roles: Role[] | null;
  sessionIds: string[] | null;
  /** ISO instants: documents written at or after `since` and before `until`. */
  since: string | null;
  until: string | null;
  /** Archived sessions too. */
  includeInactive: boolean;
}

export interface SearchRequest {
  projectId: string;
  expression: SearchExpression;
  scope: SearchScope;
  /** Hits skipped (those of earlier pages) and hits wanted. */
  offset: number;
  limit: number;
}

/** A message (or a session's title: `sequence` null) that matched, with its engine's relevance (higher is better). */
export interface SearchMatch {
  sessionId: string;
  sequence: number | null;
  score: number;
}

export interface SearchPage {
  /** Most relevant first; ties newest first, then by session id and sequence, descending. */
  matches: SearchMatch[];
  hasNextPage: boolean;
}

export interface ChatStore {
  /** Persists a new session. The caller guarantees its id is fresh. */
  createSession(session: Session): Promise<void>;
  /** The sessions named, in key order; null where a key names no session of that project. */
  getSessions(keys: readonly SessionKey[]): Promise<(Session | null)[]>;
  /** Every session of a project (active only unless `includeInactive`), newest `updatedAt` first. */
  listSessions(projectId: string, options: ListSessionsOptions): Promise<Session[]>;
  /** A page of a project's sessions matching a filter, in an order, after a place in it (keyset). */
  querySessions(query: SessionQuery): Promise<SessionsPage>;
  /** Every tag of a project's sessions with how many carry it, most used first, ties by tag key. */
  tagCounts(projectId: string): Promise<TagCount[]>;
  /**
   * Replaces a session with `change(current)`, atomically with respect to every other write of that session.
   * `change` may throw (e.g. a version conflict); then nothing is written and the error propagates.
   * Resolves null when the session does not exist.
   */
  updateSession(key: SessionKey, change: (current: Session) => Session): Promise<Session | null>;
  /**
   * Takes a session with all its messages away from every reader, atomically: into the project's trash (whole, to be
   * restored) when `trash` is given, else erased at once. `check(current)` runs first under the same lock and may
   * throw to refuse (e.g. messages without force). Resolves false when the session does not exist.
   */
  deleteSession(key: SessionKey, check: (current: Session) => void, trash?: { deletedAt: string }): Promise<boolean>;
  /** The sessions in a project's trash, most recently deleted first (ties by id, descending). */
  listTrash(projectId: string): Promise<TrashedSession[]>;
  /**
   * Brings a session back from the trash whole (messages, version, tags). Resolves null when it is not in the trash;
   * ConflictError when a live session has its id.
   */
  restoreSession(key: SessionKey): Promise<Session | null>;
  /** Erases a session in the trash for good (its files, its rows). Resolves false when it is not in the trash. */
  purgeSession(key: SessionKey): Promise<boolean>;
  /** Stores a new share link durably. */
  createShareLink(link: ShareLink): Promise<void>;
  /** The share link with this token hash (revoked and expired ones included); null when there is none. */
  findShareLink(tokenHash: string): Promise<ShareLink | null>;
  /** A project's share links, newest first (revoked and expired ones included). */
  listShareLinks(projectId: string): Promise<ShareLink[]>;
  /** Marks a link of the project revoked; false when it has no such link (or it was revoked already). */
  revokeShareLink(projectId: string, id: string, revokedAt: string): Promise<boolean>;
  /** A project's retention policy; null when it never set one. */
  getRetention(projectId: string): Promise<RetentionPolicy | null>;
  /** Stores a project's retention policy durably. */
  setRetention(projectId: string, policy: RetentionPolicy): Promise<void>;
  /**
   * Runs `work` unless another process runs it for the same name right now (then resolves null at once): one
   * retention sweep at a time per project across replicas. In-process only for a store that one process owns.
   */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T | null>;
  /**
   * Appends a message, durable before it resolves, and makes it the active leaf. Its parent is the active leaf at
   * that moment unless `draft.parent` says otherwise; a named parent that is not in the session rejects with
   * NotFoundError, writing nothing. A draft whose `clientMessageId` is already in the session resolves to the stored
   * message with `deduplicated: true`. Resolves null when the session does not exist.
   */
  appendMessage(key: SessionKey, draft: MessageDraft): Promise<AppendResult | null>;
  /** For each range, its messages in sequence order (empty when the session is gone). */
  readMessages(ranges: readonly MessageRange[]): Promise<Message[][]>;
  /**
   * For each request, the window of its path, oldest first; null when the session does not exist or `leafId` names
   * no message of it. Costs the window, not the path's length or the session's.
   */
  readBranches(requests: readonly BranchRequest[]): Promise<(BranchPage | null)[]>;
  /** For each message named, its siblings and how many children it has (empty/0 when the session is gone). */
  readLinks(messages: readonly MessageRef[]): Promise<MessageLinks[]>;
  /**
   * For each message named, the id of the newest message among it and all that follow it however far down (a leaf:
   * the end of the branch last written through it); null when the session is gone.
   */
  readNewestLeaves(messages: readonly MessageRef[]): Promise<(string | null)[]>;
  /**
   * Makes `messageId` the session's active leaf and replaces the session with `change(current)` (which sets version
   * and updatedAt, or throws to refuse), atomically. Resolves null when the session does not exist; throws
   * NotFoundError when the message is not in it.
   */
  setActiveLeaf(key: SessionKey, messageId: string, change: (current: Session) => Session): Promise<Session | null>;
  /**
   * Stores chunk `index` of a STREAMING message, durable before it resolves (chunks of many streams share syncs).
   * A chunk index stored already resolves `appended: false` and changes nothing. Rejects with NotFoundError when the
   * message is not in the session, ConflictError when it is not STREAMING or `index` is past the next one expected,
   * ValidationError when the content would exceed `maxBytes`. Resolves null when the session does not exist.
   */
  appendChunk(write: ChunkWrite): Promise<ChunkResult | null>;
  /**
   * Ends a STREAMING message: its content is written whole, so that it reads like any other message afterwards.
   * Finishing again with the same status resolves `changed: false`; another status rejects with ConflictError.
   * NotFoundError when the message is not in the session; null when the session does not exist.
   */
  finishMessage(request: FinishRequest): Promise<FinishResult | null>;
  /** A message with its chunks after `afterIndex` (-1: all); null when the session does not exist, NotFoundError without the message. */
  readChunks(key: MessageKey, afterIndex: number): Promise<StoredChunks | null>;
  /** Ends as INCOMPLETE every STREAMING message that has had no chunk since `idleSince` (ms since the epoch); returns them. */
  finishIdleStreams(idleSince: number): Promise<Message[]>;
  /**
   * A page of the messages and titles of a project matching a query, as of every acknowledged write. Rejects with
   * SearchCatchingUpError while the store's search index is being brought up to its data.
   */
  search(request: SearchRequest): Promise<SearchPage>;
  /** Totals for each project named, in order, from per-session counters. */
  projectStats(projectIds: readonly string[]): Promise<ProjectStats[]>;
  /** Every project that has sessions (for copying a whole store). */
  listProjects(): Promise<string[]>;
  /**
   * Writes a session with its messages exactly as given (ids, sequence, parents, timestamps, active leaf), all or
   * nothing; for copying between stores and forking. Each message's parent must come before it. Resolves false,
   * writing nothing, when the session already exists.
   */
  importSession(session: Session, messages: readonly Message[]): Promise<boolean>;
  /** Resolves when the store can take writes now (for /readyz); rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  /** Makes everything durable and releases files and connections. */
  close(): Promise<void>;
}
