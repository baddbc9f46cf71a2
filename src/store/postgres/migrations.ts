// The PostgreSQL schema, as numbered migrations applied at start inside one transaction each; idempotent.
import type { PoolClient } from 'pg';

export const MIGRATIONS: { version: number; sql: string }[] = [
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
  {
    // Conversations as trees. Each message names its parent (seq and id; 0/null for a first message) and its depth
    // on its path. A run is a stretch of messages each following the one written just before it (a conversation
    // without branches is one run); every message carries its run's first seq and that one's parent, so that a path
    // is walked run by run, not message by message. A session keeps its active leaf's place (seq, depth, run) on its
    // own row, so an append learns it with the row lock. Existing messages form one chain: one run each session.
    version: 2,
    sql: `
      ALTER TABLE messages ADD COLUMN parent_seq integer, ADD COLUMN parent_id text, ADD COLUMN depth integer,
        ADD COLUMN run_start integer, ADD COLUMN run_parent integer;
      UPDATE messages m SET parent_seq = m.seq - 1, depth = m.seq, run_start = 1, run_parent = 0,
        parent_id = (SELECT p.id FROM messages p WHERE p.project_id = m.project_id AND p.session_id = m.session_id AND p.seq = m.seq - 1);
      ALTER TABLE messages ALTER COLUMN parent_seq SET NOT NULL, ALTER COLUMN depth SET NOT NULL,
        ALTER COLUMN run_start SET NOT NULL, ALTER COLUMN run_parent SET NOT NULL;
      CREATE UNIQUE INDEX messages_by_id ON messages (project_id, session_id, id);
      CREATE INDEX messages_by_parent ON messages (project_id, session_id, parent_seq, seq);
      ALTER TABLE sessions ADD COLUMN active_leaf_id text, ADD COLUMN forked_from_session_id text, ADD COLUMN forked_from_message_id text,
        ADD COLUMN active_leaf_seq integer NOT NULL DEFAULT 0, ADD COLUMN active_leaf_depth integer NOT NULL DEFAULT 0,
        ADD COLUMN active_leaf_run_start integer NOT NULL DEFAULT 0, ADD COLUMN active_leaf_run_parent integer NOT NULL DEFAULT 0;
      UPDATE sessions s SET active_leaf_seq = s.message_count, active_leaf_depth = s.message_count, active_leaf_run_start = 1,
        active_leaf_id = (SELECT m.id FROM messages m WHERE m.project_id = s.project_id AND m.session_id = s.id AND m.seq = s.message_count)
        WHERE s.message_count > 0;`,
  },
  {
    // Streamed messages. A message has a status; while STREAMING its content column holds what was known at the start
    // and each chunk is a row of message_chunks (so a chunk costs a small insert, not a rewrite of the content so far),
    // with chunk_count, content_bytes and updated_at kept on the message's row, whose lock orders a stream's chunks
    // across replicas. Finishing writes the whole content and the chunks' lengths on the message and drops its chunk
    // rows. The partial index serves the sweep that ends idle streams. Existing messages are COMPLETE.
    version: 3,
    sql: `
      ALTER TABLE messages ADD COLUMN status text NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'streaming', 'incomplete')),
        ADD COLUMN updated_at timestamptz, ADD COLUMN chunk_count integer NOT NULL DEFAULT 0, ADD COLUMN chunk_lengths jsonb,
        ADD COLUMN content_bytes integer NOT NULL DEFAULT 0;
      CREATE INDEX messages_streaming ON messages (updated_at) WHERE status = 'streaming';
      CREATE TABLE message_chunks (
        project_id text    NOT NULL,
        session_id text    NOT NULL,
        seq        integer NOT NULL,
        idx        integer NOT NULL,
        chunk      text    NOT NULL,
        PRIMARY KEY (project_id, session_id, seq, idx),
        FOREIGN KEY (project_id, session_id, seq) REFERENCES messages (project_id, session_id, seq) ON DELETE CASCADE
      );`,
  },
  {
    // Sessions kept in order: pinned, tags (as given, and lowercased for matching, which is case-insensitive), and the
    // token subject that created the session. Existing sessions: not pinned, no tags, no creator.
    version: 4,
    sql: `
      ALTER TABLE sessions ADD COLUMN pinned boolean NOT NULL DEFAULT false, ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
        ADD COLUMN tag_keys text[] NOT NULL DEFAULT '{}', ADD COLUMN created_by text;`,
  },
  {
    // The trash: a deleted session keeps its row (and its messages) with deleted_at set until it is restored or
    // erased. Every read and write of live sessions leaves such rows out.
    version: 5,
    sql: `
      ALTER TABLE sessions ADD COLUMN deleted_at timestamptz;
      CREATE INDEX sessions_trash ON sessions (project_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;`,
  },
  {
    // Retention policies, one per project that set one.
    version: 6,
    sql: `
      CREATE TABLE retention_policies (
        project_id    text    PRIMARY KEY,
        archived_days integer,
        inactive_days integer,
        trash_days    integer NOT NULL
      );`,
  },
  {
    // Share links: only a hash of each token is kept. Links go with their session when it is erased.
    version: 7,
    sql: `
      CREATE TABLE share_links (
        id          text        PRIMARY KEY,
        project_id  text        NOT NULL,
        session_id  text        NOT NULL,
        leaf_id     text,
        token_hash  text        NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz,
        created_by  text,
        revoked_at  timestamptz,
        FOREIGN KEY (project_id, session_id) REFERENCES sessions (project_id, id) ON DELETE CASCADE
      );
      CREATE INDEX share_links_by_project ON share_links (project_id, created_at DESC);`,
  },
  {
    // Full-text search. A finished message's words (split and folded by the service) in message_search, with the
    // role and time that filters need so a search reads no message row; a session's title words on its row. Data
    // written before this is indexed by the server in the background, project by project (search_backfill lists
    // the projects still to do; their searches answer "catching up" meanwhile).
    version: 8,
    sql: `
      CREATE TABLE message_search (
        project_id text        NOT NULL,
        session_id text        NOT NULL,
        seq        integer     NOT NULL,
        role       text        NOT NULL,
        created_at timestamptz NOT NULL,
        search     tsvector    NOT NULL,
        PRIMARY KEY (project_id, session_id, seq),
        FOREIGN KEY (project_id, session_id, seq) REFERENCES messages (project_id, session_id, seq) ON DELETE CASCADE
      );
      CREATE INDEX message_search_words ON message_search USING gin (search);
      ALTER TABLE sessions ADD COLUMN title_search tsvector;
      CREATE INDEX sessions_title_words ON sessions USING gin (title_search);
      CREATE TABLE search_backfill (project_id text PRIMARY KEY);
      INSERT INTO search_backfill SELECT DISTINCT project_id FROM sessions;`,
  },
  {
    // message_search rows go with their session instead of being checked against messages one by one: inside one
    // transaction that writes many messages (an import), each row's check against the messages table ran a plan made
    // while that table looked empty, a scan of every message written so far (an import of 20 000 messages took 18 s,
    // growing with the square of its size). Messages are never deleted one by one, only with their session.
    version: 9,
    sql: `
      ALTER TABLE message_search DROP CONSTRAINT message_search_project_id_session_id_seq_fkey;
      ALTER TABLE message_search ADD FOREIGN KEY (project_id, session_id) REFERENCES sessions (project_id, id) ON DELETE CASCADE;`,
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
