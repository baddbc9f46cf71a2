// One session's append-only messages.jsonl and its index: appended in durable batches, read by byte offsets
// looked up in messages.idx, so neither appending nor reading a page depends on how long the history is.
import { constants } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { StoreCorruptionError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { SessionKey } from '../../domain/session.js';
import { SerialQueue } from './serial-queue.js';
import { clientIdHash, ENTRY_BYTES, encodeEntries, type IndexEntry, readEntries, writeAt } from './log-index.js';
import { decodeTreeEntries, encodeTreeEntries, MessageTree, messageIdHash, TREE_ENTRY_BYTES, type TreeEntry } from './message-tree.js';
import { decodeRecord, decodeRecordAt, encodeRecord, messageOf, parentSeqOf, type StoredMessage } from './record-codec.js';
import { linesFrom, readAt, readLineAt } from './record-reader.js';
import type { WriteFaultHook } from './write-faults.js';

/** The newest messages of an open log are kept decoded in memory, up to this many and this many bytes of log. */
const TAIL_MESSAGES = 256;
const TAIL_BYTES = 256 * 1024;
/**
 * The first messages of an open log, once read, are kept decoded too, up to this many and this many bytes: a context
 * window reads them (the SYSTEM messages that open a conversation) with every call, however long the conversation.
 */
const HEAD_MESSAGES = 8;
const HEAD_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class MessageLog {
  /** Number of committed messages: the last one's seq. */
  count = 0;
  /** Committed (durable) length of the log; bytes past it are never read. */
  size = 0;
  /**
   * clientMessageId hash -> the seq carrying it (an array of seqs only where hashes collide: a plain number costs no
   * allocation per message); loaded on the first append that needs it.
   */
  private clientIds: Map<number, number | number[]> | null = null;
  /** Appends and index rebuilds, one at a time. */
  private readonly exclusive = new SerialQueue();
  /** The newest messages, decoded: the last one is message `count`. Most reads are of the newest page. */
  private tail: Message[] = [];
  private tailSizes: number[] = [];
  private tailBytes = 0;
  /** Messages 1.. of the log, decoded (empty until a read from the file starts at message 1). */
  private head: Message[] = [];
  /** Streamed messages finished so far: a read from the file that saw this change may hold an outdated record. */
  private finals = 0;
  /** Every committed message's parent, depth and id hash. */
  readonly tree = new MessageTree();

  private constructor(
    private readonly key: SessionKey,
    private readonly log: FileHandle,
    private idx: FileHandle,
    private readonly treeIdx: FileHandle,
    readonly file: string,
    private readonly indexFile: string,
    private readonly treeFile: string,
    private readonly logger: Logger,
    private readonly faultHook: WriteFaultHook | undefined,
  ) {}

  /**
   * Opens a log and its index (creating them if missing). Index entries up to the last checkpoint (`trusted`: they
   * were synced before metadata.json recorded them) are kept once the last of them is checked against the log; the
   * records after them are scanned and indexed again. A damaged tail with no valid record after it, which is what a
   * crash mid-write leaves, is truncated away with a warning. Damage followed by valid records throws StoreCorruptionError.
   */
  static async open(
    key: SessionKey,
    files: { log: string; index: string; tree: string },
    logger: Logger,
    trusted: { count: number; bytes: number },
    faultHook?: WriteFaultHook,
  ): Promise<MessageLog> {
    const handles: FileHandle[] = [];
    try {
      // The log is only ever appended to; the indexes are also written in place (a streamed message's entry moves to
      // its final record), which a file opened for appending would not allow: Linux ignores the position then.
      handles.push(await open(files.log, 'a+', 0o644));
      for (const file of [files.index, files.tree]) handles.push(await open(file, constants.O_RDWR | constants.O_CREAT, 0o644));
      const [logHandle, idxHandle, treeHandle] = handles as [FileHandle, FileHandle, FileHandle];
      const log = new MessageLog(key, logHandle, idxHandle, treeHandle, files.log, files.index, files.tree, logger, faultHook);
      await log.recover(trusted);
      return log;
    } catch (error) {
      await Promise.all(handles.map((handle) => handle.close()));
      throw error;
    }
  }

  private async recover(trusted: { count: number; bytes: number }): Promise<void> {
    const logSize = (await this.log.stat()).size;
    const entries = Math.floor((await this.idx.stat()).size / ENTRY_BYTES);
    let count = trusted.count;
    let bytes = trusted.bytes;
    const last = count > 0 && count <= entries ? (await readEntries(this.idx, count - 1, 1))?.[0] : undefined;
    // The last trusted entry must name a record of its message that ends by the checkpoint (exactly there, unless a
    // streamed message's final record was written after it).
    const lastEnd = last === undefined ? null : await this.recordEnd(last, count, logSize);
    const usable = bytes <= logSize && (count === 0 ? bytes === 0 : lastEnd !== null && lastEnd <= bytes);
    if (!usable) {
      if (count > 0) this.logger.warn({ file: this.indexFile }, 'message index does not match its checkpoint; rebuilding it from the log');
      count = 0;
      bytes = 0;
    }
    await this.idx.truncate(count * ENTRY_BYTES);
    this.count = count;
    this.size = bytes;
    await this.loadTree();
    const found = await this.scan(bytes, logSize);
    await writeAt(this.idx, encodeEntries(found.index), count * ENTRY_BYTES);
    for (const { seq, entry } of found.finals) await writeAt(this.idx, encodeEntries([entry]), (seq - 1) * ENTRY_BYTES);
    await writeAt(this.treeIdx, encodeTreeEntries(found.tree, count + 1), count * TREE_ENTRY_BYTES);
  }

  /** Fills the tree with messages 1..count from tree.idx, or from the log when the file is short or damaged. */
  private async loadTree(): Promise<void> {
    const length = this.count * TREE_ENTRY_BYTES;
    const stored = (await this.treeIdx.stat()).size >= length ? decodeTreeEntries(await readAt(this.treeIdx, 0, length), 1) : null;
    let entries = stored?.length === this.count ? stored : null;
    if (!entries) {
      // A session written before conversations had branches has no tree.idx yet: built once, its records read as a chain.
      this.logger.info({ file: this.treeFile, messages: this.count }, 'building the message tree index from the log');
      entries = [];
      for await (const record of this.recordsFrom(0, 1)) entries.push(treeEntryOf(record));
      await this.treeIdx.truncate(0);
      await writeAt(this.treeIdx, encodeTreeEntries(entries, 1), 0);
    }
    await this.treeIdx.truncate(length);
    for (const entry of entries) this.tree.add(entry);
  }

  /** Where the record an index entry names ends, if the entry is right about it. */
  private async recordEnd(entry: IndexEntry, seq: number, logSize: number): Promise<number | null> {
    if (entry.offset >= logSize) return null;
    const line = await readLineAt(this.log, entry.offset, logSize);
    const record = line === null ? null : decodeRecord(line);
    if (!record || record.seq !== seq || clientIdHash(record.clientMessageId) !== entry.clientIdHash) return null;
    return entry.offset + Buffer.byteLength(line!, 'utf8') + 1;
  }

  /**
   * Scans records from `from` (which follows record `this.count`), advancing count and size; cuts a torn tail. A record
   * of a message already counted is a streamed message's final record: its index entry moves to it.
   */
  private async scan(from: number, logSize: number): Promise<{ index: IndexEntry[]; tree: TreeEntry[]; finals: { seq: number; entry: IndexEntry }[] }> {
    const found = { index: [] as IndexEntry[], tree: [] as TreeEntry[], finals: [] as { seq: number; entry: IndexEntry }[] };
    let damagedAt = -1;
    for await (const line of linesFrom(this.log, from, logSize)) {
      const record = decodeRecordAt(line.bytes, 0, line.bytes.length);
      if (damagedAt === -1 && record && record.seq === this.count + 1) {
        found.index.push({ offset: line.start, clientIdHash: clientIdHash(record.clientMessageId) });
        const entry = treeEntryOf(record);
        found.tree.push(entry);
        this.tree.add(entry);
        this.count += 1;
        this.size = line.end;
      } else if (damagedAt === -1 && record && record.seq <= this.count && this.tree.idHashOf(record.seq) === messageIdHash(record.id)) {
        found.finals.push({ seq: record.seq, entry: { offset: line.start, clientIdHash: clientIdHash(record.clientMessageId) } });
        this.size = line.end;
      } else if (damagedAt === -1) {
        damagedAt = line.start;
      } else if (record) {
        throw new StoreCorruptionError(`${this.file} is damaged at byte ${damagedAt} with valid records after it`);
      }
    }
    if (this.size < logSize) {
      this.logger.warn({ file: this.file, keptBytes: this.size, droppedBytes: logSize - this.size, messages: this.count }, 'truncating a torn tail of a message log');
      await this.log.truncate(this.size);
      await this.log.datasync();
    }
    return found;
  }

  /**
   * Every committed message record from byte `offset` (a record boundary) on, as first written (final records of
   * streamed messages are left out), checking that seqs continue from `firstSeq`.
   */
  async *recordsFrom(offset: number, firstSeq: number): AsyncGenerator<StoredMessage> {
    let expected = firstSeq;
    for await (const line of linesFrom(this.log, offset, this.size)) {
      const record = decodeRecordAt(line.bytes, 0, line.bytes.length);
      if (record && record.seq < expected) continue;
      if (!record || record.seq !== expected) throw new StoreCorruptionError(`${this.file} has no record ${expected} at byte ${line.start}`);
      expected += 1;
      yield record;
    }
  }

  /** The stored message carrying this clientMessageId, if any. */
  async findClientId(clientMessageId: string): Promise<Message | null> {
    if (!this.clientIds) await this.exclusive.run(() => this.loadClientIds());
    const seqs = this.clientIds!.get(clientIdHash(clientMessageId)) ?? [];
    for (const seq of typeof seqs === 'number' ? [seqs] : seqs) {
      const [record] = await this.read(seq, seq);
      if (record?.clientMessageId === clientMessageId) return record;
    }
    return null;
  }

  private async loadClientIds(): Promise<void> {
    if (this.clientIds) return;
    const map = new Map<number, number | number[]>();
    let entries = await readEntries(this.idx, 0, this.count);
    if (!entries) {
      this.logger.warn({ file: this.indexFile }, 'message index is damaged; rebuilding it from the log');
      await this.rebuildIndex();
      entries = (await readEntries(this.idx, 0, this.count))!;
    }
    entries.forEach((entry, i) => {
      remember(map, entry.clientIdHash, i + 1);
    });
    this.clientIds = map;
  }

  /** The stored message with this id, if any. */
  async findMessage(id: string): Promise<Message | null> {
    for (const seq of this.tree.withIdHash(messageIdHash(id))) {
      const [message] = await this.read(seq, seq);
      if (message?.id === id) return message;
    }
    return null;
  }

  /**
   * The path to `leaf` at depths `from`..`to`, oldest first: read as runs of consecutive messages, or as one span
   * when the messages of other branches between them are few (one read, and the newest page stays in the tail).
   */
  async readPath(leaf: number, from: number, to: number): Promise<Message[]> {
    const runs = this.tree.path(leaf, from, to);
    if (runs.length === 0) return [];
    const first = runs[0]![0];
    const last = runs.at(-1)![1];
    if (runs.length === 1) return this.read(first, last);
    const wanted = runs.reduce((n, [a, b]) => n + b - a + 1, 0);
    if (last - first + 1 <= Math.max(2 * wanted, 64)) {
      const span = await this.read(first, last);
      return runs.flatMap(([a, b]) => span.slice(a - first, b - first + 1));
    }
    return (await Promise.all(runs.map(([a, b]) => this.read(a, b)))).flat();
  }

  /**
   * The same as `readPath` when every message of it is in the in-memory tail, read without a promise hop; null when any
   * of it would have to be read from the file.
   */
  pathInTail(leaf: number, from: number, to: number): Message[] | null {
    const runs = this.tree.path(leaf, from, to);
    const tailFirst = this.count - this.tail.length + 1;
    if (this.tail.length === 0 || runs.some(([a]) => a < tailFirst)) return null;
    if (runs.length === 1) return this.tail.slice(runs[0]![0] - tailFirst, runs[0]![1] - tailFirst + 1);
    return runs.flatMap(([a, b]) => this.tail.slice(a - tailFirst, b - tailFirst + 1));
  }

  /** Writes `data` at the log's end with one write and one fdatasync; on failure the log is cut back as it was. */
  private async writeDurably(data: Buffer): Promise<void> {
    try {
      this.faultHook?.('write', this.file);
      await writeAt(this.log, data, this.size);
      this.faultHook?.('sync', this.file);
      await this.log.datasync();
    } catch (error) {
      // Nothing of it is acknowledged. After a failed fdatasync the kernel may have dropped the dirty pages and a later
      // sync would succeed without them: the store closes this log and reopens (re-verifies) it before the session
      // takes another write.
      await this.log.truncate(this.size).catch(() => undefined);
      throw error;
    }
  }

  /** Writes records (their seqs must continue the log) with one write and one fdatasync; on failure the log is as before. */
  async append(records: readonly StoredMessage[]): Promise<Message[]> {
    return this.exclusive.run(async () => {
      const lines = records.map((record) => Buffer.from(encodeRecord(record), 'utf8'));
      const before = this.size;
      await this.writeDurably(lines.length === 1 ? lines[0]! : Buffer.concat(lines));
      const entries: IndexEntry[] = [];
      let offset = before;
      records.forEach((record, i) => {
        entries.push({ offset, clientIdHash: clientIdHash(record.clientMessageId) });
        offset += lines[i]!.length;
      });
      // The indexes are derived: a failure here costs a rebuild at the next open, never the acknowledged messages.
      const treeEntries = records.map(treeEntryOf);
      await Promise.all([
        writeAt(this.idx, encodeEntries(entries), this.count * ENTRY_BYTES),
        writeAt(this.treeIdx, encodeTreeEntries(treeEntries, this.count + 1), this.count * TREE_ENTRY_BYTES),
      ]).catch((error: unknown) => {
        this.logger.warn({ err: error, file: this.indexFile }, 'message index write failed; it will be rebuilt');
      });
      for (const entry of treeEntries) this.tree.add(entry);
      const clientIds = this.clientIds;
      if (clientIds) {
        entries.forEach((entry, i) => {
          remember(clientIds, entry.clientIdHash, this.count + i + 1);
        });
      }
      this.count += records.length;
      this.size = offset;
      const messages = records.map((record) => messageOf(this.key, record));
      this.keepTail(messages, lines.map((line) => line.length));
      return messages;
    });
  }

  /**
   * Writes a streamed message's final record (its whole content, status and chunk lengths) at the end of the log, with
   * one fdatasync, and points the message's index entry at it: from then on it is read like a message written whole.
   */
  async appendFinal(record: StoredMessage): Promise<Message> {
    return this.exclusive.run(async () => {
      if (record.seq < 1 || record.seq > this.count) throw new Error(`message ${record.seq} is not in ${this.file}`);
      const line = Buffer.from(encodeRecord(record), 'utf8');
      const before = this.size;
      await this.writeDurably(line);
      this.size = before + line.length;
      await writeAt(this.idx, encodeEntries([{ offset: before, clientIdHash: clientIdHash(record.clientMessageId) }]), (record.seq - 1) * ENTRY_BYTES).catch((error: unknown) => {
        this.logger.warn({ err: error, file: this.indexFile }, 'message index write failed; it will be rebuilt');
      });
      const previous = this.tail[0] && record.seq >= this.tail[0].sequence ? this.tail[record.seq - this.tail[0].sequence] : undefined;
      this.finals += 1;
      const inHead = this.head[record.seq - 1];
      const message = messageOf(this.key, record, previous?.parentId ?? inHead?.parentId ?? null);
      if (previous) this.tail[record.seq - this.tail[0]!.sequence] = message;
      if (inHead) this.head[record.seq - 1] = message;
      return message;
    });
  }

  /** Puts the newest of `messages` (which end just before the tail) in front of the tail, as many as its bounds allow. */
  private extendTailBack(messages: readonly Message[], sizes: readonly number[]): void {
    let n = 0;
    let bytes = this.tailBytes;
    while (n < messages.length && this.tail.length + n < TAIL_MESSAGES && bytes + sizes[messages.length - 1 - n]! <= TAIL_BYTES) bytes += sizes[messages.length - 1 - n++]!;
    if (n === 0) return;
    this.tail = [...messages.slice(messages.length - n), ...this.tail];
    this.tailSizes = [...sizes.slice(sizes.length - n), ...this.tailSizes];
    this.tailBytes = bytes;
  }

  /** Keeps the first of `messages` (which start at message 1) in memory, within the head's bounds. */
  private keepHead(messages: readonly Message[], sizes: readonly number[]): void {
    let bytes = 0;
    let n = 0;
    while (n < messages.length && n < HEAD_MESSAGES && bytes + sizes[n]! <= HEAD_BYTES) bytes += sizes[n++]!;
    this.head = messages.slice(0, n);
  }

  /** Adds the newest records (which end at message `count`) to the in-memory tail, within its bounds. */
  private keepTail(records: readonly Message[], sizes: readonly number[]): void {
    if (records.length === 0 || records.at(-1)!.sequence !== this.count) return;
    const continues = this.tail.length > 0 && this.tail.at(-1)!.sequence + 1 === records[0]!.sequence;
    if (!continues) {
      this.tail = [];
      this.tailSizes = [];
      this.tailBytes = 0;
    }
    records.forEach((record, i) => {
      this.tail.push(record);
      this.tailSizes.push(sizes[i]!);
      this.tailBytes += sizes[i]!;
    });
    let drop = 0;
    while (this.tail.length - drop > 1 && (this.tail.length - drop > TAIL_MESSAGES || this.tailBytes > TAIL_BYTES)) {
      this.tailBytes -= this.tailSizes[drop]!;
      drop += 1;
    }
    if (drop > 0) {
      this.tail = this.tail.slice(drop);
      this.tailSizes = this.tailSizes.slice(drop);
    }
  }

  /** Committed messages `fromSeq`..`toSeq`, clamped to what exists. */
  async read(fromSeq: number, toSeq: number): Promise<Message[]> {
    const from = Math.max(1, fromSeq);
    const to = Math.min(this.count, toSeq);
    if (from > to) return [];
    const tailFirst = this.count - this.tail.length + 1;
    if (this.tail.length > 0 && from >= tailFirst) return this.tail.slice(from - tailFirst, to - tailFirst + 1);
    if (to <= this.head.length) return this.head.slice(from - 1, to);
    const finals = this.finals;
    const { records, sizes } = await this.readRecords(from, to);
    // Records from before branches name no parent: each follows the one before it.
    let previousId = records[0]?.parentId === undefined && from > 1 ? (await this.readRecords(from - 1, from - 1)).records[0]!.id : null;
    const messages = records.map((record) => {
      const message = messageOf(this.key, record, previousId);
      previousId = record.id;
      return message;
    });
    // What was read is kept in memory only if no streamed message was finished meanwhile (its record here may be the
    // one from before).
    if (finals !== this.finals) return messages;
    // A read of the newest messages seeds the in-memory tail (or takes its place when it reaches further back),
    // unless appends moved the end meanwhile.
    if (to === this.count && (this.tail.length === 0 || from < this.count - this.tail.length + 1)) this.keepTail(messages, sizes);
    // A read that ends where the tail begins (paging back from the newest) extends it, within its bounds.
    else if (this.tail.length > 0 && to === this.count - this.tail.length) this.extendTailBack(messages, sizes);
    if (from === 1 && this.head.length === 0) this.keepHead(messages, sizes);
    return messages;
  }

  private async readRecords(from: number, to: number): Promise<{ records: StoredMessage[]; sizes: number[] }> {
    const span = await this.readSpan(from, to);
    if (span) return span;
    // The index disagrees with the log: rebuild it from the log once, then the log itself must be right.
    this.logger.warn({ file: this.indexFile }, 'message index disagrees with its log; rebuilding it');
    await this.exclusive.run(() => this.rebuildIndex());
    const retried = await this.readSpan(from, to);
    if (!retried) throw new StoreCorruptionError(`${this.file} is damaged between messages ${from} and ${to}`);
    return retried;
  }

  /**
   * Records `from`..`to` as their index entries name them: one read from the first to the entry after the last (or the
   * log's end), keeping the records found at their entries' offsets and skipping the others (a streamed message's
   * first record once its final one is written, final records of other messages); a final record outside that
   * stretch is read on its own.
   */
  private async readSpan(from: number, to: number): Promise<{ records: StoredMessage[]; sizes: number[] } | null> {
    const wanted = to - from + 1;
    const entries = await readEntries(this.idx, from - 1, Math.min(wanted + 1, this.count - from + 1));
    if (!entries || entries.length < wanted) return null;
    let start = entries[0]!.offset;
    for (let i = 1; i < wanted; i++) if (entries[i]!.offset < start) start = entries[i]!.offset;
    const end = to < this.count ? entries[wanted]!.offset : this.size;
    if (end > this.size) return null;
    const buffer = end > start ? await readAt(this.log, start, end - start) : Buffer.alloc(0);
    const records: StoredMessage[] = new Array(wanted);
    const sizes: number[] = new Array(wanted);
    let found = 0;
    let lineStart = 0;
    for (let nl = buffer.indexOf(NEWLINE); nl !== -1; nl = buffer.indexOf(NEWLINE, lineStart)) {
      const record = decodeRecordAt(buffer, lineStart, nl);
      if (!record) return null;
      const i = record.seq - from;
      if (i >= 0 && i < wanted && entries[i]!.offset === start + lineStart && records[i] === undefined) {
        records[i] = record;
        sizes[i] = nl + 1 - lineStart;
        found += 1;
      }
      lineStart = nl + 1;
    }
    for (let i = 0; found < wanted && i < wanted; i++) {
      if (records[i] !== undefined) continue;
      const line = await readLineAt(this.log, entries[i]!.offset, this.size);
      const record = line === null ? null : decodeRecord(line);
      if (!record || record.seq !== from + i) return null;
      records[i] = record;
      sizes[i] = Buffer.byteLength(line!, 'utf8') + 1;
      found += 1;
    }
    return { records, sizes };
  }

  /** The chunk lengths a finished streamed message's record keeps (empty for a message written whole). */
  async chunkLengthsOf(seq: number): Promise<number[]> {
    const { records } = await this.readRecords(seq, seq);
    return records[0]?.chunks ?? [];
  }

  /** Writes a fresh index from the log beside the old one and swaps it in. */
  private async rebuildIndex(): Promise<void> {
    const entries: IndexEntry[] = [];
    for await (const line of linesFrom(this.log, 0, this.size)) {
      const record = decodeRecordAt(line.bytes, 0, line.bytes.length);
      const entry = { offset: line.start, clientIdHash: clientIdHash(record?.clientMessageId ?? null) };
      // A record of a message already indexed is that (streamed) message's final record.
      if (record && record.seq <= entries.length) entries[record.seq - 1] = entry;
      else if (record && record.seq === entries.length + 1) entries.push(entry);
      else throw new StoreCorruptionError(`${this.file} is damaged at byte ${line.start}`);
    }
    const temp = `${this.indexFile}.rebuild`;
    const handle = await open(temp, 'w+', 0o644);
    await writeAt(handle, encodeEntries(entries), 0);
    await rename(temp, this.indexFile);
    const old = this.idx;
    this.idx = handle;
    // Reads in flight may still hold the old handle for a moment.
    setTimeout(() => void old.close().catch(() => undefined), 1000).unref();
  }

  /** Makes the indexes durable up to `count`, so that a checkpoint may record them as trusted. */
  async syncIndex(): Promise<void> {
    await this.exclusive.run(() => Promise.all([this.idx.datasync(), this.treeIdx.datasync()]));
  }

  /** Syncs the indexes and closes every file (closed even when a sync fails: the indexes are rebuilt if need be). */
  async close(): Promise<void> {
    await this.exclusive.run(async () => {
      try {
        await Promise.all([this.idx.datasync(), this.treeIdx.datasync()]);
      } finally {
        await Promise.all([this.log.close(), this.idx.close(), this.treeIdx.close()]);
      }
    });
  }
}

function remember(map: Map<number, number | number[]>, hash: number, seq: number): void {
  if (hash === 0) return;
  const seqs = map.get(hash);
  if (seqs === undefined) map.set(hash, seq);
  else if (typeof seqs === 'number') map.set(hash, [seqs, seq]);
  else seqs.push(seq);
}

function treeEntryOf(record: StoredMessage): TreeEntry {
  return { parent: parentSeqOf(record), idHash: messageIdHash(record.id) };
}
