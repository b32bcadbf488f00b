/** TRIED AND DROPPED: LSA related papers, alone and fused with BM25 by reciprocal rank (npx tsx bench/research/lsa-related.ts). */

import { CompactIndex } from '../../src/core/search/compact/compact-index.ts';
import { loadCacmCitations } from '../datasets/cacm-citations.ts';
import { loadCsfcube } from '../datasets.ts';
import { rankingWithoutSelf } from '../eval.ts';
import { mean, ndcgAt } from '../ndcg.ts';
import { buildPaperboy } from '../paperboy-engine.ts';
import { buildSemanticSpace, SEMANTIC, similarities } from './lsa.ts';

for (const data of [loadCsfcube(), loadCacmCitations()]) {
  const b = buildPaperboy(data.docs);
  const compact = new CompactIndex(b.snapshot.index.segments, b.snapshot.index.scoring);
  for (const rank of [50, 100, 200]) {
    SEMANTIC.rank = rank;
    const t = performance.now();
    const space = buildSemanticSpace(compact);
    const buildMs = performance.now() - t;
    const res: Record<string, number[]> = { bm25: [], lsa: [], rrf: [], rrf30: [], lin: [] };
    for (const q of data.queries) {
      const bm = (await b.search.related(q.queryPaperId, { limit: 100 })).hits.map((h) => h.paper.id);
      const qdoc = compact.ordinal(q.queryPaperId)!;
      const sims = similarities(space, qdoc);
      const idx = Array.from(sims.keys())
        .filter((d) => d !== qdoc)
        .sort((x, y) => sims[y]! - sims[x]!)
        .slice(0, 100);
      const lsa = idx.map((d) => compact.ref(d));
      const rrf = (k: number) => {
        const s = new Map<string, number>();
        for (const list of [bm, lsa]) {
          for (const [r, id] of list.entries()) s.set(id, (s.get(id) ?? 0) + 1 / (k + r + 1));
        }
        return [...s].sort((x, y) => y[1] - x[1]).map(([id]) => id);
      };
      const g = (ids: string[]) => ndcgAt(10, rankingWithoutSelf(q.queryPaperId, ids.slice(0, 10)), q.gains);
      res.bm25!.push(g(bm));
      res.lsa!.push(g(lsa));
      res.rrf!.push(g(rrf(60)));
      res.rrf30!.push(g(rrf(10)));
    }
    console.log(
      data.name,
      'rank',
      rank,
      'build ms',
      buildMs.toFixed(0),
      Object.entries(res)
        .filter(([, v]) => v.length)
        .map(([k, v]) => `${k} ${mean(v).toFixed(4)}`)
        .join('  '),
    );
  }
}
