/**
 * Fidelity of the compact index to Lunr: builds a real lunr.Index and the compact index over the same
 * documents and compares, query by query, the top k of `lunr.Index#query` (every analyzed word an OPTIONAL
 * term) with the compact evaluation of the same clauses: same ids in the same order, scores within 1e-6
 * (documents tied on score may swap). Used by the unit test and by the scale bench's fidelity check.
 */
import lunr from 'lunr';
import {
  analyze,
  buildLunrIndex,
  buildReferenceLunrIndex,
  type IndexDoc,
  LUNR_SCORING,
  PaperIndex,
} from '../lunr-index.ts';

export interface Ranked {
  id: string;
  score: number;
}

export const FIDELITY_EPSILON = 1e-6;

export interface QueryComparison {
  query: string;
  identical: boolean;
  compact: Ranked[];
  lunr: Ranked[];
}

export interface FidelityComparison {
  total: number;
  identical: number;
  failures: { query: string; compact: Ranked[]; lunr: Ranked[] }[];
  /** Every query's comparison, in order. */
  queries: QueryComparison[];
}

/** `lunr.Index#query` with every analyzed word of the query as an OPTIONAL term, no pipeline. */
export function lunrTop(index: lunr.Index, query: string): Ranked[] {
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

export function compactTop(index: PaperIndex, query: string, k: number): Ranked[] {
  const tokens = [...new Set(analyze(query))];
  return index
    .top(
      tokens.map((term) => ({ term, analyzed: true })),
      k,
    )
    .map((s) => ({ id: s.ref, score: s.score }));
}

/** `actual` is the top k of `reference`, up to ties on score. */
export function sameTop(
  actual: readonly Ranked[],
  reference: readonly Ranked[],
  k: number,
  epsilon = FIDELITY_EPSILON,
): boolean {
  const n = Math.min(k, reference.length);
  if (actual.length !== n) return false;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const r = reference[i]!;
    if (Math.abs(a.score - r.score) > epsilon || seen.has(a.id)) return false;
    seen.add(a.id);
    if (a.id !== r.id && !reference.some((h) => h.id === a.id && Math.abs(h.score - r.score) <= epsilon)) return false;
  }
  return true;
}

export function compareWithLunr(docs: readonly IndexDoc[], queries: readonly string[], k = 10): FidelityComparison {
  const reference = buildReferenceLunrIndex(docs);
  const compact = new PaperIndex(buildLunrIndex(docs, LUNR_SCORING));
  const out: FidelityComparison = { total: 0, identical: 0, failures: [], queries: [] };
  for (const query of queries) {
    const expected = lunrTop(reference, query);
    const actual = compactTop(compact, query, k);
    const identical = sameTop(actual, expected, k);
    out.total++;
    out.queries.push({ query, identical, compact: actual, lunr: expected.slice(0, k) });
    if (identical) out.identical++;
    else if (out.failures.length < 5) out.failures.push({ query, compact: actual, lunr: expected.slice(0, k) });
  }
  return out;
}
