// The shape every importer produces (a conversation as a tree of messages with their source ids), and how one
// becomes a session with its messages: ids, sequences, parents before children, times, counts, the active leaf.
import { createHash } from 'node:crypto';
import { isValidId } from '../domain/ids.js';
import type { JsonObject } from '../domain/json.js';
import { emptyRoleCounts, type Message, type MessageStatus } from '../domain/message.js';
import type { Role } from '../domain/roles.js';
import { type ForkOrigin, type Session, TITLE_MAX, tagsSchema } from '../domain/session.js';

export type SourceFormat = 'native' | 'chatgpt' | 'open-webui';

export interface ImportedMessage {
  sourceId: string;
  parentSourceId: string | null;
  role: Role;
  content: string;
  metadata: JsonObject;
  /** ISO instant; null: its parent's (or the conversation's). */
  createdAt: string | null;
  updatedAt?: string | null;
  status?: MessageStatus;
  clientMessageId?: string | null;
}

export interface ImportedConversation {
  format: SourceFormat;
  /** The conversation's id in its source: with the format, what makes a second import of it a skip. */
  sourceId: string;
  title: string;
  description?: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  messages: ImportedMessage[];
  /** The message the conversation showed last; null: the last written. */
  activeLeafSourceId: string | null;
  pinned: boolean;
  archived: boolean;
  tags: string[];
  metadata: JsonObject;
  /** For NATIVE: the session's own id, version and fork origin, kept. */
  sessionId?: string;
  version?: number;
  forkedFrom?: ForkOrigin | null;
  /** What was kept in a changed form (an unknown content type, say): reported, the conversation still imported. */
  notes: string[];
}

/** Thrown by an importer for a conversation it cannot read: a problem in the report; the others still import. */
export class UnreadableConversation extends Error {
  override readonly name = 'UnreadableConversation' as const;
}

/** A valid id for a source id: itself when it is one, else a stable hash of it. */
export function idFor(sourceId: string): string {
  if (isValidId(sourceId)) return sourceId;
  return `h${createHash('sha256').update(sourceId).digest('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}`;
}

/** The session id an imported conversation gets in a project: the same for the same source, so a second import skips it. */
export function sessionIdFor(conversation: ImportedConversation): string {
  if (conversation.sessionId !== undefined) return conversation.sessionId;
  const digest = createHash('sha256').update(`${conversation.format}\u0000${conversation.sourceId}`).digest('base64url').replace(/[^A-Za-z0-9]/g, '');
  return `imp${digest.slice(0, 24)}`;
}

/** Seconds since the epoch (as exports write times) to an ISO instant; null for anything else. */
export function isoFromSeconds(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e11) return null;
  return new Date(Math.round(value * 1000)).toISOString();
}

function cleanTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed === '') return 'Untitled';
  return [...trimmed].slice(0, TITLE_MAX).join('').trim();
}

/**
 * The session and messages an imported conversation becomes in a project: messages ordered parents first (each
 * sibling group in the order written), a missing time taken from the parent (else the conversation's), ids kept where
 * valid, the session's metadata noting its source. Throws UnreadableConversation when the tree is not a tree.
 */
