// The file store's journal of streamed messages: one append-only file for the whole store (DATA_DIR/streams), where
// the chunks of every stream, of any session, are written with group commit. Chunks of many concurrent streams share
// one write and one fdatasync, which per-session logs could not give them. It holds only what is still streaming: once
// a message is finished its whole content is written to its session's log, and at each start (and whenever the file
// grows past a bound) the journal is rewritten with the streams still open and the old file removed.
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from 'pino';
import type { SessionKey } from '../../domain/session.js';
import { streamChannel } from '../store-events.js';
import { fsyncDir } from './fs-utils.js';
import { writeAt } from './log-index.js';
import { linesFrom } from './record-reader.js';
import type { WriteFaultHook } from './write-faults.js';

/**
 * A journal file is rewritten (compacted) once it grows past this, or past twice what its last rewrite kept, whichever
 * is more: streams still open are all kept, so a bound alone would rewrite them after every batch once they hold more.
 */
const COMPACT_BYTES = 16 * 1024 * 1024;
const FILE_PATTERN = /^journal-(\d{10})\.jsonl$/;

/**
 * s: a stream begins (written before its message is appended, so that a crash in between leaves a stream the sweep
 * ends, never a STREAMING message nobody knows of); c: chunk `i`; e: the stream ended, its final record is durable.
 */
export type JournalRecord =
  | { k: 's'; p: string; s: string; id: string; at: number }
  | { k: 'c'; p: string; s: string; id: string; i: number; c: string; at: number }
  | { k: 'e'; p: string; s: string; id: string };

/** A stream as the journal knows it. */
export interface JournaledStream {
  key: SessionKey;
  id: string;
  chunks: string[];
  /** The chunks joined. */
  text: string;
  /** When it began or last received a chunk (ms since the epoch). */
  lastAt: number;
}

export function streamKey(key: SessionKey, id: string): string {
  return `${key.projectId}/${key.sessionId}/${id}`;
}

interface Waiting {
  records: readonly JournalRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class StreamJournal {
  private handle: FileHandle | null = null;
  private file = '';
  private number = 0;
  private size = 0;
  /** The size past which the file is compacted next (see COMPACT_BYTES). */
  private compactAt: number;
  private waiting: Waiting[] = [];
  private flushing = false;
  /** The streams that have not ended, as written so far: what a compaction keeps. */
  readonly streams = new Map<string, JournaledStream>();

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    private readonly faultHook?: WriteFaultHook,
    private readonly compactBytes = COMPACT_BYTES,
  ) {
    this.compactAt = compactBytes;
  }

