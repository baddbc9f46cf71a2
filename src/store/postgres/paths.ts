// Reading windows of paths through conversation trees: two statements for any number of requests. The first finds
// each path's leaf and length (its depth); the second walks each path from its leaf run by run (a run: messages each
// following the one written just before it, see migration 2) and reads only the window's rows by primary key, so a
// page costs its size and the number of branch points above it, not the length of the conversation.
import type pg from 'pg';
import type { BranchPage, BranchRequest } from '../store.js';
import { toMessage } from './rows.js';

const LEAVES = `
  SELECT r.i, s.id IS NOT NULL AS has_session, r.leaf_id IS NULL OR n.seq IS NOT NULL AS has_leaf, coalesce(m.seq, 0) AS seq, m.id, coalesce(m.depth, 0) AS depth
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS r(project_id, session_id, leaf_id, i)
  LEFT JOIN sessions s ON s.project_id = r.project_id AND s.id = r.session_id AND s.deleted_at IS NULL
  LEFT JOIN messages n ON r.leaf_id IS NOT NULL AND n.project_id = r.project_id AND n.session_id = r.session_id AND n.id = r.leaf_id
  LEFT JOIN messages m ON s.id IS NOT NULL AND m.project_id = r.project_id AND m.session_id = r.session_id
    AND m.seq = CASE WHEN r.leaf_id IS NULL THEN s.active_leaf_seq ELSE n.seq END`;

const WINDOWS = `
  WITH RECURSIVE req AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[]) AS r(project_id, session_id, leaf, lo, hi, i)
  ), runs AS (
    SELECT r.i, r.project_id, r.session_id, r.lo, r.hi, m.run_start, m.seq AS run_end, m.depth AS end_depth, m.run_parent
    FROM req r JOIN messages m ON m.project_id = r.project_id AND m.session_id = r.session_id AND m.seq = r.leaf
    UNION ALL
    SELECT u.i, u.project_id, u.session_id, u.lo, u.hi, m.run_start, m.seq, m.depth, m.run_parent
    FROM runs u JOIN messages m ON m.project_id = u.project_id AND m.session_id = u.session_id AND m.seq = u.run_parent
    WHERE u.end_depth - (u.run_end - u.run_start) > u.lo
  )
  SELECT m.*, u.i FROM runs u
  JOIN messages m ON m.project_id = u.project_id AND m.session_id = u.session_id
    AND m.seq BETWEEN greatest(u.run_start, u.run_end - (u.end_depth - u.lo)) AND least(u.run_end, u.run_end - (u.end_depth - u.hi))
  ORDER BY u.i, m.depth`;

/** The windows the requests ask for, in request order (null where the session or the named leaf is missing). */
export async function readPaths(pool: pg.Pool, requests: readonly BranchRequest[]): Promise<(BranchPage | null)[]> {
  const { rows: leaves } = await pool.query(LEAVES, [requests.map((r) => r.projectId), requests.map((r) => r.sessionId), requests.map((r) => r.leafId), requests.map((_, i) => i)]);
  const pages: (BranchPage | null)[] = requests.map(() => null);
  const reads: { request: BranchRequest; leaf: number; from: number; to: number; i: number }[] = [];
  for (const row of leaves) {
    const i = row.i as number;
    if (!row.has_session || !row.has_leaf) continue;
    const length = row.depth as number;
    const window = requests[i]!.window(length);
    const from = Math.max(1, window.from);
    const to = Math.min(length, window.to);
    pages[i] = { messages: [], from, length, leafId: (row.id as string | null) ?? null };
    if (from <= to) reads.push({ request: requests[i]!, leaf: row.seq as number, from, to, i });
  }
  if (reads.length === 0) return pages;
  const { rows } = await pool.query(WINDOWS, [
    reads.map((r) => r.request.projectId),
    reads.map((r) => r.request.sessionId),
    reads.map((r) => r.leaf),
    reads.map((r) => r.from),
    reads.map((r) => r.to),
    reads.map((r) => r.i),
  ]);
  for (const row of rows) pages[row.i as number]!.messages.push(toMessage(row));
  return pages;
}
