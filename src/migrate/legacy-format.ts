// What the earlier Python service wrote: metadata.json (snake_case) and messages.json (one JSON array) per session.
import { z } from 'zod';
import { isJsonObject, type JsonObject } from '../domain/json.js';

/** An ISO 8601 date-time with or without an offset (none means UTC), as the same instant in UTC, to the millisecond. */
export function legacyTimestamp(value: string): string | null {
  const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?/.test(withZone)) return null;
  // Date understands at most milliseconds; cut longer fractions (Python writes microseconds) before parsing.
  const time = Date.parse(withZone.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

const jsonObjectOrNull = z
  .custom<JsonObject | null>((value) => value === null || isJsonObject(value), { error: 'must be a JSON object' })
  .optional()
  .transform((value) => value ?? {});

export const legacyMetadataSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullish().transform((value) => value ?? null),
  metadata: jsonObjectOrNull,
  is_active: z.boolean().default(true),
  created_at: z.string(),
  updated_at: z.string().optional(),
  message_count: z.number().int().min(0).optional(),
  project_id: z.string().nullish(),
});
export type LegacyMetadata = z.output<typeof legacyMetadataSchema>;

export const legacyMessageSchema = z.object({
  id: z.string(),
  session_id: z.string().optional(),
  role: z.string(),
  content: z.string(),
  metadata: jsonObjectOrNull,
  timestamp: z.string().optional(),
  created_at: z.string().optional(),
});
export type LegacyMessage = z.output<typeof legacyMessageSchema>;

export const legacyMessagesSchema = z.array(legacyMessageSchema);
