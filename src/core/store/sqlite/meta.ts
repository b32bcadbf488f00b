/** Facts about the database in SQLite's `meta` table. */
import type { MetaStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

export class SqliteMeta implements MetaStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  get(key: string): Promise<string | undefined> {
    return this.run(() => this.read(key));
  }

  set(key: string, value: string): Promise<void> {
    return this.run(() => {
      this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
    });
  }

  setIfAbsent(key: string, value: string): Promise<string> {
    return this.run(() => {
      this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, value);
      return this.read(key) ?? value;
    });
  }

  private read(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }
}
