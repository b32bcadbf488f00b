/** The button stash in PostgreSQL: shared by every instance using the database. */
import type { StashStore } from '../store.ts';
import type { Sql } from './sql.ts';

export class PostgresStash implements StashStore {
  constructor(private readonly sql: Sql) {}

  async put(key: string, value: string, now = new Date().toISOString()): Promise<void> {
    // A key already there keeps its value (keys are derived from values); its time says when it was last carried.
    await this.sql.query(
      'INSERT INTO stash (key, value, created_at) VALUES ($1, $2, $3) ' +
        'ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at',
      [key, value, now],
    );
  }

  async get(key: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ value: string }>('SELECT value FROM stash WHERE key = $1', [key]);
    return row?.value;
  }

  async deleteOlderThan(cutoff: string): Promise<number> {
    const [row] = await this.sql.query<{ n: string }>(
      'WITH gone AS (DELETE FROM stash WHERE created_at < $1 RETURNING 1) SELECT count(*) AS n FROM gone',
      [cutoff],
    );
    return Number(row?.n ?? 0);
  }
}
