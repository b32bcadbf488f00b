/** Generated TL;DRs in SQLite (table `generated_tldrs`, migration 3): one per paper and model, the latest prompt's. */
import type { CachedTldr, GeneratedTldrStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

export class SqliteGeneratedTldrs implements GeneratedTldrStore {
  private readonly select;
  private readonly upsert;

  constructor(
    db: Db,
    private readonly run: Runner,
  ) {
    this.select = db.prepare<[string, string, string], { text: string }>(
      'SELECT text FROM generated_tldrs WHERE paper_id = ? AND model = ? AND prompt_hash = ?',
    );
    this.upsert = db.prepare(
      `INSERT INTO generated_tldrs (paper_id, model, prompt_hash, text, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (paper_id, model) DO UPDATE SET prompt_hash = excluded.prompt_hash, text = excluded.text,
         created_at = excluded.created_at`,
    );
  }

  get(paperId: string, model: string, promptHash: string): Promise<string | undefined> {
    return this.run(() => this.select.get(paperId, model, promptHash)?.text);
  }

  put(entry: CachedTldr): Promise<void> {
    return this.run(() => {
      this.upsert.run(entry.paperId, entry.model, entry.promptHash, entry.text, new Date().toISOString());
    });
  }
}
