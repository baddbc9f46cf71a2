// metadata.json: a session's fields, its counters, and how many log bytes those counters reflect.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StoreCorruptionError } from '../../domain/errors.js';
import { isJsonObject, type JsonObject } from '../../domain/json.js';
import type { Session } from '../../domain/session.js';
import { METADATA_FILE } from './paths.js';

const count = z.number().int().min(0);

const sessionFileSchema = z.object({
  format: z.literal(1),
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
  /** Length of messages.jsonl that the counters above include; a longer log means they are behind it. */
  logBytes: count,
});

/** Serializes a session with the log length its counters reflect. */
export function encodeSessionFile(session: Session, logBytes: number): string {
  return `${JSON.stringify({ format: 1, ...session, logBytes }, null, 2)}\n`;
}

/** Reads and validates a session directory's metadata.json. */
export async function readSessionFile(dir: string): Promise<{ session: Session; logBytes: number }> {
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
  const { format: _format, logBytes, ...session } = parsed.data;
  return { session, logBytes };
}
