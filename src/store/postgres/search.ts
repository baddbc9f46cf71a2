// Full-text search on PostgreSQL: each finished message's words as a tsvector in message_search (GIN-indexed, with
// the role and time its filters need), each session's title words in sessions.title_search. The words are the
// service's (src/search/text.ts), given to PostgreSQL as tsvector and tsquery values built here with every lexeme
// quoted, so both stores split and fold text the same way and no user text is parsed as tsquery syntax.
import type { Message } from '../../domain/message.js';
import type { SearchExpression, SearchTerm } from '../../search/query.js';
import { wordListOf } from '../../search/text.js';
import type { SearchPage, SearchRequest } from '../store.js';

/** PostgreSQL keeps word positions up to this one (later ones count as this) and this many positions of a word. */
const MAX_POSITION = 16383;
const MAX_POSITIONS = 256;
/** A tsvector's words may not pass 1 MiB together; words past this are left out of it. */
const MAX_LEXEME_BYTES = 1_000_000;

interface Queryable {
  query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

function quote(word: string): string {
  return `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** The tsvector literal of a text: each of its words with the positions it stands at. */
export function tsvectorOf(text: string): string {
  const positions = new Map<string, number[]>();
  let bytes = 0;
  wordListOf(text).forEach((word, i) => {
    let list = positions.get(word);
    if (!list) {
      bytes += Buffer.byteLength(word);
      if (bytes > MAX_LEXEME_BYTES) return;
      list = [];
      positions.set(word, list);
    }
    if (list.length < MAX_POSITIONS) list.push(Math.min(i + 1, MAX_POSITION));
  });
  return [...positions].map(([word, list]) => `${quote(word)}:${[...new Set(list)].join(',')}`).join(' ');
}

function tsTerm(term: SearchTerm): string {
  const last = term.words.length - 1;
  const words = term.words.map((word, i) => (i === last && term.prefix ? `${quote(word)}:*` : quote(word)));
  return words.length === 1 ? words[0]! : `(${words.join(' <-> ')})`;
}

/** The tsquery literal of an expression. */
export function tsqueryOf(expression: SearchExpression): string {
  return [...expression.include.map(tsTerm), ...expression.exclude.map((term) => `!${tsTerm(term)}`)].join(' & ');
}

/**
 * The statement that indexes messages, its parameters numbered from `$first`: a statement of its own, or a
 * data-modifying part of a larger one (an append writes its messages, their index rows and its sessions at once).
 */
export function indexStatement(first: number): string {
  const p = (n: number) => `$${first + n}`;
  return `INSERT INTO message_search (project_id, session_id, seq, role, created_at, search)
     SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::int[], ${p(3)}::text[], ${p(4)}::timestamptz[], ${p(5)}::tsvector[])
     ON CONFLICT (project_id, session_id, seq) DO UPDATE SET search = excluded.search`;
}

/** indexStatement's parameters for the finished messages among `messages` (a streaming one is indexed when it finishes). */
export function indexColumns(messages: readonly Message[]): unknown[][] {
  const done = messages.filter((m) => m.status !== 'streaming');
  return [done.map((m) => m.projectId), done.map((m) => m.sessionId), done.map((m) => m.sequence), done.map((m) => m.role), done.map((m) => m.createdAt), done.map((m) => tsvectorOf(m.content))];
}

/** Indexes finished messages (a streaming one is indexed by the write that finishes it). */
export async function indexMessages(db: Queryable, messages: readonly Message[]): Promise<void> {
  const columns = indexColumns(messages);
  if (columns[0]!.length === 0) return;
  await db.query(indexStatement(1), columns);
}

/** Rows of messages and sessions of a project written before search existed, indexed a batch at a time. */
const BACKFILL_BATCH = 500;

/**
 * Indexes a batch of a project's messages and titles that are not indexed yet; returns how many it did (0: the
 * project is done, and no longer marked as catching up). Safe to run on several replicas at once.
 */
export async function backfillSearch(db: Queryable, projectId: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT m.project_id, m.session_id, m.seq, m.role, m.created_at, m.content FROM messages m
     WHERE m.project_id = $1 AND m.status <> 'streaming'
       AND NOT EXISTS (SELECT 1 FROM message_search x WHERE x.project_id = m.project_id AND x.session_id = m.session_id AND x.seq = m.seq)
     LIMIT ${BACKFILL_BATCH}`,
    [projectId],
  );
  if (rows.length > 0) {
    await indexMessages(
      db,
      rows.map((row) => ({ projectId: row.project_id, sessionId: row.session_id, sequence: row.seq, role: row.role, createdAt: (row.created_at as Date).toISOString(), content: row.content, status: 'complete' }) as Message),
    );
  }
  const titles = await db.query(`SELECT id, title FROM sessions WHERE project_id = $1 AND title_search IS NULL LIMIT ${BACKFILL_BATCH}`, [projectId]);
  if (titles.rows.length > 0) {
    await db.query(
      `UPDATE sessions s SET title_search = t.search FROM unnest($2::text[], $3::tsvector[]) AS t(id, search)
       WHERE s.project_id = $1 AND s.id = t.id AND s.title_search IS NULL`,
      [projectId, titles.rows.map((row) => row.id), titles.rows.map((row) => tsvectorOf(row.title as string))],
    );
  }
  const done = rows.length + titles.rows.length;
  if (done === 0) await db.query('DELETE FROM search_backfill WHERE project_id = $1', [projectId]);
  return done;
}

