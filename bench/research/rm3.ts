/**
 * TRIED AND DROPPED (issue 13; figures in docs/relevance.md): not wired into search.
 *
 * Pseudo-relevance feedback, RM3 (Abdul-Jaleel et al., 2004; as Anserini runs it over BM25): the best few papers of a
 * first ranking are taken as relevant, their word distributions (title + abstract, each normalized, weighted by the
 * paper's score) give a relevance model, and its strongest terms join the query at a fixed share of its weight.
 * Conservative defaults are Anserini's: 10 papers, 10 terms, the original query keeping half the weight.
 */
import type { CompactIndex } from '../../src/core/search/compact/compact-index.ts';
import { termCounts } from './term-counts.ts';

export const FEEDBACK = {
  enabled: false,
  /** Papers of the first ranking taken as relevant. */
  docs: 10,
  /** Terms of the relevance model added to the query. */
  terms: 10,
  /** Share of the final query weight kept by the query as typed. */
  originalWeight: 0.5,
  /** Queries with fewer words than this are left as typed (a name or a short topic asks for what it says). */
  minWords: 1,
  /** Rank the model's terms by P(t|R) × idf (Rocchio-like) instead of P(t|R). */
  idf: false,
};

export interface FeedbackTerm {
  token: string;
  /** Share of the relevance model (the strongest terms' weights sum to 1). */
  weight: number;
}

const USABLE = /^[\p{L}][\p{L}\p{N}]+$/u;

/** The relevance model's strongest terms over the given papers (global ordinals with their first-pass scores). */
export function relevanceModel(index: CompactIndex, docs: readonly { doc: number; score: number }[]): FeedbackTerm[] {
  const model = new Map<string, number>();
  for (const { doc, score } of docs) {
    if (!(score > 0)) continue;
    const counts = termCounts(index, doc);
    let length = 0;
    for (const c of counts.values()) length += c;
    if (!length) continue;
    for (const [term, c] of counts) {
      if (!USABLE.test(term)) continue;
      model.set(term, (model.get(term) ?? 0) + (score * c) / length);
    }
  }
  if (FEEDBACK.idf) {
    const n = Math.max(1, index.size);
    for (const [term, w] of model) model.set(term, w * Math.log(1 + n / Math.max(1, index.docFreq(term))));
  }
  const top = [...model].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FEEDBACK.terms);
  const total = top.reduce((sum, [, w]) => sum + w, 0);
  return total > 0 ? top.map(([token, w]) => ({ token, weight: w / total })) : [];
}
