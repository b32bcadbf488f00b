/**
 * The poll lock in PostgreSQL: a lease row (see ../lease.ts), read and taken under a transaction-scoped advisory lock
 * on its name, so two instances deciding at the same moment take turns instead of both taking it.
 */
import { randomUUID } from 'node:crypto';
import { leaseIsFree, THIS_HOST } from '../lease.ts';
import type { LockHolder, PollLock, PollLockOptions } from '../store.ts';
import { POLL_LOCK_SPACE, type Sql } from './sql.ts';

interface LockRow {
  owner: string;
  pid: number;
  host: string;
  /** bigint: node-postgres reads it as a string. */
  expires_at: string;
}

export class PostgresPollLock implements PollLock {
  readonly owner = randomUUID();
  private readonly name: string;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sql: Sql,
    options: PollLockOptions = {},
  ) {
    this.name = options.name ?? 'poller';
    this.ttlMs = options.ttlMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  acquire(): Promise<boolean> {
    return this.sql.atomic(async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [POLL_LOCK_SPACE, this.name]);
      const [row] = await sql.query<LockRow>('SELECT owner, pid, host, expires_at FROM poll_lock WHERE name = $1', [
        this.name,
      ]);
      const lease = row && { ...row, expiresAt: Number(row.expires_at) };
      if (!leaseIsFree(lease, this.owner, this.now())) return false;
      await sql.query(
        `INSERT INTO poll_lock (name, owner, pid, host, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
           expires_at = excluded.expires_at`,
        [this.name, this.owner, process.pid, THIS_HOST, this.now() + this.ttlMs],
      );
      return true;
    });
  }

  async heartbeat(): Promise<boolean> {
    const kept = await this.sql.query(
      'UPDATE poll_lock SET expires_at = $1 WHERE name = $2 AND owner = $3 RETURNING name',
      [this.now() + this.ttlMs, this.name, this.owner],
    );
    return kept.length > 0;
  }

  async release(): Promise<void> {
    await this.sql.query('DELETE FROM poll_lock WHERE name = $1 AND owner = $2', [this.name, this.owner]);
  }

  async holder(): Promise<LockHolder | undefined> {
    const [row] = await this.sql.query<LockRow>('SELECT pid, host, expires_at FROM poll_lock WHERE name = $1', [
      this.name,
    ]);
    return row ? { pid: row.pid, host: row.host, expiresAt: Number(row.expires_at) } : undefined;
  }
}
