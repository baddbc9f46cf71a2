// Streamed messages on PostgreSQL (see migration 3): chunks as rows of message_chunks, written for many streams in
// one transaction (group commit), each stream ordered by its message row's lock; finishing writes the content whole.
import type pg from 'pg';
import { NotFoundError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { SessionKey } from '../../domain/session.js';
import type { ChunkResult, ChunkWrite, FinishRequest, FinishResult, MessageKey, StoredChunks } from '../store.js';
import { checkChunk, checkFinish, chunksOfContent, laterTime } from '../stream-rules.js';
import { toMessage } from './rows.js';
import { indexMessages } from './search.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The message row `m` belongs to a live session (not one in the trash). */
const LIVE = 'EXISTS (SELECT 1 FROM sessions s WHERE s.project_id = m.project_id AND s.id = m.session_id AND s.deleted_at IS NULL)';

const placeOf = (m: { projectId: string; sessionId: string; sequence: number }) => `${m.projectId}\u0000${m.sessionId}\u0000${m.sequence}`;
const keyOf = (k: MessageKey) => `${k.projectId}\u0000${k.sessionId}\u0000${k.messageId}`;

/**
 * The chunks (their text joined) of the STREAMING messages given, up to each one's chunk count; a message whose
 * chunks are not all there any more (finished meanwhile: its chunk rows are gone) is left out.
 */
async function chunkTexts(db: Queryable, messages: readonly Message[]): Promise<Map<string, string>> {
  const streaming = messages.filter((m) => m.status === 'streaming' && m.chunkCount > 0);
  if (streaming.length === 0) return new Map();
  const { rows } = await db.query(
    `SELECT r.project_id, r.session_id, r.seq, string_agg(c.chunk, '' ORDER BY c.idx) AS text, count(*)::int = min(r.chunk_count) AS whole
     FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS r(project_id, session_id, seq, chunk_count)
     JOIN message_chunks c ON c.project_id = r.project_id AND c.session_id = r.session_id AND c.seq = r.seq AND c.idx < r.chunk_count
     GROUP BY r.project_id, r.session_id, r.seq`,
    [streaming.map((m) => m.projectId), streaming.map((m) => m.sessionId), streaming.map((m) => m.sequence), streaming.map((m) => m.chunkCount)],
  );
  const texts = new Map<string, string>();
  for (const row of rows) if (row.whole) texts.set(`${row.project_id}\u0000${row.session_id}\u0000${row.seq}`, row.text as string);
  return texts;
}

/**
 * Messages as readers should see them: a STREAMING one with the chunks received so far. One that was finished
 * between the two reads (its chunks gone) is read again, whole.
 */
export async function withChunks(db: Queryable, messages: Message[]): Promise<Message[]> {
  const pending = (m: Message) => m.status === 'streaming' && m.chunkCount > 0;
  if (!messages.some(pending)) return messages;
  const texts = await chunkTexts(db, messages);
  const stale = messages.filter((m) => pending(m) && !texts.has(placeOf(m)));
  const reread = new Map<string, Message>();
  if (stale.length > 0) {
    const { rows } = await db.query(
      `SELECT m.* FROM unnest($1::text[], $2::text[], $3::int[]) AS r(project_id, session_id, seq)
       JOIN messages m USING (project_id, session_id, seq)`,
      [stale.map((m) => m.projectId), stale.map((m) => m.sessionId), stale.map((m) => m.sequence)],
    );
    for (const m of await withChunks(db, rows.map(toMessage))) reread.set(placeOf(m), m);
  }
  return messages.map((m) => {
    if (!pending(m)) return m;
    const text = texts.get(placeOf(m));
    return text !== undefined ? { ...m, content: m.content + text } : (reread.get(placeOf(m)) ?? m);
  });
}

/** Whether a session exists (to tell a missing session, null, from a missing message, NotFoundError). */
async function sessionExists(db: Queryable, key: SessionKey): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM sessions WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL', [key.projectId, key.sessionId]);
  return (rowCount ?? 0) > 0;
}

/**
 * The chunks received so far of the streams this replica writes (their text joined, and how many), so that a chunk
 * does not make the database join every chunk before it again: a stream whose row says more chunks than remembered
 * (another replica wrote some) is read again. Bounded; the least recently used streams are forgotten first.
 */
export class StreamTexts {
  private readonly texts = new Map<string, { chunkCount: number; text: string }>();

  constructor(private readonly max = 1000) {}

  get(key: MessageKey, chunkCount: number): string | undefined {
    const known = this.texts.get(keyOf(key));
    return known?.chunkCount === chunkCount ? known.text : undefined;
  }

