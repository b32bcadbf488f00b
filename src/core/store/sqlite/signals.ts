/** Papers' counts from a source (Hugging Face upvotes, comments) in SQLite: one row per (paper, source). */
import type { PaperSignal, SignalStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface SignalRow {
  paper_id: string;
  source: string;
  featured_on: string;
  upvotes: number;
  comments: number | null;
  first_seen_at: string;
  as_of: string;
}

function toSignal(row: SignalRow): PaperSignal {
  return {
    paperId: row.paper_id,
    source: row.source,
    featuredOn: row.featured_on,
    upvotes: row.upvotes,
    ...(row.comments === null ? {} : { comments: row.comments }),
    firstSeenAt: row.first_seen_at,
    asOf: row.as_of,
  };
}

export class SqliteSignals implements SignalStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  record(signal: Omit<PaperSignal, 'firstSeenAt'>): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          `INSERT INTO paper_signals (paper_id, source, featured_on, upvotes, comments, first_seen_at, as_of)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (paper_id, source) DO UPDATE SET
             featured_on = min(featured_on, excluded.featured_on),
             upvotes = excluded.upvotes,
             comments = coalesce(excluded.comments, comments),
             as_of = excluded.as_of`,
        )
        .run(
          signal.paperId,
          signal.source,
          signal.featuredOn,
          signal.upvotes,
          signal.comments ?? null,
          signal.asOf,
          signal.asOf,
        );
    });
  }

  featured(source: string, since: string, until: string, limit: number): Promise<PaperSignal[]> {
    return this.run(() =>
      this.db
        .prepare<[string, string, string, number], SignalRow>(
          `SELECT * FROM paper_signals WHERE source = ? AND featured_on >= ? AND featured_on <= ?
           ORDER BY upvotes DESC, coalesce(comments, 0) DESC, paper_id LIMIT ?`,
        )
        .all(source, since, until, limit)
        .map(toSignal),
    );
  }

  latest(source: string): Promise<{ day: string; asOf: string } | undefined> {
    return this.run(() => {
      const row = this.db
        .prepare<[string], { day: string | null; as_of: string | null }>(
          'SELECT max(featured_on) AS day, max(as_of) AS as_of FROM paper_signals WHERE source = ?',
        )
        .get(source);
      return row?.day && row.as_of ? { day: row.day, asOf: row.as_of } : undefined;
    });
  }
}
