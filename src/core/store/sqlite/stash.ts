/** The button stash in SQLite: long button arguments under short keys. */
import type { StashStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

export class SqliteStash implements StashStore {
  private readonly insert;
  private readonly select;

  constructor(
    db: Db,
    private readonly run: Runner,
  ) {
    this.insert = db.prepare('INSERT OR IGNORE INTO stash (key, value, created_at) VALUES (?, ?, ?)');
    this.select = db.prepare<[string], { value: string }>('SELECT value FROM stash WHERE key = ?');
  }

  put(key: string, value: string): Promise<void> {
    return this.run(() => {
      this.insert.run(key, value, new Date().toISOString());
    });
  }

  get(key: string): Promise<string | undefined> {
    return this.run(() => this.select.get(key)?.value);
  }
}
