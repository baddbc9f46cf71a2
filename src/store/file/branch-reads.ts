// Reads along a session's tree through its open log: a window of the path to a leaf, and a message's neighbours.
import type { BranchPage, MessageLinks, MessageRef } from '../store.js';
import type { MessageLog } from './message-log.js';

/** The positions `window(length)` asks for on the path to `leaf`, clamped to the path (`length` its depth). */
function placeWindow(log: MessageLog, leaf: { seq: number }, window: (length: number) => { from: number; to: number }) {
  const length = log.tree.depthOf(leaf.seq);
  const wanted = window(length);
  return { length, from: Math.max(1, wanted.from), to: Math.min(length, wanted.to) };
}

/** The window `window(length)` of the path to `leaf` (seq 0 and id null: the empty path of a session without messages). */
export async function readWindow(log: MessageLog, leaf: { seq: number; id: string | null }, window: (length: number) => { from: number; to: number }): Promise<BranchPage> {
  const { length, from, to } = placeWindow(log, leaf, window);
  const messages = from <= to ? await log.readPath(leaf.seq, from, to) : [];
  return { messages, from, length, leafId: leaf.id };
}

/** `readWindow` answered from the log's in-memory tail without a promise hop, or null when part of it is not there. */
export function windowInTail(log: MessageLog, leaf: { seq: number; id: string | null }, window: (length: number) => { from: number; to: number }): BranchPage | null {
  const { length, from, to } = placeWindow(log, leaf, window);
  const messages = from <= to ? log.pathInTail(leaf.seq, from, to) : [];
  return messages && { messages, from, length, leafId: leaf.id };
}

/** A message's siblings (ids read only where it has any) and child count. */
export async function linksOf(log: MessageLog, ref: MessageRef): Promise<MessageLinks> {
  if (ref.sequence > log.tree.count) return { siblingIds: [], childCount: 0 };
  const siblings = log.tree.siblingsOf(ref.sequence);
  const siblingIds = await Promise.all(siblings.map((seq) => idAt(log, ref, seq)));
  return { siblingIds, childCount: log.tree.childCount(ref.sequence) };
}

/** The id of the newest message among `ref` and all below it (its own id when nothing follows it). */
export async function newestLeafOf(log: MessageLog, ref: MessageRef): Promise<string> {
  if (ref.sequence > log.tree.count) return ref.id;
  return idAt(log, ref, log.tree.newestUnder(ref.sequence));
}

/** The id of message `seq` (read only when it is not `ref` itself). */
async function idAt(log: MessageLog, ref: MessageRef, seq: number): Promise<string> {
  return seq === ref.sequence ? ref.id : (await log.read(seq, seq))[0]!.id;
}
