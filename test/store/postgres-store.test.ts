// The PostgreSQL store runs the same contract suite as the file store, on a real server, each test in its own schema.
// Without a reachable PostgreSQL these tests fail (CI starts one); they never skip.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { closeAfterTest } from '../helpers/temp-dir.js';
import { runStoreContract } from './contract.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: url, max: 2 });
const schemas: string[] = [];

afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

runStoreContract('postgres', async () => {
  const schema = `t_${newId().toLowerCase()}`;
  schemas.push(schema);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const open = () => {
    const store = new PostgresStore({ connectionString: url, schema, poolSize: 4 });
    closeAfterTest(() => store.close());
    return store;
  };
  const store = open();
  return {
    store,
    reopen: async () => {
      await store.close();
      return open();
    },
  };
});

describe('postgres store: upgrades', () => {
  it('reads sessions written before conversations had branches (schema version 1) as chains after migrating', async () => {
    const schema = `t_${newId().toLowerCase()}`;
    schemas.push(schema);
    await admin.query(`CREATE SCHEMA ${schema}`);
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
