// Framing of one message per line in messages.jsonl: {"crc":"<crc32 of msg, 8 hex>","msg":{...}}.
// The checksum makes a torn or damaged record detectable on its own, not just "JSON.parse failed".
import { crc32 } from 'node:zlib';
import { type Message, MESSAGE_STATUSES, type MessageStatus } from '../../domain/message.js';
import { ROLES } from '../../domain/roles.js';
import { isJsonObject, type JsonObject } from '../../domain/json.js';
import type { SessionKey } from '../../domain/session.js';
import { chunkLengthsOf } from '../stream-rules.js';

/** A message as it is written in its session's log (project and session come from the path). */
export interface StoredMessage {
  seq: number;
  id: string;
  role: (typeof ROLES)[number];
  content: string;
  metadata: JsonObject;
  createdAt: string;
  clientMessageId: string | null;
  /**
   * The parent's seq (0 for a first message) and id. Records written before conversations had branches have neither:
   * their parent is the message before them (see parentSeqOf).
   */
  parent?: number;
  parentId?: string | null;
  /** Absent: complete. */
  status?: Exclude<MessageStatus, 'complete'>;
  /** Absent: createdAt. */
  updatedAt?: string;
  /** The lengths (UTF-16 code units) of the chunks its content arrived in, after the content known at the start. */
  chunks?: number[];
}

/** The seq of a record's parent (0: none). */
export function parentSeqOf(record: StoredMessage): number {
  return record.parent ?? record.seq - 1;
}

/**
 * The message a stored record of session `key` is. A record from before branches names no parent id: the caller
 * passes the id of the message before it.
 */
export function messageOf(key: SessionKey, record: StoredMessage, previousId: string | null = null): Message {
  return {
    projectId: key.projectId,
    sessionId: key.sessionId,
    id: record.id,
    sequence: record.seq,
    role: record.role,
    content: record.content,
    metadata: record.metadata,
    createdAt: record.createdAt,
    clientMessageId: record.clientMessageId,
    parentId: record.parentId !== undefined ? record.parentId : previousId,
    status: record.status ?? 'complete',
    updatedAt: record.updatedAt ?? record.createdAt,
    chunkCount: record.chunks?.length ?? 0,
  };
}

/** The record a message is stored as (its project and session are the folder it is written in), given its parent's seq. */
export function recordOf(message: Message, parent: number, chunkLengths?: readonly number[]): StoredMessage {
  // Field by field, as planAppends does (there, a copy by rest and spread cost more than the rest of the planning).
  const record: StoredMessage = {
    seq: message.sequence,
    id: message.id,
    role: message.role,
    content: message.content,
    metadata: message.metadata,
    createdAt: message.createdAt,
    clientMessageId: message.clientMessageId,
    parent,
    parentId: message.parentId,
  };
  if (message.status !== 'complete') record.status = message.status;
  if (message.updatedAt !== message.createdAt) record.updatedAt = message.updatedAt;
  const chunks = chunkLengthsOf(message, chunkLengths);
  if (chunks) record.chunks = chunks;
  return record;
}

// Checked by hand rather than with zod: this runs for every record of every page read, and the CRC has already
// proved the bytes are the ones this store wrote; all that is left is to refuse a foreign shape.
function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(m.seq) &&
    (m.seq as number) >= 1 &&
    typeof m.id === 'string' &&
    ROLES.includes(m.role as StoredMessage['role']) &&
    typeof m.content === 'string' &&
    isJsonObject(m.metadata) &&
    typeof m.createdAt === 'string' &&
    (m.clientMessageId === null || typeof m.clientMessageId === 'string') &&
    (m.parent === undefined || (Number.isSafeInteger(m.parent) && (m.parent as number) >= 0 && (m.parent as number) < (m.seq as number))) &&
    (m.parentId === undefined ? m.parent === undefined : (m.parentId === null) === (m.parent === 0) && (m.parentId === null || typeof m.parentId === 'string')) &&
    (m.status === undefined || (m.status !== 'complete' && MESSAGE_STATUSES.includes(m.status as MessageStatus))) &&
    (m.updatedAt === undefined || typeof m.updatedAt === 'string') &&
    (m.chunks === undefined || (Array.isArray(m.chunks) && m.chunks.every((n) => Number.isSafeInteger(n) && n >= 0)))
  );
}

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
    parent: message.parent,
    parentId: message.parentId,
    status: message.status,
    updatedAt: message.updatedAt,
    chunks: message.chunks,
  });
  return `${HEAD}${hex8(crc32(payload))}${MIDDLE}${payload}}\n`;
}

const HEAD_BYTES = Buffer.from(HEAD);
const MIDDLE_BYTES = Buffer.from(MIDDLE);
const CLOSE = 0x7d; // }
const HEX8 = /^[0-9a-f]{8}$/;

/** Decodes one line (bytes `start`..`end` of `buffer`, without the newline); null when torn, damaged or not a message. */
export function decodeRecordAt(buffer: Buffer, start: number, end: number): StoredMessage | null {
  const payloadEnd = end - 1;
  if (end - start < PAYLOAD_START + 2 || buffer[payloadEnd] !== CLOSE) return null;
  if (buffer.compare(HEAD_BYTES, 0, HEAD_BYTES.length, start, start + HEAD.length) !== 0) return null;
  if (buffer.compare(MIDDLE_BYTES, 0, MIDDLE_BYTES.length, start + HEAD.length + 8, start + PAYLOAD_START) !== 0) return null;
  const payload = buffer.subarray(start + PAYLOAD_START, payloadEnd);
  const hex = buffer.toString('latin1', start + HEAD.length, start + HEAD.length + 8);
  if (!HEX8.test(hex) || Number.parseInt(hex, 16) !== crc32(payload)) return null;
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    return isStoredMessage(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Decodes one line given as text (without its newline). */
export function decodeRecord(line: string): StoredMessage | null {
  const buffer = Buffer.from(line, 'utf8');
  return decodeRecordAt(buffer, 0, buffer.length);
}
