// Framing of one message per line in messages.jsonl: {"crc":"<crc32 of msg, 8 hex>","msg":{...}}.
// The checksum makes a torn or damaged record detectable on its own, not just "JSON.parse failed".
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { ROLES } from '../../domain/message.js';
import { isJsonObject, type JsonObject } from '../../domain/json.js';

/** A message as it is written in its session's log (project and session come from the path). */
export interface StoredMessage {
  seq: number;
  id: string;
  role: (typeof ROLES)[number];
  content: string;
  metadata: JsonObject;
  createdAt: string;
  clientMessageId: string | null;
}

const storedMessageSchema = z.object({
  seq: z.number().int().min(1),
  id: z.string().min(1),
  role: z.enum(ROLES),
  content: z.string(),
  metadata: z.custom<JsonObject>(isJsonObject),
  createdAt: z.string(),
  clientMessageId: z.string().nullable(),
});

const HEAD = '{"crc":"';
const MIDDLE = '","msg":';
const PAYLOAD_START = HEAD.length + 8 + MIDDLE.length;

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** The line for one message, newline included. */
export function encodeRecord(message: StoredMessage): string {
  const payload = JSON.stringify({
    seq: message.seq,
    id: message.id,
    role: message.role,
    content: message.content,
    metadata: message.metadata,
    createdAt: message.createdAt,
    clientMessageId: message.clientMessageId,
  });
  return `${HEAD}${hex8(crc32(payload))}${MIDDLE}${payload}}\n`;
}

/** Decodes one line (without its newline); null when it is torn, damaged or not a message. */
export function decodeRecord(line: string): StoredMessage | null {
  if (!line.startsWith(HEAD) || line.slice(HEAD.length + 8, PAYLOAD_START) !== MIDDLE || !line.endsWith('}')) return null;
  const payload = line.slice(PAYLOAD_START, -1);
  if (line.slice(HEAD.length, HEAD.length + 8) !== hex8(crc32(payload))) return null;
  try {
    const parsed = storedMessageSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
