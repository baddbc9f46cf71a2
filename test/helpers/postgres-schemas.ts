// Fresh PostgreSQL schemas for a test file, each dropped when the file's tests are done. Needs the test database
// (TEST_DATABASE_URL, default the local one that CI starts); without it the tests fail, never skip.
import pg from 'pg';
import { afterAll } from 'vitest';
import { newId } from '../../src/domain/ids.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Call at the top of a test file: `create()` makes a new empty schema and returns its name. */
export function postgresSchemas() {
  const admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });
  return {
    admin,
    async create(): Promise<string> {
      const schema = `t_${newId().toLowerCase()}`;
      schemas.push(schema);
      await admin.query(`CREATE SCHEMA ${schema}`);
      return schema;
    },
  };
}
