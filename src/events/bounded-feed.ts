// An async iterator over pushed items with a cap on how many may wait: a reader that falls that far behind is
// ended with SlowSubscriberError instead of letting memory grow.

/** Ends a subscription whose reader fell too far behind; it can resume where it stopped with `after`. */
export class SlowSubscriberError extends Error {
  override readonly name = 'SlowSubscriberError' as const;
  constructor(limit: number) {
    super(`Subscriber fell more than ${limit} events behind and was disconnected; subscribe again with 'after' set to the last cursor received`);
  }
}

/**
 * Ends a subscription whose events may have been lost: the event bus between replicas (Redis) lost its connection.
 * The client subscribes again (with `after` for messages) and reloads what it shows.
 */
export class EventsInterruptedError extends Error {
  override readonly name = 'EventsInterruptedError' as const;
  constructor(message = 'The live event stream was interrupted and events may have been missed; subscribe again and reload') {
    super(message);
  }
}

export class BoundedFeed<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private failure: Error | null = null;
  private finished = false;

  constructor(
    private readonly limit: number,
    private readonly onClose: () => void,
  ) {}

  push(item: T): void {
    if (this.finished) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve({ value: item, done: false });
    } else if (this.items.length >= this.limit) {
      this.fail(new SlowSubscriberError(this.limit));
    } else {
      this.items.push(item);
    }
  }

  /** Completes the feed after what is already buffered. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.onClose();
    if (this.waiter && this.items.length === 0) {
      this.waiter.resolve({ value: undefined, done: true });
      this.waiter = null;
    }
  }

  /** Ends the feed with `error` at once, dropping what is buffered: the reader's next read rejects with it. */
  fail(error: Error): void {
    if (this.finished) return;
    this.failure = error;
    this.items.length = 0;
    // A reader waiting right now gets the error, not the plain end that end() would give it.
    const waiter = this.waiter;
    this.waiter = null;
    this.end();
    waiter?.reject(error);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.failure) return Promise.reject(this.failure);
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
