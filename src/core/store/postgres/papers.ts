/**
 * Papers in PostgreSQL. A batch is upserted in a few statements: the stored records it may merge with are read at
 * once, the merges decided in memory (../upsert-plan.ts, as SQLite decides them), and the results written in bulk.
 *
 * Change numbers come from the `paper_seq` sequence, taken while holding a transaction-scoped advisory lock that every
 * paper write takes first. Writers therefore commit one after the other in the order of their numbers: a reader that
 * sees change N has been able to see every change below N, so catching up with `seq > last seen` never skips a
 * change committed late under a lower number. (Numbers of rolled-back writes are never used: gaps are harmless.)
 */

import { contentId } from '../../papers/duplicates.ts';
import { isTitleId, normalizeTitle, parseArxivId } from '../../papers/ids.ts';
import type { Paper } from '../../papers/paper.ts';
import type { CorpusRead, PaperChange, PaperStore, UpsertResult } from '../store.ts';
import { type PaperAlias, planUpsert, type StoredPapers, type UpsertOptions } from '../upsert-plan.ts';
import { PAPER_CHANNEL } from './paper-watch.ts';
import { LOCKS, pgText, type Sql, waitForLock } from './sql.ts';

interface PaperRow {
  id: string;
  arxiv_id: string | null;
  doi: string | null;
  title: string;
  abstract: string;
  authors: string[];
  published: string | null;
  updated: string | null;
  categories: string[];
  source: string;
  upvotes: number | null;
  ai_summary: string | null;
  keywords: string[] | null;
  github_repo: string | null;
  /** bigint: node-postgres reads it as a string. */
  seq: string;
}

/** Papers per page of a corpus read. */
const PAGE = 2000;

function fromRow(row: PaperRow): Paper {
  return {
    id: row.id,
    arxivId: row.arxiv_id ?? undefined,
    doi: row.doi ?? undefined,
    title: row.title,
    abstract: row.abstract,
    authors: row.authors,
    published: row.published ?? undefined,
    updated: row.updated ?? undefined,
    categories: row.categories,
    source: row.source,
    upvotes: row.upvotes ?? undefined,
    aiSummary: row.ai_summary ?? undefined,
    keywords: row.keywords ?? undefined,
    githubRepo: row.github_repo ?? undefined,
  };
}

function json(values: readonly string[] | undefined): string | null {
  return values === undefined ? null : JSON.stringify(values.map(pgText));
}

/** A paper as the columns of the bulk statements (arrays of each column, unnested in SQL). */
const COLUMNS = [
  ['id', 'text'],
  ['arxiv_id', 'text'],
  ['doi', 'text'],
  ['title', 'text'],
  ['title_norm', 'text'],
  ['abstract', 'text'],
  ['authors', 'jsonb'],
  ['published', 'text'],
  ['updated', 'text'],
  ['categories', 'jsonb'],
  ['source', 'text'],
  ['upvotes', 'integer'],
  ['ai_summary', 'text'],
  ['keywords', 'jsonb'],
  ['github_repo', 'text'],
  ['seq', 'bigint'],
] as const;

function columnValues(paper: Paper, seq: number): unknown[] {
  return [
    paper.id,
    paper.arxivId ?? null,
    paper.doi ?? null,
    paper.title,
    normalizeTitle(paper.title),
    paper.abstract,
    json(paper.authors),
    paper.published ?? null,
    paper.updated ?? null,
    json(paper.categories),
    paper.source,
    paper.upvotes ?? null,
    paper.aiSummary ?? null,
    json(paper.keywords),
    paper.githubRepo ?? null,
    seq,
  ];
}

/** `unnest($1::text[], $2::jsonb[], …) AS x(id, …)`, its parameters starting at `$first`. */
function unnestColumns(first: number, extra: readonly (readonly [string, string])[] = []): string {
  const all = [...COLUMNS, ...extra];
  const arrays = all.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');
  return `unnest(${arrays}) AS x(${all.map(([name]) => name).join(', ')})`;
}

function transpose(rows: unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, c) => rows.map((row) => row[c]));
}

