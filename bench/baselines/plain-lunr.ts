/**
 * Baseline: plain Lunr 2.3.9 as anyone would use it out of the box — fields title, abstract,
 * authors, default pipelines, every query word an OPTIONAL term. It is the floor paperboy's
 * search must beat (npm run eval) and the "naive Lunr" row of the scale benchmark (npm run bench).
 */
import lunr from 'lunr';
import type { EvalDoc, EvalEngine } from '../engine.ts';

export interface FieldBoosts {
  title: number;
  abstract: number;
  authors: number;
}

export interface PlainLunrOptions {
  /** Field boosts at build time. Default: none (all 1), as in the relevance harness; the scale bench uses 10/1/5. */
  boosts?: Partial<FieldBoosts>;
  /** Row label; default "plain Lunr". */
  name?: string;
}

/**
 * Query words as plain Lunr use gets them: `lunr.tokenizer` (lower-case, split on whitespace and
 * hyphens), then `lunr.trimmer` (the first step of Lunr's own indexing pipeline) so that `dialogue.`
 * or `(time` can match the indexed `dialogue` / `time` — `idx.search` skips that step and silently
 * misses such words. `*` is dropped: Lunr would treat it as a wildcard, and a bare `*` would expand
 * to every term in the index. The index's search pipeline (the stemmer) is then applied by
 * `idx.query` itself for each term, exactly as for `idx.search`.
 */
export function plainQueryTokens(text: string): string[] {
  return lunr
    .tokenizer(text)
    .map((token) => lunr.trimmer(token).toString().replaceAll('*', ''))
    .filter((word) => word.length > 0);
}

export class PlainLunrEngine implements EvalEngine {
  readonly name: string;
  private readonly boosts: FieldBoosts;
  private idx: lunr.Index | undefined;
  private docs = new Map<string, EvalDoc>();

  constructor(options: PlainLunrOptions = {}) {
    this.name = options.name ?? 'plain Lunr';
    this.boosts = { title: 1, abstract: 1, authors: 1, ...options.boosts };
  }

  /** The built Lunr index (for the scale bench: serialization, fidelity checks). */
  get index(): lunr.Index {
    if (!this.idx) throw new Error('PlainLunrEngine: build() first');
    return this.idx;
  }

  build(docs: EvalDoc[]): void {
    const boosts = this.boosts;
    this.docs = new Map(docs.map((doc) => [doc.id, doc]));
    this.idx = lunr(function () {
      this.ref('id');
      this.field('title', { boost: boosts.title });
      this.field('abstract', { boost: boosts.abstract });
      this.field('authors', { boost: boosts.authors });
      for (const doc of docs) {
        this.add({ id: doc.id, title: doc.title, abstract: doc.abstract, authors: doc.authors.join(' ') });
      }
    });
  }

  /** Use an index serialized earlier (`JSON.stringify(engine.index)`), e.g. the scale bench's cold start.
   * Only search() works then: related() needs the documents' text, which a serialized index lacks. */
  load(serialized: object): void {
    this.docs = new Map();
    this.idx = lunr.Index.load(serialized);
  }

  search(query: string, k: number): string[] {
    return this.rank(plainQueryTokens(query), k, undefined);
  }

  /** The plain approach: the paper's whole title + abstract as one OPTIONAL-term query. */
  related(docId: string, k: number): string[] {
    const doc = this.docs.get(docId);
    if (!doc) return [];
    return this.rank(plainQueryTokens(`${doc.title} ${doc.abstract}`), k, docId);
  }

  private rank(tokens: string[], k: number, exclude: string | undefined): string[] {
    if (tokens.length === 0) return [];
    const results = this.index.query((q) => {
      for (const token of tokens) q.term(token, { presence: lunr.Query.presence.OPTIONAL });
    });
    const ids: string[] = [];
    for (const result of results) {
      if (result.ref === exclude) continue;
      ids.push(result.ref);
      if (ids.length >= k) break;
    }
    return ids;
  }
}

export function createPlainLunrEngine(options: PlainLunrOptions = {}): PlainLunrEngine {
  return new PlainLunrEngine(options);
}
