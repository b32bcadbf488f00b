/**
 * Event ids already handled, in this process's memory: the SQLite store's `EventLog` (one process serves a SQLite
 * database's platforms). Bounded: past `capacity` ids the oldest are forgotten first.
 */
import type { EventLog } from './store.ts';

export class MemoryEvents implements EventLog {
  /** id → expiry, in insertion order (oldest first). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  async firstSeen(id: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const expires = this.seen.get(id);
    if (expires !== undefined && expires > now) return false;
    this.seen.delete(id);
    this.seen.set(id, now + ttlMs);
    while (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return true;
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    let purged = 0;
    for (const [id, expires] of this.seen)
      if (expires <= now) {
        this.seen.delete(id);
        purged++;
      }
    return purged;
  }
}
