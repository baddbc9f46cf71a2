// messages.idx: 12 bytes per message (byte offset of its current record in messages.jsonl, a 16-bit check, and a hash of its clientMessageId), so a page
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

/** A 16-bit check over an entry's offset and hash, so that a damaged entry (zeros, stray bytes) is never trusted. */
function check(buffer: Buffer, at: number): number {
  return (crc32(buffer.subarray(at, at + 6), crc32(buffer.subarray(at + 8, at + 12))) & 0xffff) ^ 0x5a5a;
}

export function encodeEntries(entries: readonly IndexEntry[]): Buffer {
  const buffer = Buffer.alloc(entries.length * ENTRY_BYTES);
  entries.forEach((entry, i) => {
    const at = i * ENTRY_BYTES;
    buffer.writeUIntLE(entry.offset, at, 6);
    buffer.writeUInt32LE(entry.clientIdHash, at + 8);
    buffer.writeUInt16LE(check(buffer, at), at + 6);
  });
  return buffer;
}

/**
 * Entries `first`..`first + count - 1` (0-based), or null when any of them is damaged (its check fails): the caller then
 * rebuilds the index from the log. Offsets mostly increase, but a streamed message's entry names its final record,
 * written after the messages that followed it.
 */
export async function readEntries(handle: FileHandle, first: number, count: number): Promise<IndexEntry[] | null> {
  const buffer = await readAt(handle, first * ENTRY_BYTES, count * ENTRY_BYTES);
  const entries: IndexEntry[] = [];
  for (let at = 0; at + ENTRY_BYTES <= buffer.length; at += ENTRY_BYTES) {
    if (buffer.readUInt16LE(at + 6) !== check(buffer, at)) return null;
    const entry = { offset: buffer.readUIntLE(at, 6), clientIdHash: buffer.readUInt32LE(at + 8) };
    entries.push(entry);
  }
  return entries;
}

/** Writes all of `data` at `position`. */
export async function writeAt(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let written = 0; written < data.length; ) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}
