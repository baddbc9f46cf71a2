// metadata.json: a session's fields, its counters, its active leaf, and how many log bytes those reflect.
// Format 1 (before conversations had branches) has no active leaf or fork origin: its leaf is its last message.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StoreCorruptionError } from '../../domain/errors.js';
import { isJsonObject, type JsonObject } from '../../domain/json.js';
import type { Session } from '../../domain/session.js';
import { METADATA_FILE } from './paths.js';

const count = z.number().int().min(0);

const sessionFileSchema = z.object({
  format: z.union([z.literal(1), z.literal(2)]),
  id: z.string(),
  projectId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  metadata: z.custom<JsonObject>(isJsonObject),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().min(1),
  messageCount: count,
  lastMessageAt: z.string().nullable(),
  messagesByRole: z.object({ user: count, assistant: count, system: count, tool: count }),
  activeLeafId: z.string().nullable().optional(),
  /** The active leaf's seq (0: none), so that appends need not look its id up. */
  activeLeafSeq: count.optional(),
  forkedFrom: z.object({ sessionId: z.string(), messageId: z.string() }).nullable().optional(),
  /** Added after format 2 came in; absent in files written before: not pinned, no tags, no creator. */
  pinned: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  createdBy: z.string().nullable().optional(),
  /** Length of messages.jsonl that the counters above include; a longer log means they are behind it. */
  logBytes: count,
});

/** What metadata.json holds besides the session. */
export interface SessionFileState {
  session: Session;
  logBytes: number;
  /** The active leaf's seq; null in a format 1 file, where it is the last message and its id is read from the log. */
  activeLeafSeq: number | null;
}

/** Serializes a session with the log length its counters reflect and its active leaf's seq. */
export function encodeSessionFile(session: Session, logBytes: number, activeLeafSeq: number): string {
  return `${JSON.stringify({ format: 2, ...session, activeLeafSeq, logBytes }, null, 2)}\n`;
}

/** Reads and validates a session directory's metadata.json. */
export async function readSessionFile(dir: string): Promise<SessionFileState> {
  const file = path.join(dir, METADATA_FILE);
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StoreCorruptionError(`${file} is not valid JSON`);
  }
  const parsed = sessionFileSchema.safeParse(json);
  if (!parsed.success) throw new StoreCorruptionError(`${file} does not hold a session: ${parsed.error.issues[0]?.message ?? ''}`);
  const { format, logBytes, activeLeafSeq, activeLeafId, forkedFrom, pinned, tags, createdBy, ...rest } = parsed.data;
  const fields = { ...rest, pinned: pinned ?? false, tags: tags ?? [], createdBy: createdBy ?? null };
  if (format === 1) return { session: { ...fields, activeLeafId: null, forkedFrom: null }, logBytes, activeLeafSeq: null };
  if (activeLeafSeq === undefined || activeLeafId === undefined || (activeLeafSeq === 0) !== (activeLeafId === null)) {
    throw new StoreCorruptionError(`${file} names no consistent active leaf`);
  }
  return { session: { ...fields, activeLeafId, forkedFrom: forkedFrom ?? null }, logBytes, activeLeafSeq };
}
