// One transaction for a batch of appends to any number of sessions: every session's row lock, taken in one fixed
// order (so that two batches, on any replicas, can never deadlock), then one lookup of repeated client ids, and one
// statement that inserts the messages and their search rows and updates the sessions' counters and leaves (each
// round trip costs the server a socket write and a wake-up of the database). Each session's messages follow its
// message_count without a gap, as they would one at a time, and each follows its session's active leaf as it is by
// then (or its named parent) and becomes the leaf.
import type pg from 'pg';
import { NotFoundError } from '../../domain/errors.js';
import { type AppendResult, FOLLOW_LEAF, type Message, type MessageDraft } from '../../domain/message.js';
import type { Session, SessionKey } from '../../domain/session.js';
import { indexColumns, indexStatement } from './search.js';
import { childNode, INSERT_MESSAGES, LEAF_COLUMNS, leafValues, messageColumns, SESSION_COLUMNS, toLeaf, toMessage, toNode, toSession, type TreeNode } from './rows.js';

export interface AppendItem {
  key: SessionKey;
  draft: MessageDraft;
}

const keyString = (key: SessionKey) => `${key.projectId}\u0000${key.sessionId}`;

// Each session locked with its active leaf's place in the tree, which the next message follows.
const LOCKED = `${SESSION_COLUMNS}, ${LEAF_COLUMNS} FROM sessions`;

/** Each session's counters, last message and active leaf after a batch, its 14 parameters numbered from `$first`. */
const UPDATE_SESSIONS = (first: number) => {
  const p = (n: number) => `$${first + n}`;
  return `UPDATE sessions s SET updated_at = v.updated_at, message_count = v.message_count, last_message_at = v.last_message_at,
      user_count = v.user_count, assistant_count = v.assistant_count, system_count = v.system_count, tool_count = v.tool_count,
      active_leaf_id = v.active_leaf_id, active_leaf_seq = v.leaf_seq, active_leaf_depth = v.leaf_depth, active_leaf_run_start = v.leaf_run_start,
      active_leaf_run_parent = v.leaf_run_parent
    FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::timestamptz[], ${p(3)}::int[], ${p(4)}::timestamptz[], ${p(5)}::int[], ${p(6)}::int[], ${p(7)}::int[],
      ${p(8)}::int[], ${p(9)}::text[], ${p(10)}::int[], ${p(11)}::int[], ${p(12)}::int[], ${p(13)}::int[])
      AS v(project_id, id, updated_at, message_count, last_message_at, user_count, assistant_count, system_count, tool_count, active_leaf_id, leaf_seq, leaf_depth,
        leaf_run_start, leaf_run_parent)
    WHERE s.project_id = v.project_id AND s.id = v.id`;
};

/**
 * Inside a transaction: appends the items, returns one result per item in order (null where the session is gone, a
 * NotFoundError where the named parent is not in the session), and how many messages were added.
 */
