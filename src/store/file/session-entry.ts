// The in-memory state of one session of the file store (its committed counters, its log while open, the appends
// waiting for the next group commit), and how counters are brought up to a log that is ahead of metadata.json.
import { StoreCorruptionError } from '../../domain/errors.js';
import { type AppendResult, emptyRoleCounts, type MessageDraft } from '../../domain/message.js';
import type { Session, SessionKey } from '../../domain/session.js';
import type { MessageLog } from './message-log.js';
import { SerialQueue } from './serial-queue.js';

export interface PendingAppend {
  draft: MessageDraft;
  resolve: (result: AppendResult | null) => void;
  reject: (error: unknown) => void;
}

export interface SessionEntry {
  key: SessionKey;
  dir: string;
  /** Committed state; replaced, never mutated, so readers may hold it. */
  session: Session;
  /** The seq of `session.activeLeafId` (0 while the session has no message). */
  activeLeafSeq: number;
  /** Log length and message count the last written metadata.json reflects; the index is synced up to them. */
  checkpointBytes: number;
  checkpointCount: number;
  /** Committed length of the log, known whether or not it is open. */
  logBytes: number;
  log: MessageLog | null;
  /** Operations using the open log right now; an idle log may be closed to bound open files. */
  users: number;
  opening: Promise<MessageLog> | null;
  queue: SerialQueue;
  pending: PendingAppend[];
  deleted: boolean;
  /** A write of the log failed: before the next append, compare the reopened log with what was acknowledged. */
  verify: boolean;
  checkpointTimer: NodeJS.Timeout | null;
}

export function newEntry(key: SessionKey, dir: string, session: Session, checkpointBytes: number, activeLeafSeq: number): SessionEntry {
  return {
    key,
    dir,
    session,
    activeLeafSeq,
    checkpointBytes,
    checkpointCount: session.messageCount,
    logBytes: checkpointBytes,
    log: null,
    users: 0,
    opening: null,
    queue: new SerialQueue(),
    pending: [],
    deleted: false,
    verify: false,
    checkpointTimer: null,
  };
}

/**
 * The session's counters (and active leaf: every append moves it to the new message) brought up to the log: the
 * records after the checkpoint are added to it, or, when the checkpoint does not line up with the log, every record
 * is counted again.
 */
export async function countersFromLog(log: MessageLog, session: Session, checkpointBytes: number, activeLeafSeq: number): Promise<{ session: Session; activeLeafSeq: number }> {
  const count = async (from: number, base: Session, leafSeq: number) => {
    const messagesByRole = { ...base.messagesByRole };
    let { messageCount, lastMessageAt, activeLeafId } = base;
    for await (const record of log.recordsFrom(from, base.messageCount + 1)) {
      messagesByRole[record.role] += 1;
      messageCount = record.seq;
      lastMessageAt = record.createdAt;
      activeLeafId = record.id;
      leafSeq = record.seq;
    }
    const updatedAt = lastMessageAt !== null && lastMessageAt > base.updatedAt ? lastMessageAt : base.updatedAt;
    return { session: { ...base, messageCount, messagesByRole, lastMessageAt, updatedAt, activeLeafId }, activeLeafSeq: leafSeq };
  };
  if (checkpointBytes <= log.size) {
    try {
      return await count(checkpointBytes, session, activeLeafSeq);
    } catch (error) {
      if (!(error instanceof StoreCorruptionError)) throw error;
    }
  }
  return count(0, { ...session, messageCount: 0, messagesByRole: emptyRoleCounts(), lastMessageAt: null, activeLeafId: null }, 0);
}
