// Reading windows of paths through conversation trees: two statements for any number of requests. The first finds
// each path's leaf and length (its depth); the second walks each path from its leaf run by run (a run: messages each
// following the one written just before it, see migration 2) and reads only the window's rows by primary key, so a
// page costs its size and the number of branch points above it, not the length of the conversation.
import type pg from 'pg';
import type { BranchPage, BranchRequest, MessageRef } from '../store.js';
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

// The newest message at or below each named one. Usually the session's newest message is below it (it is on the
// branch being written): its ancestor at the named message's depth is found by walking up a run at a time. Otherwise
// the named message's part of the tree is walked down, child by child (messages_by_parent), and its newest taken.
const ON_NEWEST = `
  WITH RECURSIVE req AS (
    SELECT r.i, r.project_id, r.session_id, r.seq, x.depth AS x_depth, s.message_count AS newest
    FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS r(project_id, session_id, seq, i)
    JOIN sessions s ON s.project_id = r.project_id AND s.id = r.session_id AND s.deleted_at IS NULL
    JOIN messages x ON x.project_id = r.project_id AND x.session_id = r.session_id AND x.seq = r.seq
  ), up AS (
    SELECT q.i, q.project_id, q.session_id, q.x_depth, m.seq, m.depth, m.run_start, m.run_parent
    FROM req q JOIN messages m ON m.project_id = q.project_id AND m.session_id = q.session_id AND m.seq = q.newest
    UNION ALL
    SELECT u.i, u.project_id, u.session_id, u.x_depth, m.seq, m.depth, m.run_start, m.run_parent
    FROM up u JOIN messages m ON m.project_id = u.project_id AND m.session_id = u.session_id AND m.seq = u.run_parent
    WHERE u.depth - (u.seq - u.run_start) > u.x_depth
  )
  SELECT q.i, q.newest, n.id AS newest_id, a.seq - (a.depth - q.x_depth) AS ancestor
  FROM req q
  JOIN messages n ON n.project_id = q.project_id AND n.session_id = q.session_id AND n.seq = q.newest
  LEFT JOIN up a ON a.i = q.i AND a.depth >= q.x_depth AND a.depth - (a.seq - a.run_start) <= q.x_depth`;

const DOWN = `
  WITH RECURSIVE down AS (
    SELECT r.i, r.project_id, r.session_id, r.seq
    FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS r(project_id, session_id, seq, i)
    UNION ALL
    SELECT d.i, d.project_id, d.session_id, c.seq
    FROM down d JOIN messages c ON c.project_id = d.project_id AND c.session_id = d.session_id AND c.parent_seq = d.seq
  ), newest AS (
    SELECT i, project_id, session_id, max(seq) AS seq FROM down GROUP BY i, project_id, session_id
  )
  SELECT w.i, m.id FROM newest w JOIN messages m ON m.project_id = w.project_id AND m.session_id = w.session_id AND m.seq = w.seq`;

/** For each message, the id of the newest message at or below it; null where the session is gone or the message not in it. */
export async function readNewestLeaves(pool: pg.Pool, refs: readonly MessageRef[]): Promise<(string | null)[]> {
  const out: (string | null)[] = refs.map(() => null);
  const { rows } = await pool.query(ON_NEWEST, [refs.map((r) => r.projectId), refs.map((r) => r.sessionId), refs.map((r) => r.sequence), refs.map((_, i) => i)]);
  const below: { ref: MessageRef; i: number }[] = [];
  for (const row of rows) {
    const i = row.i as number;
    if (row.ancestor === refs[i]!.sequence) out[i] = row.newest_id as string;
    else below.push({ ref: refs[i]!, i });
  }
  if (below.length === 0) return out;
  const { rows: found } = await pool.query(DOWN, [below.map((b) => b.ref.projectId), below.map((b) => b.ref.sessionId), below.map((b) => b.ref.sequence), below.map((b) => b.i)]);
  for (const row of found) out[row.i as number] = row.id as string;
  return out;
}
