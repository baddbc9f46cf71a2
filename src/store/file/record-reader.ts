// Reading records out of messages.jsonl by byte offset: one line at an offset, or every line from an offset on.
import type { FileHandle } from 'node:fs/promises';
import { readStats } from './read-stats.js';

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
