/** Known-item metrics: the rank of the first known item in a ranking (ids, best first). */

/** 1-based rank of the first id in `known` within the first k, or undefined. */
export function firstKnownRank(ranking: readonly string[], known: ReadonlySet<string>, k: number): number | undefined {
  const at = ranking.slice(0, k).findIndex((id) => known.has(id));
  return at < 0 ? undefined : at + 1;
}

export interface KnownItemScores {
  success1: number;
  success3: number;
  mrr10: number;
}

export function knownItemScores(rank: number | undefined): KnownItemScores {
  return {
    success1: rank === 1 ? 1 : 0,
    success3: rank !== undefined && rank <= 3 ? 1 : 0,
    mrr10: rank !== undefined && rank <= 10 ? 1 / rank : 0,
  };
}