/** The stored papers a batch may merge with, and how the batch changes them, kept in memory while it is planned. */
class BatchView implements StoredPapers {
  private readonly entries = new Map<string, { paper: Paper; seq: number }>();
  private readonly arxiv = new Map<string, string>();
  private readonly dois = new Map<string, Set<string>>();
  private readonly titles = new Map<string, Set<string>>();
  /** Alias → the id of the paper it names. */
  private readonly aliases = new Map<string, string>();

  add(paper: Paper, seq: number): void {
    this.entries.set(paper.id, { paper, seq });
    if (paper.arxivId) this.arxiv.set(paper.arxivId, paper.id);
    if (paper.doi) addTo(this.dois, paper.doi, paper.id);
    addTo(this.titles, normalizeTitle(paper.title), paper.id);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.paper.arxivId && this.arxiv.get(entry.paper.arxivId) === id) this.arxiv.delete(entry.paper.arxivId);
    if (entry.paper.doi) this.dois.get(entry.paper.doi)?.delete(id);
    this.titles.get(normalizeTitle(entry.paper.title))?.delete(id);
  }

  addAlias({ alias, paperId }: PaperAlias): void {
    this.aliases.set(alias, paperId);
  }

  // As SQLite looks them up (../sqlite/papers.ts): several papers with a DOI or title come earliest-written first.
  byId(id: string): Paper | undefined {
    return this.entries.get(id)?.paper;
  }

  byAlias(alias: string): Paper | undefined {
    const id = this.aliases.get(alias);
    return id === undefined ? undefined : this.byId(id);
  }

  byArxivId(arxivId: string): Paper | undefined {
    const id = this.arxiv.get(arxivId);
    return id === undefined ? undefined : this.byId(id);
  }

  byDoi(doi: string): Paper | undefined {
    return this.inOrder(this.dois.get(doi))[0];
  }

  byTitle(normalizedTitle: string): Paper[] {
    return this.inOrder(this.titles.get(normalizedTitle));
  }

  private inOrder(ids: Set<string> | undefined): Paper[] {
    const found = [...(ids ?? [])].flatMap((id) => this.entries.get(id) ?? []);
    return found.sort((a, b) => a.seq - b.seq).map((entry) => entry.paper);
  }
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key) ?? new Set<string>();
  ids.add(id);
  index.set(key, ids);
}

/** What a batch writes: each paper's final state, keyed by its id at the end of the batch. */
interface Written {
  paper: Paper;
  seq: number;
  /** The id of the stored row it replaces; undefined for a new paper. */
  storedId?: string;
}

export class PostgresPapers implements PaperStore {
  constructor(private readonly sql: Sql) {}

