/**
 * Research (bench/research/dislike-methods.ts), not used by paperboy: re-ranking a library's exactly scored
 * candidates by the channel's 👎 papers, on top of the model that already learnt from them as negatives
 * (docs/relevance.md, "Other ways to use the 👎s"). The ways:
 *
 * - 'rocchio': Rocchio's negative term, `z(score) − (γ/β) · z(x · c👎)` with c👎 the 👎 papers' mean vector;
 * - 'max-similarity': the same with the cosine to the nearest 👎 paper (Wang, Fang and Zhai's multiple negative
 *   models);
 * - 'nearer-dislike': candidates nearer a 👎 paper than any saved paper go below the rest (a nearest-neighbour vote).
 *
 * `z` standardizes a score over the candidates (mean 0, standard deviation 1), so that the classifier's logit and a
 * cosine can be added (Montague and Aslam's score normalization for metasearch).
 */
import { centroidModel } from '../../src/core/library/linear-model.ts';
import { dot, type TermVector } from '../../src/core/library/term-vectors.ts';

export type DislikeRerank = 'none' | 'rocchio' | 'max-similarity' | 'nearer-dislike';

export interface RerankOptions {
  rerank: DislikeRerank;
  /** Rocchio's γ / β (0.15 / 0.75 in Manning, Raghavan and Schütze, Introduction to Information Retrieval, §9.1.1). */
  gammaOverBeta: number;
}

export interface ScoredCandidate {
  paper: { id: string };
  vector: TermVector;
  /** The model's score, w · x + b. */
  score: number;
}

/** The candidates best first: by the model's score, adjusted for the 👎 papers as the options say. */
export function rankCandidates<T extends ScoredCandidate>(
  candidates: readonly T[],
  saved: readonly TermVector[],
  disliked: readonly TermVector[],
  options: RerankOptions,
): T[] {
  const byScore = (order: (c: T) => number) => (a: T, b: T) =>
    order(b) - order(a) || a.paper.id.localeCompare(b.paper.id);
  if (!disliked.length || options.rerank === 'none') return [...candidates].sort(byScore((c) => c.score));
  const nearestDislike = (c: T) => Math.max(...disliked.map((d) => dot(c.vector.weights, d.weights)));
  if (options.rerank === 'nearer-dislike') {
    const nearestSaved = (c: T) => Math.max(-1, ...saved.map((s) => dot(c.vector.weights, s.weights)));
    const sorted = [...candidates].sort(byScore((c) => c.score));
    const demoted = new Set(sorted.filter((c) => nearestDislike(c) > nearestSaved(c)));
    return [...sorted.filter((c) => !demoted.has(c)), ...demoted];
  }
  const centroid = centroidModel(disliked).weights;
  const negative =
    options.rerank === 'rocchio' ? (c: T) => dot(c.vector.weights, centroid) : (c: T) => nearestDislike(c);
  const zScore = standardizer(candidates.map((c) => c.score));
  const zNegative = standardizer(candidates.map(negative));
  const fused = new Map(candidates.map((c) => [c, zScore(c.score) - options.gammaOverBeta * zNegative(negative(c))]));
  return [...candidates].sort(byScore((c) => fused.get(c)!));
}

/** z-scores over a sample; a constant sample standardizes to 0. */
function standardizer(values: readonly number[]): (value: number) => number {
  const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, values.length));
  return (value) => (sd > 0 ? (value - mean) / sd : 0);
}
