/**
 * nDCG@k as the shared eval sets define it: gain 2^g − 1, discount log2(rank + 1) with ranks from 1,
 * ideal DCG from the judged gains sorted best first. Unjudged results count as gain 0.
 */
import type { Gains } from './datasets.ts';

/** Discounted cumulative gain of a list of grades in rank order. */
export function dcg(grades: readonly number[]): number {
  let sum = 0;
  grades.forEach((grade, i) => {
    sum += (2 ** grade - 1) / Math.log2(i + 2);
  });
  return sum;
}

/**
 * nDCG@k of a ranking (ids, best first) against judgments; 0 when nothing relevant is judged.
 * An id repeated in the ranking earns its gain once (a duplicate cannot inflate the score).
 */
export function ndcgAt(k: number, ranking: readonly string[], gains: Gains): number {
  const ideal = dcg([...gains.values()].sort((a, b) => b - a).slice(0, k));
  if (ideal === 0) return 0;
  const seen = new Set<string>();
  const grades = ranking.slice(0, k).map((id) => {
    if (seen.has(id)) return 0;
    seen.add(id);
    return gains.get(id) ?? 0;
  });
  return dcg(grades) / ideal;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
