/** Long button arguments (queries) kept in SQLite under a short key, so button ids stay ≤100 characters. */
import { createHash } from 'node:crypto';
import type { Stash } from '../actions.ts';
import type { Db } from './database.ts';

export class SqliteStash implements Stash {
  private readonly insert;
  private readonly select;
  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO stash (key, value, created_at) VALUES (?, ?, ?)');
    this.select = db.prepare<[string], { value: string }>('SELECT value FROM stash WHERE key = ?');
  }
  put(value: string): string {
    const key = createHash('sha256').update(value).digest('base64url').slice(0, 16);
    this.insert.run(key, value, new Date().toISOString());
    return key;
  }
  get(key: string): string | undefined {
    return this.select.get(key)?.value;
  }
}
