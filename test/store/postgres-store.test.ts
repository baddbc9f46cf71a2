// The PostgreSQL store runs the same contract suite as the file store, on a real server, each test in its own schema.
// Without a reachable PostgreSQL these tests fail (CI starts one); they never skip.
import pg from 'pg';
import { afterAll } from 'vitest';
import { newId } from '../../src/domain/ids.js';
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
