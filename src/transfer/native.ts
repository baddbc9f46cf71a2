// This service's own export of a session (format NATIVE): the session and every message of every branch, with
// statuses, metadata, times and its fork origin, read back losslessly by the importer.
import { z } from 'zod';
import { idSchema } from '../domain/ids.js';
import { isJsonObject, type JsonObject } from '../domain/json.js';
import { MESSAGE_STATUSES, type Message } from '../domain/message.js';
import { ROLES } from '../domain/roles.js';
import type { Session } from '../domain/session.js';
import { type ImportedConversation, UnreadableConversation } from './conversation.js';

export const NATIVE_FORMAT = 'chat-session-service/session';
export const NATIVE_VERSION = 1;

const iso = z.iso.datetime({ offset: true });
const jsonObject = z.custom<JsonObject>((value) => isJsonObject(value), { error: 'must be a JSON object' });

const nativeSchema = z.object({
  format: z.literal(NATIVE_FORMAT),
  version: z.literal(NATIVE_VERSION),
  session: z.object({
    id: idSchema,
    title: z.string(),
    description: z.string().nullable(),
    metadata: jsonObject,
    isActive: z.boolean(),
    createdAt: iso,
    updatedAt: iso,
    version: z.number().int().min(1),
    activeLeafId: idSchema.nullable(),
    forkedFrom: z.object({ sessionId: idSchema, messageId: idSchema }).nullable(),
    pinned: z.boolean(),
    tags: z.array(z.string()),
  }),
  messages: z.array(
    z.object({
      id: idSchema,
      sequence: z.number().int().min(1),
      parentId: idSchema.nullable(),
      role: z.enum(ROLES),
      content: z.string(),
      metadata: jsonObject,
      createdAt: iso,
      updatedAt: iso,
      status: z.enum(MESSAGE_STATUSES),
      clientMessageId: z.string().nullable(),
    }),
  ),
});

export type NativeSession = z.infer<typeof nativeSchema>;

/** A message as the NATIVE export writes it. */
export function nativeMessage(m: Message): NativeSession['messages'][number] {
  return {
    id: m.id,
    sequence: m.sequence,
    parentId: m.parentId,
    role: m.role,
    content: m.content,
    metadata: m.metadata,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    status: m.status,
    clientMessageId: m.clientMessageId,
  };
}

/**
 * The NATIVE export of a session as JSON text in pieces: everything up to its messages, then the messages page by
 * page as `pages` yields them, then the end. Memory holds one page, whatever the session's length.
 */
export async function* nativeJson(session: Session, pages: AsyncIterable<readonly Message[]>): AsyncGenerator<string> {
  const empty = JSON.stringify(toNative(session, []));
  // The export without messages ends with `"messages":[]}`: its messages go in between.
  yield empty.slice(0, -2);
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield `${first ? '' : ','}${page.map((m) => JSON.stringify(nativeMessage(m))).join(',')}`;
    first = false;
  }
  yield ']}';
}

/** A session and all its messages (in sequence order) as the NATIVE export writes them. */
export function toNative(session: Session, messages: readonly Message[]): NativeSession {
  return {
    format: NATIVE_FORMAT,
    version: NATIVE_VERSION,
    session: {
      id: session.id,
      title: session.title,
      description: session.description,
      metadata: session.metadata,
      isActive: session.isActive,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      version: session.version,
      activeLeafId: session.activeLeafId,
      forkedFrom: session.forkedFrom,
      pinned: session.pinned,
      tags: session.tags,
    },
    messages: messages.map(nativeMessage),
  };
}

/** Whether an item is a NATIVE session export (for format detection). */
export function isNativeSession(item: unknown): boolean {
  return isJsonObject(item) && item.format === NATIVE_FORMAT;
}

export function fromNative(item: unknown): ImportedConversation {
  const parsed = nativeSchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UnreadableConversation(`${issue.path.join('.') || 'it'}: ${issue.message}`);
  }
  const { session, messages } = parsed.data;
  const sorted = [...messages].sort((a, b) => a.sequence - b.sequence);
  return {
    format: 'native',
    sourceId: session.id,
    sessionId: session.id,
    title: session.title,
    description: session.description,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    version: session.version,
    forkedFrom: session.forkedFrom,
    messages: sorted.map((m) => ({
      sourceId: m.id,
      parentSourceId: m.parentId,
      role: m.role,
      content: m.content,
      metadata: m.metadata,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      status: m.status,
      clientMessageId: m.clientMessageId,
    })),
    activeLeafSourceId: session.activeLeafId,
    pinned: session.pinned,
    archived: !session.isActive,
    tags: session.tags,
    metadata: session.metadata,
    notes: [],
  };
}
