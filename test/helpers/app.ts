// The real app over a real file store in a temp dir, driven through app.fetch with typed operations.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { type Logger, pino } from 'pino';
import { createApp } from '../../src/app.js';
import { FileStore } from '../../src/store/file/file-store.js';
import type { WriteFaultHook } from '../../src/store/file/write-faults.js';
import type { ChatStore } from '../../src/store/store.js';
import { closeAfterTest, tempDir } from './temp-dir.js';

export const silentLogger = pino({ level: 'silent' });

export interface TestAppOptions {
  dataDir?: string;
  maxBodyBytes?: number;
  maxMessageBytes?: number;
  corsOrigins?: string[];
  introspection?: boolean;
  /** Where the app logs (nothing by default). */
  logger?: Logger;
  /** Stands in for a failing disk under the file store. */
  faultHook?: WriteFaultHook;
  /** Wraps the store, e.g. to count calls. */
  wrapStore?: (store: ChatStore) => ChatStore;
}

export async function createTestApp(options: TestAppOptions = {}) {
  const dataDir = options.dataDir ?? (await tempDir());
  const fileStore = new FileStore({ dataDir, logger: silentLogger, ...(options.faultHook ? { faultHook: options.faultHook } : {}) });
  closeAfterTest(() => fileStore.close());
  const store = options.wrapStore ? options.wrapStore(fileStore) : fileStore;
  const { app, service } = createApp({
    config: { maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024, maxMessageBytes: options.maxMessageBytes ?? 256 * 1024, corsOrigins: options.corsOrigins ?? [], introspection: options.introspection ?? true },
    store,
    logger: options.logger ?? silentLogger,
  });

  /** POSTs a GraphQL request and returns the HTTP response. */
  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return app.fetch(
      new Request('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  }

  /** Runs a typed operation; the result is typed by graphql-codegen from schema.graphql. */
  async function gql<R, V>(document: TypedDocumentNode<R, V>, variables?: V): Promise<ExecutionResult<R>> {
    const response = await post({ query: print(document), variables });
    return (await response.json()) as ExecutionResult<R>;
  }

  /** Like gql, but fails the test on any GraphQL error and returns data. */
  async function data<R, V>(document: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
    const result = await gql(document, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  return { app, service, store: fileStore, dataDir, post, gql, data, close: () => fileStore.close() };
}
