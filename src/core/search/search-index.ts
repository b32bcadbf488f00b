/**
 * The search index: the one way into the compact index (compact/) for search, related papers and alert matching.
 * Papers go through Lunr's analysis pipeline (tokenizer, trimmer, stop words, stemmer). Search scores them with
 * BM25F (SCORING); LUNR_SCORING scores them exactly as a lunr.Index would (related papers, fidelity checks). Both
 * come from a compact inverted index, so 75,000 papers fit in memory, load in a second and answer in milliseconds. Clause lists are built from cleaned tokens, never raw user text.
 */
import { analyzeText } from './compact/analyzer.ts';
import {
  type Clause,
  CompactIndex,
  FIELDS,
  type Field,
  type QueryResult,
  type Scoring,
} from './compact/compact-index.ts';
import { buildSegment, type DocMeta, type IndexDoc, Segment } from './compact/segment.ts';
import { topK } from './top-k.ts';

export type { Clause, DocMeta, Field, IndexDoc, QueryResult };
export { FIELDS };

/**
 * Search's field weights (BM25F, issue 13): a title word counts as much as four abstract words. Lunr's own boosts
 * (title 1.5, scored per field) are LUNR_FIELD_BOOSTS.
 */
export const FIELD_BOOSTS: Record<Field, number> = { title: 2, abstract: 1, authors: 1 };

/** The boosts the compact index reproduces lunr.Index with (fidelity checks) and related papers are scored with. */
export const LUNR_FIELD_BOOSTS: Record<Field, number> = { title: 1.5, abstract: 1, authors: 1 };

/** BM25 parameters (Lunr's defaults are k1 1.2, b 0.75); search scores BM25F (see Scoring.bm25f). */
export const BM25 = { k1: 1.2, b: 0.75, bm25f: true };

/** Search's scoring. */
export const SCORING: Scoring = {
  k1: BM25.k1,
  b: BM25.b,
  boosts: FIELDS.map((f) => FIELD_BOOSTS[f]),
  bm25f: BM25.bm25f,
};

/** Lunr's exact scoring: per-field BM25, title 1.5 (what a lunr.Index with LUNR_FIELD_BOOSTS scores). */
export const LUNR_SCORING: Scoring = { k1: 1.2, b: 0.75, boosts: FIELDS.map((f) => LUNR_FIELD_BOOSTS[f]) };

export interface Scored {
  ref: string;
  score: number;
  /** Index tokens that matched, with the fields they matched in. */
  matched: Map<string, Field[]>;
}

/** Text → index tokens, as the index analyzed documents. */
export function analyze(text: string): string[] {
  return analyzeText(text);
}

/** One word → its index token, or undefined for stop words and punctuation. */
export function analyzeWord(word: string): string | undefined {
  return analyze(word)[0];
}

/**
 * Indexes documents in memory as one segment (the same terms, frequencies and lengths as lunr.Builder), scored with
 * search's scoring unless told otherwise (LUNR_SCORING for fidelity checks).
 */
export function buildSearchIndex(docs: Iterable<IndexDoc>, scoring: Scoring = SCORING): SearchIndex {
  return SearchIndex.fromSegments([new Segment(buildSegment(docs))], scoring);
}

export class SearchIndex {
  /** The same papers scored otherwise (see withScoring). */
  private view: SearchIndex | undefined;

  private constructor(private readonly compact: CompactIndex) {}

  /** An index over built or loaded segments, searched as one corpus with the index's scoring. */
  static fromSegments(segments: readonly Segment[], scoring: Scoring = SCORING): SearchIndex {
    return new SearchIndex(new CompactIndex(segments, scoring));
  }

  get size(): number {
    return this.compact.size;
  }

  get segments(): readonly Segment[] {
    return this.compact.segments;
  }

  get scoring(): Scoring {
    return this.compact.scoring;
  }

  /** The same corpus plus one more segment (appended papers), scored as a full rebuild would be. */
  withSegment(segment: Segment): SearchIndex {
    return new SearchIndex(this.compact.withSegment(segment));
  }

  /**
   * The same papers scored with another scoring (related papers use Lunr's per-field BM25 with full length
   * normalization); made once, sharing the segments.
   */
  withScoring(scoring: Scoring): SearchIndex {
    if (sameScoring(scoring, this.scoring)) return this;
    if (!this.view || !sameScoring(this.view.scoring, scoring))
      this.view = new SearchIndex(new CompactIndex(this.segments, scoring));
    return this.view;
  }

  /** A new index's first-query work as small steps, run before it is swapped in (see CompactIndex#prepare). */
  prepare(): Generator<void, void, void> {
    return this.compact.prepare();
  }

  has(token: string): boolean {
    return this.compact.has(token);
  }

  /** How many documents contain the token in any field. */
  docFreq(token: string): number {
    return this.compact.docFreq(token);
  }

  /** Index tokens within `distance` edits of a token. */
  fuzzy(token: string, distance: number): string[] {
    return this.compact.fuzzy(token, distance);
  }

  /** The facts stored for a paper. */
  metaOf(ref: string): DocMeta | undefined {
    const doc = this.compact.ordinal(ref);
    return doc === undefined ? undefined : this.compact.meta(doc);
  }

  /** The ordinal of a segment's first paper. */
  baseOf(segment: number): number {
    return this.compact.baseOf(segment);
  }

  /** The terms stand consecutively, in this order, in the paper's title (see CompactIndex#titleHasSequence). */
  titleHasSequence(doc: number, terms: readonly string[]): boolean {
    return this.compact.titleHasSequence(doc, terms);
  }

  /** titleHasSequence for many documents, the terms looked up once (see CompactIndex#titleSequence). */
  titleSequence(terms: readonly string[]): (doc: number) => boolean {
    return this.compact.titleSequence(terms);
  }

  /** Every paper id, in index order. */
  *refs(): IterableIterator<string> {
    for (let doc = 0; doc < this.compact.size; doc++) yield this.compact.ref(doc);
  }

  /** Every matching document, unsorted, without per-hit allocations (see QueryResult). */
  evaluate(clauses: readonly Clause[]): QueryResult {
    return this.compact.evaluate(clauses);
  }

  /** The best `k` matches, best first, as lunr.Index#query ranks them (all of them when k ≥ the match count). */
  top(clauses: readonly Clause[], k: number): Scored[] {
    if (!clauses.some((clause) => clause.presence !== 'prohibited')) return [];
    const result = this.compact.evaluate(clauses);
    return Array.from(topK(result.scores, result.count, k), (i) => lazyScored(result, i));
  }
}

/** A Scored whose `matched` map is only computed when read. */
function lazyScored(result: QueryResult, i: number): Scored {
  let matched: Map<string, Field[]> | undefined;
  return {
    ref: result.ref(i),
    score: result.scores[i]!,
    get matched() {
      matched ??= result.matched(i);
      return matched;
    },
    set matched(value: Map<string, Field[]>) {
      matched = value;
    },
  };
}

function sameScoring(a: Scoring, b: Scoring): boolean {
  return (
    a.k1 === b.k1 &&
    a.b === b.b &&
    Boolean(a.bm25f) === Boolean(b.bm25f) &&
    a.boosts.length === b.boosts.length &&
    a.boosts.every((boost, f) => boost === b.boosts[f])
  );
}
