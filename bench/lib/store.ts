// A real file store over a scratch directory, with sessions of chosen lengths, for the store-level scenarios.
import { pino } from 'pino';
import { FileStore } from '../../src/store/file/file-store.js';
import type { SessionKey } from '../../src/domain/session.js';
import { writeSessionFixture } from '../../test/helpers/session-fixture.js';

export const quiet = pino({ level: 'silent' });

/** Sessions of each length in `lengths`, written in the store's format, and the store opened over them. */
export async function storeWithSessions(dir: string, lengths: readonly number[]): Promise<{ store: FileStore; keys: Map<number, SessionKey> }> {
  const keys = new Map<number, SessionKey>();
  for (const length of lengths) {
    const { session } = await writeSessionFixture(dir, 'bench', length);
    keys.set(length, { projectId: 'bench', sessionId: session.id });
  }
  const store = new FileStore({ dataDir: dir, logger: quiet });
  await store.catchUpSearch(); // the search index of the fixtures, built before anything is measured
  return { store, keys };
}

/** Builds the search index of a data dir written as fixtures, so that a server started on it does not build it while measured. */
export async function indexForSearch(dataDir: string): Promise<void> {
  const store = new FileStore({ dataDir, logger: quiet });
  await store.catchUpSearch();
  await store.close();
}

let counter = 0;
/** A fresh message to append. */
export function draft(clientMessageId: string | null = null) {
  counter += 1;
  return { id: `b${counter}`, role: 'user' as const, content: `benchmark message ${counter} ${'x'.repeat(200)}`, metadata: {}, clientMessageId };
}
