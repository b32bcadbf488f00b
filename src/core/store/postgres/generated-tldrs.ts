/**
 * Generated TL;DRs in PostgreSQL (table `generated_tldrs`, migration 2): one per paper and model, the latest prompt's,
 * shared by every instance using the database.
 */
import type { CachedTldr, GeneratedTldrStore } from '../store.ts';
import type { Sql } from './sql.ts';

export class PostgresGeneratedTldrs implements GeneratedTldrStore {
  constructor(private readonly sql: Sql) {}

  async get(paperId: string, model: string, promptHash: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ text: string }>(
      'SELECT text FROM generated_tldrs WHERE paper_id = $1 AND model = $2 AND prompt_hash = $3',
      [paperId, model, promptHash],
    );
    return row?.text;
  }

  async put(entry: CachedTldr): Promise<void> {
    await this.sql.query(
      `INSERT INTO generated_tldrs (paper_id, model, prompt_hash, text) VALUES ($1, $2, $3, $4)
       ON CONFLICT (paper_id, model) DO UPDATE SET prompt_hash = excluded.prompt_hash, text = excluded.text,
         created_at = now()`,
      [entry.paperId, entry.model, entry.promptHash, entry.text],
    );
  }
}
