// Messages: roles, the stored shape, and the zod schema of what clients may send to append one.
import { z } from 'zod';
import { idSchema } from './ids.js';
import { type JsonObject, jsonObjectSchema } from './json.js';
import { ROLES, type Role } from './roles.js';
import type { Session } from './session.js';

export type RoleCounts = Record<Role, number>;

export const CLIENT_MESSAGE_ID_MAX = 128;
export const MESSAGE_METADATA_MAX_BYTES = 64 * 1024;

/** Zero for every role. */
export function emptyRoleCounts(): RoleCounts {
  return { user: 0, assistant: 0, system: 0, tool: 0 };
}

/** A message as stored and served. `sequence` is its 1-based place in its session, without gaps. */
export interface Message {
  projectId: string;
  sessionId: string;
  id: string;
  sequence: number;
  role: Role;
  content: string;
  metadata: JsonObject;
  createdAt: string;
  clientMessageId: string | null;
  /** The message this one follows; null for a first message. Messages sharing a parent are alternatives (branches). */
  parentId: string | null;
  /** 'streaming' while its content arrives in chunks (startMessage); 'complete' for one written whole. */
  status: MessageStatus;
  /** When its content or status last changed (createdAt for a message written whole). */
  updatedAt: string;
  /** Chunks of content received so far (0 for a message written whole). */
  chunkCount: number;
}

export const MESSAGE_STATUSES = ['complete', 'streaming', 'incomplete'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** One piece of a streamed message's content, numbered from 0. */
export interface MessageChunk {
  index: number;
  chunk: string;
}

/**
 * Where an appended message goes: after the session's active leaf (the default), after a named message of the same
 * session (a new branch when that one already has a follower), or as another first message.
 */
export type ParentChoice = { kind: 'leaf' } | { kind: 'root' } | { kind: 'message'; id: string };

export const FOLLOW_LEAF: ParentChoice = { kind: 'leaf' };

/** The outcome of an append. */
export interface AppendResult {
  message: Message;
  /** The session right after this append (or as it is, for a deduplicated one). */
  session: Session;
  /** True when `clientMessageId` named a message already in the session; nothing was added. */
  deduplicated: boolean;
}

/** What the service hands a store to append; the store assigns `sequence`, `createdAt` and the parent. */
export interface MessageDraft {
  id: string;
  role: Role;
  content: string;
  metadata: JsonObject;
  clientMessageId: string | null;
  /** Default: after the active leaf. */
  parent?: ParentChoice;
  /** True for a message whose content will arrive in chunks (startMessage): it is stored STREAMING. */
  streaming?: boolean;
}

/** The fields of an append request; content is bounded by the configured MAX_MESSAGE_BYTES. */
function messageFields(maxMessageBytes: number) {
  return {
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
    content: z
      .string({ error: 'must be a string' })
      .refine((s) => Buffer.byteLength(s, 'utf8') <= maxMessageBytes, {
        error: `must be at most ${maxMessageBytes} bytes`,
      }),
    metadata: jsonObjectSchema(MESSAGE_METADATA_MAX_BYTES).nullish(),
    clientMessageId: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(CLIENT_MESSAGE_ID_MAX, { error: `must be at most ${CLIENT_MESSAGE_ID_MAX} characters` })
      .nullish(),
    parentId: idSchema.nullish(),
    root: z.boolean({ error: 'must be a boolean' }).nullish(),
  };
}

function rootWithoutParent(input: { root?: boolean | null; parentId?: string | null }, ctx: z.RefinementCtx): void {
  if (input.root === true && input.parentId != null) ctx.addIssue({ code: 'custom', path: ['root'], message: 'cannot be combined with parentId' });
}

/** Schema of an append request. */
export function addMessageInputSchema(maxMessageBytes: number) {
  return z.object(messageFields(maxMessageBytes)).superRefine(rootWithoutParent);
}
export type AddMessageInput = z.input<ReturnType<typeof addMessageInputSchema>>;

/** Schema of startMessage: as addMessage, but the content known at the start is optional (default empty). */
export function startMessageInputSchema(maxMessageBytes: number) {
  const fields = messageFields(maxMessageBytes);
  return z.object({ ...fields, content: fields.content.nullish() }).superRefine(rootWithoutParent);
}

/** Schema of finishMessage's input: COMPLETE or INCOMPLETE, and metadata to merge. */
export const finishMessageInputSchema = z.object({
  status: z.enum(['complete', 'incomplete'], { error: 'must be COMPLETE or INCOMPLETE' }),
  metadata: jsonObjectSchema(MESSAGE_METADATA_MAX_BYTES).nullish(),
});

/** A chunk's index and text, as appendMessageContent takes them. */
export const chunkInputSchema = z.object({
  index: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(0, { error: 'must be 0 or more' }).max(1_000_000, { error: 'must be at most 1000000' }),
  chunk: z.string({ error: 'must be a string' }),
});
