// What one group commit of a session writes: for each waiting append, a new record (its seq, time and parent), the
// message a repeated clientMessageId already names, or why it is refused. New records follow the active leaf as it
// stands after the ones before them in the batch (or their named parent), so appends racing each other form a chain.
import { NotFoundError } from '../../domain/errors.js';
import { FOLLOW_LEAF, type Message } from '../../domain/message.js';
import type { MessageLog } from './message-log.js';
import type { StoredMessage } from './record-codec.js';
import type { PendingAppend, SessionEntry } from './session-entry.js';

/** Per append: a stored message or the seq of a record of this batch (deduplicated or not), or a refusal. */
export type AppendOutcome = { earlier: Message | number; deduplicated: boolean } | { refused: Error };

export interface AppendPlan {
  records: StoredMessage[];
  outcomes: AppendOutcome[];
  /** The active leaf once the records are written. */
  leaf: { seq: number; id: string | null };
}

export async function planAppends(entry: SessionEntry, log: MessageLog, batch: readonly PendingAppend[], createdAt: string): Promise<AppendPlan> {
  const records: StoredMessage[] = [];
  const inBatch = new Map<string, number>();
  let leaf = { seq: entry.activeLeafSeq, id: entry.session.activeLeafId };
  const outcomes: AppendOutcome[] = [];
  for (const { draft } of batch) {
    const cid = draft.clientMessageId;
    const earlier = cid === null ? null : (inBatch.get(cid) ?? (await log.findClientId(cid)));
    if (earlier !== null && earlier !== undefined) {
      outcomes.push({ earlier, deduplicated: true });
      continue;
    }
    const choice = draft.parent ?? FOLLOW_LEAF;
    let parent = leaf;
    if (choice.kind === 'root') parent = { seq: 0, id: null };
    else if (choice.kind === 'message') {
      const named = await log.findMessage(choice.id);
      if (!named) {
        outcomes.push({ refused: NotFoundError.message(entry.key.sessionId, choice.id) });
        continue;
      }
      parent = { seq: named.sequence, id: named.id };
    }
    // Field by field: a copy of the draft by rest and spread cost more than the rest of planning an append together.
    const record: StoredMessage = {
      seq: log.count + records.length + 1,
      id: draft.id,
      role: draft.role,
      content: draft.content,
      metadata: draft.metadata,
      createdAt,
      clientMessageId: draft.clientMessageId,
      parent: parent.seq,
      parentId: parent.id,
    };
    if (draft.streaming) record.status = 'streaming';
    records.push(record);
    leaf = { seq: record.seq, id: record.id };
    if (cid !== null) inBatch.set(cid, record.seq);
    outcomes.push({ earlier: record.seq, deduplicated: false });
  }
  return { records, outcomes, leaf };
}
