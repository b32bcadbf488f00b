/**
 * Event ids already handled, in PostgreSQL's `seen_events`: one statement decides "first time?" for every instance at
 * once (the row inserted, or an expired one taken over, means first). Expired rows are deleted every few minutes.
 */
import type { EventLog } from '../store.ts';
import type { Sql } from './sql.ts';

const PURGE_EVERY_MS = 5 * 60_000;

export class PostgresEvents implements EventLog {
  private lastPurge = 0;

  constructor(private readonly sql: Sql) {}

  async firstSeen(id: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    if (now - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now;
      await this.purgeExpired(now);
    }
    const taken = await this.sql.query(
      `INSERT INTO seen_events (id, expires_at) VALUES ($1, to_timestamp($2 / 1000.0))
       ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at
         WHERE seen_events.expires_at <= to_timestamp($3 / 1000.0)
       RETURNING id`,
      [id, now + ttlMs, now],
    );
    return taken.length > 0;
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    const gone = await this.sql.query(
      'DELETE FROM seen_events WHERE expires_at <= to_timestamp($1 / 1000.0) RETURNING id',
      [now],
    );
    return gone.length;
  }
}
