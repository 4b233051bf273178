/**
 * Runs async tasks one after another per key (e.g. per proposition), so that
 * the tally computed after a write is published in the order the writes
 * committed, and every client converges on the final tally. Different keys
 * run concurrently. Within one process only; the database row lock taken by
 * the callers keeps writes serial across processes as well.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Queues `task` behind earlier tasks with the same key; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Number of keys with queued work (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
