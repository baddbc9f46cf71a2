// The search index's thread (see search-thread.ts): opens the index named by its workerData and runs what the main
// thread asks, one request at a time, in the order asked.
import { parentPort, workerData } from 'node:worker_threads';
import { type IndexLogger, SearchIndex } from './search-index.js';
import type { IndexMethods, ThreadMessage, ThreadRequest } from './search-thread.js';

const port = parentPort!;
const post = (message: ThreadMessage) => port.postMessage(message);
/** An error as plain fields: its own properties (a SQLite error's code, say) need not survive the copy between threads. */
function plain(error: unknown): { name: string; message: string; stack: string | undefined } {
  const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
  return { name, message, stack };
}

const forward =
  (level: 'warn' | 'error') =>
  (fields: Record<string, unknown>, message: string): void =>
    post({ kind: 'log', level, fields: fields.err === undefined ? fields : { ...fields, err: plain(fields.err) }, message });
const logger: IndexLogger = { warn: forward('warn'), error: forward('error') };

const index = SearchIndex.open((workerData as { file: string }).file, logger);
post({ kind: 'opened', wasClean: index.wasClean });

function invoke(method: keyof IndexMethods, args: unknown[]): unknown {
  return (index[method] as (...args: unknown[]) => unknown).apply(index, args);
}

function run(request: ThreadRequest): unknown {
  switch (request.kind) {
    case 'call':
      return invoke(request.method, request.args);
    case 'batch':
      return index.batch(() => request.writes.filter((write) => invoke(write.method, write.args) === false).map((write) => write.what));
    case 'close':
      index.close(request.clean);
      return undefined;
  }
}

port.on('message', (request: ThreadRequest) => {
  try {
    post({ kind: 'answer', id: request.id, ok: true, value: run(request) });
  } catch (error) {
    post({ kind: 'answer', id: request.id, ok: false, error: plain(error) });
  }
});
