/**
 * Proximity re-ranking: among the best candidates, papers where the query's words stand next to each
 * other ("kv cache", "reward hacking") rank higher than papers that merely contain them far apart.
 */
import type { Paper } from '../papers/paper.ts';
import { analyze } from './lunr-index.ts';

export const PROXIMITY = {
  /** How many top candidates are re-ranked (the rest keep their order below them). */
  candidates: 50,
  /** Score × (1 + weight × share of the query's word pairs found adjacent in the paper). */
  weight: 0.6,
};

/** Adjacent token pairs of a token sequence. */
export function bigrams(tokens: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < tokens.length; i++) if (tokens[i - 1] !== tokens[i]) pairs.add(`${tokens[i - 1]} ${tokens[i]}`);
  return pairs;
}

export function paperBigrams(paper: Paper): Set<string> {
  return new Set([...bigrams(analyze(paper.title)), ...bigrams(analyze(paper.abstract))]);
}

export interface Rerankable {
  ref: string;
  score: number;
}

/**
 * Re-ranks the top candidates in place by the query word pairs they contain, rarer pairs counting more
 * (`pairWeight`, e.g. from the words' document frequencies). Returns the list sorted.
 */
export function rerankByProximity<T extends Rerankable>(
  hits: T[],
  queryPairs: Set<string>,
  getPaper: (id: string) => Paper | undefined,
  weight = PROXIMITY.weight,
  pairWeight: (pair: string) => number = () => 1,
): T[] {
  hits.sort((a, b) => b.score - a.score);
  if (queryPairs.size === 0 || weight === 0) return hits;
  const weights = new Map([...queryPairs].map((pair) => [pair, pairWeight(pair)]));
  let total = 0;
  for (const w of weights.values()) total += w;
  if (total <= 0) return hits;
  const top = hits.slice(0, PROXIMITY.candidates);
  for (const hit of top) {
    const paper = getPaper(hit.ref);
    if (!paper) continue;
    const pairs = paperBigrams(paper);
    let found = 0;
    for (const [pair, w] of weights) if (pairs.has(pair)) found += w;
    hit.score *= 1 + (weight * found) / total;
  }
  top.sort((a, b) => b.score - a.score);
  // Re-ranked scores can only grow, so the re-ranked block stays above the rest.
  return [...top, ...hits.slice(PROXIMITY.candidates)];
}
