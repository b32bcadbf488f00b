/**
 * Alert matching for the scale bench with paperboy's own search pieces, until src/core/alerts has a matcher:
 * index just the new batch (buildLunrIndex + PaperIndex), then run every subscription's plan on it
 * (planQuery + executePlan), exactly as a search would.
 */
import type { Paper } from '../../src/core/papers/paper.ts';
import { normalizeTitle } from '../../src/core/papers/ids.ts';
import { PaperIndex, buildLunrIndex } from '../../src/core/search/lunrIndex.ts';
import { executePlan } from '../../src/core/search/engine.ts';
import { planQuery } from '../../src/core/search/queryPlan.ts';
import { AcronymTable } from '../../src/core/search/acronyms.ts';
import type { CorpusSnapshot } from '../../src/core/search/snapshot.ts';
import type { CorpusPaper } from './corpus.ts';

/** Number of (subscription, paper) matches of the subscriptions over the batch. */
export function matchAlertsPaperboy(subscriptions: readonly string[], batch: CorpusPaper[]): number {
  const papers = new Map<string, Paper>();
  for (const p of batch) papers.set(p.id, { ...p, source: 'bench' });
  const snapshot: CorpusSnapshot = {
    index: new PaperIndex(buildLunrIndex(batch.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors.join(', ') })))),
    meta: new Map(batch.map((p) => [p.id, { published: p.published, categories: p.categories, titleNorm: normalizeTitle(p.title) }])),
    acronyms: new AcronymTable(),
    version: 1,
  };
  const source = { get: (id: string) => papers.get(id) };
  let matches = 0;
  for (const query of subscriptions) matches += executePlan(snapshot, source, planQuery(query)).hits.length;
  return matches;
}
