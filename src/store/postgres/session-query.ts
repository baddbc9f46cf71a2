// sessionsPage and Project.tags in SQL: the filters and the keyset order of session-order.ts, compiled with every value
// bound. Sort keys compare as the in-memory store compares them: times as times, titles lowercased in code point order.
import type pg from 'pg';
import type { SessionPlace, SessionQuery, SessionsPage, TagCount } from '../store.js';
import { SESSION_COLUMNS, toSession } from './rows.js';

const KEYS = {
  updatedAt: { expression: 'updated_at', cast: 'timestamptz' },
  createdAt: { expression: 'created_at', cast: 'timestamptz' },
  // A session without messages sorts after every one with them (its key is '').
  lastMessageAt: { expression: "coalesce(last_message_at, '-infinity'::timestamptz)", cast: 'timestamptz' },
  title: { expression: 'lower(title) COLLATE "C"', cast: 'text' },
} as const;

export async function querySessions(pool: pg.Pool, query: SessionQuery): Promise<SessionsPage> {
  const values: unknown[] = [query.projectId];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = ['project_id = $1', 'deleted_at IS NULL'];
  const { filter } = query;
  if (filter.onlyInactive) where.push('NOT is_active');
  else if (!filter.includeInactive) where.push('is_active');
  if (filter.tags.length > 0) where.push(`tag_keys @> ${bind(filter.tags)}::text[]`);
  if (filter.pinned !== null) where.push(`pinned = ${bind(filter.pinned)}`);
  if (filter.mine) where.push(`created_by IS NOT DISTINCT FROM ${bind(filter.mine.createdBy)}`);
  if (filter.titleContains !== null) where.push(`strpos(lower(title), ${bind(filter.titleContains)}) > 0`);
  const matching = where.join(' AND ');
  const countValues = [...values];
  const key = KEYS[query.order];
  const direction = query.order === 'title' ? 'ASC' : 'DESC';
  const beyond = direction === 'ASC' ? '>' : '<';
  const keyset: string[] = [];
  if (query.after) keyset.push(afterPlace(query.after, query, key, beyond, bind));
  const order = `${query.pinnedFirst ? 'pinned DESC, ' : ''}${key.expression} ${direction}, id COLLATE "C" ${direction}`;
  const [page, total] = await Promise.all([
    pool.query(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${[matching, ...keyset].join(' AND ')} ORDER BY ${order} LIMIT ${bind(query.limit + 1)}`, values),
    pool.query(`SELECT count(*)::int AS n FROM sessions WHERE ${matching}`, countValues),
  ]);
  return { sessions: page.rows.slice(0, query.limit).map(toSession), totalCount: total.rows[0].n as number, hasNextPage: page.rows.length > query.limit };
}

function afterPlace(place: SessionPlace, query: SessionQuery, key: (typeof KEYS)[keyof typeof KEYS], beyond: string, bind: (value: unknown) => string): string {
  const keyValue = query.order === 'lastMessageAt' && place.key === '' ? '-infinity' : place.key;
  const k = `${bind(keyValue)}::${key.cast}${key.cast === 'text' ? ' COLLATE "C"' : ''}`;
  const id = `${bind(place.id)} COLLATE "C"`;
  const within = `(${key.expression} ${beyond} ${k} OR (${key.expression} = ${k} AND id COLLATE "C" ${beyond} ${id}))`;
  if (!query.pinnedFirst) return within;
  const pinned = bind(place.pinned);
  return `(pinned < ${pinned} OR (pinned = ${pinned} AND ${within}))`;
}

export async function tagCounts(pool: pg.Pool, projectId: string): Promise<TagCount[]> {
  const { rows } = await pool.query(
    `SELECT t.key, count(*)::int AS count, (array_agg(t.tag ORDER BY s.updated_at DESC, s.id COLLATE "C" DESC))[1] AS tag
     FROM sessions s, unnest(s.tags, s.tag_keys) AS t(tag, key)
     WHERE s.project_id = $1 AND s.deleted_at IS NULL
     GROUP BY t.key ORDER BY count(*) DESC, t.key COLLATE "C"`,
    [projectId],
  );
  return rows.map((row) => ({ tag: row.tag as string, count: row.count as number }));
}
