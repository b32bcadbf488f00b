/**
 * Baseline: SQLite FTS5 (porter + unicode61 tokenizer, bm25 ranking) over title, abstract and
 * authors, in memory through better-sqlite3. The "what a database gives you for free" row of the
 * relevance harness (equal weights) and of the scale benchmark (title ×10, abstract ×1, authors ×5).
 */
import Database from 'better-sqlite3';
import type { EvalDoc, EvalEngine } from '../engine.ts';

export interface Fts5Weights {
  title: number;
  abstract: number;
  authors: number;
}

export interface Fts5Options {
  /** bm25() column weights. Default 1/1/1 (relevance harness); the scale bench uses 10/1/5. */
  weights?: Partial<Fts5Weights>;
  /** Database file; default ':memory:'. */
  filename?: string;
  /** Row label; default "SQLite FTS5". */
  name?: string;
}

/** More-like-this queries use at most this many distinct words, far below FTS5's expression limits. */
export const RELATED_MAX_TERMS = 200;

/**
 * The words of free text, as FTS5's unicode61 tokenizer would find them: runs of letters, digits
 * (and marks). Anything else is a separator, so nothing the user typed reaches MATCH as syntax.
 */
export function fts5Words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

/**
 * An FTS5 MATCH expression: the distinct words as an OR of quoted strings (double quotes doubled,
 * so the expression is safe whatever the words contain). Empty string when there is no word.
 */
export function fts5OrQuery(words: string[], maxTerms = Infinity): string {
  const distinct = [...new Set(words)].slice(0, maxTerms);
  return distinct.map((word) => `"${word.replaceAll('"', '""')}"`).join(' OR ');
}

export class Fts5Engine implements EvalEngine {
  readonly name: string;
  private readonly weights: Fts5Weights;
  private readonly filename: string;
  private db: Database.Database | undefined;
  private searchStmt: Database.Statement<[string, number], { id: string }> | undefined;
  private relatedStmt: Database.Statement<[string, string, number], { id: string }> | undefined;
  private textStmt: Database.Statement<[number], { title: string; abstract: string }> | undefined;
  /** id -> rowid, so related() reads the paper's text back from SQLite instead of keeping it in JS memory. */
  private rowids: Map<string, number> | undefined;

  constructor(options: Fts5Options = {}) {
    this.name = options.name ?? 'SQLite FTS5';
    this.weights = { title: 1, abstract: 1, authors: 1, ...options.weights };
    for (const [column, weight] of Object.entries(this.weights)) {
      if (!Number.isFinite(weight)) throw new Error(`Fts5Engine: weight of ${column} must be a finite number`);
    }
    this.filename = options.filename ?? ':memory:';
  }

  /** The underlying database (for the scale bench: size, ingest). */
  get database(): Database.Database {
    if (!this.db) throw new Error('Fts5Engine: build() or open() first');
    return this.db;
  }

  /** Index the corpus from scratch (an existing table in a database file is replaced). */
  build(docs: EvalDoc[]): void {
    this.close();
    const db = new Database(this.filename);
    db.exec(`DROP TABLE IF EXISTS papers;
      CREATE VIRTUAL TABLE papers USING fts5(id UNINDEXED, title, abstract, authors, tokenize = 'porter unicode61')`);
    const insert = db.prepare('INSERT INTO papers (rowid, id, title, abstract, authors) VALUES (?, ?, ?, ?, ?)');
    const rowids = new Map<string, number>();
    db.transaction(() => {
      docs.forEach((doc, i) => {
        insert.run(i + 1, doc.id, doc.title, doc.abstract, doc.authors.join(' '));
        rowids.set(doc.id, i + 1);
      });
    })();
    this.prepare(db);
    this.rowids = rowids;
  }

  /** Use an index built earlier into options.filename (cold start in the scale bench). */
  open(): void {
    this.close();
    this.prepare(new Database(this.filename, { fileMustExist: true }));
  }

  search(query: string, k: number): string[] {
    const match = fts5OrQuery(fts5Words(query));
    if (!match || !this.searchStmt) return [];
    return this.searchStmt.all(match, k).map((row) => row.id);
  }

  /** The plain approach: the paper's title + abstract words (first RELATED_MAX_TERMS distinct) ORed. */
  related(docId: string, k: number): string[] {
    const rowid = this.rowidOf(docId);
    const doc = rowid === undefined ? undefined : this.textStmt?.get(rowid);
    const match = doc ? fts5OrQuery(fts5Words(`${doc.title} ${doc.abstract}`), RELATED_MAX_TERMS) : '';
    if (!match || !this.relatedStmt) return [];
    return this.relatedStmt.all(match, docId, k).map((row) => row.id);
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.searchStmt = undefined;
    this.relatedStmt = undefined;
    this.textStmt = undefined;
    this.rowids = undefined;
  }

  private prepare(db: Database.Database): void {
    // bm25() weights follow the declared columns: id (unindexed, weight irrelevant), title, abstract, authors.
    const { title, abstract, authors } = this.weights;
    const rank = `bm25(papers, 0, ${title}, ${abstract}, ${authors})`;
    this.searchStmt = db.prepare(`SELECT id FROM papers WHERE papers MATCH ? ORDER BY ${rank} LIMIT ?`);
    this.relatedStmt = db.prepare(`SELECT id FROM papers WHERE papers MATCH ? AND id != ? ORDER BY ${rank} LIMIT ?`);
    this.textStmt = db.prepare('SELECT title, abstract FROM papers WHERE rowid = ?');
    this.db = db;
  }

  private rowidOf(docId: string): number | undefined {
    if (!this.db) return undefined;
    if (!this.rowids) {
      const rows = this.db.prepare('SELECT rowid AS rowid, id FROM papers').all() as Array<{
        rowid: number;
        id: string;
      }>;
      this.rowids = new Map(rows.map((row) => [row.id, row.rowid]));
    }
    return this.rowids.get(docId);
  }
}

export function createFts5Engine(options: Fts5Options = {}): Fts5Engine {
  return new Fts5Engine(options);
}
