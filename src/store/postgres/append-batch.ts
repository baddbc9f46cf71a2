// One transaction for a batch of appends to any number of sessions: every session's row lock, taken in one fixed
// order (so that two batches, on any replicas, can never deadlock), then one lookup of repeated client ids, one
// multi-row insert and one update of the sessions' counters. Each session's messages follow its message_count
// without a gap, as they would one at a time.
import type pg from 'pg';
import type { AppendResult, Message, MessageDraft } from '../../domain/message.js';
import type { Session, SessionKey } from '../../domain/session.js';
import { SESSION_COLUMNS, toMessage, toSession } from './rows.js';

export interface AppendItem {
  key: SessionKey;
  draft: MessageDraft;
}

const keyString = (key: SessionKey) => `${key.projectId}\u0000${key.sessionId}`;

/** Inside a transaction: appends the items, returns one result per item in order (null where the session is gone), and how many messages were added. */
export async function appendBatch(client: pg.PoolClient, items: readonly AppendItem[]): Promise<{ results: (AppendResult | null)[]; added: number }> {
  const keys = [...new Map(items.map((i) => [keyString(i.key), i.key])).values()];
  // One session (a hot conversation, the common case) takes the plain primary-key statements: the unnest forms below
  // cost it ~20 % of its appends/s.
  const single = keys.length === 1 ? keys[0]! : null;
  const { rows: locked } = single
    ? await client.query(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE project_id = $1 AND id = $2 FOR UPDATE`, [single.projectId, single.sessionId])
    : await client.query(
        `SELECT ${SESSION_COLUMNS} FROM sessions WHERE (project_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         ORDER BY project_id, id FOR UPDATE`,
        [keys.map((k) => k.projectId), keys.map((k) => k.sessionId)],
      );
  const sessions = new Map(locked.map((row) => [keyString({ projectId: row.project_id as string, sessionId: row.id as string }), toSession(row)]));

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
  const fresh: { key: SessionKey; draft: MessageDraft; seq: number; createdAt: string }[] = [];
  const freshByClientId = new Map<string, number>();
  const outcomes = items.map((item): { earlier: Message } | { fresh: number; deduplicated: boolean } | null => {
    const k = keyString(item.key);
    const session = next.get(k) ?? sessions.get(k);
    if (!session) return null;
    const cid = item.draft.clientMessageId;
    const idKey = cid === null ? null : `${k}\u0000${cid}`;
    const earlier = idKey === null ? undefined : stored.get(idKey);
    if (earlier) return { earlier };
    const repeated = idKey === null ? undefined : freshByClientId.get(idKey);
    if (repeated !== undefined) return { fresh: repeated, deduplicated: true };
    const createdAt = session.lastMessageAt !== null && session.lastMessageAt > now ? session.lastMessageAt : now;
    const seq = session.messageCount + 1;
    if (idKey !== null) freshByClientId.set(idKey, fresh.length);
    fresh.push({ key: item.key, draft: item.draft, seq, createdAt });
    const messagesByRole = { ...session.messagesByRole, [item.draft.role]: session.messagesByRole[item.draft.role] + 1 };
    // biome-ignore lint/complexity/useMathMinMax: ISO strings, compared as strings (Math.max would give NaN)
    const updatedAt = createdAt > session.updatedAt ? createdAt : session.updatedAt;
    next.set(k, { ...session, messageCount: seq, messagesByRole, lastMessageAt: createdAt, updatedAt });
    return { fresh: fresh.length - 1, deduplicated: false };
  });

  let inserted: Message[] = [];
  if (fresh.length > 0) {
    const { rows } = await client.query(
      `INSERT INTO messages (project_id, session_id, seq, id, role, content, metadata, created_at, client_message_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[], $9::text[])
       RETURNING *`,
      [fresh.map((f) => f.key.projectId), fresh.map((f) => f.key.sessionId), fresh.map((f) => f.seq), fresh.map((f) => f.draft.id),
        fresh.map((f) => f.draft.role), fresh.map((f) => f.draft.content), fresh.map((f) => JSON.stringify(f.draft.metadata)), fresh.map((f) => f.createdAt),
        fresh.map((f) => f.draft.clientMessageId)],
    );
    const byPlace = new Map(rows.map((row) => [`${keyString({ projectId: row.project_id as string, sessionId: row.session_id as string })}\u0000${row.seq}`, toMessage(row)]));
    inserted = fresh.map((f) => byPlace.get(`${keyString(f.key)}\u0000${f.seq}`)!);
    const changed = [...next.values()];
    const columns = (list: Session[]) => [
      list.map((x) => x.projectId), list.map((x) => x.id), list.map((x) => x.updatedAt), list.map((x) => x.messageCount), list.map((x) => x.lastMessageAt),
      list.map((x) => x.messagesByRole.user), list.map((x) => x.messagesByRole.assistant), list.map((x) => x.messagesByRole.system), list.map((x) => x.messagesByRole.tool),
    ];
    if (changed.length === 1) {
      await client.query(
        `UPDATE sessions SET updated_at = $3, message_count = $4, last_message_at = $5, user_count = $6, assistant_count = $7, system_count = $8, tool_count = $9
         WHERE project_id = $1 AND id = $2`,
        columns(changed).map((column) => column[0]),
      );
    } else {
      await client.query(
        `UPDATE sessions s SET updated_at = v.updated_at, message_count = v.message_count, last_message_at = v.last_message_at,
           user_count = v.user_count, assistant_count = v.assistant_count, system_count = v.system_count, tool_count = v.tool_count
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::timestamptz[], $6::int[], $7::int[], $8::int[], $9::int[])
           AS v(project_id, id, updated_at, message_count, last_message_at, user_count, assistant_count, system_count, tool_count)
         WHERE s.project_id = v.project_id AND s.id = v.id`,
        columns(changed),
      );
    }
  }
  // Every result carries its session as it is after the whole batch, as with one session's batch before.
  const results = items.map((item, i) => {
    const outcome = outcomes[i]!;
    if (outcome === null) return null;
    const k = keyString(item.key);
    const session = next.get(k) ?? sessions.get(k)!;
    return 'earlier' in outcome ? { message: outcome.earlier, session, deduplicated: true } : { message: inserted[outcome.fresh]!, session, deduplicated: outcome.deduplicated };
  });
  return { results, added: fresh.length };
}
