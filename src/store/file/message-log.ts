// One session's append-only messages.jsonl: scanned once when opened (torn tail cut away, damage detected),
// then appended in durable batches and read by byte offsets, so cost never depends on history length.
import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { StoreCorruptionError } from '../../domain/errors.js';
import { emptyRoleCounts, type RoleCounts } from '../../domain/message.js';
import { decodeRecord, encodeRecord, type StoredMessage } from './record-codec.js';

const SCAN_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export class MessageLog {
  /** Byte offset of each record: `offsets[seq - 1]`. */
  private readonly offsets: number[] = [];
  /** clientMessageId -> seq, for idempotent appends. */
  private readonly clientIds = new Map<string, number>();
  /** Committed (durable) length of the file; bytes past it are never read. */
  size = 0;
  roleCounts: RoleCounts = emptyRoleCounts();
  lastCreatedAt: string | null = null;

  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
  ) {}

  /** Number of committed messages; the last one's seq. */
  get count(): number {
    return this.offsets.length;
  }

  /**
   * Opens (creating if missing) and scans a log. A damaged tail with no valid record after it is what a crash
   * mid-write leaves: it is truncated away with a warning. Damage followed by valid records throws StoreCorruptionError.
   */
  static async open(file: string, logger: Logger): Promise<MessageLog> {
    const handle = await open(file, 'a+', 0o644);
    const log = new MessageLog(handle, file);
    try {
      await log.scan(logger);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return log;
  }

  private async scan(logger: Logger): Promise<void> {
    const { size: fileSize } = await this.handle.stat();
    const chunk = Buffer.allocUnsafe(SCAN_CHUNK);
    let carry = Buffer.alloc(0);
    let carryStart = 0;
    let damagedAt = -1;
    for (let pos = 0; pos < fileSize; ) {
      const { bytesRead } = await this.handle.read(chunk, 0, Math.min(SCAN_CHUNK, fileSize - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let lineStart = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, lineStart)) {
        const offset = carryStart + lineStart;
        const record = decodeRecord(data.toString('utf8', lineStart, nl));
        lineStart = nl + 1;
        if (record && record.seq === this.count + 1 && damagedAt === -1) {
          this.index(record, offset);
          this.size = carryStart + lineStart;
        } else if (record && damagedAt !== -1) {
          throw new StoreCorruptionError(`${this.file} is damaged at byte ${damagedAt} with valid records after it`);
        } else if (damagedAt === -1) {
          damagedAt = offset;
        }
      }
      carry = Buffer.from(data.subarray(lineStart));
      carryStart += lineStart;
    }
    if (this.size < fileSize) {
      logger.warn({ file: this.file, keptBytes: this.size, droppedBytes: fileSize - this.size, messages: this.count }, 'truncating a torn tail of a message log');
      await this.handle.truncate(this.size);
      await this.handle.datasync();
    }
  }

  private index(record: StoredMessage, offset: number): void {
    this.offsets.push(offset);
    if (record.clientMessageId !== null) this.clientIds.set(record.clientMessageId, record.seq);
    this.roleCounts[record.role] += 1;
    this.lastCreatedAt = record.createdAt;
  }

  /** Seq of the message carrying this clientMessageId, if any. */
  seqOfClientId(clientMessageId: string): number | undefined {
    return this.clientIds.get(clientMessageId);
  }

  /** Writes records (seq must continue the log) in one write and one fdatasync; on failure the log is as before. */
  async append(records: readonly StoredMessage[]): Promise<void> {
    const lines = records.map((record) => Buffer.from(encodeRecord(record), 'utf8'));
    const data = lines.length === 1 ? lines[0]! : Buffer.concat(lines);
    const before = this.size;
    try {
      for (let written = 0; written < data.length; ) {
        const { bytesWritten } = await this.handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
      await this.handle.datasync();
    } catch (error) {
      await this.handle.truncate(before).catch(() => undefined);
      throw error;
    }
    let offset = before;
    records.forEach((record, i) => {
      this.index(record, offset);
      offset += lines[i]!.length;
    });
    this.size = offset;
  }

  /** Committed messages `fromSeq`..`toSeq`, clamped to what exists. */
  async read(fromSeq: number, toSeq: number): Promise<StoredMessage[]> {
    const from = Math.max(1, fromSeq);
    const to = Math.min(this.count, toSeq);
    if (from > to) return [];
    const start = this.offsets[from - 1]!;
    const end = to < this.count ? this.offsets[to]! : this.size;
    const buffer = Buffer.allocUnsafe(end - start);
    for (let done = 0; done < buffer.length; ) {
      const { bytesRead } = await this.handle.read(buffer, done, buffer.length - done, start + done);
      if (bytesRead === 0) throw new StoreCorruptionError(`${this.file} is shorter than its index`);
      done += bytesRead;
    }
    const records: StoredMessage[] = [];
    let lineStart = 0;
    for (let nl = buffer.indexOf(NEWLINE); nl !== -1; nl = buffer.indexOf(NEWLINE, lineStart)) {
      const record = decodeRecord(buffer.toString('utf8', lineStart, nl));
      if (!record || record.seq !== from + records.length) {
        throw new StoreCorruptionError(`${this.file} is damaged at byte ${start + lineStart}`);
      }
      records.push(record);
      lineStart = nl + 1;
    }
    return records;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
