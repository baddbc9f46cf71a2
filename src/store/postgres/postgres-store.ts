// The PostgreSQL store: several stateless replicas over one database. Each conditional write is one transaction
// holding the session's row lock, so appends from every replica form one gap-free sequence per session.
import pg from 'pg';
import type { Logger } from 'pino';
import { StoreUnavailableError } from '../../domain/errors.js';
import type { AppendResult, Message, MessageDraft, Role } from '../../domain/message.js';
import type { Session, SessionKey } from '../../domain/session.js';
import type { ProjectStats } from '../../domain/stats.js';
import type { ChatStore, ListSessionsOptions, MessageRange } from '../store.js';
import { GroupCommit } from '../group-commit.js';
import { appendChannel } from '../store-events.js';
import { isConnectionFault } from './connection-faults.js';
import { migrate } from './migrations.js';

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

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string | null));

function toSession(row: Row): Session {
  return {
    projectId: row.project_id as string,
    id: row.id as string,
    title: row.title as string,
    description: (row.description as string | null) ?? null,
    metadata: row.metadata as Session['metadata'],
    isActive: row.is_active as boolean,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version as number,
    messageCount: row.message_count as number,
    lastMessageAt: iso(row.last_message_at),
    messagesByRole: {
      user: row.user_count as number,
      assistant: row.assistant_count as number,
      system: row.system_count as number,
      tool: row.tool_count as number,
    },
  };
}

function toMessage(row: Row): Message {
  return {
    projectId: row.project_id as string,
    sessionId: row.session_id as string,
    id: row.id as string,
    sequence: row.seq as number,
    role: row.role as Role,
    content: row.content as string,
    metadata: row.metadata as Message['metadata'],
    createdAt: iso(row.created_at)!,
    clientMessageId: (row.client_message_id as string | null) ?? null,
  };
}

const SESSION_COLUMNS = 'project_id, id, title, description, metadata, is_active, created_at, updated_at, version, message_count, last_message_at, user_count, assistant_count, system_count, tool_count';

export class PostgresStore implements ChatStore {
  private readonly pool: pg.Pool;
  private ready: Promise<void> | null = null;
  private closed = false;
  private readonly logger: Logger | undefined;
  /** When the current outage began (the first operation that could not reach the database), or null. */
  private unavailableSince: number | null = null;

  constructor(options: PostgresStoreOptions) {
    this.logger = options.logger;
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
    this.ready ??= this.withClient((client) => migrate(client)).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
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
    const { rows } = await client.query(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE project_id = $1 AND id = $2 FOR UPDATE`, [key.projectId, key.sessionId]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  private async writeSession(client: pg.PoolClient, s: Session): Promise<void> {
    await client.query(
      `UPDATE sessions SET title = $3, description = $4, metadata = $5, is_active = $6, updated_at = $7, version = $8,
         message_count = $9, last_message_at = $10, user_count = $11, assistant_count = $12, system_count = $13, tool_count = $14
       WHERE project_id = $1 AND id = $2`,
      [s.projectId, s.id, s.title, s.description, JSON.stringify(s.metadata), s.isActive, s.updatedAt, s.version, s.messageCount, s.lastMessageAt,
        s.messagesByRole.user, s.messagesByRole.assistant, s.messagesByRole.system, s.messagesByRole.tool],
    );
  }

  async createSession(s: Session): Promise<void> {
    await this.query(
      `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [s.projectId, s.id, s.title, s.description, JSON.stringify(s.metadata), s.isActive, s.createdAt, s.updatedAt, s.version, s.messageCount, s.lastMessageAt,
        s.messagesByRole.user, s.messagesByRole.assistant, s.messagesByRole.system, s.messagesByRole.tool],
    );
  }

  async getSessions(keys: readonly SessionKey[]): Promise<(Session | null)[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE (project_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [keys.map((k) => k.projectId), keys.map((k) => k.sessionId)],
    );
    const found = new Map(rows.map((row) => [`${row.project_id}/${row.id}`, toSession(row)]));
    return keys.map((k) => found.get(`${k.projectId}/${k.sessionId}`) ?? null);
  }

