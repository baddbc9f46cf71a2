// messages.idx: 12 bytes per message (byte offset in messages.jsonl, and a hash of its clientMessageId), so a page
// anywhere in a long session, and its count, are found without reading the log. Derived data: never synced on its
// own, checked against the log at open, and rebuilt from the log whenever it disagrees.
import { crc32 } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { readAt } from './record-reader.js';

export const ENTRY_BYTES = 12;

/** 0 for no clientMessageId; otherwise a 31-bit hash with the top bit set. */
export function clientIdHash(clientMessageId: string | null): number {
  return clientMessageId === null ? 0 : ((crc32(clientMessageId) >>> 1) | 0x80000000) >>> 0;
}

export interface IndexEntry {
  offset: number;
  clientIdHash: number;
}

export function encodeEntries(entries: readonly IndexEntry[]): Buffer {
  const buffer = Buffer.alloc(entries.length * ENTRY_BYTES);
  entries.forEach((entry, i) => {
    buffer.writeUIntLE(entry.offset, i * ENTRY_BYTES, 6);
    buffer.writeUInt16LE(0, i * ENTRY_BYTES + 6);
    buffer.writeUInt32LE(entry.clientIdHash, i * ENTRY_BYTES + 8);
  });
  return buffer;
}

function decodeEntry(buffer: Buffer, at: number): IndexEntry {
  return { offset: buffer.readUIntLE(at, 6), clientIdHash: buffer.readUInt32LE(at + 8) };
}

/** Entries `first`..`first + count - 1` (0-based). */
export async function readEntries(handle: FileHandle, first: number, count: number): Promise<IndexEntry[]> {
  const buffer = await readAt(handle, first * ENTRY_BYTES, count * ENTRY_BYTES);
  const entries: IndexEntry[] = [];
  for (let at = 0; at + ENTRY_BYTES <= buffer.length; at += ENTRY_BYTES) entries.push(decodeEntry(buffer, at));
  return entries;
}

/** Writes all of `data` at `position`. */
export async function writeAt(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let written = 0; written < data.length; ) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}
