/**
 * Only one process polls (and delivers from) a database at a time: a lock row with an owner and an expiry that the
 * holder keeps pushing forward (heartbeat). A crashed holder's lock expires; on the same host a holder whose pid is
 * gone is taken over at once, so a restart after kill -9 does not wait for the expiry.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../store/database.ts';

export interface PollLockOptions {
  name?: string;
  /** How long a lock lives without a heartbeat (default 2 minutes). */
  ttlMs?: number;
  now?: () => number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class PollLock {
  readonly owner = randomUUID();
  private readonly name: string;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly host = hostname();

  constructor(
    private readonly db: Db,
    options: PollLockOptions = {},
  ) {
    this.name = options.name ?? 'poller';
    this.ttlMs = options.ttlMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes the lock if it is free, expired, ours, or held by a dead process on this host. */
  acquire(): boolean {
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare<[string], { owner: string; pid: number; host: string; expires_at: number }>(
            'SELECT owner, pid, host, expires_at FROM poll_lock WHERE name = ?',
          )
          .get(this.name);
        const free =
          !row ||
          row.owner === this.owner ||
          row.expires_at < this.now() ||
          (row.host === this.host && row.pid !== process.pid && !pidAlive(row.pid));
        if (!free) return false;
        this.db
          .prepare(
            `INSERT INTO poll_lock (name, owner, pid, host, expires_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
             expires_at = excluded.expires_at`,
          )
          .run(this.name, this.owner, process.pid, this.host, this.now() + this.ttlMs);
        return true;
      })
      .immediate();
  }

  /** Pushes the expiry forward; false when the lock is no longer ours. */
  heartbeat(): boolean {
    return (
      this.db
        .prepare('UPDATE poll_lock SET expires_at = ? WHERE name = ? AND owner = ?')
        .run(this.now() + this.ttlMs, this.name, this.owner).changes > 0
    );
  }

  release(): void {
    this.db.prepare('DELETE FROM poll_lock WHERE name = ? AND owner = ?').run(this.name, this.owner);
  }

  /** Who holds it, for messages. */
  holder(): { pid: number; host: string; expiresAt: number } | undefined {
    const row = this.db
      .prepare<[string], { pid: number; host: string; expires_at: number }>(
        'SELECT pid, host, expires_at FROM poll_lock WHERE name = ?',
      )
      .get(this.name);
    return row ? { pid: row.pid, host: row.host, expiresAt: row.expires_at } : undefined;
  }
}