  get(id: string): Promise<Paper | undefined> {
    return this.find(this.sql, id);
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Paper>> {
    const found = new Map<string, Paper>();
    const wanted = [...new Set(ids)];
    if (!wanted.length) return found;
    const rows = await this.sql.query<PaperRow>('SELECT * FROM papers WHERE id = ANY($1::text[])', [wanted]);
    for (const row of rows) found.set(row.id, fromRow(row));
    // Ids that are not canonical (an arXiv URL, a former id) are rare: one look-up each.
    for (const id of wanted) {
      if (found.has(id)) continue;
      const paper = await this.find(this.sql, id);
      if (paper) found.set(id, paper);
    }
    return found;
  }

  async findByTitle(title: string): Promise<Paper | undefined> {
    const [row] = await this.sql.query<PaperRow>('SELECT * FROM papers WHERE title_norm = $1 ORDER BY seq LIMIT 1', [
      normalizeTitle(title),
    ]);
    return row ? fromRow(row) : undefined;
  }

  count(): Promise<number> {
    return this.countIn(this.sql);
  }

  version(): Promise<number> {
    return this.versionIn(this.sql);
  }

  async changedSince(seq: number): Promise<PaperChange[]> {
    const rows = await this.sql.query<PaperRow>('SELECT * FROM papers WHERE seq > $1 ORDER BY seq', [seq]);
    return rows.map((row) => ({ paper: fromRow(row), seq: Number(row.seq) }));
  }

  /** A read-only REPEATABLE READ transaction: every page comes from the same moment as the version and count. */
  readCorpus<T>(sinceSeq: number | undefined, read: (corpus: CorpusRead) => Promise<T>): Promise<T> {
    return this.sql.atomic(
      async (sql) => {
        const version = await this.versionIn(sql);
        const count = await this.countIn(sql);
        async function* pages(): AsyncGenerator<Paper[]> {
          let after = sinceSeq ?? -1;
          for (;;) {
            const rows = await sql.query<PaperRow>('SELECT * FROM papers WHERE seq > $1 ORDER BY seq LIMIT $2', [
              after,
              PAGE,
            ]);
            if (!rows.length) return;
            after = Number(rows[rows.length - 1]!.seq);
            yield rows.map(fromRow);
          }
        }
        return read({ version, count, pages: pages() });
      },
      { snapshot: true },
    );
  }

  async randomId(random: () => number): Promise<string | undefined> {
    const n = await this.count();
    if (n === 0) return undefined;
    const [row] = await this.sql.query<{ id: string }>('SELECT id FROM papers ORDER BY id OFFSET $1 LIMIT 1', [
      Math.min(n - 1, Math.floor(random() * n)),
    ]);
    return row?.id;
  }

  async upsert(paper: Paper, now = new Date().toISOString()): Promise<UpsertResult> {
    const [outcome] = await this.write([paper], now);
    return outcome!;
  }

  upsertMany(papers: readonly Paper[], options: UpsertOptions = {}): Promise<UpsertResult[]> {
    return this.write(papers, new Date().toISOString(), options);
  }

  private write(papers: readonly Paper[], now: string, options: UpsertOptions = {}): Promise<UpsertResult[]> {
    if (!papers.length) return Promise.resolve([]);
    return this.sql.atomic(async (sql) => {
      await waitForLock(sql, LOCKS.paperChanges);
      const view = new BatchView();
      // Every id a record may be stored under: its own, and for a made-up id the one made from all it says.
      const ids = papers.flatMap((p) => (isTitleId(p.id) ? [p.id, contentId(p)] : [p.id]));
      const stored = await sql.query<PaperRow>(
        `SELECT * FROM papers WHERE id = ANY($1::text[]) OR arxiv_id = ANY($2::text[]) OR title_norm = ANY($3::text[])
           OR doi = ANY($4::text[]) OR id IN (SELECT paper_id FROM paper_aliases WHERE alias = ANY($1::text[]))`,
        [
          ids,
          papers.flatMap((p) => (p.arxivId ? [p.arxivId] : [])),
          papers.map((p) => normalizeTitle(p.title)),
          papers.flatMap((p) => (p.doi ? [p.doi] : [])),
        ],
      );
      for (const row of stored) view.add(fromRow(row), Number(row.seq));
      const storedAliases = await sql.query<{ alias: string; paper_id: string }>(
        'SELECT alias, paper_id FROM paper_aliases WHERE alias = ANY($1::text[])',
        [ids],
      );
      for (const row of storedAliases) view.addAlias({ alias: row.alias, paperId: row.paper_id });
      const seqs = await this.takeSeqs(sql, papers.length);

      const outcomes: UpsertResult[] = [];
      const written = new Map<string, Written>();
      const aliases = new Map<string, string>();
      papers.forEach((paper, i) => {
        const plan = planUpsert(view, paper, options);
        const seq = seqs[i]!;
        if (plan.kind !== 'insert') {
          for (const alias of plan.aliases) {
            aliases.set(alias.alias, alias.paperId);
            view.addAlias(alias);
          }
        }
        const merge = plan.kind !== 'insert' && plan.merge ? { merge: plan.merge } : {};
        if (plan.kind === 'unchanged') {
          outcomes.push({ outcome: 'unchanged', id: plan.id, ...merge });
        } else if (plan.kind === 'insert') {
          written.set(plan.paper.id, { paper: plan.paper, seq });
          view.add(plan.paper, seq);
          outcomes.push({ outcome: 'added', id: plan.paper.id });
        } else {
          const before = written.get(plan.oldId);
          written.delete(plan.oldId);
          written.set(plan.merged.id, { paper: plan.merged, seq, storedId: before ? before.storedId : plan.oldId });
          view.remove(plan.oldId);
          view.add(plan.merged, seq);
          outcomes.push({ outcome: 'updated', id: plan.merged.id, ...merge });
        }
      });
      await this.store([...written.values()], [...aliases], sql, now);
      // Every listening instance hears of it when (and only if) this commits: their search indexes catch up.
      if (written.size) await sql.query('SELECT pg_notify($1, $2)', [PAPER_CHANNEL, String(seqs[seqs.length - 1])]);
      return outcomes;
    });
  }

  async markListed(ids: readonly string[], now: string): Promise<string[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    // Found as `get` finds them: the id a batch's upsert returned may have become an alias later in the batch. One
    // look-up per index (an OR across them would scan the table).
    const rows = await this.sql.query<{ id: string }>(
      `WITH named AS (
         SELECT id FROM papers WHERE id = ANY($1::text[])
         UNION SELECT id FROM papers WHERE arxiv_id = ANY($2::text[])
         UNION SELECT paper_id FROM paper_aliases WHERE alias = ANY($1::text[])
       )
       UPDATE papers p SET listed_at = $3 FROM named WHERE p.id = named.id AND p.listed_at IS NULL RETURNING p.id`,
      [wanted, wanted.flatMap((id) => parseArxivId(id) ?? []), now],
    );
    return rows.map((row) => row.id);
  }

  /** `n` change numbers, in the order they were handed out. */
  private async takeSeqs(sql: Sql, n: number): Promise<number[]> {
    const rows = await sql.query<{ seq: string }>("SELECT nextval('paper_seq') AS seq FROM generate_series(1, $1)", [
      n,
    ]);
    return rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
  }

  private async store(written: Written[], aliases: [string, string][], sql: Sql, now: string): Promise<void> {
    const inserts = written.filter((w) => w.storedId === undefined);
    const updates = written.filter((w) => w.storedId !== undefined);
    const names = COLUMNS.map(([name]) => name).join(', ');
    if (inserts.length) {
      const rows = inserts.map((w) => columnValues(w.paper, w.seq));
      await sql.query(
        `INSERT INTO papers (${names}, added_at, changed_at)
         SELECT ${names}, $${COLUMNS.length + 1}, $${COLUMNS.length + 1} FROM ${unnestColumns(1)}`,
        [...transpose(rows, COLUMNS.length), now],
      );
    }
    if (updates.length) {
      const rows = updates.map((w) => [...columnValues(w.paper, w.seq), w.storedId]);
      const set = COLUMNS.map(([name]) => `${name} = x.${name}`).join(', ');
      await sql.query(
        `UPDATE papers p SET ${set}, changed_at = $${COLUMNS.length + 2}
         FROM ${unnestColumns(1, [['stored_id', 'text']])} WHERE p.id = x.stored_id`,
        [...transpose(rows, COLUMNS.length + 1), now],
      );
    }
    if (aliases.length)
      await sql.query(
        `INSERT INTO paper_aliases (alias, paper_id) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (alias) DO UPDATE SET paper_id = excluded.paper_id`,
        transpose(aliases, 2),
      );
  }

  private async find(sql: Sql, id: string): Promise<Paper | undefined> {
    const [row] = await sql.query<PaperRow>(
      `SELECT * FROM (
         SELECT p.*, 1 AS rank FROM papers p WHERE p.id = $1
         UNION ALL SELECT p.*, 2 FROM papers p WHERE p.arxiv_id = $2
         UNION ALL SELECT p.*, 3 FROM paper_aliases a JOIN papers p ON p.id = a.paper_id WHERE a.alias = $1
         UNION ALL (SELECT p.*, 4 FROM papers p WHERE p.doi = $1 ORDER BY p.seq LIMIT 1)
       ) found ORDER BY rank LIMIT 1`,
      [id, parseArxivId(id) ?? null],
    );
    return row ? fromRow(row) : undefined;
  }

  private async countIn(sql: Sql): Promise<number> {
    const [row] = await sql.query<{ n: string }>('SELECT count(*) AS n FROM papers');
    return Number(row?.n ?? 0);
  }

  private async versionIn(sql: Sql): Promise<number> {
    const [row] = await sql.query<{ s: string | null }>('SELECT max(seq) AS s FROM papers');
    return Number(row?.s ?? 0);
  }
}
