// The storage contract every backend implements. It knows nothing of files or SQL; the service owns the rules,
// a store owns persistence and makes each conditional write atomic.
import type { AppendResult, Message, MessageDraft } from '../domain/message.js';
import type { Session, SessionKey } from '../domain/session.js';
import type { ProjectStats } from '../domain/stats.js';

/** Messages `fromSeq`..`toSeq` (inclusive, 1-based) of one session; bounds past the end are clamped. */
export interface MessageRange extends SessionKey {
  fromSeq: number;
  toSeq: number;
}

/** How sessions of a project are listed: newest `updatedAt` first, ties by id descending. */
export interface ListSessionsOptions {
  includeInactive: boolean;
}

export interface ChatStore {
  /** Persists a new session. The caller guarantees its id is fresh. */
  createSession(session: Session): Promise<void>;
  /** The sessions named, in key order; null where a key names no session of that project. */
  getSessions(keys: readonly SessionKey[]): Promise<(Session | null)[]>;
  /** Every session of a project (active only unless `includeInactive`), newest `updatedAt` first. */
  listSessions(projectId: string, options: ListSessionsOptions): Promise<Session[]>;
  /**
   * Replaces a session with `change(current)`, atomically with respect to every other write of that session.
   * `change` may throw (e.g. a version conflict); then nothing is written and the error propagates.
   * Resolves null when the session does not exist.
   */
  updateSession(key: SessionKey, change: (current: Session) => Session): Promise<Session | null>;
  /**
   * Removes a session and all its messages, atomically. `check(current)` runs first under the same lock and may throw
   * to refuse (e.g. messages without force). Resolves false when the session does not exist.
   */
  deleteSession(key: SessionKey, check: (current: Session) => void): Promise<boolean>;
  /**
   * Appends a message, durable before it resolves. A draft whose `clientMessageId` is already in the session
   * resolves to the stored message with `deduplicated: true`. Resolves null when the session does not exist.
   */
  appendMessage(key: SessionKey, draft: MessageDraft): Promise<AppendResult | null>;
  /** For each range, its messages in sequence order (empty when the session is gone). */
  readMessages(ranges: readonly MessageRange[]): Promise<Message[][]>;
  /** Totals for each project named, in order, from per-session counters. */
  projectStats(projectIds: readonly string[]): Promise<ProjectStats[]>;
  /** Every project that has sessions (for copying a whole store). */
  listProjects(): Promise<string[]>;
  /**
   * Writes a session with its messages exactly as given (ids, sequence, timestamps), all or nothing; for copying
   * between stores. Resolves false, writing nothing, when the session already exists.
   */
  importSession(session: Session, messages: readonly Message[]): Promise<boolean>;
  /** Resolves when the store can take writes now (for /readyz); rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  /** Makes everything durable and releases files and connections. */
  close(): Promise<void>;
}
