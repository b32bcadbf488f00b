/**
 * The reference the search index's Lunr scoring (LUNR_SCORING; search itself scores BM25F) is held to: a real
 * lunr.Index with the same fields, boosts and BM25 parameters, built over the same documents. `compareWithLunr` compares, query by query, the top k of
 * `lunr.Index#query` (every analyzed word an OPTIONAL term) with the search index's evaluation of the same clauses:
 * same ids in the same order, scores within 1e-6 (documents tied on score may swap). Used by the unit tests
 * (test/core/search/compact-fidelity.test.ts) and by the scale bench's fidelity check; the bot never builds a
 * lunr.Index.
 */
import lunr from 'lunr';
import {
  analyze,
  buildSearchIndex,
  FIELDS,
  type IndexDoc,
  LUNR_FIELD_BOOSTS,
  LUNR_SCORING,
  type SearchIndex,
} from '../../src/core/search/search-index.ts';
import { type RankedHit, sameTopK } from '../scale/fidelity.ts';

/** A real lunr.Index with the search index's fields and Lunr's own boosts and BM25 (LUNR_SCORING). */
export function buildReferenceLunrIndex(docs: Iterable<IndexDoc>): lunr.Index {
  return lunr(function () {
    this.k1(LUNR_SCORING.k1);
    this.b(LUNR_SCORING.b);
    this.ref('id');
    for (const field of FIELDS) this.field(field, { boost: LUNR_FIELD_BOOSTS[field] });
    for (const doc of docs) this.add(doc);
  });
}

export interface QueryComparison {
  query: string;
  identical: boolean;
  compact: RankedHit[];
  lunr: RankedHit[];
}

export interface FidelityComparison {
  total: number;
  identical: number;
  failures: { query: string; compact: RankedHit[]; lunr: RankedHit[] }[];
  /** Every query's comparison, in order. */
  queries: QueryComparison[];
}

/** `lunr.Index#query` with every analyzed word of the query as an OPTIONAL term, no pipeline. */
export function lunrTop(index: lunr.Index, query: string): RankedHit[] {
  const tokens = [...new Set(analyze(query))];
  if (!tokens.length) return [];
  return index
    .query((q) => {
      for (const token of tokens)
        q.term(token, {
          presence: lunr.Query.presence.OPTIONAL,
          boost: 1,
          usePipeline: false,
          wildcard: lunr.Query.wildcard.NONE,
        });
    })
    .map((r) => ({ id: r.ref, score: r.score }));
}

export function compactTop(index: SearchIndex, query: string, k: number): RankedHit[] {
  const tokens = [...new Set(analyze(query))];
  return index
    .top(
      tokens.map((term) => ({ term, analyzed: true })),
      k,
    )
    .map((s) => ({ id: s.ref, score: s.score }));
}

export function compareWithLunr(docs: readonly IndexDoc[], queries: readonly string[], k = 10): FidelityComparison {
  const reference = buildReferenceLunrIndex(docs);
  const compact = buildSearchIndex(docs, LUNR_SCORING);
  const out: FidelityComparison = { total: 0, identical: 0, failures: [], queries: [] };
  for (const query of queries) {
    const expected = lunrTop(reference, query);
    const actual = compactTop(compact, query, k);
    const identical = sameTopK(actual, expected, k);
    out.total++;
    out.queries.push({ query, identical, compact: actual, lunr: expected.slice(0, k) });
    if (identical) out.identical++;
    else if (out.failures.length < 5) out.failures.push({ query, compact: actual, lunr: expected.slice(0, k) });
  }
  return out;
}
