// The search index's thread (see search-thread.ts): opens the index named by its workerData and runs what the main
// thread asks, one request at a time, in the order asked.
import { parentPort, workerData } from 'node:worker_threads';
import { type IndexLogger, SearchIndex } from './search-index.js';
import type { ThreadMessage, ThreadRequest } from './search-thread.js';

const port = parentPort!;
const post = (message: ThreadMessage) => port.postMessage(message);
const logger: IndexLogger = {
  warn: (fields, message) => post({ kind: 'log', level: 'warn', fields, message }),
  error: (fields, message) => post({ kind: 'log', level: 'error', fields, message }),
};

const index = SearchIndex.open((workerData as { file: string }).file, logger);
post({ kind: 'opened', wasClean: index.wasClean });

function run(request: ThreadRequest): unknown {
  switch (request.kind) {
    case 'call':
      return (index[request.method] as (...args: unknown[]) => unknown).apply(index, request.args);
    case 'batch':
      return index.batch(() =>
        request.writes.filter((write) => (index[write.method] as (...args: unknown[]) => unknown).apply(index, write.args) === false).map((write) => write.what),
      );
    case 'close':
      index.close(request.clean);
      return undefined;
  }
}

port.on('message', (request: ThreadRequest) => {
  try {
    post({ kind: 'answer', id: request.id, ok: true, value: run(request) });
  } catch (error) {
    // Sent as plain fields: an error's own properties need not survive the copy between threads.
    const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
    post({ kind: 'answer', id: request.id, ok: false, error: { name, message, stack } });
  }
});
