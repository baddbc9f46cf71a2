// Messages: roles, the stored shape, and the zod schema of what clients may send to append one.
import { z } from 'zod';
import { idSchema } from './ids.js';
import { type JsonObject, jsonObjectSchema } from './json.js';
import type { Session } from './session.js';

export const ROLES = ['user', 'assistant', 'system', 'tool'] as const;
export type Role = (typeof ROLES)[number];
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
}

/** Schema of an append request; content is bounded by the configured MAX_MESSAGE_BYTES. */
export function addMessageInputSchema(maxMessageBytes: number) {
  return z.object({
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
  }).superRefine((input, ctx) => {
    if (input.root === true && input.parentId != null) ctx.addIssue({ code: 'custom', path: ['root'], message: 'cannot be combined with parentId' });
  });
}
export type AddMessageInput = z.input<ReturnType<typeof addMessageInputSchema>>;
