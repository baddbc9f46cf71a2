// The PostgreSQL store: several stateless replicas over one database. Each conditional write is one transaction
// holding the session's row lock, so appends from every replica form one gap-free sequence per session.
import pg from 'pg';
import type { Logger } from 'pino';
import { NotFoundError, SearchCatchingUpError, StoreUnavailableError } from '../../domain/errors.js';
import type { AppendResult, Message, MessageDraft } from '../../domain/message.js';
import { type RetentionPolicy, type Session, type SessionKey, type ShareLink, tagKey } from '../../domain/session.js';
import type { ProjectStats } from '../../domain/stats.js';
import type {
  SearchPage,
  SearchRequest,
  BranchPage,
  BranchRequest,
  ChatStore,
  ChunkResult,
  ChunkWrite,
  FinishRequest,
  FinishResult,
  ListSessionsOptions,
  MessageKey,
  MessageLinks,
  SessionQuery,
  SessionsPage,
  TagCount,
  TrashedSession,
  MessageRange,
  MessageRef,
  StoredChunks,
} from '../store.js';
import { settledForImport } from '../stream-rules.js';
import { backfillSearch, indexMessages, isBackfilling, projectsToBackfill, searchRows, tsvectorOf } from './search.js';
import { querySessions, tagCounts } from './session-query.js';
import { appendChunks, finishStream, idleStreams, readStreamChunks, StreamTexts, withChunks } from './streams.js';
import { GroupCommit } from '../group-commit.js';
import { appendChannel } from '../store-events.js';
import { type AppendItem, appendBatch } from './append-batch.js';
import { isConnectionFault } from './connection-faults.js';
import { migrate } from './migrations.js';
import { readNewestLeaves, readPaths } from './paths.js';
import {
  childNode,
  INSERT_MESSAGES,
  INSERT_SESSION,
  iso,
  LEAF_COLUMNS,
  leafValues,
  messageColumns,
  SESSION_COLUMNS,
  sessionValues,
  toMessage,
  toNode,
  toSession,
  type TreeNode,
} from './rows.js';

/** Append transactions one replica runs at once at most (each on a connection of its own; reads keep the rest of the pool). */
const APPEND_COMMITS_IN_FLIGHT = 4;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Most connections the pool opens (default 10). */
  poolSize?: number;
  /** Statement timeout in ms (default 10 000). */
  statementTimeoutMs?: number;
  /** Schema to keep the tables in (default: the connection's search path). */
  schema?: string;
  /** How long one attempt to connect may take (default 5 000 ms); every operation tries again while the database is down. */
  connectTimeoutMs?: number;
  /** Where the database going away and coming back is logged (once per outage). */
  logger?: Logger;
}

export class PostgresStore implements ChatStore {
  private readonly pool: pg.Pool;
  private ready: Promise<void> | null = null;
  private closed = false;
  private readonly logger: Logger | undefined;
  /** When the current outage began (the first operation that could not reach the database), or null. */
  private unavailableSince: number | null = null;

  constructor(options: PostgresStoreOptions) {
    this.logger = options.logger;
    const maxInFlight = Math.max(1, Math.min(APPEND_COMMITS_IN_FLIGHT, (options.poolSize ?? 10) - 2));
    this.appends = new GroupCommit((items) => this.commitAppends(items), { maxInFlight });
    this.chunks = new GroupCommit(
      async (writes) => {
        const { results, remember } = await this.transaction((client) => appendChunks(client, writes, this.streamTexts));
        remember();
        return results;
      },
      { maxInFlight },
    );
    // Nothing connects here: a replica starts while the database is still down, and the first operation connects.
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle connection that breaks (the database restarting) is dropped by the pool; the next operation reconnects.
    // Without a listener the pool's 'error' event would end the process.
    this.pool.on('error', () => undefined);
  }

  /** Applies migrations once; every operation waits for it. */
  private async init(): Promise<void> {
    this.ready ??= this.withClient((client) => migrate(client)).then(
      () => void this.backfill(),
      (error: unknown) => {
        this.ready = null;
        throw error;
      },
    );
    return this.ready;
  }