/** Projects with rows written before search existed. */
export async function projectsToBackfill(db: Queryable): Promise<string[]> {
  const { rows } = await db.query('SELECT project_id FROM search_backfill ORDER BY project_id');
  return rows.map((row) => row.project_id as string);
}

export async function isBackfilling(db: Queryable, projectId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM search_backfill WHERE project_id = $1', [projectId]);
  return rows.length > 0;
}

/** A page of hits: messages and titles of live sessions, ranked by ts_rank, ties newest first. */
export async function searchRows(db: Queryable, request: SearchRequest): Promise<SearchPage> {
  const { scope } = request;
  const values: unknown[] = [request.projectId, tsqueryOf(request.expression)];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const sessionWhere = ['s.project_id = $1', 's.deleted_at IS NULL'];
  if (!scope.includeInactive) sessionWhere.push('s.is_active');
  if (scope.sessionIds) sessionWhere.push(`s.id = ANY(${bind(scope.sessionIds)}::text[])`);
  const messageWhere = ['x.project_id = $1', 'x.search @@ q.query'];
  const titleWhere = ['s.title_search @@ q.query'];
  if (scope.roles) messageWhere.push(`x.role = ANY(${bind(scope.roles)}::text[])`);
  if (scope.since !== null) {
    const since = bind(scope.since);
    messageWhere.push(`x.created_at >= ${since}::timestamptz`);
    titleWhere.push(`s.created_at >= ${since}::timestamptz`);
  }
  if (scope.until !== null) {
    const until = bind(scope.until);
    messageWhere.push(`x.created_at < ${until}::timestamptz`);
    titleWhere.push(`s.created_at < ${until}::timestamptz`);
  }
  const limit = bind(request.limit + 1);
  const offset = bind(request.offset);
  const titles = scope.roles
    ? ''
    : `UNION ALL
       SELECT s.id AS session_id, 0 AS seq, s.created_at, ts_rank(s.title_search, q.query) AS score
       FROM sessions s, q WHERE ${[...sessionWhere, ...titleWhere].join(' AND ')}`;
  const { rows } = await db.query(
    `WITH q AS (SELECT $2::tsquery AS query)
     SELECT session_id, seq, score FROM (
       SELECT x.session_id, x.seq, x.created_at, ts_rank(x.search, q.query) AS score
       FROM message_search x JOIN sessions s ON s.project_id = x.project_id AND s.id = x.session_id, q
       WHERE ${[...messageWhere, ...sessionWhere].join(' AND ')}
       ${titles}
     ) hits
     ORDER BY score DESC, created_at DESC, session_id COLLATE "C" DESC, seq DESC
     LIMIT ${limit} OFFSET ${offset}`,
    values,
  );
  const matches = rows.slice(0, request.limit).map((row) => ({ sessionId: row.session_id as string, sequence: row.seq === 0 ? null : (row.seq as number), score: row.score as number }));
  return { matches, hasNextPage: rows.length > request.limit };
}