  async listSessions(projectId: string, options: ListSessionsOptions): Promise<Session[]> {
    const { rows } = await this.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE project_id = $1 AND ($2 OR is_active) ORDER BY updated_at DESC, id DESC`,
      [projectId, options.includeInactive],
    );
    return rows.map(toSession);
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

  async deleteSession(key: SessionKey, check: (current: Session) => void): Promise<boolean> {
    return this.transaction(async (client) => {
      const current = await this.lockSession(client, key);
      if (!current) return false;
      check(current);
      await client.query('DELETE FROM sessions WHERE project_id = $1 AND id = $2', [key.projectId, key.sessionId]);
      return true;
    });
  }

  /** Concurrent appends to one session from this replica share one transaction (see appendBatch). */
  private readonly appends = new GroupCommit<{ key: SessionKey; draft: MessageDraft }, AppendResult | null>((items) =>
    this.appendBatch(items[0]!.key, items.map((i) => i.draft)),
  );

  appendMessage(key: SessionKey, draft: MessageDraft): Promise<AppendResult | null> {
    return this.appends.add(`${key.projectId}/${key.sessionId}`, { key, draft });
  }

  /**
   * Appends a batch in one transaction holding the session's row lock, which makes appends to one session take
   * turns on every replica: the batch's sequence numbers follow message_count without a gap. A repeated
   * clientMessageId (stored already, or earlier in the batch) gets the original message instead of a new one.
   */
  private async appendBatch(key: SessionKey, drafts: readonly MessageDraft[]): Promise<(AppendResult | null)[]> {
    const began = performance.now();
    let added = 0;
    const results = await this.transaction(async (client) => {
      const session = await this.lockSession(client, key);
      if (!session) return drafts.map(() => null);
      const clientIds = drafts.flatMap((d) => (d.clientMessageId === null ? [] : [d.clientMessageId]));
      const stored = new Map<string, Message>();
      if (clientIds.length > 0) {
        const { rows } = await client.query('SELECT * FROM messages WHERE project_id = $1 AND session_id = $2 AND client_message_id = ANY($3::text[])', [
          key.projectId,
          key.sessionId,
          clientIds,
        ]);
        for (const row of rows) stored.set(row.client_message_id as string, toMessage(row));
      }
      // Each draft either repeats a stored message, repeats one earlier in this batch, or is new (its place among `fresh`).
      const fresh: MessageDraft[] = [];
      const inBatch = new Map<string, number>();
      const outcomes = drafts.map((draft) => {
        const id = draft.clientMessageId;
        const earlier = id === null ? undefined : stored.get(id);
        if (earlier) return { earlier };
        const repeated = id === null ? undefined : inBatch.get(id);
        if (repeated !== undefined) return { index: repeated, deduplicated: true };
        if (id !== null) inBatch.set(id, fresh.length);
        fresh.push(draft);
        return { index: fresh.length - 1, deduplicated: false };
      });
      let next = session;
      let inserted: Message[] = [];
      if (fresh.length > 0) {
        const now = new Date().toISOString();
        const createdAt = session.lastMessageAt !== null && session.lastMessageAt > now ? session.lastMessageAt : now;
        const { rows } = await client.query(
          `INSERT INTO messages (project_id, session_id, seq, id, role, content, metadata, created_at, client_message_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[], $9::text[])
           RETURNING *`,
          [fresh.map(() => key.projectId), fresh.map(() => key.sessionId), fresh.map((_, i) => session.messageCount + 1 + i), fresh.map((d) => d.id),
            fresh.map((d) => d.role), fresh.map((d) => d.content), fresh.map((d) => JSON.stringify(d.metadata)), fresh.map(() => createdAt),
            fresh.map((d) => d.clientMessageId)],
        );
        inserted = rows.map(toMessage).sort((a, b) => a.sequence - b.sequence);
        const messagesByRole = { ...session.messagesByRole };
        for (const d of fresh) messagesByRole[d.role] += 1;
        next = {
          ...session,
          messageCount: session.messageCount + fresh.length,
          messagesByRole,
          lastMessageAt: createdAt,
          // biome-ignore lint/complexity/useMathMinMax: ISO strings, compared as strings (Math.max would give NaN)
          updatedAt: createdAt > session.updatedAt ? createdAt : session.updatedAt,
        };
        await this.writeSession(client, next);
        added = fresh.length;
      }
      return outcomes.map((o) =>
        'earlier' in o ? { message: o.earlier!, session: next, deduplicated: true } : { message: inserted[o.index]!, session: next, deduplicated: o.deduplicated },
      );
    });
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
    return out;
  }

  async projectStats(projectIds: readonly string[]): Promise<ProjectStats[]> {
    const { rows } = await this.query(
      `SELECT project_id, count(*)::int AS total, count(*) FILTER (WHERE is_active)::int AS active, coalesce(sum(message_count), 0)::int AS messages,
              coalesce(sum(user_count), 0)::int AS u, coalesce(sum(assistant_count), 0)::int AS a, coalesce(sum(system_count), 0)::int AS s,
              coalesce(sum(tool_count), 0)::int AS t, max(updated_at) AS last
       FROM sessions WHERE project_id = ANY($1) GROUP BY project_id`,
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
    return this.transaction(async (client) => {
      const inserted = await client.query(
        `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING`,
        [s.projectId, s.id, s.title, s.description, JSON.stringify(s.metadata), s.isActive, s.createdAt, s.updatedAt, s.version, s.messageCount, s.lastMessageAt,
          s.messagesByRole.user, s.messagesByRole.assistant, s.messagesByRole.system, s.messagesByRole.tool],
      );
      if (inserted.rowCount === 0) return false;
      for (let i = 0; i < messages.length; i += 500) {
        const chunk = messages.slice(i, i + 500);
        await client.query(
          `INSERT INTO messages (project_id, session_id, seq, id, role, content, metadata, created_at, client_message_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[], $9::text[])`,
          [chunk.map((m) => m.projectId), chunk.map((m) => m.sessionId), chunk.map((m) => m.sequence), chunk.map((m) => m.id), chunk.map((m) => m.role),
            chunk.map((m) => m.content), chunk.map((m) => JSON.stringify(m.metadata)), chunk.map((m) => m.createdAt), chunk.map((m) => m.clientMessageId)],
        );
      }
      return true;
    });
  }

  async checkReady(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