  private backfilling = false;
  private backfillRetry: NodeJS.Timeout | null = null;

  /** Indexes for search, in the background, what was written before search existed (see migration 8). */
  private async backfill(): Promise<void> {
    if (this.backfilling || this.closed) return;
    this.backfilling = true;
    try {
      for (const projectId of await projectsToBackfill(this.pool)) {
        let done = 0;
        for (let batch = 1; batch > 0 && !this.closed; done += batch) batch = await backfillSearch(this.pool, projectId);
        if (done > 0) this.logger?.info({ projectId, rows: done }, 'indexed for search what was written before search existed');
      }
    } catch (error) {
      if (this.closed) return;
      this.logger?.warn({ err: error }, 'indexing earlier data for search failed; it is tried again shortly');
      this.backfillRetry = setTimeout(() => void this.backfill(), 5000);
      this.backfillRetry.unref();
    } finally {
      this.backfilling = false;
    }
  }

  /**
   * Runs `op`, turning a lost or unreachable database into StoreUnavailableError (a retryable 503) and logging once
   * when an outage begins and once when it ends.
   */
  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      const result = await op();
      if (this.unavailableSince !== null) {
        this.logger?.info({ downMs: Date.now() - this.unavailableSince }, 'the database is reachable again');
        this.unavailableSince = null;
      }
      return result;
    } catch (error) {
      if (!isConnectionFault(error)) throw error;
      if (this.unavailableSince === null) {
        this.unavailableSince = Date.now();
        this.logger?.error({ err: error }, 'the database is unavailable; answering 503 until it is back');
      }
      throw new StoreUnavailableError({ cause: error });
    }
  }

  /**
   * A pooled client for `work`. A connection that ends while its client is checked out but between two queries makes
   * the client emit 'error', and with no listener that event would end the process: here it is noted, the next query
   * on the client fails (so the operation fails, its transaction never committed), and the client is released as
   * broken so the pool drops it.
   */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** One transaction; any failure (a lost connection included) rolls it back: nothing of it is ever half-applied. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      await this.init();
      return this.withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    });
  }

  /** A statement outside a transaction, with the database's faults turned into StoreUnavailableError. */
  private async query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    return this.guard(async () => {
      await this.init();
      return this.pool.query(text, values);
    });
  }

  private async lockSession(client: pg.PoolClient, key: SessionKey): Promise<Session | null> {
    const { rows } = await client.query(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`, [key.projectId, key.sessionId]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  private async writeSession(client: pg.PoolClient, s: Session): Promise<void> {
    await client.query(
      `UPDATE sessions SET title = $3, description = $4, metadata = $5, is_active = $6, updated_at = $7, version = $8,
         message_count = $9, last_message_at = $10, user_count = $11, assistant_count = $12, system_count = $13, tool_count = $14,
         pinned = $15, tags = $16, tag_keys = $17, title_search = $18
       WHERE project_id = $1 AND id = $2`,
      [s.projectId, s.id, s.title, s.description, JSON.stringify(s.metadata), s.isActive, s.updatedAt, s.version, s.messageCount, s.lastMessageAt,
        s.messagesByRole.user, s.messagesByRole.assistant, s.messagesByRole.system, s.messagesByRole.tool, s.pinned, s.tags, s.tags.map(tagKey), tsvectorOf(s.title)],
    );
  }

  async createSession(s: Session): Promise<void> {
    await this.query(INSERT_SESSION, sessionValues(s, null));
  }

  async getSessions(keys: readonly SessionKey[]): Promise<(Session | null)[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE (project_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND deleted_at IS NULL`,
      [keys.map((k) => k.projectId), keys.map((k) => k.sessionId)],
    );
    const found = new Map(rows.map((row) => [`${row.project_id}/${row.id}`, toSession(row)]));
    return keys.map((k) => found.get(`${k.projectId}/${k.sessionId}`) ?? null);
  }

  async listSessions(projectId: string, options: ListSessionsOptions): Promise<Session[]> {
    const { rows } = await this.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE project_id = $1 AND ($2 OR is_active) AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC`,
      [projectId, options.includeInactive],
    );
    return rows.map(toSession);
  }

  async querySessions(query: SessionQuery): Promise<SessionsPage> {
    return this.guard(async () => {
      await this.init();
      return querySessions(this.pool, query);
    });
  }

  async tagCounts(projectId: string): Promise<TagCount[]> {
    return this.guard(async () => {
      await this.init();
      return tagCounts(this.pool, projectId);
    });
  }

  async updateSession(key: SessionKey, change: (current: Session) => Session): Promise<Session | null> {
    return this.transaction(async (client) => {
      const current = await this.lockSession(client, key);
      if (!current) return null;
      const next = change(current);
      await this.writeSession(client, next);
      return next;
    });
  }

  async deleteSession(key: SessionKey, check: (current: Session) => void, toTrash?: { deletedAt: string }): Promise<boolean> {
    return this.transaction(async (client) => {
      const current = await this.lockSession(client, key);
      if (!current) return false;
      check(current);
      if (toTrash) await client.query('UPDATE sessions SET deleted_at = $3 WHERE project_id = $1 AND id = $2', [key.projectId, key.sessionId, toTrash.deletedAt]);
      else await client.query('DELETE FROM sessions WHERE project_id = $1 AND id = $2', [key.projectId, key.sessionId]);
      return true;
    });
  }

  async listTrash(projectId: string): Promise<TrashedSession[]> {
    const { rows } = await this.query(
      `SELECT ${SESSION_COLUMNS}, deleted_at FROM sessions WHERE project_id = $1 AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id COLLATE "C" DESC`,
      [projectId],
    );
    return rows.map((row) => ({ session: toSession(row), deletedAt: iso(row.deleted_at)! }));
  }

  async restoreSession(key: SessionKey): Promise<Session | null> {
    const { rows } = await this.query(
      `UPDATE sessions SET deleted_at = NULL WHERE project_id = $1 AND id = $2 AND deleted_at IS NOT NULL RETURNING ${SESSION_COLUMNS}`,
      [key.projectId, key.sessionId],
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  async createShareLink(link: ShareLink): Promise<void> {
    await this.query(
      'INSERT INTO share_links (id, project_id, session_id, leaf_id, token_hash, created_at, expires_at, created_by, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [link.id, link.projectId, link.sessionId, link.leafId, link.tokenHash, link.createdAt, link.expiresAt, link.createdBy, link.revokedAt],
    );
  }

  async findShareLink(tokenHash: string): Promise<ShareLink | null> {
    const { rows } = await this.query('SELECT * FROM share_links WHERE token_hash = $1', [tokenHash]);
    return rows[0] ? toShareLink(rows[0]) : null;
  }

  async listShareLinks(projectId: string): Promise<ShareLink[]> {
    const { rows } = await this.query('SELECT * FROM share_links WHERE project_id = $1 ORDER BY created_at DESC, id COLLATE "C" DESC', [projectId]);
    return rows.map(toShareLink);
  }

  async revokeShareLink(projectId: string, id: string, revokedAt: string): Promise<boolean> {
    const { rowCount } = await this.query('UPDATE share_links SET revoked_at = $3 WHERE project_id = $1 AND id = $2 AND revoked_at IS NULL', [projectId, id, revokedAt]);
    return (rowCount ?? 0) > 0;
  }

  async getRetention(projectId: string): Promise<RetentionPolicy | null> {
    const { rows } = await this.query('SELECT archived_days, inactive_days, trash_days FROM retention_policies WHERE project_id = $1', [projectId]);
    return rows[0] ? { archivedDays: rows[0].archived_days as number | null, inactiveDays: rows[0].inactive_days as number | null, trashDays: rows[0].trash_days as number } : null;
  }

  async setRetention(projectId: string, policy: RetentionPolicy): Promise<void> {
    await this.query(
      `INSERT INTO retention_policies (project_id, archived_days, inactive_days, trash_days) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id) DO UPDATE SET archived_days = $2, inactive_days = $3, trash_days = $4`,
      [projectId, policy.archivedDays, policy.inactiveDays, policy.trashDays],
    );
  }

  /** A session-level advisory lock on a connection of its own, held while `work` runs; taken by one replica at a time. */
  async exclusively<T>(name: string, work: () => Promise<T>): Promise<T | null> {
    return this.guard(async () => {
      await this.init();
      return this.withClient(async (client) => {
        const { rows } = await client.query('SELECT pg_try_advisory_lock(7406393, hashtext($1)) AS taken', [name]);
        if (!rows[0].taken) return null;
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock(7406393, hashtext($1))', [name]);
        }
      });
    });
  }

  async purgeSession(key: SessionKey): Promise<boolean> {
    const { rowCount } = await this.query('DELETE FROM sessions WHERE project_id = $1 AND id = $2 AND deleted_at IS NOT NULL', [key.projectId, key.sessionId]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * Concurrent appends from this replica share transactions, whatever their session (see append-batch.ts): while
   * commits run, the next batch gathers. A session's appends are never in two transactions at once, so they keep
   * their order; a few transactions may run together, each holding its own sessions' locks.
   */
  private readonly appends: GroupCommit<AppendItem, AppendResult | Error | null>;

  async appendMessage(key: SessionKey, draft: MessageDraft): Promise<AppendResult | null> {
    const result = await this.appends.add(`${key.projectId}/${key.sessionId}`, { key, draft });
    if (result instanceof Error) throw result;
    // A repeated clientMessageId may name a message that is still streaming: shown with its chunks so far.
    if (result?.deduplicated && result.message.status === 'streaming') return { ...result, message: (await this.live([result.message]))[0]! };
    return result;
  }

  /** Chunks of many streams, from this replica, share transactions as appends do; a stream's chunks keep their order. */
  private readonly chunks: GroupCommit<ChunkWrite, ChunkResult | Error | null>;
  /** The content so far of the streams this replica writes, so that a chunk need not join every chunk before it again. */
  private readonly streamTexts = new StreamTexts();

  async appendChunk(write: ChunkWrite): Promise<ChunkResult | null> {
    const result = await this.chunks.add(`${write.projectId}/${write.sessionId}/${write.messageId}`, write);
    if (result instanceof Error) throw result;
    return result;
  }

  async finishMessage(request: FinishRequest): Promise<FinishResult | null> {
    const result = await this.transaction((client) => finishStream(client, request));
    this.streamTexts.forget(request);
    return result;
  }

  async readChunks(key: MessageKey, afterIndex: number): Promise<StoredChunks | null> {
    return this.guard(async () => {
      await this.init();
      return readStreamChunks(this.pool, key, afterIndex);
    });
  }

  async finishIdleStreams(idleSince: number): Promise<Message[]> {
    const finished: Message[] = [];
    for (;;) {
      const idle = await this.guard(async () => {
        await this.init();
        return idleStreams(this.pool, idleSince, 100);
      });
      for (const key of idle) {
        // Re-checked under the message's lock: a chunk that arrived meanwhile (on any replica) keeps it streaming.
        const result = await this.transaction((client) => finishStream(client, { ...key, status: 'incomplete', metadata: {} }, idleSince)).catch((error: unknown) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        });
        if (result?.changed) {
          this.streamTexts.forget(key);
          finished.push(result.message);
        }
      }
      if (idle.length < 100) return finished;
    }
  }

  /** Messages as readers see them: a STREAMING one with its chunks so far. */
  private async live(messages: Message[]): Promise<Message[]> {
    return this.guard(() => withChunks(this.pool, messages));
  }

  private async commitAppends(items: readonly AppendItem[]): Promise<(AppendResult | Error | null)[]> {
    const began = performance.now();
    const { results, added } = await this.transaction((client) => appendBatch(client, items));
    if (added > 0 && appendChannel.hasSubscribers) appendChannel.publish({ size: added, seconds: (performance.now() - began) / 1000 });
    return results;
  }

  async readMessages(ranges: readonly MessageRange[]): Promise<Message[][]> {
    if (ranges.length === 0) return [];
    // One query for every range: keyset on (project, session, seq), the primary key.
    const { rows } = await this.query(
      `SELECT m.*, r.i FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[]) AS r(project_id, session_id, from_seq, to_seq, i)
       JOIN messages m ON m.project_id = r.project_id AND m.session_id = r.session_id AND m.seq BETWEEN r.from_seq AND r.to_seq
       ORDER BY r.i, m.seq`,
      [ranges.map((r) => r.projectId), ranges.map((r) => r.sessionId), ranges.map((r) => r.fromSeq), ranges.map((r) => r.toSeq), ranges.map((_, i) => i)],
    );
    const out: Message[][] = ranges.map(() => []);
    for (const row of rows) out[row.i as number]!.push(toMessage(row));
    if (!rows.some((row) => row.status === 'streaming')) return out;
    return Promise.all(out.map((list) => this.live(list)));
  }

  async readBranches(requests: readonly BranchRequest[]): Promise<(BranchPage | null)[]> {
    if (requests.length === 0) return [];
    const pages = await this.guard(async () => {
      await this.init();
      return readPaths(this.pool, requests);
    });
    if (!pages.some((page) => page?.messages.some((m) => m.status === 'streaming'))) return pages;
    return Promise.all(pages.map(async (page) => page && { ...page, messages: await this.live(page.messages) }));
  }

  async readLinks(messages: readonly MessageRef[]): Promise<MessageLinks[]> {
    if (messages.length === 0) return [];
    // Siblings: the messages with this one's parent; children: those with it as parent. Both on (session, parent_seq).
    const { rows } = await this.query(
      `SELECT r.i, coalesce(array_agg(s.id ORDER BY s.seq) FILTER (WHERE s.id IS NOT NULL), '{}') AS sibling_ids,
              (SELECT count(*)::int FROM messages c WHERE c.project_id = r.project_id AND c.session_id = r.session_id AND c.parent_seq = r.seq) AS child_count
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS r(project_id, session_id, seq, i)
       LEFT JOIN messages m ON m.project_id = r.project_id AND m.session_id = r.session_id AND m.seq = r.seq
       LEFT JOIN messages s ON s.project_id = r.project_id AND s.session_id = r.session_id AND s.parent_seq = m.parent_seq
       GROUP BY r.i, r.project_id, r.session_id, r.seq`,
      [messages.map((m) => m.projectId), messages.map((m) => m.sessionId), messages.map((m) => m.sequence), messages.map((_, i) => i)],
    );
    const out: MessageLinks[] = messages.map(() => ({ siblingIds: [], childCount: 0 }));
    for (const row of rows) out[row.i as number] = { siblingIds: row.sibling_ids as string[], childCount: row.child_count as number };
    return out;
  }

  async readNewestLeaves(messages: readonly MessageRef[]): Promise<(string | null)[]> {
    if (messages.length === 0) return [];
    return this.guard(async () => {
      await this.init();
      return readNewestLeaves(this.pool, messages);
    });
  }

  async setActiveLeaf(key: SessionKey, messageId: string, change: (current: Session) => Session): Promise<Session | null> {
    return this.transaction(async (client) => {
      const current = await this.lockSession(client, key);
      if (!current) return null;
      const { rows } = await client.query('SELECT seq, id, depth, run_start, run_parent FROM messages WHERE project_id = $1 AND session_id = $2 AND id = $3', [
        key.projectId,
        key.sessionId,
        messageId,
      ]);
      if (!rows[0]) throw NotFoundError.message(key.sessionId, messageId);
      const next = { ...change(current), activeLeafId: messageId };
      await this.writeSession(client, next);
      await client.query(`UPDATE sessions SET active_leaf_id = $3, (${LEAF_COLUMNS}) = ($4, $5, $6, $7) WHERE project_id = $1 AND id = $2`, [
        key.projectId,
        key.sessionId,
        messageId,
        ...leafValues(toNode(rows[0])),
      ]);
      return next;
    });
  }

  async projectStats(projectIds: readonly string[]): Promise<ProjectStats[]> {
    const { rows } = await this.query(
      `SELECT project_id, count(*)::int AS total, count(*) FILTER (WHERE is_active)::int AS active, coalesce(sum(message_count), 0)::int AS messages,
              coalesce(sum(user_count), 0)::int AS u, coalesce(sum(assistant_count), 0)::int AS a, coalesce(sum(system_count), 0)::int AS s,
              coalesce(sum(tool_count), 0)::int AS t, max(updated_at) AS last
       FROM sessions WHERE project_id = ANY($1) AND deleted_at IS NULL GROUP BY project_id`,
      [projectIds],
    );
    const byProject = new Map(rows.map((r) => [r.project_id as string, r]));
    return projectIds.map((projectId) => {
      const r = byProject.get(projectId);
      return {
        projectId,
        totalSessions: (r?.total as number) ?? 0,
        activeSessions: (r?.active as number) ?? 0,
        inactiveSessions: ((r?.total as number) ?? 0) - ((r?.active as number) ?? 0),
        totalMessages: (r?.messages as number) ?? 0,
        messagesByRole: { user: (r?.u as number) ?? 0, assistant: (r?.a as number) ?? 0, system: (r?.s as number) ?? 0, tool: (r?.t as number) ?? 0 },
        lastActivityAt: r ? iso(r.last) : null,
      };
    });
  }

  async listProjects(): Promise<string[]> {
    const { rows } = await this.query('SELECT DISTINCT project_id FROM sessions ORDER BY project_id', []);
    return rows.map((row) => row.project_id as string);
  }

  async importSession(s: Session, messages: readonly Message[]): Promise<boolean> {
    // Each message's place in the tree follows from its parent's, which comes before it.
    const nodes = new Map<string, TreeNode>();
    const rows = messages.map((message) => {
      const parent = message.parentId === null ? null : nodes.get(message.parentId);
      if (parent === undefined) throw new Error(`message ${message.id} follows ${message.parentId}, which does not come before it`);
      const node = childNode(message.sequence, message.id, parent);
      nodes.set(message.id, node);
      return { message: settledForImport(message), node, parentSeq: parent?.seq ?? 0 };
    });
    const leaf = s.activeLeafId === null ? null : nodes.get(s.activeLeafId);
    if (leaf === undefined) throw new Error(`the active leaf ${s.activeLeafId} is not among the messages`);
    return this.transaction(async (client) => {
      const inserted = await client.query(`${INSERT_SESSION} ON CONFLICT DO NOTHING`, sessionValues(s, leaf));
      if (inserted.rowCount === 0) return false;
      for (let i = 0; i < rows.length; i += 500) {
        const batch = rows.slice(i, i + 500);
        await client.query(INSERT_MESSAGES, messageColumns(batch));
        await indexMessages(client, batch.map((row) => row.message));
      }
      return true;
    });
  }

  async checkReady(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    return this.guard(async () => {
      await this.init();
      if (await isBackfilling(this.pool, request.projectId)) {
        throw new SearchCatchingUpError('This project\'s messages are being indexed for search; try again shortly');
      }
      return searchRows(this.pool, request);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.backfillRetry) clearTimeout(this.backfillRetry);
    await this.pool.end();
  }
}

function toShareLink(row: Record<string, unknown>): ShareLink {
  return {
    id: row.id as string,
    projectId: row.project_id as string,
    sessionId: row.session_id as string,
    leafId: (row.leaf_id as string | null) ?? null,
    tokenHash: row.token_hash as string,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    createdBy: (row.created_by as string | null) ?? null,
    revokedAt: iso(row.revoked_at),
  };
}