  set(key: MessageKey, chunkCount: number, text: string): void {
    const k = keyOf(key);
    this.texts.delete(k);
    this.texts.set(k, { chunkCount, text });
    if (this.texts.size > this.max) this.texts.delete(this.texts.keys().next().value!);
  }

  forget(key: MessageKey): void {
    this.texts.delete(keyOf(key));
  }
}

/**
 * Inside a transaction: stores a batch of chunks of any number of streams. Message rows are locked in one fixed order
 * (no deadlock between replicas); each chunk is checked against its stream as the chunks before it in the batch
 * left it; accepted chunks go in with one insert and the messages' counters with one update.
 */
export async function appendChunks(
  client: pg.PoolClient,
  writes: readonly ChunkWrite[],
  known: StreamTexts,
): Promise<{ results: (ChunkResult | Error | null)[]; remember: () => void }> {
  const keys = [...new Map(writes.map((w) => [keyOf(w), w])).values()];
  const { rows } = await client.query(
    `SELECT m.* FROM messages m JOIN unnest($1::text[], $2::text[], $3::text[]) AS r(project_id, session_id, id) USING (project_id, session_id, id)
     WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.project_id = m.project_id AND s.id = m.session_id AND s.deleted_at IS NULL)
     ORDER BY m.project_id, m.session_id, m.seq FOR UPDATE OF m`,
    [keys.map((k) => k.projectId), keys.map((k) => k.sessionId), keys.map((k) => k.messageId)],
  );
  const locked = rows.map((row) => ({ message: toMessage(row), bytes: row.content_bytes as number }));
  const remembered = (m: Message) => (m.status === 'streaming' ? known.get({ ...m, messageId: m.id }, m.chunkCount) : undefined);
  const texts = await chunkTexts(client, locked.map((l) => l.message).filter((m) => remembered(m) === undefined));
  const states = new Map(
    locked.map((l) => {
      const text = remembered(l.message) ?? texts.get(placeOf(l.message)) ?? '';
      return [keyOf({ ...l.message, messageId: l.message.id }), { message: { ...l.message, content: l.message.content + text }, bytes: l.bytes, initial: l.message.content.length }];
    }),
  );
  const now = new Date().toISOString();
  const added: { write: ChunkWrite; seq: number }[] = [];
  const changed = new Set<{ message: Message; bytes: number; initial: number }>();
  const results: (ChunkResult | Error | null)[] = [];
  for (const write of writes) {
    const state = states.get(keyOf(write));
    if (!state) {
      results.push((await sessionExists(client, write)) ? NotFoundError.message(write.sessionId, write.messageId) : null);
      continue;
    }
    try {
      if (checkChunk(state.message, write.index, write.chunk, state.bytes, write.maxBytes) === 'repeat') {
        results.push({ message: state.message, appended: false });
        continue;
      }
    } catch (error) {
      results.push(error as Error);
      continue;
    }
    const updatedAt = laterTime(now, state.message.updatedAt);
    state.message = { ...state.message, content: state.message.content + write.chunk, chunkCount: state.message.chunkCount + 1, updatedAt };
    state.bytes += Buffer.byteLength(write.chunk, 'utf8');
    added.push({ write, seq: state.message.sequence });
    changed.add(state);
    results.push({ message: state.message, appended: true });
  }
  if (added.length > 0) {
    await client.query(
      `INSERT INTO message_chunks (project_id, session_id, seq, idx, chunk) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[])`,
      [added.map((a) => a.write.projectId), added.map((a) => a.write.sessionId), added.map((a) => a.seq), added.map((a) => a.write.index), added.map((a) => a.write.chunk)],
    );
    const list = [...changed];
    await client.query(
      `UPDATE messages m SET chunk_count = v.chunk_count, updated_at = v.updated_at, content_bytes = v.content_bytes
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::timestamptz[], $6::int[]) AS v(project_id, session_id, seq, chunk_count, updated_at, content_bytes)
       WHERE m.project_id = v.project_id AND m.session_id = v.session_id AND m.seq = v.seq`,
      [
        list.map((s) => s.message.projectId),
        list.map((s) => s.message.sessionId),
        list.map((s) => s.message.sequence),
        list.map((s) => s.message.chunkCount),
        list.map((s) => s.message.updatedAt),
        list.map((s) => s.bytes),
      ],
    );
  }
  // To be remembered once this transaction commits (the caller's turn), never for a batch rolled back.
  const remember = () => {
    for (const state of changed) known.set({ ...state.message, messageId: state.message.id }, state.message.chunkCount, state.message.content.slice(state.initial));
  };
  return { results, remember };
}

