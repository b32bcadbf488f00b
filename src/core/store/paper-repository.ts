/**
 * Papers in SQLite: upsert with duplicate merging (by arXiv id, id or former id, else normalized title; the other
 * record's id becomes an alias), look-ups, change tracking.
 */

import { normalizeTitle, parseArxivId } from '../papers/ids.ts';
import { mergePapers, samePaper } from '../papers/merge.ts';
import type { Paper } from '../papers/paper.ts';
import type { Db } from './database.ts';

export type UpsertOutcome = 'added' | 'updated' | 'unchanged';

interface PaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  abstract: string;
  authors: string;
  published: string | null;
  updated: string | null;
  categories: string;
  source: string;
  upvotes: number | null;
  ai_summary: string | null;
  keywords: string | null;
  github_repo: string | null;
  seq: number;
}

function fromRow(row: PaperRow): Paper {
  return {
    id: row.id,
    arxivId: row.arxiv_id ?? undefined,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as string[],
    published: row.published ?? undefined,
    updated: row.updated ?? undefined,
    categories: JSON.parse(row.categories) as string[],
    source: row.source,
    upvotes: row.upvotes ?? undefined,
    aiSummary: row.ai_summary ?? undefined,
    keywords: row.keywords ? (JSON.parse(row.keywords) as string[]) : undefined,
    githubRepo: row.github_repo ?? undefined,
  };
}

export class PaperRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      byId: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE id = ?'),
      byAlias: db.prepare<[string], { paper_id: string }>('SELECT paper_id FROM paper_aliases WHERE alias = ?'),
      byArxiv: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE arxiv_id = ?'),
      byTitle: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE title_norm = ? ORDER BY seq LIMIT 1'),
      insert: db.prepare(`INSERT INTO papers (id, arxiv_id, title, title_norm, abstract, authors, published, updated,
          categories, source, upvotes, ai_summary, keywords, github_repo, added_at, changed_at, seq)
        VALUES (@id, @arxiv_id, @title, @title_norm, @abstract, @authors, @published, @updated, @categories, @source,
          @upvotes, @ai_summary, @keywords, @github_repo, @now, @now, @seq)`),
      update: db.prepare(`UPDATE papers SET id = @id, arxiv_id = @arxiv_id, title = @title, title_norm = @title_norm,
          abstract = @abstract, authors = @authors, published = @published, updated = @updated,
          categories = @categories, upvotes = @upvotes, ai_summary = @ai_summary, keywords = @keywords,
          github_repo = @github_repo, changed_at = @now, seq = @seq WHERE id = @old_id`),
      alias: db.prepare('INSERT OR REPLACE INTO paper_aliases (alias, paper_id) VALUES (?, ?)'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM papers'),
      maxSeq: db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM papers'),
      all: db.prepare<[], PaperRow>('SELECT * FROM papers ORDER BY seq'),
      since: db.prepare<[number], PaperRow>('SELECT * FROM papers WHERE seq > ? ORDER BY seq'),
      nth: db.prepare<[number], { id: string }>('SELECT id FROM papers ORDER BY rowid LIMIT 1 OFFSET ?'),
    };
  }

  /** A paper by canonical id, arXiv id (any version or URL form) or a former id. */
  get(id: string): Paper | undefined {
    const direct = this.statements.byId.get(id);
    if (direct) return fromRow(direct);
    const arxivId = parseArxivId(id);
    if (arxivId) {
      const row = this.statements.byArxiv.get(arxivId);
      if (row) return fromRow(row);
    }
    const alias = this.byAlias(id);
    return alias ? fromRow(alias) : undefined;
  }

  private byAlias(alias: string): PaperRow | undefined {
    const row = this.statements.byAlias.get(alias);
    return row ? this.statements.byId.get(row.paper_id) : undefined;
  }

  findByTitle(title: string): Paper | undefined {
    const row = this.statements.byTitle.get(normalizeTitle(title));
    return row ? fromRow(row) : undefined;
  }

  count(): number {
    return this.statements.count.get()?.n ?? 0;
  }

  /** Changes since the index last looked: the highest change sequence number. */
  version(): number {
    return this.statements.maxSeq.get()?.s ?? 0;
  }

  all(): Paper[] {
    return this.statements.all.all().map(fromRow);
  }

  *iterate(): IterableIterator<Paper> {
    for (const row of this.statements.all.iterate()) yield fromRow(row);
  }

  changedSince(seq: number): { paper: Paper; seq: number }[] {
    return this.statements.since.all(seq).map((row) => ({ paper: fromRow(row), seq: row.seq }));
  }

  randomId(random: () => number): string | undefined {
    const n = this.count();
    if (n === 0) return undefined;
    return this.statements.nth.get(Math.min(n - 1, Math.floor(random() * n)))?.id;
  }

  /** Inserts or merges one paper; the same paper from two sources becomes one record. */
  upsert(paper: Paper, now = new Date().toISOString()): { outcome: UpsertOutcome; id: string } {
    const existingRow =
      (paper.arxivId ? this.statements.byArxiv.get(paper.arxivId) : undefined) ??
      this.statements.byId.get(paper.id) ??
      this.byAlias(paper.id) ??
      this.statements.byTitle.get(normalizeTitle(paper.title));
    const seq = this.version() + 1;
    if (!existingRow) {
      this.statements.insert.run({ ...toParams(paper), now, seq });
      return { outcome: 'added', id: paper.id };
    }
    const existing = fromRow(existingRow);
    // Two different arXiv ids with the same title are different papers (e.g. a re-submission under a new id).
    if (existing.arxivId && paper.arxivId && existing.arxivId !== paper.arxivId) {
      this.statements.insert.run({ ...toParams(paper), now, seq });
      return { outcome: 'added', id: paper.id };
    }
    const merged = mergePapers(existing, paper);
    // The other record's id keeps finding the paper (`/paper summary <their id>`).
    if (paper.id !== merged.id) this.statements.alias.run(paper.id, merged.id);
    if (samePaper(existing, merged)) return { outcome: 'unchanged', id: existing.id };
    this.statements.update.run({ ...toParams(merged), now, seq, old_id: existing.id });
    if (merged.id !== existing.id) this.statements.alias.run(existing.id, merged.id);
    return { outcome: 'updated', id: merged.id };
  }

  /** Upserts many papers in one transaction (fast imports, all-or-nothing per batch). */
  upsertMany(papers: Paper[]): { outcome: UpsertOutcome; id: string }[] {
    return this.db.transaction((batch: Paper[]) => batch.map((p) => this.upsert(p)))(papers);
  }
}

function toParams(paper: Paper) {
  return {
    id: paper.id,
    arxiv_id: paper.arxivId ?? null,
    title: paper.title,
    title_norm: normalizeTitle(paper.title),
    abstract: paper.abstract,
    authors: JSON.stringify(paper.authors),
    published: paper.published ?? null,
    updated: paper.updated ?? null,
    categories: JSON.stringify(paper.categories),
    source: paper.source,
    upvotes: paper.upvotes ?? null,
    ai_summary: paper.aiSummary ?? null,
    keywords: paper.keywords ? JSON.stringify(paper.keywords) : null,
    github_repo: paper.githubRepo ?? null,
  };
}
