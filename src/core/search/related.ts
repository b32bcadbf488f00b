/**
 * More-like-this: a paper's most distinctive terms (tf × idf over title and abstract), not its whole abstract
 * as one giant query. Results exclude the paper itself and its duplicates.
 */

import { normalizeTitle } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import { analyze, type Clause, LUNR_SCORING, type SearchIndex } from './search-index.ts';

export interface DistinctiveTerm {
  token: string;
  /** A word from the paper that produced the token (for "shares: ..."). */
  surface: string;
  weight: number;
}

/** Related-papers knobs, measured with `npm run eval` (CSFCube). */
export const RELATED = {
  /** A title word counts this many abstract words. */
  titleWeight: 1,
  /** The query is the paper's this-many most distinctive terms (by tf × idf). */
  maxTerms: 120,
  /** Terms in more than this share of papers say nothing about a paper. */
  maxDocShare: 1,
  /**
   * Query term weight = tf ^ tfPower × idf ^ idfPower. Lunr's scoring applies idf once more; softening it a
   * little keeps a paper's everyday topic words ("detection", "parsing") in play beside its rare ones.
   */
  tfPower: 1,
  idfPower: -0.2,
  /** Weight of shared adjacent word pairs when re-ranking the best candidates (see proximity.ts). */
  proximityWeight: 4,
  /**
   * BM25 length normalization for related papers (search keeps Lunr's 0.75). A whole paper as the query shares
   * some words with every long abstract; full normalization stops length alone from winning.
   */
  b: 1,
  /** Score related papers with BM25F (see Scoring.bm25f) instead of Lunr's per-field BM25. */
  bm25f: false,
  /** Index-side field boosts for related papers (title, abstract, authors), apart from search's. */
  boosts: [1.5, 1, 1] as readonly number[],
};

/** The same index scored for related papers (Lunr's per-field BM25, RELATED.b); made once, sharing its segments. */
export function relatedIndex(index: SearchIndex): SearchIndex {
  return index.withScoring({
    ...LUNR_SCORING,
    b: RELATED.b,
    bm25f: RELATED.bm25f,
    boosts: RELATED.boosts,
  });
}

export function distinctiveTerms(paper: Paper, index: SearchIndex, maxTerms = RELATED.maxTerms): DistinctiveTerm[] {
  const counts = new Map<string, { tf: number; surface: string }>();
  const add = (text: string, weight: number) => {
    for (const word of text.split(/[\s/-]+/)) {
      for (const token of analyze(word)) {
        const entry = counts.get(token) ?? {
          tf: 0,
          surface: word.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, '').toLowerCase(),
        };
        entry.tf += weight;
        counts.set(token, entry);
      }
    }
  };
  add(paper.title, RELATED.titleWeight);
  add(paper.abstract, 1);
  const n = Math.max(1, index.size);
  const terms: (DistinctiveTerm & { distinctiveness: number })[] = [];
  for (const [token, { tf, surface }] of counts) {
    if (token.length < 2 || /^\d+$/.test(token)) continue;
    const df = index.docFreq(token);
    // A term only this paper has cannot find another paper; one most papers have says nothing.
    if (df <= 1 || df > n * RELATED.maxDocShare) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    terms.push({ token, surface, weight: tf ** RELATED.tfPower * idf ** RELATED.idfPower, distinctiveness: tf * idf });
  }
  // Choose by distinctiveness (tf × idf); weigh by the configured mix (Lunr's scoring applies idf once more).
  return terms
    .sort((a, b) => b.distinctiveness - a.distinctiveness)
    .slice(0, maxTerms)
    .map(({ token, surface, weight }) => ({ token, surface, weight }));
}

export function relatedClauses(terms: DistinctiveTerm[]): Clause[] {
  const top = terms[0]?.weight ?? 1;
  return terms.map((term) => ({ term: term.token, analyzed: true, boost: term.weight / top }));
}

/** Same paper under another record: same arXiv id or same normalized title. */
export function duplicateCheck(paper: Paper): (candidate: { id: string; titleNorm?: string }) => boolean {
  const titleNorm = normalizeTitle(paper.title);
  return (candidate) =>
    candidate.id === paper.id || (candidate.titleNorm !== undefined && candidate.titleNorm === titleNorm);
}
