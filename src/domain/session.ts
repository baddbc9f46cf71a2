// Sessions: the stored shape and the zod schemas of what clients may send to create or change one.
import { z } from 'zod';
import { type JsonObject, jsonObjectSchema } from './json.js';
import { newId } from './ids.js';
import { emptyRoleCounts, type RoleCounts } from './message.js';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10_000;
export const METADATA_MAX_BYTES = 16 * 1024;
export const TAGS_MAX = 20;
export const TAG_MAX = 50;

/** Names one session; a session is only ever addressed together with its project. */
export interface SessionKey {
  projectId: string;
  sessionId: string;
}

/** Where a forked session came from: the session and the message its copy ends at. */
export interface ForkOrigin {
  sessionId: string;
  messageId: string;
}

/** A chat session as stored and served. Timestamps are ISO 8601 UTC strings. */
export interface Session {
  projectId: string;
  id: string;
  title: string;
  description: string | null;
  metadata: JsonObject;
  /** False once archived. */
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
  /** 1 at creation, +1 on every update; the basis of optimistic concurrency. */
  version: number;
  messageCount: number;
  lastMessageAt: string | null;
  /** Messages per role, kept with the session so stats never read messages. */
  messagesByRole: RoleCounts;
  /** The last message of the branch the conversation shows (every append moves it to the new message); null while empty. */
  activeLeafId: string | null;
  /** Set on a session made by forking another. */
  forkedFrom: ForkOrigin | null;
  /** Pinned sessions come first in lists. */
  pinned: boolean;
  /** At most 20, each 1..50 characters, unique case-insensitively, in the case first given. */
  tags: string[];
  /** The token subject that created it when auth is on; null otherwise. */
  createdBy: string | null;
}

/** A session as it is at creation: version 1, no messages, created and updated now, with a fresh id. */
export function newSession(
  projectId: string,
  fields: { title: string; description?: string | null; metadata?: JsonObject | null; pinned?: boolean | null; tags?: string[] | null; createdBy?: string | null },
): Session {
  const now = new Date().toISOString();
  return {
    projectId,
    id: newId(),
    title: fields.title,
    description: fields.description ?? null,
    metadata: fields.metadata ?? {},
    isActive: true,
    createdAt: now,
    updatedAt: now,
    version: 1,
    messageCount: 0,
    lastMessageAt: null,
    messagesByRole: emptyRoleCounts(),
    activeLeafId: null,
    forkedFrom: null,
    pinned: fields.pinned ?? false,
    tags: fields.tags ?? [],
    createdBy: fields.createdBy ?? null,
  };
}

/** A tag's identity: tags are compared case-insensitively. */
export function tagKey(tag: string): string {
  return tag.trim().toLowerCase();
}

const title = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(TITLE_MAX, { error: `must be at most ${TITLE_MAX} characters` });
const description = z
  .string({ error: 'must be a string' })
  .max(DESCRIPTION_MAX, { error: `must be at most ${DESCRIPTION_MAX} characters` })
  .nullable();
const metadata = jsonObjectSchema(METADATA_MAX_BYTES);
/** Tags trimmed, each 1..50 characters, at most 20 once repeats (compared case-insensitively) are dropped, the first spelling kept. */
export const tagsSchema = z
  .array(
    z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(TAG_MAX, { error: `must be at most ${TAG_MAX} characters` }),
    { error: 'must be a list of strings' },
  )
  .transform((tags) => {
    const seen = new Set<string>();
    return tags.filter((tag) => {
      const key = tagKey(tag);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  })
  .refine((tags) => tags.length <= TAGS_MAX, { error: `must hold at most ${TAGS_MAX} tags` });
const pinned = z.boolean({ error: 'must be a boolean' });

export const createSessionInputSchema = z.object({
  title,
  description: description.optional(),
  metadata: metadata.nullish(),
  pinned: pinned.nullish(),
  tags: tagsSchema.nullish(),
});
export type CreateSessionInput = z.input<typeof createSessionInputSchema>;

/** What a fork may change: the title (default the original's) and the metadata (default the original's). */
export const forkSessionInputSchema = z.object({
  title: title.nullish(),
  metadata: metadata.nullish(),
});
export type ForkSessionInput = z.input<typeof forkSessionInputSchema>;

// null means "leave as is" for every field but description, where it clears the text.
export const updateSessionInputSchema = z.object({
  title: title.nullish(),
  description: description.optional(),
  metadata: metadata.nullish(),
  isActive: z.boolean({ error: 'must be a boolean' }).nullish(),
  pinned: pinned.nullish(),
  tags: tagsSchema.nullish(),
  expectedVersion: z.number({ error: 'must be an integer' }).int().min(1).nullish(),
});
/** What sessionsPage may filter on. */
export const sessionFilterSchema = z.object({
  includeInactive: z.boolean({ error: 'must be a boolean' }).nullish(),
  onlyInactive: z.boolean({ error: 'must be a boolean' }).nullish(),
  tags: tagsSchema.nullish(),
  pinned: pinned.nullish(),
  mine: z.boolean({ error: 'must be a boolean' }).nullish(),
  titleContains: z.string({ error: 'must be a string' }).max(TITLE_MAX, { error: `must be at most ${TITLE_MAX} characters` }).nullish(),
});

/** What updateSessions does to each session named; fields left out change nothing. */
export const bulkSessionInputSchema = z.object({
  isActive: z.boolean({ error: 'must be a boolean' }).nullish(),
  pinned: pinned.nullish(),
  addTags: tagsSchema.nullish(),
  removeTags: tagsSchema.nullish(),
  delete: z.boolean({ error: 'must be a boolean' }).nullish(),
});
export const BULK_MAX = 1000;

/** `tags` with `add` added (those not there already, ignoring case) and `remove` removed (ignoring case). */
export function editTags(tags: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(remove.map(tagKey));
  const kept = tags.filter((tag) => !removed.has(tagKey(tag)));
  const present = new Set(kept.map(tagKey));
  for (const tag of add) {
    if (!present.has(tagKey(tag)) && !removed.has(tagKey(tag))) {
      kept.push(tag);
      present.add(tagKey(tag));
    }
  }
  return kept;
}

export type UpdateSessionInput = z.input<typeof updateSessionInputSchema>;
export type SessionPatch = Omit<z.output<typeof updateSessionInputSchema>, 'expectedVersion'>;

/** How long a project keeps sessions: archived or untouched ones move to the trash, the trash is erased. */
export interface RetentionPolicy {
  /** Archived sessions move to the trash this many days after their last change; null: never. */
  archivedDays: number | null;
  /** Sessions with no change for this many days move to the trash; null: never. */
  inactiveDays: number | null;
  /** Sessions stay in the trash this many days, then are erased for good (0: deleting erases at once). */
  trashDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { archivedDays: null, inactiveDays: null, trashDays: 30 };

const days = z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(0, { error: 'must be 0 or more' }).max(36_500, { error: 'must be at most 36500' });

/** A change to a retention policy: fields left out stay as they are; null archivedDays or inactiveDays turns that rule off. */
export const retentionPolicyInputSchema = z.object({
  archivedDays: days.nullish(),
  inactiveDays: days.min(1, { error: 'must be at least 1' }).nullish(),
  trashDays: days.nullish(),
});

/** A read-only link to one conversation as it was when the link was made; the server keeps only its token's hash. */
export interface ShareLink {
  id: string;
  projectId: string;
  sessionId: string;
  /** The last message the link shows (the active leaf when it was made); null for an empty session. */
  leafId: string | null;
  /** SHA-256 of the token, hex. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string | null;
  createdBy: string | null;
  revokedAt: string | null;
}