/** The message row, locked; null when the session is gone; NotFoundError when the message is not in it. */
async function lockMessage(client: pg.PoolClient, key: MessageKey): Promise<{ message: Message; chunks: string[]; lengths: number[] } | null> {
  const { rows } = await client.query(`SELECT * FROM messages m WHERE project_id = $1 AND session_id = $2 AND id = $3 AND ${LIVE} FOR UPDATE`, [key.projectId, key.sessionId, key.messageId]);
  if (!rows[0]) {
    if (await sessionExists(client, key)) throw NotFoundError.message(key.sessionId, key.messageId);
    return null;
  }
  const message = toMessage(rows[0]);
  const lengths = (rows[0].chunk_lengths as number[] | null) ?? [];
  if (message.status !== 'streaming') return { message, chunks: [], lengths };
  const { rows: chunks } = await client.query('SELECT chunk FROM message_chunks WHERE project_id = $1 AND session_id = $2 AND seq = $3 AND idx < $4 ORDER BY idx', [
    key.projectId,
    key.sessionId,
    message.sequence,
    message.chunkCount,
  ]);
  const texts = chunks.map((c) => c.chunk as string);
  return { message: { ...message, content: message.content + texts.join('') }, chunks: texts, lengths };
}

/** Inside a transaction: ends a stream (with `idleSince`, only if it has had no chunk since then; else null). */
export async function finishStream(client: pg.PoolClient, request: FinishRequest, idleSince?: number): Promise<FinishResult | null> {
  const found = await lockMessage(client, request);
  if (!found) return null;
  const { message, chunks } = found;
  if (checkFinish(message, request.status) === 'same') return { message, changed: false };
  if (idleSince !== undefined && Date.parse(message.updatedAt) >= idleSince) return null;
  const now = new Date().toISOString();
  const final: Message = {
    ...message,
    status: request.status,
    metadata: { ...message.metadata, ...request.metadata },
    updatedAt: laterTime(now, message.updatedAt),
  };
  await client.query(
    `UPDATE messages SET content = $4, status = $5, metadata = $6, updated_at = $7, chunk_lengths = $8, content_bytes = 0
     WHERE project_id = $1 AND session_id = $2 AND seq = $3`,
    [request.projectId, request.sessionId, message.sequence, final.content, final.status, JSON.stringify(final.metadata), final.updatedAt, JSON.stringify(chunks.map((c) => c.length))],
  );
  await client.query('DELETE FROM message_chunks WHERE project_id = $1 AND session_id = $2 AND seq = $3', [request.projectId, request.sessionId, message.sequence]);
  await indexMessages(client, [final]);
  return { message: final, changed: true };
}

/** A message and its chunks after `afterIndex`. */
export async function readStreamChunks(db: Queryable, key: MessageKey, afterIndex: number): Promise<StoredChunks | null> {
  const { rows } = await db.query(`SELECT * FROM messages m WHERE project_id = $1 AND session_id = $2 AND id = $3 AND ${LIVE}`, [key.projectId, key.sessionId, key.messageId]);
  if (!rows[0]) {
    if (await sessionExists(db, key)) throw NotFoundError.message(key.sessionId, key.messageId);
    return null;
  }
  const stored = toMessage(rows[0]);
  if (stored.status === 'streaming') {
    const { rows: chunks } = await db.query('SELECT idx, chunk FROM message_chunks WHERE project_id = $1 AND session_id = $2 AND seq = $3 AND idx < $4 ORDER BY idx', [
      key.projectId,
      key.sessionId,
      stored.sequence,
      stored.chunkCount,
    ]);
    // Finished between the two reads: its chunks are gone, its content is whole.
    if (chunks.length === stored.chunkCount) {
      const message = { ...stored, content: stored.content + chunks.map((c) => c.chunk as string).join('') };
      return { message, chunks: chunks.filter((c) => (c.idx as number) > afterIndex).map((c) => ({ index: c.idx as number, chunk: c.chunk as string })) };
    }
    return readStreamChunks(db, key, afterIndex);
  }
  return { message: stored, chunks: chunksOfContent(stored.content, (rows[0].chunk_lengths as number[] | null) ?? [], afterIndex) };
}

/** STREAMING messages with no chunk since `idleSince`, oldest first (at most `limit`). */
export async function idleStreams(db: Queryable, idleSince: number, limit: number): Promise<MessageKey[]> {
  const { rows } = await db.query("SELECT project_id, session_id, id FROM messages WHERE status = 'streaming' AND updated_at < $1 ORDER BY updated_at LIMIT $2", [
    new Date(idleSince).toISOString(),
    limit,
  ]);
  return rows.map((row) => ({ projectId: row.project_id as string, sessionId: row.session_id as string, messageId: row.id as string }));
}
