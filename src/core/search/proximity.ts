/**
 * Proximity re-ranking: among the best candidates, papers where the query's words stand next to each
 * other ("kv cache", "reward hacking") rank higher than papers that merely contain them far apart.
 */
import type { Paper } from '../papers/paper.ts';
import { analyze, type QueryResult } from './search-index.ts';
import { topK } from './top-k.ts';

export const PROXIMITY = {
  /** How many top candidates are re-ranked (the rest keep their order below them). */
  candidates: 50,
  /** Score × (1 + weight × share of the query's word pairs found adjacent in the paper). */
  weight: 0,
  /** Short queries are re-ranked too (false: only queries written as prose; see PLAN.sentenceQueryWords). */
  shortQueries: false,
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

/**
 * Re-ranks the best candidates of a query by the word pairs they contain adjacent in their title or abstract
 * (`queryPairs`, e.g. from bigrams); scores change in place.
 */
export function rerankTop(
  result: QueryResult,
  keep: Uint8Array,
  queryPairs: Set<string>,
  weight = PROXIMITY.weight,
): void {
  if (queryPairs.size === 0 || weight === 0) return;
  const pairs = new Map([...queryPairs].map((pair) => [pair, 1]));
  const total = pairs.size;
  for (const i of topK(result.scores, result.count, PROXIMITY.candidates, (j) => keep[j] === 1)) {
    result.scores[i]! *= 1 + (weight * result.pairsIn(i, pairs)) / total;
  }
}
