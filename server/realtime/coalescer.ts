/**
 * Keyed, version-aware throttle for tally broadcasts: the first update of a
 * key is sent at once; further updates within `intervalMs` are merged and the
 * one with the highest version is sent when the interval ends. So others see
 * a few tallies per second per proposition under a vote storm, and always the
 * latest one last.
 */
export class VersionedCoalescer<T extends { version: number }> {
  private readonly state = new Map<string, { lastSentAt: number; pending: T | null; timer: NodeJS.Timeout | null }>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string, value: T) => void,
  ) {}

  /** Offers a new value for `key`; older versions than one already pending are dropped. */
  push(key: string, value: T): void {
    const now = Date.now();
    const entry = this.state.get(key) ?? { lastSentAt: 0, pending: null, timer: null };
    this.state.set(key, entry);
    if (!entry.timer && now - entry.lastSentAt >= this.intervalMs) {
      entry.lastSentAt = now;
      this.send(key, value);
      return;
    }
    if (!entry.pending || value.version > entry.pending.version) entry.pending = value;
    if (!entry.timer) {
      entry.timer = setTimeout(() => this.flush(key), Math.max(0, entry.lastSentAt + this.intervalMs - now));
      entry.timer.unref?.();
    }
  }

  private flush(key: string) {
    const entry = this.state.get(key);
    if (!entry) return;
    entry.timer = null;
    if (entry.pending) {
      const value = entry.pending;
      entry.pending = null;
      entry.lastSentAt = Date.now();
      this.send(key, value);
    } else {
      this.state.delete(key);
    }
  }

  /** Sends everything pending now (at shutdown). */
  flushAll(): void {
    for (const [key, entry] of this.state) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
      if (entry.pending) this.send(key, entry.pending);
    }
    this.state.clear();
  }
}
