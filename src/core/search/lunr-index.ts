/**
 * The corpus index and the only place that speaks Lunr: Lunr's tokenizer, pipeline (trimmer, stop words,
 * stemmer) and BM25 scoring, evaluated over a compact inverted index (compact/) instead of lunr.Index, so
 * 75,000 papers fit in memory, load in a second and answer in milliseconds with Lunr's exact scores.
 * Clause lists are built from cleaned tokens, never raw user text.
 */
import lunr from 'lunr';
import { analyzeText } from './compact/analyzer.ts';
import { CompactIndex, type EvalClause, type QueryResult, type Scoring } from './compact/compact-index.ts';
import { buildSegment, Segment, type SegmentDoc } from './compact/segment.ts';

export type Field = 'title' | 'abstract' | 'authors';
export const FIELDS: readonly Field[] = ['title', 'abstract', 'authors'];

/**
 * Search's field weights (BM25F, issue 13): a title word counts as much as four abstract words. Lunr's own boosts
 * (title 1.5, scored per field) are LUNR_FIELD_BOOSTS.
 */
export const FIELD_BOOSTS: Record<Field, number> = { title: 4, abstract: 1, authors: 1 };

/** The boosts the compact index reproduces lunr.Index with (fidelity checks) and related papers are scored with. */
export const LUNR_FIELD_BOOSTS: Record<Field, number> = { title: 1.5, abstract: 1, authors: 1 };

export interface IndexDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string;
}

export interface Clause extends EvalClause {
  term: string;
  fields?: Field[];
  presence?: 'required' | 'optional' | 'prohibited';
  boost?: number;
  /** The term is already an index token (analyzed); skip the pipeline. */
  analyzed?: boolean;
  /** Match any token starting with the term (autocomplete). */
  prefix?: boolean;
}

export interface Scored {
  ref: string;
  score: number;
  /** Index tokens that matched, with the fields they matched in. */
  matched: Map<string, Field[]>;
}

/** BM25 parameters (Lunr's defaults are k1 1.2, b 0.75); search scores BM25F (see Scoring.bm25f). */
export const BM25 = { k1: 1.2, b: 0.75, bm25f: true, idfByPapers: false };

/** Search's scoring. */
export const SCORING: Scoring = {
  k1: BM25.k1,
  b: BM25.b,
  boosts: FIELDS.map((f) => FIELD_BOOSTS[f]),
  bm25f: BM25.bm25f,
  idfByPapers: BM25.idfByPapers,
};

/** Lunr's exact scoring: per-field BM25, title 1.5 (what buildReferenceLunrIndex builds). */
export const LUNR_SCORING: Scoring = { k1: 1.2, b: 0.75, boosts: FIELDS.map((f) => LUNR_FIELD_BOOSTS[f]) };

/** Indexes documents the way lunr.Builder does (same terms, frequencies and lengths) into a compact index. */
export function buildLunrIndex(docs: Iterable<IndexDoc | SegmentDoc>, scoring: Scoring = SCORING): CompactIndex {
  return new CompactIndex([new Segment(buildSegment(docs))], scoring);
}

/**
 * A real lunr.Index with the same fields, boosts and BM25 parameters: the reference the compact index is checked
 * against.
 */
export function buildReferenceLunrIndex(docs: Iterable<IndexDoc>): lunr.Index {
  return lunr(function () {
    this.k1(LUNR_SCORING.k1);
    this.b(LUNR_SCORING.b);
    this.ref('id');
    for (const field of FIELDS) this.field(field, { boost: LUNR_FIELD_BOOSTS[field] });
    for (const doc of docs) this.add(doc);
  });
}

/** Text → index tokens, as the index analyzed documents. */
export function analyze(text: string): string[] {
  return analyzeText(text);
}

/** One word → its index token, or undefined for stop words and punctuation. */
export function analyzeWord(word: string): string | undefined {
  return analyze(word)[0];
}

export class PaperIndex {
  constructor(readonly compact: CompactIndex) {}

  get size(): number {
    return this.compact.size;
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

  /** Every matching document, unsorted, without per-hit allocations (see QueryResult). */
  evaluate(clauses: Clause[]): QueryResult {
    return this.compact.evaluate(clauses);
  }

  /** lunr.Index#query's results: every matching document, best first, with what it matched. */
  query(clauses: Clause[]): Scored[] {
    if (!clauses.some((clause) => clause.presence !== 'prohibited')) return [];
    const result = this.compact.evaluate(clauses);
    const order = topK(result.scores, result.count, result.count);
    return Array.from(order, (i) => lazyScored(result, i));
  }

  /** The best `k` matches, best first. */
  top(clauses: Clause[], k: number): Scored[] {
    if (!clauses.some((clause) => clause.presence !== 'prohibited')) return [];
    const result = this.compact.evaluate(clauses);
    return Array.from(topK(result.scores, result.count, k), (i) => lazyScored(result, i));
  }
}

/** A Scored whose `matched` map is only computed when read. */
export function lazyScored(result: QueryResult, i: number): Scored {
  let matched: Map<string, Field[]> | undefined;
  return {
    ref: result.ref(i),
    score: result.scores[i]!,
    get matched() {
      matched ??= result.matched(i) as Map<string, Field[]>;
      return matched;
    },
    set matched(value: Map<string, Field[]>) {
      matched = value;
    },
  };
}

/**
 * Indices of the k largest keys among the first `count`, largest first; ties keep index order (as Lunr's
 * stable sort keeps its match order). A bounded heap, so 40,000 matches cost no full sort when 10 are shown.
 */
export function topK(
  keys: ArrayLike<number>,
  count: number,
  k: number,
  eligible?: (i: number) => boolean,
): Uint32Array {
  const better = (a: number, b: number) => keys[a]! > keys[b]! || (keys[a] === keys[b] && a < b);
  if (k >= count) {
    const all: number[] = [];
    for (let i = 0; i < count; i++) if (!eligible || eligible(i)) all.push(i);
    all.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    return Uint32Array.from(all);
  }
  const heap = new Uint32Array(Math.max(k, 1));
  let size = 0;
  // Min-heap by "better": the root is the worst kept.
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < size && better(heap[worst]!, heap[l]!)) worst = l;
      if (r < size && better(heap[worst]!, heap[r]!)) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  };
  for (let i = 0; i < count; i++) {
    if (eligible && !eligible(i)) continue;
    if (size < k) {
      heap[size] = i;
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!better(heap[parent]!, heap[at]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (k > 0 && better(i, heap[0]!)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  return Uint32Array.from(out);
}

/** A paper's indexed fields (authors joined as the index reads them). */
export function toIndexDocFields(paper: {
  id: string;
  title: string;
  abstract: string;
  authors: readonly string[];
}): IndexDoc {
  return { id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors.join(', ') };
}
