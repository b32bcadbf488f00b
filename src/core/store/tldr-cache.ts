/** Generated TL;DRs in SQLite (table `generated_tldrs`, migration 3): one per paper and model, the latest prompt's. */
import type { Database } from 'better-sqlite3';
import type { CachedTldr, TldrCache } from '../summarize/generated-tldr.ts';

export class SqliteTldrCache implements TldrCache {
  private readonly select;
  private readonly upsert;

  constructor(db: Database) {
    this.select = db.prepare<[string, string, string], { text: string }>(
      'SELECT text FROM generated_tldrs WHERE paper_id = ? AND model = ? AND prompt_hash = ?',
    );
    this.upsert = db.prepare(
      `INSERT INTO generated_tldrs (paper_id, model, prompt_hash, text, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (paper_id, model) DO UPDATE SET prompt_hash = excluded.prompt_hash, text = excluded.text,
         created_at = excluded.created_at`,
    );
  }

  async get(paperId: string, model: string, promptHash: string): Promise<string | undefined> {
    return this.select.get(paperId, model, promptHash)?.text;
  }

  async put(entry: CachedTldr): Promise<void> {
    this.upsert.run(entry.paperId, entry.model, entry.promptHash, entry.text, new Date().toISOString());
  }
}
