/**
 * Papers in SQLite: upsert with duplicate merging (see ../upsert-plan.ts), look-ups, change tracking. Change numbers are `MAX(seq) + 1` per write; SQLite has one writer at a time, so they grow in commit order.
 */

import { normalizeTitle, parseArxivId } from '../../papers/ids.ts';
import type { Paper } from '../../papers/paper.ts';
import type { CorpusRead, PaperChange, PaperStore, UpsertResult } from '../store.ts';
import { planUpsert, type StoredPapers, type UpsertOptions } from '../upsert-plan.ts';
import type { Db } from './database.ts';
import type { Gate, Runner } from './gate.ts';

interface PaperRow {
  id: string;
  arxiv_id: string | null;
  doi: string | null;
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

/** Papers per page of a corpus read. */
const PAGE = 2000;
/** Ids per statement of `getMany` (SQLite allows 32,766 parameters; pages of hits are far smaller). */
const IDS_PER_QUERY = 500;

function fromRow(row: PaperRow): Paper {
  return {
    id: row.id,
    arxivId: row.arxiv_id ?? undefined,
    doi: row.doi ?? undefined,
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

export class SqlitePapers implements PaperStore {
  private readonly statements;

  /**
   * `run` is how calls reach the connection (waiting while a transaction holds it, or at once inside one); `gate`,
   * when given, lets corpus reads hold the connection for their whole view.
   */
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
    private readonly gate?: Gate,
  ) {
    this.statements = {
      byId: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE id = ?'),
      byAlias: db.prepare<[string], { paper_id: string }>('SELECT paper_id FROM paper_aliases WHERE alias = ?'),
      byArxiv: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE arxiv_id = ?'),
      byDoi: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE doi = ? ORDER BY seq LIMIT 1'),
      byTitle: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE title_norm = ? ORDER BY seq LIMIT 1'),
      allByTitle: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE title_norm = ? ORDER BY seq'),
      insert: db.prepare(`INSERT INTO papers (id, arxiv_id, doi, title, title_norm, abstract, authors, published,
          updated, categories, source, upvotes, ai_summary, keywords, github_repo, added_at, changed_at, seq)
        VALUES (@id, @arxiv_id, @doi, @title, @title_norm, @abstract, @authors, @published, @updated, @categories,
          @source, @upvotes, @ai_summary, @keywords, @github_repo, @now, @now, @seq)`),
      update: db.prepare(`UPDATE papers SET id = @id, arxiv_id = @arxiv_id, doi = @doi, title = @title,
          title_norm = @title_norm,
          abstract = @abstract, authors = @authors, published = @published, updated = @updated,
          categories = @categories, upvotes = @upvotes, ai_summary = @ai_summary, keywords = @keywords,
          github_repo = @github_repo, changed_at = @now, seq = @seq WHERE id = @old_id`),
      alias: db.prepare('INSERT OR REPLACE INTO paper_aliases (alias, paper_id) VALUES (?, ?)'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM papers'),
      maxSeq: db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM papers'),
      since: db.prepare<[number], PaperRow>('SELECT * FROM papers WHERE seq > ? ORDER BY seq'),
      page: db.prepare<[number, number], PaperRow>('SELECT * FROM papers WHERE seq > ? ORDER BY seq LIMIT ?'),
      nth: db.prepare<[number], { id: string }>('SELECT id FROM papers ORDER BY rowid LIMIT 1 OFFSET ?'),
      list: db.prepare('UPDATE papers SET listed_at = ? WHERE id = ? AND listed_at IS NULL'),
    };
  }

  get(id: string): Promise<Paper | undefined> {
    return this.run(() => this.find(id));
  }

  getMany(ids: readonly string[]): Promise<Map<string, Paper>> {
    return this.run(() => {
      const found = new Map<string, Paper>();
      const wanted = [...new Set(ids)];
      for (let i = 0; i < wanted.length; i += IDS_PER_QUERY) {
        const chunk = wanted.slice(i, i + IDS_PER_QUERY);
        const rows = this.db
          .prepare<string[], PaperRow>(`SELECT * FROM papers WHERE id IN (${chunk.map(() => '?').join(', ')})`)
          .all(...chunk);
        for (const row of rows) found.set(row.id, fromRow(row));
      }
      // Ids that are not canonical (an arXiv URL, a former id) are rare: one look-up each.
      for (const id of wanted) {
        if (found.has(id)) continue;
        const paper = this.find(id);
        if (paper) found.set(id, paper);
      }
      return found;
    });
  }

  findByTitle(title: string): Promise<Paper | undefined> {
    return this.run(() => {
      const row = this.statements.byTitle.get(normalizeTitle(title));
      return row ? fromRow(row) : undefined;
    });
  }

  count(): Promise<number> {
    return this.run(() => this.countNow());
  }

  version(): Promise<number> {
    return this.run(() => this.versionNow());
  }

  changedSince(seq: number): Promise<PaperChange[]> {
    return this.run(() => this.statements.since.all(seq).map((row) => ({ paper: fromRow(row), seq: row.seq })));
  }

  /** A read transaction (a snapshot in WAL mode) holds the connection while the pages are read. */
  readCorpus<T>(sinceSeq: number | undefined, read: (corpus: CorpusRead) => Promise<T>): Promise<T> {
    const view = async () => {
      // Inside a transaction the view is consistent already.
      const own = !this.db.inTransaction;
      if (own) this.db.exec('BEGIN');
      try {
        const version = this.versionNow();
        const count = this.countNow();
        const page = this.statements.page;
        async function* pages(): AsyncGenerator<Paper[]> {
          let after = sinceSeq ?? -1;
          for (;;) {
            const rows = page.all(after, PAGE);
            if (!rows.length) return;
            after = rows[rows.length - 1]!.seq;
            yield rows.map(fromRow);
          }
        }
        return await read({ version, count, pages: pages() });
      } finally {
        if (own) this.db.exec('COMMIT');
      }
    };
    return this.gate ? this.gate.exclusive(view) : view();
  }

  randomId(random: () => number): Promise<string | undefined> {
    return this.run(() => {
      const n = this.countNow();
      if (n === 0) return undefined;
      return this.statements.nth.get(Math.min(n - 1, Math.floor(random() * n)))?.id;
    });
  }

  upsert(paper: Paper, now = new Date().toISOString()): Promise<UpsertResult> {
    // One transaction: the paper and its aliases are written together.
    return this.run(() => this.db.transaction(() => this.upsertNow(paper, now))());
  }

  upsertMany(papers: readonly Paper[], options: UpsertOptions = {}): Promise<UpsertResult[]> {
    return this.run(() =>
      this.db.transaction((batch: readonly Paper[]) => {
        const now = new Date().toISOString();
        return batch.map((p) => this.upsertNow(p, now, options));
      })(papers),
    );
  }

  markListed(ids: readonly string[], now: string): Promise<string[]> {
    return this.run(() =>
      this.db.transaction(() => {
        const listed: string[] = [];
        for (const id of new Set(ids)) {
          // Found as `get` finds it: the id a batch's upsert returned may have become an alias later in the batch.
          const paper = this.find(id);
          if (paper && this.statements.list.run(now, paper.id).changes > 0) listed.push(paper.id);
        }
        return listed;
      })(),
    );
  }

  private find(id: string): Paper | undefined {
    const direct = this.statements.byId.get(id);
    if (direct) return fromRow(direct);
    const arxivId = parseArxivId(id);
    if (arxivId) {
      const row = this.statements.byArxiv.get(arxivId);
      if (row) return fromRow(row);
    }
    const alias = this.byAlias(id) ?? this.statements.byDoi.get(id);
    return alias ? fromRow(alias) : undefined;
  }

  private byAlias(alias: string): PaperRow | undefined {
    const row = this.statements.byAlias.get(alias);
    return row ? this.statements.byId.get(row.paper_id) : undefined;
  }

  private countNow(): number {
    return this.statements.count.get()?.n ?? 0;
  }

  private versionNow(): number {
    return this.statements.maxSeq.get()?.s ?? 0;
  }

  private upsertNow(paper: Paper, now: string, options: UpsertOptions = {}): UpsertResult {
    const plan = planUpsert(this.stored, paper, options);
    if (plan.kind === 'insert') {
      this.statements.insert.run({ ...toParams(plan.paper), now, seq: this.versionNow() + 1 });
      return { outcome: 'added', id: plan.paper.id };
    }
    for (const { alias, paperId } of plan.aliases) this.statements.alias.run(alias, paperId);
    const merge = plan.merge ? { merge: plan.merge } : {};
    if (plan.kind === 'unchanged') return { outcome: 'unchanged', id: plan.id, ...merge };
    this.statements.update.run({ ...toParams(plan.merged), now, seq: this.versionNow() + 1, old_id: plan.oldId });
    return { outcome: 'updated', id: plan.merged.id, ...merge };
  }

  /** The store as the upsert plan looks papers up, read inside the write's transaction. */
  private readonly stored: StoredPapers = {
    byId: (id) => this.paper(this.statements.byId.get(id)),
    byAlias: (alias) => this.paper(this.byAlias(alias)),
    byArxivId: (arxivId) => this.paper(this.statements.byArxiv.get(arxivId)),
    byDoi: (doi) => this.paper(this.statements.byDoi.get(doi)),
    byTitle: (title) => this.statements.allByTitle.all(title).map(fromRow),
  };

  private paper(row: PaperRow | undefined): Paper | undefined {
    return row ? fromRow(row) : undefined;
  }
}

function toParams(paper: Paper) {
  return {
    id: paper.id,
    arxiv_id: paper.arxivId ?? null,
    doi: paper.doi ?? null,
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
