/**
 * Alert matching for the scale bench with paperboy's own code: the alerts matcher (src/core/alerts/matcher.ts,
 * `matchBatch` with the corpus vocabulary) when it exists; otherwise the same idea from the search pieces:
 * index just the new batch (buildLunrIndex + PaperIndex) and run every subscription's plan on it.
 * The matcher is loaded by a computed path so the bench still type-checks and runs where it is missing.
 */

import { normalizeTitle } from '../../src/core/papers/ids.ts';
import type { Paper } from '../../src/core/papers/paper.ts';
import { AcronymTable } from '../../src/core/search/acronyms.ts';
import { executePlan } from '../../src/core/search/engine.ts';
import { buildLunrIndex, PaperIndex } from '../../src/core/search/lunr-index.ts';
import { planQuery } from '../../src/core/search/query-plan.ts';
import type { CorpusSnapshot } from '../../src/core/search/snapshot.ts';
import type { CorpusPaper } from './corpus.ts';

interface MatcherModule {
  matchBatch(papers: readonly Paper[], subscriptions: readonly object[], vocabulary?: unknown): unknown[];
  corpusVocabulary?(snapshot: CorpusSnapshot): unknown;
}

const MATCHER = '../../src/core/alerts/matcher.ts';

/** paperboy's alerts matcher, or undefined when there is none (yet). */
export async function loadMatcher(): Promise<MatcherModule | undefined> {
  try {
    const module = (await import(MATCHER)) as Partial<MatcherModule>;
    return typeof module.matchBatch === 'function' ? (module as MatcherModule) : undefined;
  } catch {
    return undefined;
  }
}

export function toPaper(paper: CorpusPaper): Paper {
  return { ...paper, source: 'bench' };
}

/** The subscriptions as the alerts store would hold them. */
export function benchSubscriptions(queries: readonly string[]): object[] {
  const createdAt = new Date(0).toISOString();
  return queries.map((query, i) => ({
    id: i + 1,
    platform: 'bench',
    channelId: `C${i % 50}`,
    query,
    mode: 'instant',
    createdAt,
  }));
}

/**
 * Number of (subscription, paper) matches of the subscriptions over the batch. With the real matcher,
 * `corpus` (the live snapshot) lends its vocabulary (acronyms learned from the whole corpus).
 */
export function matchAlertsPaperboy(
  subscriptions: readonly string[],
  batch: CorpusPaper[],
  matcher?: MatcherModule,
  corpus?: CorpusSnapshot,
): number {
  const papers = batch.map(toPaper);
  if (matcher) {
    const vocabulary = corpus && matcher.corpusVocabulary ? matcher.corpusVocabulary(corpus) : undefined;
    return matcher.matchBatch(papers, benchSubscriptions(subscriptions), vocabulary).length;
  }
  const byId = new Map(papers.map((p) => [p.id, p]));
  const snapshot: CorpusSnapshot = {
    index: new PaperIndex(
      buildLunrIndex(
        papers.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors.join(', ') })),
      ),
    ),
    meta: new Map(
      papers.map((p) => [
        p.id,
        { published: p.published, categories: p.categories, titleNorm: normalizeTitle(p.title) },
      ]),
    ),
    acronyms: new AcronymTable(),
    version: 1,
  };
  const source = { get: (id: string) => byId.get(id) };
  let matches = 0;
  for (const query of subscriptions) matches += executePlan(snapshot, source, planQuery(query)).hits.length;
  return matches;
}
