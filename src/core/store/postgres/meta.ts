/** Facts about the database in PostgreSQL's `meta` table. */
import type { MetaStore } from '../store.ts';
import type { Sql } from './sql.ts';

export class PostgresMeta implements MetaStore {
  constructor(private readonly sql: Sql) {}

  async get(key: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.sql.query(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  /** One statement: the row inserted now, or the one another instance inserted first. */
  async setIfAbsent(key: string, value: string): Promise<string> {
    const [row] = await this.sql.query<{ value: string }>(
      `WITH added AS (INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value)
       SELECT value FROM added UNION ALL SELECT value FROM meta WHERE key = $1 LIMIT 1`,
      [key, value],
    );
    return row?.value ?? value;
  }
}
