/** The button stash in SQLite: long button arguments under short keys. */
import type { StashStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

export class SqliteStash implements StashStore {
  private readonly insert;
  private readonly select;
  private readonly deleteOld;

  constructor(
    db: Db,
    private readonly run: Runner,
  ) {
    // A key already there keeps its value (keys are derived from values); its time says when it was last carried.
    this.insert = db.prepare(
      'INSERT INTO stash (key, value, created_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at',
    );
    this.select = db.prepare<[string], { value: string }>('SELECT value FROM stash WHERE key = ?');
    this.deleteOld = db.prepare('DELETE FROM stash WHERE created_at < ?');
  }

  put(key: string, value: string, now = new Date().toISOString()): Promise<void> {
    return this.run(() => {
      this.insert.run(key, value, now);
    });
  }

  get(key: string): Promise<string | undefined> {
    return this.run(() => this.select.get(key)?.value);
  }

  deleteOlderThan(cutoff: string): Promise<number> {
    return this.run(() => this.deleteOld.run(cutoff).changes);
  }
}
