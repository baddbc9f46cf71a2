// Group commit: items that arrive while commits are under way wait, then go out together in one commit of their own,
// whatever their key. Items of one key are committed in arrival order and never in two commits at once; items of
// different keys share commits, and up to `maxInFlight` commits run at a time. The PostgreSQL store uses it so that
// concurrent appends, to one session or to many, share a transaction (and its WAL flush) instead of each waiting
// for a row lock and a flush of its own.

interface Pending<I, R> {
  key: string;
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most items one commit carries (default 100). */
  maxBatch?: number;
  /** Most commits under way at once (default 1). */
  maxInFlight?: number;
}

export class GroupCommit<I, R> {
  private waiting: Pending<I, R>[] = [];
  /** Keys with items in a commit under way: their next items wait for it. */
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /**
   * @param commit writes a batch and returns one result per item, in order; if it throws, every item of the batch
   *   gets the error.
   */
  constructor(
    private readonly commit: (items: readonly I[]) => Promise<readonly R[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  /** Commits `item` with others that arrive meanwhile; resolves once its batch is committed. */
  add(key: string, item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, item, resolve, reject });
      // The first commit waits for the end of this turn of the event loop, so that items added in the same turn join it.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.dispatch();
        });
      }
    });
  }

  /** Starts commits while there is room: each takes the waiting items, in arrival order, of keys not under way. */
  private dispatch(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch: Pending<I, R>[] = [];
      const left: Pending<I, R>[] = [];
      // A key with an item left behind (its commit under way, or this batch full) leaves its later items too: per-key order.
      const held = new Set<string>();
      for (const pending of this.waiting) {
        if (batch.length < this.maxBatch && !this.busy.has(pending.key) && !held.has(pending.key)) {
          batch.push(pending);
        } else {
          left.push(pending);
          held.add(pending.key);
        }
      }
      if (batch.length === 0) return;
      this.waiting = left;
      const keys = new Set(batch.map((p) => p.key));
      for (const key of keys) this.busy.add(key);
      this.inFlight += 1;
      void this.run(batch, keys);
    }
  }

  private async run(batch: readonly Pending<I, R>[], keys: ReadonlySet<string>): Promise<void> {
    try {
      const results = await this.commit(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(results[i]!);
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      for (const key of keys) this.busy.delete(key);
      this.inFlight -= 1;
      // What arrived meanwhile goes out at once, in the next commit.
      this.dispatch();
    }
  }
}
