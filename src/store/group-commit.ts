// Group commit: items for one key that arrive while a commit for that key is under way wait for it, then go out
// together in one commit of their own. One commit per key at a time, batches in arrival order. The PostgreSQL store
// uses it so that concurrent appends to one session share a transaction (and its WAL flush) instead of each waiting
// for the row lock and a flush of its own.

interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, R> {
  private readonly queues = new Map<string, Pending<I, R>[]>();

  /**
   * @param commit writes a batch and returns one result per item, in order; if it throws, every item of the batch
   *   gets the error.
   * @param maxBatch most items one commit carries.
   */
  constructor(
    private readonly commit: (items: readonly I[]) => Promise<readonly R[]>,
    private readonly maxBatch = 100,
  ) {}

  /** Commits `item` with the others of its key that arrive meanwhile; resolves once its batch is committed. */
  add(key: string, item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      const fresh = [{ item, resolve, reject }];
      this.queues.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  private async drain(key: string, queue: Pending<I, R>[]): Promise<void> {
    // The first commit waits for the end of this turn of the event loop, so that items added in the same turn join it.
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        const results = await this.commit(batch.map((p) => p.item));
        for (const [i, p] of batch.entries()) p.resolve(results[i]!);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.queues.delete(key);
  }
}
