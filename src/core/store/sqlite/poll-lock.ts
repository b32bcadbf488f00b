/**
 * The poll lock in SQLite: a lease row (see ../lease.ts) taken in an IMMEDIATE transaction, so two processes on one
 * database file cannot both take it.
 */
import { randomUUID } from 'node:crypto';
import { type LeaseRow, leaseIsFree, THIS_HOST } from '../lease.ts';
import type { LockHolder, PollLock, PollLockOptions } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

export class SqlitePollLock implements PollLock {
  readonly owner = randomUUID();
  private readonly name: string;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly run: Runner,
    options: PollLockOptions = {},
  ) {
    this.name = options.name ?? 'poller';
    this.ttlMs = options.ttlMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  acquire(): Promise<boolean> {
    return this.run(() =>
      this.db
        .transaction(() => {
          const row = this.db
            .prepare<[string], { owner: string; pid: number; host: string; expires_at: number }>(
              'SELECT owner, pid, host, expires_at FROM poll_lock WHERE name = ?',
            )
            .get(this.name);
          const lease: LeaseRow | undefined = row && { ...row, expiresAt: row.expires_at };
          if (!leaseIsFree(lease, this.owner, this.now())) return false;
          this.db
            .prepare(
              `INSERT INTO poll_lock (name, owner, pid, host, expires_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
                 expires_at = excluded.expires_at`,
            )
            .run(this.name, this.owner, process.pid, THIS_HOST, this.now() + this.ttlMs);
          return true;
        })
        .immediate(),
    );
  }

  heartbeat(): Promise<boolean> {
    return this.run(
      () =>
        this.db
          .prepare('UPDATE poll_lock SET expires_at = ? WHERE name = ? AND owner = ?')
          .run(this.now() + this.ttlMs, this.name, this.owner).changes > 0,
    );
  }

  release(): Promise<void> {
    return this.run(() => {
      this.db.prepare('DELETE FROM poll_lock WHERE name = ? AND owner = ?').run(this.name, this.owner);
    });
  }

  holder(): Promise<LockHolder | undefined> {
    return this.run(() => {
      const row = this.db
        .prepare<[string], { pid: number; host: string; expires_at: number }>(
          'SELECT pid, host, expires_at FROM poll_lock WHERE name = ?',
        )
        .get(this.name);
      return row ? { pid: row.pid, host: row.host, expiresAt: row.expires_at } : undefined;
    });
  }
}
