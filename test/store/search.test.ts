// The search contract on both stores: the file store (SQLite FTS5 beside the logs) and PostgreSQL (tsvector + GIN).
import { FileStore } from '../../src/store/file/file-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { silentLogger } from '../helpers/app.js';
import { postgresSchemas, TEST_DATABASE_URL as url } from '../helpers/postgres-schemas.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';
import { runSearchContract } from './search-contract.js';

runSearchContract('file', async () => {
  const dataDir = await tempDir();
  const open = () => {
    const store = new FileStore({ dataDir, logger: silentLogger });
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

const schemas = postgresSchemas();

runSearchContract('postgres', async () => {
  const schema = await schemas.create();
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
