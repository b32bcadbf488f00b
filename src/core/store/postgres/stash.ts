/** The button stash in PostgreSQL: shared by every instance using the database. */
import type { StashStore } from '../store.ts';
import type { Sql } from './sql.ts';

export class PostgresStash implements StashStore {
  constructor(private readonly sql: Sql) {}

  async put(key: string, value: string): Promise<void> {
    await this.sql.query('INSERT INTO stash (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
  }

  async get(key: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ value: string }>('SELECT value FROM stash WHERE key = $1', [key]);
    return row?.value;
  }
}
