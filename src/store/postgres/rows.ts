// Rows of the sessions and messages tables as the domain's values.
import type { Message, MessageStatus } from '../../domain/message.js';
import type { Role } from '../../domain/roles.js';
import { type Session, tagKey } from '../../domain/session.js';
import { chunkLengthsOf } from '../stream-rules.js';
import { tsvectorOf } from './search.js';

export type Row = Record<string, unknown>;
export const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string | null));

export function toSession(row: Row): Session {
  return {
    projectId: row.project_id as string,
    id: row.id as string,
    title: row.title as string,
    description: (row.description as string | null) ?? null,
    metadata: row.metadata as Session['metadata'],
    isActive: row.is_active as boolean,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version as number,
    messageCount: row.message_count as number,
    lastMessageAt: iso(row.last_message_at),
    messagesByRole: {
      user: row.user_count as number,
      assistant: row.assistant_count as number,
      system: row.system_count as number,
      tool: row.tool_count as number,
    },
    activeLeafId: (row.active_leaf_id as string | null) ?? null,
    forkedFrom: row.forked_from_session_id ? { sessionId: row.forked_from_session_id as string, messageId: row.forked_from_message_id as string } : null,
    pinned: row.pinned as boolean,
    tags: row.tags as string[],
    createdBy: (row.created_by as string | null) ?? null,
  };
}

/** A message's place in the tree, as the messages table keeps it (see migration 2). */
export interface TreeNode {
  seq: number;
  id: string;
  depth: number;
  runStart: number;
  runParent: number;
}

export function toNode(row: Row): TreeNode {
  return { seq: row.seq as number, id: row.id as string, depth: row.depth as number, runStart: row.run_start as number, runParent: row.run_parent as number };
}

/** Where message `seq` stands when it follows `parent` (null: a first message). */
export function childNode(seq: number, id: string, parent: TreeNode | null): TreeNode {
  if (!parent) return { seq, id, depth: 1, runStart: seq, runParent: 0 };
  const continues = parent.seq === seq - 1;
  return { seq, id, depth: parent.depth + 1, runStart: continues ? parent.runStart : seq, runParent: continues ? parent.runParent : parent.seq };
}

export function toMessage(row: Row): Message {
  return {
    projectId: row.project_id as string,
    sessionId: row.session_id as string,
    id: row.id as string,
    sequence: row.seq as number,
    role: row.role as Role,
    content: row.content as string,
    metadata: row.metadata as Message['metadata'],
    createdAt: iso(row.created_at)!,
    clientMessageId: (row.client_message_id as string | null) ?? null,
    parentId: (row.parent_id as string | null) ?? null,
    status: (row.status as MessageStatus | undefined) ?? 'complete',
    updatedAt: iso(row.updated_at) ?? iso(row.created_at)!,
    chunkCount: (row.chunk_count as number | undefined) ?? 0,
  };
}

export const SESSION_COLUMNS =
  'project_id, id, title, description, metadata, is_active, created_at, updated_at, version, message_count, last_message_at, user_count, assistant_count, system_count, tool_count, active_leaf_id, forked_from_session_id, forked_from_message_id, pinned, tags, tag_keys, created_by';

/** The active leaf's place in the tree, kept on the session's row (0s while it has no message). */
export const LEAF_COLUMNS = 'active_leaf_seq, active_leaf_depth, active_leaf_run_start, active_leaf_run_parent';

export function leafValues(leaf: TreeNode | null): number[] {
  return leaf ? [leaf.seq, leaf.depth, leaf.runStart, leaf.runParent] : [0, 0, 0, 0];
}

/** The session's active leaf from a row with LEAF_COLUMNS. */
export function toLeaf(row: Row): TreeNode | null {
  if ((row.active_leaf_seq as number) === 0) return null;
  return { seq: row.active_leaf_seq as number, id: row.active_leaf_id as string, depth: row.active_leaf_depth as number, runStart: row.active_leaf_run_start as number, runParent: row.active_leaf_run_parent as number };
}

/** The values of SESSION_COLUMNS for a session, in order, then those of LEAF_COLUMNS. */
export function sessionValues(s: Session, leaf: TreeNode | null): unknown[] {
  return [s.projectId, s.id, s.title, s.description, JSON.stringify(s.metadata), s.isActive, s.createdAt, s.updatedAt, s.version, s.messageCount, s.lastMessageAt,
    s.messagesByRole.user, s.messagesByRole.assistant, s.messagesByRole.system, s.messagesByRole.tool, s.activeLeafId, s.forkedFrom?.sessionId ?? null,
    s.forkedFrom?.messageId ?? null, s.pinned, s.tags, s.tags.map(tagKey), s.createdBy, ...leafValues(leaf), tsvectorOf(s.title)];
}

/** INSERT INTO sessions with every column (and the title's words), values from sessionValues. */
export const INSERT_SESSION = `INSERT INTO sessions (${SESSION_COLUMNS}, ${LEAF_COLUMNS}, title_search) VALUES (${Array.from({ length: 27 }, (_, i) => `$${i + 1}`).join(', ')})`;

/** The messages columns an insert writes, and the unnest types of their values. */
export const MESSAGE_COLUMNS =
  'project_id, session_id, seq, id, role, content, metadata, created_at, client_message_id, parent_seq, parent_id, depth, run_start, run_parent, status, updated_at, chunk_count, chunk_lengths, content_bytes';
const MESSAGE_TYPES = ['text', 'text', 'int', 'text', 'text', 'text', 'jsonb', 'timestamptz', 'text', 'int', 'text', 'int', 'int', 'int', 'text', 'timestamptz', 'int', 'jsonb', 'int'];

/** INSERT INTO messages of many rows from column arrays (see messageColumns). */
export const INSERT_MESSAGES = `INSERT INTO messages (${MESSAGE_COLUMNS}) SELECT * FROM unnest(${MESSAGE_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;

/** Column arrays for INSERT_MESSAGES. */
export function messageColumns(rows: readonly { message: Message; node: TreeNode; parentSeq: number }[]): unknown[][] {
  const lengths = rows.map((r) => chunkLengthsOf(r.message));
  return [
    rows.map((r) => r.message.projectId), rows.map((r) => r.message.sessionId), rows.map((r) => r.message.sequence), rows.map((r) => r.message.id),
    rows.map((r) => r.message.role), rows.map((r) => r.message.content), rows.map((r) => JSON.stringify(r.message.metadata)), rows.map((r) => r.message.createdAt),
    rows.map((r) => r.message.clientMessageId), rows.map((r) => r.parentSeq), rows.map((r) => r.message.parentId), rows.map((r) => r.node.depth),
    rows.map((r) => r.node.runStart), rows.map((r) => r.node.runParent), rows.map((r) => r.message.status), rows.map((r) => r.message.updatedAt),
    rows.map((r) => r.message.chunkCount), lengths.map((l) => (l ? JSON.stringify(l) : null)),
    rows.map((r) => (r.message.status === 'streaming' ? Buffer.byteLength(r.message.content, 'utf8') : 0)),
  ];
}
