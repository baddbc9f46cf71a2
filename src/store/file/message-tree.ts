// The shape of one session's conversation tree while its log is open: each message's parent, depth and id hash in
// typed arrays indexed by sequence (12 bytes a message and a flag), and the children of the few messages that have
// more than one. tree.idx holds the same per message (parent, id hash, a check: 12 bytes) so that opening a long
// session reads it instead of parsing the log. Derived data, like messages.idx: checked at open, rebuilt from the log.
import { crc32 } from 'node:zlib';

export const TREE_ENTRY_BYTES = 12;

/** One message's place in the tree: its parent's sequence (0 for a first message) and a hash of its id. */
export interface TreeEntry {
  parent: number;
  idHash: number;
}

export function messageIdHash(id: string): number {
  return crc32(id) >>> 0;
}

/** Entries of messages `firstSeq`, `firstSeq + 1`, ...; each check covers its sequence too, so a misplaced entry fails it. */
export function encodeTreeEntries(entries: readonly TreeEntry[], firstSeq: number): Buffer {
  const buffer = Buffer.alloc(entries.length * TREE_ENTRY_BYTES);
  entries.forEach((entry, i) => {
    const at = i * TREE_ENTRY_BYTES;
    buffer.writeUInt32LE(entry.parent, at);
    buffer.writeUInt32LE(entry.idHash, at + 4);
    buffer.writeUInt32LE(crc32(buffer.subarray(at, at + 8), firstSeq + i), at + 8);
  });
  return buffer;
}

/** Decodes entries from `firstSeq` on; null when any fails its check or names a parent that does not come before it. */
export function decodeTreeEntries(buffer: Buffer, firstSeq: number): TreeEntry[] | null {
  const entries: TreeEntry[] = [];
  for (let at = 0; at + TREE_ENTRY_BYTES <= buffer.length; at += TREE_ENTRY_BYTES) {
    const seq = firstSeq + entries.length;
    if (buffer.readUInt32LE(at + 8) !== crc32(buffer.subarray(at, at + 8), seq)) return null;
    const parent = buffer.readUInt32LE(at);
    if (parent >= seq) return null;
    entries.push({ parent, idHash: buffer.readUInt32LE(at + 4) });
  }
  return entries;
}

export class MessageTree {
  /** Messages in the tree: the last one's sequence. */
  count = 0;
  // Index 0 stands for the virtual parent of first messages (depth 0).
  private parents = new Uint32Array(16);
  private depths = new Uint32Array(16);
  private idHashes = new Uint32Array(16);
  /**
   * The first message of the straight run each message ends: the run goes back while each message's parent is the
   * one written just before it, so within it depth and sequence step together (a path is crossed a run at a time).
   */
  private runStarts = new Uint32Array(16);
  private hasChild = new Uint8Array(16);
  /** Children of messages that have two or more (index 0: the first messages, when there are several). */
  private readonly forks = new Map<number, number[]>();
  /** Each message's newest descendant (see newestUnder), for the tree as it was at `length - 1` messages. */
  private newestBelow: Uint32Array | null = null;

  /** Adds message `count + 1` under `parent` (0: a first message). */
  add(entry: TreeEntry): void {
    const seq = this.count + 1;
    if (seq >= this.parents.length) this.grow(seq * 2);
    const { parent } = entry;
    this.parents[seq] = parent;
    this.depths[seq] = this.depths[parent]! + 1;
    this.idHashes[seq] = entry.idHash;
    this.runStarts[seq] = parent !== 0 && parent === seq - 1 ? this.runStarts[parent]! : seq;
    if (this.hasChild[parent]) {
      let children = this.forks.get(parent);
      if (!children) {
        // Its one child so far is the only message after it with this parent; a new branch is rare enough to look.
        children = [this.firstChildAfter(parent)];
        this.forks.set(parent, children);
      }
      children.push(seq);
    }
    this.hasChild[parent] = 1;
    this.count = seq;
  }

