/** Research helper: how often each term stands in a paper's title and abstract (the forward index; no stop words). */
import type { CompactIndex } from '../../src/core/search/compact/compact-index.ts';

export function termCounts(index: CompactIndex, doc: number): Map<string, number> {
  const s = index.segmentIndexOf(doc);
  const segment = index.segments[s]!;
  const local = doc - index.baseOf(s);
  const counts = new Map<string, number>();
  for (const tokens of [segment.titleTokens(local), segment.abstractTokens(local)]) {
    for (const id of tokens) {
      const term = segment.terms[id]!;
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return counts;
}
