/**
 * Alert matching for the scale bench with paperboy's own code: the alerts matcher (src/core/alerts/matcher.ts,
 * `matchBatch` with the live corpus's vocabulary), as the poller runs it on every new batch.
 */

import { corpusVocabulary, matchBatch } from '../../src/core/alerts/matcher.ts';
import type { Paper } from '../../src/core/papers/paper.ts';
import type { CorpusSnapshot } from '../../src/core/search/snapshot.ts';
import type { Subscription } from '../../src/core/store/store.ts';
import type { CorpusPaper } from './corpus.ts';

function toPaper(paper: CorpusPaper): Paper {
  return { ...paper, source: 'bench' };
}

/** The subscriptions as the alerts store would hold them. */
export function benchSubscriptions(queries: readonly string[]): Subscription[] {
  const createdAt = new Date(0).toISOString();
  return queries.map((query, i) => ({
    id: i + 1,
    platform: 'bench',
    workspaceId: '',
    channelId: `C${i % 50}`,
    query,
    mode: 'instant',
    createdAt,
  }));
}

/**
 * Number of (subscription, paper) matches of the subscriptions over the batch; `corpus` (the live snapshot) lends
 * its vocabulary (acronyms learned from the whole corpus).
 */
export function matchAlertsPaperboy(
  subscriptions: readonly string[],
  batch: CorpusPaper[],
  corpus: CorpusSnapshot,
): number {
  return matchBatch(batch.map(toPaper), benchSubscriptions(subscriptions), corpusVocabulary(corpus)).length;
}