  private firstChildAfter(parent: number): number {
    for (let seq = parent + 1; seq <= this.count; seq++) if (this.parents[seq] === parent) return seq;
    throw new Error(`message ${parent} has no child`);
  }

  private grow(capacity: number): void {
    const grow32 = (from: Uint32Array) => {
      const to = new Uint32Array(capacity);
      to.set(from);
      return to;
    };
    this.parents = grow32(this.parents);
    this.depths = grow32(this.depths);
    this.idHashes = grow32(this.idHashes);
    this.runStarts = grow32(this.runStarts);
    const flags = new Uint8Array(capacity);
    flags.set(this.hasChild);
    this.hasChild = flags;
  }

  /** The hash of message `seq`'s id (see messageIdHash). */
  idHashOf(seq: number): number {
    return this.idHashes[seq]!;
  }

  parentOf(seq: number): number {
    return this.parents[seq]!;
  }

  /** Its place on its path: 1 for a first message (0 for none). */
  depthOf(seq: number): number {
    return seq >= 1 && seq <= this.count ? this.depths[seq]! : 0;
  }

  childCount(seq: number): number {
    return this.forks.get(seq)?.length ?? this.hasChild[seq]!;
  }

  /** The messages sharing `seq`'s parent, itself included, in sequence order. */
  siblingsOf(seq: number): number[] {
    return this.forks.get(this.parents[seq]!) ?? [seq];
  }

  /**
   * The newest message among `seq` and every message below it, however far down: a leaf (nothing newer can follow
   * it), the one written last in that part of the tree. Usually the newest message of all is below `seq` (it is on
   * the branch being written), found by walking up from it; otherwise one pass from the newest message back fills a
   * table of every message's newest descendant, kept until the tree grows.
   */
  newestUnder(seq: number): number {
    if (seq < 1 || seq > this.count || !this.hasChild[seq]) return seq;
    const depth = this.depths[seq]!;
    const onNewest = this.path(this.count, depth, depth)[0];
    if (onNewest !== undefined && onNewest[0] === seq) return this.count;
    if (this.newestBelow?.length !== this.count + 1) {
      const newest = new Uint32Array(this.count + 1);
      for (let s = this.count; s >= 1; s--) {
        if (newest[s] === 0) newest[s] = s;
        const parent = this.parents[s]!;
        if (newest[parent]! < newest[s]!) newest[parent] = newest[s]!;
      }
      this.newestBelow = newest;
    }
    return this.newestBelow[seq]!;
  }

  /** Messages whose id hashes to `hash`, newest first (ids asked for are most often recent ones). */
  *withIdHash(hash: number): Generator<number> {
    for (let seq = this.count; seq >= 1; seq--) if (this.idHashes[seq] === hash) yield seq;
  }

  /**
   * The ancestors-or-self of `leaf` at depths `from`..`to`, oldest first, as runs of consecutive sequence numbers
   * (a conversation without branches is one run). Crosses the path a straight run at a time, so it costs the number
   * of branch points between the leaf and `from`, not the path's length.
   */
  path(leaf: number, from: number, to: number): [number, number][] {
    const { depths, parents, runStarts } = this;
    let seq = leaf;
    // Up to the message at depth `to`.
    while (seq !== 0 && depths[seq]! > to) {
      const start = runStarts[seq]!;
      if (depths[start]! <= to) seq -= depths[seq]! - to;
      else seq = parents[start]!;
    }
    // Then down to depth `from`, a run at a time (collected newest first).
    const runs: [number, number][] = [];
    while (seq !== 0 && depths[seq]! >= from) {
      const start = runStarts[seq]!;
      const lowest = Math.max(start, seq - (depths[seq]! - from));
      const newer = runs.at(-1);
      if (newer && newer[0] === seq + 1) newer[0] = lowest;
      else runs.push([lowest, seq]);
      seq = lowest === start ? parents[start]! : 0;
    }
    return runs.reverse();
  }
}