export function toSession(projectId: string, conversation: ImportedConversation, now: string): { session: Session; messages: Message[] } {
  const byId = new Map<string, ImportedMessage>();
  for (const message of conversation.messages) {
    if (byId.has(message.sourceId)) throw new UnreadableConversation(`message ${message.sourceId} appears twice`);
    byId.set(message.sourceId, message);
  }
  const children = new Map<string | null, ImportedMessage[]>();
  for (const message of conversation.messages) {
    const parent = message.parentSourceId !== null && byId.has(message.parentSourceId) ? message.parentSourceId : null;
    const list = children.get(parent) ?? [];
    list.push(message);
    children.set(parent, list);
  }
  const sessionId = sessionIdFor(conversation);
  const start = conversation.createdAt ?? conversation.messages.find((m) => m.createdAt)?.createdAt ?? now;
  // Breadth first from the roots: every message gets its id and its time (a missing one is its parent's).
  interface Placed {
    message: ImportedMessage;
    id: string;
    parentId: string | null;
    createdAt: string;
    order: number;
  }
  const placed: Placed[] = [];
  const ids = new Map<string, string>();
  const usedIds = new Set<string>();
  const queue: { message: ImportedMessage; parentId: string | null; parentTime: string }[] = (children.get(null) ?? []).map((message) => ({ message, parentId: null, parentTime: start }));
  for (let i = 0; i < queue.length; i++) {
    const { message, parentId, parentTime } = queue[i]!;
    let id = idFor(message.sourceId);
    while (usedIds.has(id)) id = `${id.slice(0, 120)}x`;
    usedIds.add(id);
    ids.set(message.sourceId, id);
    const createdAt = message.createdAt ?? parentTime;
    placed.push({ message, id, parentId, createdAt, order: i });
    for (const child of children.get(message.sourceId) ?? []) queue.push({ message: child, parentId: id, parentTime: createdAt });
  }
  // Sequences follow time (the order written), each message after its parent whatever the times say.
  const byPlacedId = new Map(placed.map((p) => [p.id, p]));
  const messages: Message[] = [];
  const emitted = new Set<string>();
  const emit = (node: Placed) => {
    const chain: Placed[] = [];
    for (let at: Placed | undefined = node; at && !emitted.has(at.id); at = at.parentId === null ? undefined : byPlacedId.get(at.parentId)) chain.push(at);
    for (const p of chain.reverse()) {
      emitted.add(p.id);
      messages.push({
        projectId,
        sessionId,
        id: p.id,
        sequence: messages.length + 1,
        role: p.message.role,
        content: p.message.content,
        metadata: p.message.metadata,
        createdAt: p.createdAt,
        clientMessageId: p.message.clientMessageId ?? null,
        parentId: p.parentId,
        status: p.message.status === 'streaming' ? 'incomplete' : (p.message.status ?? 'complete'),
        updatedAt: p.message.updatedAt ?? p.createdAt,
        chunkCount: 0,
      });
    }
  };
  // A native export lists messages in their sequence order: kept as it is.
  const written = new Map(conversation.messages.map((m, i) => [m.sourceId, i]));
  const byTime = (a: Placed, b: Placed) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.order - b.order);
  const bySource = (a: Placed, b: Placed) => written.get(a.message.sourceId)! - written.get(b.message.sourceId)!;
  for (const node of [...placed].sort(conversation.format === 'native' ? bySource : byTime)) emit(node);
  if (messages.length !== conversation.messages.length) throw new UnreadableConversation('its messages do not form a tree (a cycle)');
  const leaf = conversation.activeLeafSourceId !== null ? ids.get(conversation.activeLeafSourceId) : undefined;
  const activeLeafId = leaf ?? messages.at(-1)?.id ?? null;
  const messagesByRole = emptyRoleCounts();
  let lastMessageAt: string | null = null;
  for (const message of messages) {
    messagesByRole[message.role] += 1;
    if (lastMessageAt === null || message.createdAt > lastMessageAt) lastMessageAt = message.createdAt;
  }
  const updatedAt = [conversation.updatedAt, lastMessageAt, start].filter((t): t is string => t !== null).sort().at(-1)!;
  const tags = tagsSchema.safeParse(conversation.tags.map((tag) => [...tag.trim()].slice(0, 50).join('')).filter((tag) => tag !== '').slice(0, 20));
  const metadata: JsonObject =
    conversation.format === 'native' ? conversation.metadata : { ...conversation.metadata, importedFrom: { format: conversation.format, id: conversation.sourceId } };
  const session: Session = {
    projectId,
    id: sessionId,
    title: cleanTitle(conversation.title),
    description: conversation.description ?? null,
    metadata,
    isActive: !conversation.archived,
    createdAt: start,
    updatedAt,
    version: conversation.version ?? 1,
    messageCount: messages.length,
    lastMessageAt,
    messagesByRole,
    activeLeafId,
    forkedFrom: conversation.forkedFrom ?? null,
    pinned: conversation.pinned,
    tags: tags.success ? tags.data : [],
    createdBy: null,
  };
  return { session, messages };
}
