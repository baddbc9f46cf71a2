// The search contract on both stores: the file store (SQLite FTS5 beside the logs) and PostgreSQL (tsvector + GIN).
import { describe, expect, it } from 'vitest';
import { SearchCatchingUpError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import { newSession } from '../../src/domain/session.js';
import { parseSearchQuery } from '../../src/search/query.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { postgresSchemas, TEST_DATABASE_URL as url } from '../helpers/postgres-schemas.js';
import { fileHarness, postgresHarness } from '../helpers/store-harness.js';
import { closeAfterTest } from '../helpers/temp-dir.js';
import { runSearchContract, searchReady } from './search-contract.js';

runSearchContract('file', fileHarness);

const schemas = postgresSchemas();

runSearchContract('postgres', async () => postgresHarness(await schemas.create()));

describe('postgres search: data written before search existed', () => {
  it('is indexed in the background after the upgrade; its project answers "catching up" until then', async () => {
    const schema = await schemas.create();
    const store = new PostgresStore({ connectionString: url, schema, poolSize: 4 });
    closeAfterTest(() => store.close());
    const session = newSession('old', { title: 'Legacy lemur' });
    await store.createSession(session);
    for (let i = 0; i < 1200; i++) await store.appendMessage({ projectId: 'old', sessionId: session.id }, { id: newId(), role: 'user', content: `old message ${i} lemur`, metadata: {}, clientMessageId: null });
    await store.close();
    // What migration 8 finds on a database of the version before: no words indexed, the project listed to do.
    await schemas.admin.query(`DELETE FROM ${schema}.message_search; UPDATE ${schema}.sessions SET title_search = NULL; INSERT INTO ${schema}.search_backfill VALUES ('old')`);
    const upgraded = new PostgresStore({ connectionString: url, schema, poolSize: 4 });
    closeAfterTest(() => upgraded.close());
    const request = { projectId: 'old', expression: parseSearchQuery('lemur'), scope: { roles: null, sessionIds: null, since: null, until: null, includeInactive: false }, offset: 0, limit: 5 };
    await expect(upgraded.search(request)).rejects.toBeInstanceOf(SearchCatchingUpError);
    await searchReady(upgraded, 'old');
    const page = await upgraded.search({ ...request, limit: 2000 });
    expect(page.matches).toHaveLength(1201);
    expect(page.matches.filter((m) => m.sequence === null)).toHaveLength(1);
  });

  it("drops a session's indexed words with the session, whether purged from the trash or deleted outright", async () => {
    const schema = await schemas.create();
    const store = new PostgresStore({ connectionString: url, schema, poolSize: 4 });
    closeAfterTest(() => store.close());
    const rows = async (sessionId: string) => Number((await schemas.admin.query(`SELECT count(*) FROM ${schema}.message_search WHERE session_id = $1`, [sessionId])).rows[0].count);
    const sessions = [newSession('p', { title: 'Trashed then purged' }), newSession('p', { title: 'Deleted outright' })];
    for (const session of sessions) {
      await store.createSession(session);
      for (let i = 0; i < 3; i++) await store.appendMessage({ projectId: 'p', sessionId: session.id }, { id: newId(), role: 'user', content: `words ${i}`, metadata: {}, clientMessageId: null });
      expect(await rows(session.id)).toBe(3);
    }
    const [trashed, deleted] = sessions.map((s) => ({ projectId: 'p', sessionId: s.id }));
    await store.deleteSession(trashed!, () => undefined, { deletedAt: new Date().toISOString() });
    expect(await rows(trashed!.sessionId)).toBe(3);
    await store.purgeSession(trashed!);
    expect(await rows(trashed!.sessionId)).toBe(0);
    await store.deleteSession(deleted!, () => undefined);
    expect(await rows(deleted!.sessionId)).toBe(0);
  });
});
