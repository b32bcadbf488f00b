/** Papers' counts from a source (Hugging Face upvotes, comments) in PostgreSQL: one row per (paper, source). */
import type { PaperSignal, SignalStore } from '../store.ts';
import type { Sql } from './sql.ts';

interface SignalRow {
  paper_id: string;
  source: string;
  featured_on: string;
  upvotes: number;
  comments: number | null;
  first_seen_at: Date;
  as_of: Date;
}

function toSignal(row: SignalRow): PaperSignal {
  return {
    paperId: row.paper_id,
    source: row.source,
    featuredOn: row.featured_on,
    upvotes: row.upvotes,
    ...(row.comments === null ? {} : { comments: row.comments }),
    firstSeenAt: row.first_seen_at.toISOString(),
    asOf: row.as_of.toISOString(),
  };
}

export class PostgresSignals implements SignalStore {
  constructor(private readonly sql: Sql) {}

  async record(signal: Omit<PaperSignal, 'firstSeenAt'>): Promise<void> {
    await this.sql.query(
      `INSERT INTO paper_signals (paper_id, source, featured_on, upvotes, comments, first_seen_at, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (paper_id, source) DO UPDATE SET
         featured_on = least(paper_signals.featured_on, excluded.featured_on),
         upvotes = excluded.upvotes,
         comments = coalesce(excluded.comments, paper_signals.comments),
         as_of = excluded.as_of`,
      [signal.paperId, signal.source, signal.featuredOn, signal.upvotes, signal.comments ?? null, signal.asOf],
    );
  }

  async featured(source: string, since: string, until: string, limit: number): Promise<PaperSignal[]> {
    const rows = await this.sql.query<SignalRow>(
      `SELECT * FROM paper_signals WHERE source = $1 AND featured_on >= $2 AND featured_on <= $3
       ORDER BY upvotes DESC, coalesce(comments, 0) DESC, paper_id LIMIT $4`,
      [source, since, until, limit],
    );
    return rows.map(toSignal);
  }

  async latest(source: string): Promise<{ day: string; asOf: string } | undefined> {
    const [row] = await this.sql.query<{ day: string | null; as_of: Date | null }>(
      'SELECT max(featured_on) AS day, max(as_of) AS as_of FROM paper_signals WHERE source = $1',
      [source],
    );
    return row?.day && row.as_of ? { day: row.day, asOf: row.as_of.toISOString() } : undefined;
  }
}