  /**
   * Reads every journal file, oldest first, and returns the streams that have not ended; then writes them to a new
   * file and removes the old ones. A torn last line (a crash mid-write) is skipped: it was never acknowledged.
   */
  async open(): Promise<ReadonlyMap<string, JournaledStream>> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((name) => FILE_PATTERN.test(name)).sort();
    const streams = this.streams;
    for (const name of names) {
      const handle = await open(path.join(this.dir, name), 'r');
      try {
        const size = (await handle.stat()).size;
        for await (const line of linesFrom(handle, 0, size)) {
          const record = decodeLine(line.bytes.toString('utf8'));
          if (!record) {
            this.logger.warn({ file: name, byte: line.start }, 'skipping a damaged line of the stream journal');
            continue;
          }
          apply(streams, record);
        }
      } finally {
        await handle.close();
      }
    }
    this.number = names.length > 0 ? Number(FILE_PATTERN.exec(names.at(-1)!)![1]) : 0;
    if (names.length > 0) await this.rotate(names);
    return streams;
  }

  /** Writes records durably, together with every other write waiting meanwhile (one write, one fdatasync). */
  write(records: readonly JournalRecord[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      if (this.waiting.length === 1 && !this.flushing) setImmediate(() => void this.flush());
    });
  }

  /**
   * Starts a new journal file holding the streams that have not ended (their start and every chunk) and removes the
   * older files. Run while no write is under way (from open, or between two batches).
   */
  private async rotate(previous: readonly string[]): Promise<void> {
    const records: JournalRecord[] = [];
    for (const stream of this.streams.values()) {
      const base = { p: stream.key.projectId, s: stream.key.sessionId, id: stream.id };
      records.push({ k: 's', ...base, at: stream.lastAt });
      for (const [i, c] of stream.chunks.entries()) records.push({ k: 'c', ...base, i, c, at: stream.lastAt });
    }
    await this.handle?.close();
    this.handle = null;
    this.number += 1;
    this.file = path.join(this.dir, `journal-${String(this.number).padStart(10, '0')}.jsonl`);
    const created = await mkdir(this.dir, { recursive: true });
    if (created !== undefined) await fsyncDir(path.dirname(this.dir));
    const handle = await open(this.file, 'w+', 0o644);
    const data = Buffer.from(records.map(encodeLine).join(''), 'utf8');
    await writeAt(handle, data, 0);
    await handle.datasync();
    await fsyncDir(this.dir);
    this.handle = handle;
    this.size = data.length;
    this.compactAt = Math.max(this.compactBytes, 2 * data.length);
    for (const name of previous) {
      if (path.join(this.dir, name) !== this.file) await rm(path.join(this.dir, name), { force: true });
    }
    if (previous.length > 0) await fsyncDir(this.dir);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0);
        const began = performance.now();
        try {
          if (!this.handle) await this.rotate([]);
          const data = Buffer.from(batch.map((w) => w.records.map(encodeLine).join('')).join(''), 'utf8');
          this.faultHook?.('write', this.file);
          await writeAt(this.handle!, data, this.size);
          this.faultHook?.('sync', this.file);
          await this.handle!.datasync();
          this.size += data.length;
        } catch (error) {
          // Nothing of the batch is acknowledged; the next batch overwrites whatever of it reached the file.
          await this.handle?.truncate(this.size).catch(() => undefined);
          for (const w of batch) w.reject(error);
          continue;
        }
        let chunks = 0;
        for (const w of batch) {
          for (const record of w.records) {
            apply(this.streams, record);
            if (record.k === 'c') chunks += 1;
          }
        }
        if (streamChannel.hasSubscribers) streamChannel.publish({ chunks, seconds: (performance.now() - began) / 1000 });
        for (const w of batch) w.resolve();
        if (this.size > this.compactAt) {
          const file = path.basename(this.file);
          await this.rotate([file]).catch((error: unknown) => this.logger.warn({ err: error, file }, 'compacting the stream journal failed; it is tried again later'));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Closes the file (after the writes under way). */
  async close(): Promise<void> {
    while (this.flushing || this.waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.handle?.close();
    this.handle = null;
  }
}

function apply(streams: Map<string, JournaledStream>, record: JournalRecord): void {
  const key = { projectId: record.p, sessionId: record.s };
  const id = streamKey(key, record.id);
  if (record.k === 's') {
    if (!streams.has(id)) streams.set(id, { key, id: record.id, chunks: [], text: '', lastAt: record.at });
  } else if (record.k === 'c') {
    const stream = streams.get(id);
    // Chunks are written in order and only after their stream's start; anything else is ignored.
    if (stream && record.i === stream.chunks.length) {
      stream.chunks.push(record.c);
      stream.text += record.c;
      stream.lastAt = Math.max(stream.lastAt, record.at);
    }
  } else {
    streams.delete(id);
  }
}

function encodeLine(record: JournalRecord): string {
  const payload = JSON.stringify(record);
  return `${crc32(payload).toString(16).padStart(8, '0')} ${payload}\n`;
}

function decodeLine(line: string): JournalRecord | null {
  if (line.length < 10 || line[8] !== ' ') return null;
  const payload = line.slice(9);
  if (Number.parseInt(line.slice(0, 8), 16) !== crc32(payload)) return null;
  try {
    const record = JSON.parse(payload) as JournalRecord;
    if (typeof record !== 'object' || record === null || typeof record.p !== 'string' || typeof record.s !== 'string' || typeof record.id !== 'string') return null;
    if (record.k === 's') return Number.isFinite(record.at) ? record : null;
    if (record.k === 'c') return Number.isSafeInteger(record.i) && typeof record.c === 'string' && Number.isFinite(record.at) ? record : null;
    return record.k === 'e' ? record : null;
  } catch {
    return null;
  }
}
