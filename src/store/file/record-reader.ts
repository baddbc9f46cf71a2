// Reading records out of messages.jsonl by byte offset: one line at an offset, or every line from an offset on.
import { type FileHandle, open } from 'node:fs/promises';
import { StoreCorruptionError } from '../../domain/errors.js';
import { readStats } from './read-stats.js';
import { decodeRecordAt, type StoredMessage } from './record-codec.js';

const CHUNK = 1 << 16;
const SCAN_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/** Reads exactly `length` bytes at `position` (fewer only at end of file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  readStats.bytes += done;
  return done === length ? buffer : buffer.subarray(0, done);
}

/** The line starting at `offset` (without its newline), or null when no newline follows before `end`. */
export async function readLineAt(handle: FileHandle, offset: number, end: number): Promise<string | null> {
  const parts: Buffer[] = [];
  for (let position = offset; position < end; ) {
    const chunk = await readAt(handle, position, Math.min(CHUNK, end - position));
    if (chunk.length === 0) break;
    const nl = chunk.indexOf(NEWLINE);
    if (nl !== -1) {
      parts.push(chunk.subarray(0, nl));
      return Buffer.concat(parts).toString('utf8');
    }
    parts.push(chunk);
    position += chunk.length;
  }
  return null;
}

/** One line of the file: where it starts and ends (after its newline), and its bytes (without the newline). */
export interface Line {
  start: number;
  end: number;
  bytes: Buffer;
}

/** Every complete line from `offset` to `end`. */
export async function* linesFrom(handle: FileHandle, offset: number, end: number): AsyncGenerator<Line> {
  let carry = Buffer.alloc(0);
  let carryStart = offset;
  for (let position = offset; position < end; ) {
    const chunk = await readAt(handle, position, Math.min(SCAN_CHUNK, end - position));
    if (chunk.length === 0) break;
    position += chunk.length;
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let lineStart = 0;
    for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, lineStart)) {
      yield { start: carryStart + lineStart, end: carryStart + nl + 1, bytes: data.subarray(lineStart, nl) };
      lineStart = nl + 1;
    }
    carry = Buffer.from(data.subarray(lineStart));
    carryStart += lineStart;
  }
}

/**
 * Every record of a log file from byte `from` (a record boundary) to byte `to`, as written (the final records of
 * streamed messages too, each after the record it completes), with the byte just past each; read through a handle of
 * its own, without the log's indexes. StoreCorruptionError at a line that is no valid record.
 */
export async function* recordsOfFile(file: string, from: number, to: number): AsyncGenerator<{ record: StoredMessage; end: number }> {
  const handle = await open(file, 'r');
  try {
    for await (const line of linesFrom(handle, from, to)) {
      const record = decodeRecordAt(line.bytes, 0, line.bytes.length);
      if (!record) throw new StoreCorruptionError(`${file} has no valid record at byte ${line.start}`);
      yield { record, end: line.end };
    }
  } finally {
    await handle.close();
  }
}
