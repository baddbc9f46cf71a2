// Every message of one session after a given sequence number: first what is stored, then live, with no gap and
// no duplicate at the seam, even while writers append. The live feed is subscribed before the backlog is read;
// live messages already replayed are dropped by sequence number, and a gap in the live feed is filled from the store.
import type { SessionEvent } from '../events/event-bus.js';
import type { BoundedFeed } from '../events/bounded-feed.js';
import type { Message, MessageChunk } from '../domain/message.js';
import type { SessionKey } from '../domain/session.js';
import type { ChatStore, MessageKey, StoredChunks } from '../store/store.js';

const REPLAY_PAGE = 500;

export async function* messagesAfter(store: ChatStore, key: SessionKey, afterSeq: number, feed: BoundedFeed<SessionEvent>): AsyncGenerator<Message> {
  let last = afterSeq;
  const readUpTo = async function* (upTo: number) {
    while (last < upTo) {
      const [page] = await store.readMessages([{ ...key, fromSeq: last + 1, toSeq: Math.min(upTo, last + REPLAY_PAGE) }]);
      if (!page || page.length === 0) return;
      for (const message of page) {
        last = message.sequence;
        yield message;
      }
    }
  };
  try {
    const [session] = await store.getSessions([key]);
    if (!session) return;
    yield* readUpTo(session.messageCount);
    for await (const event of feed) {
      if (event.sessionId !== key.sessionId) continue;
      if (event.kind === 'DELETED') return;
      if (event.kind !== 'MESSAGE_ADDED' || !event.message || event.message.sequence <= last) continue;
      yield* readUpTo(event.message.sequence - 1);
      last = event.message.sequence;
      yield event.message;
    }
  } finally {
    await feed.return();
  }
}

/** One event of a message's stream: a chunk with the message as of it, or (chunk null) the end with its final status. */
export interface StreamEvent {
  chunk: MessageChunk | null;
  message: Message;
}

/**
 * One message's chunks after `afterIndex`: the stored ones (`stored`, read after `feed` was subscribed), then live ones,
 * dropping what was replayed and filling any gap from the store, then one last event with the final status. Ends
 * at once (after the stored chunks) for a message that is no longer STREAMING, and without a last event when its
 * session is deleted.
 */
export async function* chunksAfter(
  store: ChatStore,
  key: MessageKey,
  afterIndex: number,
  stored: StoredChunks,
  feed: BoundedFeed<SessionEvent>,
): AsyncGenerator<StreamEvent> {
  let last = afterIndex;
  try {
    const replay = async function* (read: StoredChunks | null) {
      if (!read) return null;
      for (const chunk of read.chunks) {
        if (chunk.index <= last) continue;
        last = chunk.index;
        yield { chunk, message: read.message };
      }
      return read.message;
    };
    const first = yield* replay(stored);
    if (!first) return;
    if (first.status !== 'streaming') {
      yield { chunk: null, message: first };
      return;
    }
    for await (const event of feed) {
      if (event.kind === 'DELETED') return;
      if (event.kind !== 'MESSAGE_UPDATED' || !event.message) continue;
      const { chunk, message } = event;
      if (chunk && chunk.index <= last) continue;
      if ((chunk && chunk.index > last + 1) || (!chunk && message.chunkCount > last + 1)) {
        // Events of one stream may arrive out of order (its writer moved to another replica): the store has them all.
        const current = yield* replay(await store.readChunks(key, last));
        if (!current) return;
        if (current.status !== 'streaming') {
          yield { chunk: null, message: current };
          return;
        }
        continue;
      }
      if (chunk) {
        last = chunk.index;
        yield { chunk, message };
      } else if (message.status !== 'streaming') {
        yield { chunk: null, message };
        return;
      }
    }
  } finally {
    await feed.return();
  }
}

/** Every event of a project's feed, until it ends. */
export async function* projectEvents(feed: BoundedFeed<SessionEvent>): AsyncGenerator<SessionEvent> {
  try {
    yield* feed;
  } finally {
    await feed.return();
  }
}

/**
 * The generator, with a `return()` that first ends the feed. An async generator waiting inside `for await` on the
 * feed would only see its own `return()` at its next yield, that is, at the next event after the client left; by then
 * the transport has closed its stream. Ending the feed wakes it at once, so it finishes when the client goes.
 */
export function endWithFeed<T>(generator: AsyncGenerator<T>, feed: BoundedFeed<SessionEvent>): AsyncGenerator<T> {
  const stream: AsyncGenerator<T> = {
    next: (...args) => generator.next(...args),
    throw: (error) => generator.throw(error),
    return: async (value) => {
      await feed.return();
      return generator.return(value as T);
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}
