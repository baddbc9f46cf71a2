// The file store's search index on a thread of its own: SQLite's FTS5 inserts, commits and queries run in a worker
// (search-worker.ts), so indexing and searching take no time from the event loop that serves requests. Calls are
// answered in the order they are made. A worker that dies (it never should) fails what it was asked, and the next
// call starts another over the same file.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { SearchIndex } from './search-index.js';

/** What the thread can be asked to do: the index's own methods, run there. */
export type IndexMethods = Pick<SearchIndex, 'indexed' | 'sessions' | 'resetSession' | 'updateSession' | 'removeSession' | 'applyRecords' | 'search'>;
type Method = keyof IndexMethods;

/** One write of a batch; `what` names it in a log line when the index turns out to be behind the session. */
export type IndexWrite = { [K in Method]: { what: string; method: K; args: Parameters<IndexMethods[K]> } }[Method];

type Ask = { kind: 'call'; method: Method; args: unknown[] } | { kind: 'batch'; writes: IndexWrite[] } | { kind: 'close'; clean: boolean };

/** What the main thread sends: a request and the id its answer comes back with. */
export type ThreadRequest = Ask & { id: number };

/** What the worker sends: answers by id, its log lines, and once whether the index it opened was closed cleanly. */
export type ThreadMessage =
  | { kind: 'opened'; wasClean: boolean }
  | { kind: 'answer'; id: number; ok: true; value: unknown }
  | { kind: 'answer'; id: number; ok: false; error: { name: string; message: string; stack: string | undefined } }
  | { kind: 'log'; level: 'warn' | 'error'; fields: Record<string, unknown>; message: string };

/** How the index was found: closed cleanly last time (it holds every write), not (or new), or not opened at all. */
export type OpenedAs = 'clean' | 'unclean' | 'failed';

/** Thrown for the calls in flight when the worker stops unasked. */
export class SearchThreadError extends Error {
  override name = 'SearchThreadError' as const;
}

/**
 * The compiled worker beside this file. Run from the sources (tests, `npm run dev`), the TypeScript one, loaded after
 * registering tsx in the thread (Node 20 does not apply `--import` hooks to a worker's entry module).
 */
function newWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./search-worker.js', import.meta.url), { workerData });
  // The module form of tsx's API (what `require.resolve` finds is its CommonJS form, which cannot register hooks here).
  const tsx = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const entry = new URL('./search-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}

export class SearchThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  private openedNow: ((state: OpenedAs) => void) | null = null;
  /** Resolves once the thread has opened the index, or failed to. */
  readonly opened: Promise<OpenedAs>;
  private closing = false;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {
    this.opened = new Promise((resolve) => {
      this.openedNow = resolve;
    });
    this.start();
  }

  private start(): Worker {
    // Held (keeping the process alive) while it opens the index and while calls wait for it, never when idle.
    const worker = newWorker({ file: this.file });
    worker.on('message', (message: ThreadMessage) => this.received(message));
    worker.on('error', (error) => this.logger.error({ err: error }, 'the search index thread failed'));
    worker.on('exit', (code) => this.exited(worker, code));
    this.worker = worker;
    return worker;
  }

  private received(message: ThreadMessage): void {
    if (message.kind === 'opened') {
      this.openedNow?.(message.wasClean ? 'clean' : 'unclean');
      this.openedNow = null;
      if (this.waiting.size === 0) this.worker?.unref();
    } else if (message.kind === 'log') {
      this.logger[message.level](message.fields, message.message);
    } else {
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) this.worker?.unref();
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(Object.assign(new Error(message.error.message), message.error));
    }
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.openedNow?.('failed');
    this.openedNow = null;
    const error = new SearchThreadError(`the search index thread stopped (exit code ${code})`);
    if (!this.closing) this.logger.error({ code }, 'the search index thread stopped; the next index write starts another');
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  private send<T>(request: Ask): Promise<T> {
    if (this.closing) return Promise.reject(new SearchThreadError('the search index is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    if (this.waiting.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  }

  call<K extends Method>(method: K, ...args: Parameters<IndexMethods[K]>): Promise<ReturnType<IndexMethods[K]>> {
    return this.send({ kind: 'call', method, args });
  }

  /** Runs the writes in one transaction; resolves with the `what` of each that found the index behind its session. */
  batch(writes: IndexWrite[]): Promise<string[]> {
    return this.send({ kind: 'batch', writes });
  }

  /**
   * Stops the thread at once, leaving the index as a crash of the thread would (what it had committed stays); the
   * calls in flight fail, and the next call starts another thread. For tests of that failure.
   */
  async abandon(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Closes the index (`clean`: it holds every write) and stops the thread. */
  async close(clean: boolean): Promise<void> {
    if (this.closing) return;
    try {
      if (this.worker) await this.send({ kind: 'close', clean });
    } finally {
      this.closing = true;
      await this.worker?.terminate();
      this.worker = null;
    }
  }
}
