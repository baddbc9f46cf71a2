// The PostgreSQL store runs the same contract suite as the file store, on a real server, each test in its own schema.
// Without a reachable PostgreSQL these tests fail (CI starts one); they never skip.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { postgresSchemas, TEST_DATABASE_URL as url } from '../helpers/postgres-schemas.js';
import { closeAfterTest } from '../helpers/temp-dir.js';
import { postgresHarness } from '../helpers/store-harness.js';
import { runStoreContract } from './contract.js';

const schemas = postgresSchemas();
const { admin } = schemas;

runStoreContract('postgres', async () => postgresHarness(await schemas.create()));

describe('postgres store: upgrades', () => {
  it('reads sessions written before conversations had branches (schema version 1) as chains after migrating', async () => {
    const schema = await schemas.create();
    const client = await admin.connect();
    try {
      await client.query(`SET search_path = ${schema}`);
      await client.query(MIGRATIONS.find((m) => m.version === 1)!.sql);
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      await client.query('INSERT INTO schema_migrations (version) VALUES (1)');
      await client.query(
        `INSERT INTO sessions (project_id, id, title, metadata, is_active, created_at, updated_at, version, message_count, user_count)
         VALUES ('p', 'old', 'old', '{}', true, now(), now(), 1, 3, 3), ('p', 'empty', 'empty', '{}', true, now(), now(), 1, 0, 0)`,
      );
      await client.query(
        `INSERT INTO messages (project_id, session_id, seq, id, role, content, metadata, created_at)
         SELECT 'p', 'old', n, 'm' || n, 'user', 'text ' || n, '{}', now() FROM generate_series(1, 3) AS n`,
      );
    } finally {
      await client.query('RESET search_path');
      client.release();
    }
    const store = new PostgresStore({ connectionString: url, schema, poolSize: 2 });
    closeAfterTest(() => store.close());
    const key = { projectId: 'p', sessionId: 'old' };
    const [old, empty] = await store.getSessions([key, { projectId: 'p', sessionId: 'empty' }]);
    expect(old).toMatchObject({ messageCount: 3, activeLeafId: 'm3', forkedFrom: null });
    expect(empty).toMatchObject({ messageCount: 0, activeLeafId: null });
    expect((await store.readMessages([{ ...key, fromSeq: 1, toSeq: 3 }]))[0]!.map((m) => m.parentId)).toEqual([null, 'm1', 'm2']);
    const next = await store.appendMessage(key, { id: 'm4', role: 'assistant', content: 'new', metadata: {}, clientMessageId: null, parent: { kind: 'message', id: 'm2' } });
    expect(next!.message).toMatchObject({ sequence: 4, parentId: 'm2' });
    const [branch] = await store.readBranches([{ ...key, leafId: null, window: (length) => ({ from: 1, to: length }) }]);
    expect(branch!.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm4']);
    expect((await store.readLinks([{ ...key, sequence: 3, id: 'm3' }]))[0]).toEqual({ siblingIds: ['m3', 'm4'], childCount: 0 });
  });
});

describe('postgres store: a stream written through two replicas', () => {
  it('keeps the content right when its chunks alternate between replicas, each remembering the content so far', async () => {
    const schema = await schemas.create();
    const [a, b] = [0, 1].map(() => {
      const store = new PostgresStore({ connectionString: url, schema, poolSize: 3 });
      closeAfterTest(() => store.close());
      return store;
    }) as [PostgresStore, PostgresStore];
    const session = { projectId: 'p', id: 's', title: 't', description: null, metadata: {}, isActive: true, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), version: 1, messageCount: 0, lastMessageAt: null, messagesByRole: { user: 0, assistant: 0, system: 0, tool: 0 }, activeLeafId: null, forkedFrom: null, pinned: false, tags: [], createdBy: null };
    await a.createSession(session);
    const key = { projectId: 'p', sessionId: 's' };
    await a.appendMessage(key, { id: 'm', role: 'assistant', content: '>', metadata: {}, clientMessageId: null, streaming: true });
    const chunk = (store: PostgresStore, index: number) => store.appendChunk({ ...key, messageId: 'm', index, chunk: `${index},`, maxBytes: 10_000 });
    // a writes 0-2 and remembers them; b writes 3-4 (a's memory is now behind); a writes 5 (it must read again).
    for (const [store, index] of [[a, 0], [a, 1], [a, 2], [b, 3], [b, 4], [a, 5], [b, 6]] as const) {
      const result = await chunk(store, index);
      expect(result!.message.content).toBe(`>${Array.from({ length: index + 1 }, (_, i) => `${i},`).join('')}`);
    }
    expect((await a.appendChunk({ ...key, messageId: 'm', index: 4, chunk: 'other', maxBytes: 10_000 }))!.appended).toBe(false);
    const done = await b.finishMessage({ ...key, messageId: 'm', status: 'complete', metadata: {} });
    expect(done!.message.content).toBe('>0,1,2,3,4,5,6,');
  });
});
