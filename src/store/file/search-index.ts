// The file store's search index: SQLite FTS5 in DATA_DIR/search/index.sqlite, derived from the message logs and
// never the other way round. Each session's row remembers how far into its log it is indexed (`log_bytes`), so an
// index that missed writes (a crash between an append and its indexing, a failed index write, an index from an
// older version or none at all) is brought up to the logs from there, and the store answers searches only once it is.
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { MessageStatus } from '../../domain/message.js';
import { ROLES, type Role } from '../../domain/roles.js';
import type { Session, SessionKey } from '../../domain/session.js';
import type { SearchExpression, SearchTerm } from '../../search/query.js';
import { wordListOf } from '../../search/text.js';
import type { SearchPage, SearchRequest } from '../store.js';

/** Bumped when the index's tables or what goes into them change: an index of another format is built again. */
const FORMAT = 1;
const TITLE_ROLE = -1;

/** What the index needs of a message. */
export interface IndexedMessage {
  seq: number;
  role: Role;
  content: string;
  createdAt: string;
  status: MessageStatus;
}

/** Where the index reports what it repaired when opening (it runs on a thread of its own, see search-thread.ts). */
export interface IndexLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** How far a session is indexed, and what of it the index holds. */
export interface IndexedSession {
  logBytes: number;
  title: string;
  active: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  session TEXT NOT NULL,
  title TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  log_bytes INTEGER NOT NULL,
  UNIQUE (project, session)
) STRICT;
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY,
  session INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  role INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (session, seq)
) STRICT;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(body, content='', contentless_delete=1, tokenize='ascii');
`;

/** A term as FTS5 reads it: a quoted phrase of normalized words (letters and digits only), '*' making the last a prefix. */
function ftsTerm(term: SearchTerm): string {
  const phrase = `"${term.words.join(' ').replaceAll('"', '""')}"`;
  return term.prefix ? `${phrase} *` : phrase;
}

/** The FTS5 query for an expression: every included term, none of the excluded ones. */
export function ftsQuery(expression: SearchExpression): string {
  const include = `(${expression.include.map(ftsTerm).join(' AND ')})`;
  return include + expression.exclude.map((term) => ` NOT ${ftsTerm(term)}`).join('');
}