export async function appendBatch(client: pg.PoolClient, items: readonly AppendItem[]): Promise<{ results: (AppendResult | Error | null)[]; added: number }> {
  const keys = [...new Map(items.map((i) => [keyString(i.key), i.key])).values()];
  // One session (a hot conversation, the common case) takes the plain primary-key statements: the unnest forms below
  // cost it ~20 % of its appends/s.
  const single = keys.length === 1 ? keys[0]! : null;
  const { rows: locked } = single
    ? await client.query(`SELECT ${LOCKED} WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`, [single.projectId, single.sessionId])
    : await client.query(
        `SELECT ${LOCKED} WHERE (project_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND deleted_at IS NULL
         ORDER BY project_id, id FOR UPDATE`,
        [keys.map((k) => k.projectId), keys.map((k) => k.sessionId)],
      );
  const sessions = new Map(locked.map((row) => [keyString({ projectId: row.project_id as string, sessionId: row.id as string }), toSession(row)]));
  const leaves = new Map(locked.map((row) => [keyString({ projectId: row.project_id as string, sessionId: row.id as string }), toLeaf(row)]));

  // Parents named by id, for every session of the batch at once.
  const naming = items.filter((i) => i.draft.parent?.kind === 'message' && sessions.has(keyString(i.key)));
  const named = new Map<string, TreeNode>();
  if (naming.length > 0) {
    const { rows } = await client.query(
      `SELECT m.seq, m.id, m.depth, m.run_start, m.run_parent, m.project_id, m.session_id
       FROM unnest($1::text[], $2::text[], $3::text[]) AS p(project_id, session_id, id) JOIN messages m USING (project_id, session_id, id)`,
      [naming.map((i) => i.key.projectId), naming.map((i) => i.key.sessionId), naming.map((i) => (i.draft.parent as { id: string }).id)],
    );
    for (const row of rows) named.set(`${keyString({ projectId: row.project_id as string, sessionId: row.session_id as string })}\u0000${row.id}`, toNode(row));
  }

  // Client ids already stored, for every session of the batch at once.
  const asked = items.filter((i) => i.draft.clientMessageId !== null && sessions.has(keyString(i.key)));
  const stored = new Map<string, Message>();
  if (asked.length > 0) {
    const { rows } = single
      ? await client.query('SELECT * FROM messages WHERE project_id = $1 AND session_id = $2 AND client_message_id = ANY($3::text[])', [
          single.projectId,
          single.sessionId,
          asked.map((i) => i.draft.clientMessageId),
        ])
      : await client.query(
          `SELECT m.* FROM unnest($1::text[], $2::text[], $3::text[]) AS c(project_id, session_id, client_message_id)
           JOIN messages m USING (project_id, session_id, client_message_id)`,
          [asked.map((i) => i.key.projectId), asked.map((i) => i.key.sessionId), asked.map((i) => i.draft.clientMessageId)],
        );
    for (const row of rows) stored.set(`${keyString({ projectId: row.project_id as string, sessionId: row.session_id as string })}\u0000${row.client_message_id}`, toMessage(row));
  }

  // Each item repeats a stored message, repeats one earlier in this batch, or is new: the next seq of its session.
  const now = new Date().toISOString();
  const next = new Map<string, Session>();
  const fresh: { key: SessionKey; draft: MessageDraft; seq: number; createdAt: string; node: TreeNode; parent: TreeNode | null }[] = [];
  const freshByClientId = new Map<string, number>();
  const outcomes = items.map((item): { earlier: Message } | { fresh: number; deduplicated: boolean } | { refused: Error } | null => {
    const k = keyString(item.key);
    const session = next.get(k) ?? sessions.get(k);
    if (!session) return null;
    const cid = item.draft.clientMessageId;
    const idKey = cid === null ? null : `${k}\u0000${cid}`;
    const earlier = idKey === null ? undefined : stored.get(idKey);
    if (earlier) return { earlier };
    const repeated = idKey === null ? undefined : freshByClientId.get(idKey);
    if (repeated !== undefined) return { fresh: repeated, deduplicated: true };
    const choice = item.draft.parent ?? FOLLOW_LEAF;
    let parent = choice.kind === 'root' ? null : (leaves.get(k) ?? null);
    if (choice.kind === 'message') {
      const found = named.get(`${k}\u0000${choice.id}`);
      if (!found) return { refused: NotFoundError.message(item.key.sessionId, choice.id) };
      parent = found;
    }
    const createdAt = session.lastMessageAt !== null && session.lastMessageAt > now ? session.lastMessageAt : now;
    const seq = session.messageCount + 1;
    const node = childNode(seq, item.draft.id, parent);
    leaves.set(k, node);
    if (idKey !== null) freshByClientId.set(idKey, fresh.length);
    fresh.push({ key: item.key, draft: item.draft, seq, createdAt, node, parent });
    const messagesByRole = { ...session.messagesByRole, [item.draft.role]: session.messagesByRole[item.draft.role] + 1 };
    // biome-ignore lint/complexity/useMathMinMax: ISO strings, compared as strings (Math.max would give NaN)
    const updatedAt = createdAt > session.updatedAt ? createdAt : session.updatedAt;
    next.set(k, { ...session, messageCount: seq, messagesByRole, lastMessageAt: createdAt, updatedAt, activeLeafId: node.id });
    return { fresh: fresh.length - 1, deduplicated: false };
  });

  let inserted: Message[] = [];
  if (fresh.length > 0) {
    const rows = fresh.map((f) => ({
      message: {
        ...f.key,
        id: f.draft.id,
        sequence: f.seq,
        role: f.draft.role,
        content: f.draft.content,
        metadata: f.draft.metadata,
        createdAt: f.createdAt,
        clientMessageId: f.draft.clientMessageId,
        parentId: f.parent?.id ?? null,
        status: f.draft.streaming ? ('streaming' as const) : ('complete' as const),
        updatedAt: f.createdAt,
        chunkCount: 0,
      },
      node: f.node,
      parentSeq: f.parent?.seq ?? 0,
    }));
    const changed = [...next.values()];
    const messages = messageColumns(rows);
    const index = indexColumns(rows.map((r) => r.message));
    const sessionColumns = [
      changed.map((x) => x.projectId), changed.map((x) => x.id), changed.map((x) => x.updatedAt), changed.map((x) => x.messageCount), changed.map((x) => x.lastMessageAt),
      changed.map((x) => x.messagesByRole.user), changed.map((x) => x.messagesByRole.assistant), changed.map((x) => x.messagesByRole.system), changed.map((x) => x.messagesByRole.tool),
      changed.map((x) => x.activeLeafId),
      ...[0, 1, 2, 3].map((n) => changed.map((x) => leafValues(leaves.get(keyString({ projectId: x.projectId, sessionId: x.id })) ?? null)[n])),
    ];
    // One statement, one round trip: the messages, their search rows and their sessions' counters and leaves.
    const { rows: written } = await client.query(
      `WITH written AS (${INSERT_MESSAGES} RETURNING *),
         indexed AS (${indexStatement(messages.length + 1)}),
         counted AS (${UPDATE_SESSIONS(messages.length + index.length + 1)})
       SELECT * FROM written`,
      [...messages, ...index, ...sessionColumns],
    );
    const byPlace = new Map(written.map((row) => [`${keyString({ projectId: row.project_id as string, sessionId: row.session_id as string })}\u0000${row.seq}`, toMessage(row)]));
    inserted = fresh.map((f) => byPlace.get(`${keyString(f.key)}\u0000${f.seq}`)!);
  }
  // Every result carries its session as it is after the whole batch, as with one session's batch before.
  const results = items.map((item, i) => {
    const outcome = outcomes[i]!;
    if (outcome === null) return null;
    if ('refused' in outcome) return outcome.refused;
    const k = keyString(item.key);
    const session = next.get(k) ?? sessions.get(k)!;
    return 'earlier' in outcome ? { message: outcome.earlier, session, deduplicated: true } : { message: inserted[outcome.fresh]!, session, deduplicated: outcome.deduplicated };
  });
  return { results, added: fresh.length };
}
