/**
 * The one interface every engine in the relevance harness (npm run eval) and the scale
 * benchmark (npm run bench) implements, so paperboy and the baselines are measured the same way.
 */

/** A paper as the harness feeds it to an engine: only the fields every engine indexes. */
export interface EvalDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
}

export interface EvalEngine {
  /** Row label in the tables, e.g. "plain Lunr". */
  name: string;
  /** Index the corpus. Called once per dataset, before any search/related call. */
  build(docs: EvalDoc[]): Promise<void> | void;
  /** Free-text search: ids of the best k documents, best first. */
  search(query: string, k: number): string[] | Promise<string[]>;
  /** More-like-this: ids of the k documents most related to docId, best first, never docId itself. */
  related(docId: string, k: number): string[] | Promise<string[]>;
  /** After build: what building did to the corpus, when worth a line (paperboy: records merged or skipped). */
  readonly buildNote?: string;
}

/** Builds a fresh, empty engine; the harness makes one per dataset so nothing leaks between them. */
export type EvalEngineFactory = () => EvalEngine | Promise<EvalEngine>;
