// Store harnesses for the shared contract suites: a store over fresh data, and `reopen` over the same data.
import { FileStore } from '../../src/store/file/file-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { StoreHarness } from '../store/contract.js';
import { silentLogger } from './app.js';
import { TEST_DATABASE_URL } from './postgres-schemas.js';
import { closeAfterTest, tempDir } from './temp-dir.js';

function harness(open: () => StoreHarness['store']): StoreHarness {
  const store = open();
  return {
    store,
    reopen: async () => {
      await store.close();
      return open();
    },
  };
}

/** A file store over a new temp dir. */
export async function fileHarness(): Promise<StoreHarness> {
  const dataDir = await tempDir();
  return harness(() => {
    const store = new FileStore({ dataDir, logger: silentLogger });
    closeAfterTest(() => store.close());
    return store;
  });
}

/** A PostgreSQL store over a new schema (from postgresSchemas().create). */
export async function postgresHarness(schema: string): Promise<StoreHarness> {
  return harness(() => {
    const store = new PostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    closeAfterTest(() => store.close());
    return store;
  });
}
