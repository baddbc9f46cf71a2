// The PostgreSQL schema, as numbered migrations applied at start inside one transaction each; idempotent.
import type { PoolClient } from 'pg';

const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sessions (
        project_id      text        NOT NULL,
        id              text        NOT NULL,
        title           text        NOT NULL,
        description     text,
        metadata        jsonb       NOT NULL,
        is_active       boolean     NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        version         integer     NOT NULL,
        message_count   integer     NOT NULL,
        last_message_at timestamptz,
        user_count      integer     NOT NULL DEFAULT 0,
        assistant_count integer     NOT NULL DEFAULT 0,
        system_count    integer     NOT NULL DEFAULT 0,
        tool_count      integer     NOT NULL DEFAULT 0,
        PRIMARY KEY (project_id, id)
      );
      CREATE INDEX sessions_by_update ON sessions (project_id, updated_at DESC, id DESC);
      CREATE TABLE messages (
        project_id        text        NOT NULL,
        session_id        text        NOT NULL,
        seq               integer     NOT NULL,
        id                text        NOT NULL,
        role              text        NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
        content           text        NOT NULL,
        metadata          jsonb       NOT NULL,
        created_at        timestamptz NOT NULL,
        client_message_id text,
        PRIMARY KEY (project_id, session_id, seq),
        UNIQUE (project_id, session_id, client_message_id),
        FOREIGN KEY (project_id, session_id) REFERENCES sessions (project_id, id) ON DELETE CASCADE
      );`,
  },
];

/** Brings the schema up to date; safe to run from several replicas at once (an advisory lock serializes them). */
export async function migrate(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock(7406392)');
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(7406392)');
  }
}