export class SearchIndex {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    /** True when the index was closed cleanly last time (and so is up to the logs). */
    readonly wasClean: boolean,
  ) {}

  /** Opens (or creates) the index; one that cannot be read (damaged, not a database) is removed and created empty. */
  static open(file: string, logger: IndexLogger): SearchIndex {
    try {
      return SearchIndex.openFile(file, logger);
    } catch (error) {
      logger.error({ err: error, file }, 'the search index could not be opened; it is built again from the message logs');
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      return SearchIndex.openFile(file, logger);
    }
  }

  private static openFile(file: string, logger: IndexLogger): SearchIndex {
    mkdirSync(path.dirname(file), { recursive: true });
    let db = new Database(file);
    const format = Number(db.pragma('user_version', { simple: true }));
    if (format !== FORMAT && format !== 0) {
      logger.warn({ file, format, expected: FORMAT }, 'the search index is of another format; it is built again from the message logs');
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      db = new Database(file);
    }
    // WAL with synchronous=NORMAL: a commit is not synced, so indexing adds no fsync to an append; what a power loss
    // takes from the index is found again from the logs (the index is not marked clean until it is closed).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    db.pragma(`user_version = ${FORMAT}`);
    const clean = (db.prepare(`SELECT value FROM meta WHERE key = 'clean'`).get() as { value: string } | undefined)?.value === '1';
    db.prepare(`INSERT INTO meta (key, value) VALUES ('clean', '0') ON CONFLICT (key) DO UPDATE SET value = '0'`).run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return new SearchIndex(db, clean);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private rowOf(key: SessionKey): { id: number; log_bytes: number; title: string; active: number } | undefined {
    return this.statement('SELECT id, log_bytes, title, active FROM sessions WHERE project = ? AND session = ?').get(key.projectId, key.sessionId) as
      | { id: number; log_bytes: number; title: string; active: number }
      | undefined;
  }

  indexed(key: SessionKey): IndexedSession | null {
    const row = this.rowOf(key);
    return row ? { logBytes: row.log_bytes, title: row.title, active: row.active === 1 } : null;
  }

  /** Every session the index holds. */
  sessions(): SessionKey[] {
    return (this.statement('SELECT project, session FROM sessions').all() as { project: string; session: string }[]).map((row) => ({ projectId: row.project, sessionId: row.session }));
  }

  private deleteDocs(sessionRow: number, where = ''): void {
    this.statement(`DELETE FROM fts WHERE rowid IN (SELECT id FROM docs WHERE session = ?${where})`).run(sessionRow);
    this.statement(`DELETE FROM docs WHERE session = ?${where}`).run(sessionRow);
  }

  /**
   * Indexes a document (seq 0: the session's title), replacing the one at that place when `replace` is set. A
   * message is indexed once (a streamed one only when finished), so only titles are replaced.
   */
  private putDoc(sessionRow: number, seq: number, role: number, createdAt: string, text: string, replace = false): void {
    const existing = replace ? (this.statement('SELECT id FROM docs WHERE session = ? AND seq = ?').get(sessionRow, seq) as { id: number } | undefined) : undefined;
    if (existing) {
      this.statement('DELETE FROM fts WHERE rowid = ?').run(existing.id);
      this.statement('DELETE FROM docs WHERE id = ?').run(existing.id);
    }
    const words = wordListOf(text);
    if (words.length === 0) return;
    const { lastInsertRowid } = this.statement('INSERT INTO docs (session, seq, role, created_at) VALUES (?, ?, ?, ?)').run(sessionRow, seq, role, Date.parse(createdAt));
    this.statement('INSERT INTO fts (rowid, body) VALUES (?, ?)').run(lastInsertRowid, words.join(' '));
  }

  /** Starts a session afresh (indexed to byte 0 of its log, its title indexed), dropping whatever was indexed of it. */
  resetSession(session: Session): void {
    this.db.transaction(() => {
      const key = { projectId: session.projectId, sessionId: session.id };
      const row = this.rowOf(key);
      if (row) {
        this.deleteDocs(row.id);
        this.statement('DELETE FROM sessions WHERE id = ?').run(row.id);
      }
      const { lastInsertRowid } = this.statement('INSERT INTO sessions (project, session, title, active, created_at, log_bytes) VALUES (?, ?, ?, ?, ?, 0)').run(
        session.projectId,
        session.id,
        session.title,
        session.isActive ? 1 : 0,
        Date.parse(session.createdAt),
      );
      this.putDoc(Number(lastInsertRowid), 0, TITLE_ROLE, session.createdAt, session.title);
    })();
  }

  /** Runs `work` in one transaction (each write inside becomes a savepoint of it). */
  batch<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** A session's title and archived state changed. False when the index does not hold the session. */
  updateSession(session: Session): boolean {
    return this.db.transaction(() => {
      const row = this.rowOf({ projectId: session.projectId, sessionId: session.id });
      if (!row) return false;
      if (row.active !== (session.isActive ? 1 : 0)) this.statement('UPDATE sessions SET active = ? WHERE id = ?').run(session.isActive ? 1 : 0, row.id);
      if (row.title !== session.title) {
        this.statement('UPDATE sessions SET title = ? WHERE id = ?').run(session.title, row.id);
        this.putDoc(row.id, 0, TITLE_ROLE, session.createdAt, session.title, true);
      }
      return true;
    })();
  }

  removeSession(key: SessionKey): void {
    this.db.transaction(() => {
      const row = this.rowOf(key);
      if (!row) return;
      this.deleteDocs(row.id);
      this.statement('DELETE FROM sessions WHERE id = ?').run(row.id);
    })();
  }

  /**
   * Indexes the records of a session's log from byte `from` to byte `to` (a streaming message only once a record
   * finishes it; a later record of the same message replaces the earlier). Does nothing and returns false unless the
   * session is indexed exactly up to `from`: the records before them are missing, for a catch-up to add.
   */
  applyRecords(key: SessionKey, from: number, to: number, messages: readonly IndexedMessage[]): boolean {
    return this.db.transaction(() => {
      const row = this.rowOf(key);
      if (!row || row.log_bytes !== from) return false;
      for (const message of messages) {
        if (message.status === 'streaming') continue;
        this.putDoc(row.id, message.seq, ROLES.indexOf(message.role), message.createdAt, message.content);
      }
      this.statement('UPDATE sessions SET log_bytes = ? WHERE id = ?').run(to, row.id);
      return true;
    })();
  }

  search(request: SearchRequest): SearchPage {
    const { scope } = request;
    const where = ['fts MATCH @match', 's.project = @project'];
    const params: Record<string, unknown> = { match: ftsQuery(request.expression), project: request.projectId, limit: request.limit + 1, offset: request.offset };
    if (!scope.includeInactive) where.push('s.active = 1');
    if (scope.roles) {
      where.push('d.role IN (SELECT value FROM json_each(@roles))');
      params.roles = JSON.stringify(scope.roles.map((role) => ROLES.indexOf(role)));
    }
    if (scope.sessionIds) {
      where.push('s.session IN (SELECT value FROM json_each(@sessions))');
      params.sessions = JSON.stringify(scope.sessionIds);
    }
    if (scope.since !== null) {
      where.push('d.created_at >= @since');
      params.since = Date.parse(scope.since);
    }
    if (scope.until !== null) {
      where.push('d.created_at < @until');
      params.until = Date.parse(scope.until);
    }
    // bm25() is lower for better matches; the score handed out is its negation, higher being better.
    const sql = `SELECT s.session AS sessionId, d.seq AS seq, -bm25(fts) AS score FROM fts
      JOIN docs d ON d.id = fts.rowid JOIN sessions s ON s.id = d.session
      WHERE ${where.join(' AND ')}
      ORDER BY score DESC, d.created_at DESC, s.session DESC, d.seq DESC LIMIT @limit OFFSET @offset`;
    const rows = this.statement(sql).all(params) as { sessionId: string; seq: number; score: number }[];
    const matches = rows.slice(0, request.limit).map((row) => ({ sessionId: row.sessionId, sequence: row.seq === 0 ? null : row.seq, score: row.score }));
    return { matches, hasNextPage: rows.length > request.limit };
  }

  /** Closes the index; `clean` records that it holds every write, so the next start need not check it against the logs. */
  close(clean: boolean): void {
    if (clean) this.statement(`UPDATE meta SET value = '1' WHERE key = 'clean'`).run();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
