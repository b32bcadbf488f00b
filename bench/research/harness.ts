/**
 * Ranking research (issue 13): paperboy built once per eval set, then scored again and again as knobs change,
 * so a grid over a parameter costs seconds, not index builds. Index-level knobs (field boosts, BM25) are applied
 * by re-scoring the same segments (`withScoring`), exactly as a rebuild would.
 */
import type { Scoring } from '../../src/core/search/compact/compact-index.ts';
import { SCORING, SearchIndex } from '../../src/core/search/search-index.ts';
import { loadCacmCitations } from '../datasets/cacm-citations.ts';
import { type CitingDataset, loadCacmCiting } from '../datasets/cacm-citing.ts';
import { loadCisi } from '../datasets/cisi.ts';
import { type KnownItemDataset, loadMethodNames, loadTitleItems } from '../datasets/method-names.ts';
import { defaultSharedDir, loadCacm, loadCsfcube, type RelatedDataset, type SearchDataset } from '../datasets.ts';
import { K, rankingWithoutSelf } from '../eval.ts';
import { firstKnownRank, knownItemScores } from '../known-item.ts';
import { mean, ndcgAt } from '../ndcg.ts';
import { type BuiltPaperboy, importPaperboy } from '../paperboy-engine.ts';

export const RESEARCH_KEYS = [
  'cacm',
  'cisi',
  'methodNames',
  'titleItems',
  'cacmCiting',
  'csfcube',
  'cacmCites',
] as const;
export type ResearchKey = (typeof RESEARCH_KEYS)[number];
export const RESEARCH_LABELS: Record<ResearchKey, string> = {
  cacm: 'CACM',
  cisi: 'CISI',
  methodNames: 'names',
  titleItems: 'titles',
  cacmCiting: 'citing',
  csfcube: 'CSFCube',
  cacmCites: 'CACM-cit',
};
/** Sets ranked by search (the query knobs act on them) and by related papers (the RELATED knobs act on them). */
export const SEARCH_SETS: readonly ResearchKey[] = ['cacm', 'cisi', 'methodNames', 'titleItems', 'cacmCiting'];
export const RELATED_SETS: readonly ResearchKey[] = ['csfcube', 'cacmCites'];
/** The sets of the eval's macro-average and targets (CACM citations is a diagnostic). */
export const EVAL_SETS: readonly ResearchKey[] = ['cacm', 'csfcube', 'cisi', 'methodNames', 'titleItems', 'cacmCiting'];

export interface SetResult {
  /** nDCG@10, or MRR@10 for the method names. */
  main: number;
  metrics: Record<string, number>;
  perQuery: Record<string, number>;
  /** Each query's text (search sets), for splitting by shape. */
  queries?: Record<string, string>;
  /** Mean milliseconds per query. */
  msPerQuery: number;
}

export interface ResearchSet {
  key: ResearchKey;
  built: BuiltPaperboy;
  /** The index as built (search's scoring), for re-scoring with other knobs. */
  base: SearchIndex;
  /** A copy of the scoring the index was built with (SCORING itself may be changed by knobs). */
  baseScoring: Scoring;
  run(): Promise<SetResult>;
}

const copyScoring = (s: Scoring): Scoring => ({
  k1: s.k1,
  b: s.b,
  boosts: [...s.boosts],
  bm25f: Boolean(s.bm25f),
});

async function searchSet(key: ResearchKey, data: SearchDataset | CitingDataset): Promise<ResearchSet> {
  const built = await importPaperboy(data.docs);
  const self = 'queryPaper' in data ? data.queryPaper : undefined;
  return {
    key,
    built,
    base: built.snapshot.index,
    baseScoring: copyScoring(built.snapshot.index.scoring),
    async run() {
      const started = performance.now();
      const perQuery: Record<string, number> = {};
      for (const q of data.queries) {
        // "Papers citing X": X itself is taken out of the ranking (datasets/cacm-citing.ts).
        const hits = (await built.search.search(q.query, { limit: self ? K + 1 : K })).hits.map((h) => h.paper.id);
        const ids = self ? hits.filter((id) => id !== self.get(q.id)).slice(0, K) : hits;
        perQuery[q.id] = ndcgAt(K, ids, q.gains);
      }
      const main = mean(Object.values(perQuery));
      return {
        main,
        metrics: { ndcg10: main },
        perQuery,
        queries: Object.fromEntries(data.queries.map((q) => [q.id, q.query])),
        msPerQuery: (performance.now() - started) / data.queries.length,
      };
    },
  };
}

async function relatedSet(key: ResearchKey, data: RelatedDataset): Promise<ResearchSet> {
  const built = await importPaperboy(data.docs);
  return {
    key,
    built,
    base: built.snapshot.index,
    baseScoring: copyScoring(built.snapshot.index.scoring),
    async run() {
      const started = performance.now();
      const perQuery: Record<string, number> = {};
      for (const q of data.queries) {
        const ids = (await built.search.related(q.queryPaperId, { limit: K })).hits.map((h) => h.paper.id);
        perQuery[q.id] = ndcgAt(K, rankingWithoutSelf(q.queryPaperId, ids), q.gains);
      }
      const main = mean(Object.values(perQuery));
      return {
        main,
        metrics: { ndcg10: main },
        perQuery,
        msPerQuery: (performance.now() - started) / data.queries.length,
      };
    },
  };
}

/** Built paperboys by corpus: the two arXiv known-item sets share one. */
const builtByDocs = new Map<readonly unknown[], Promise<BuiltPaperboy>>();

async function knownItemSet(key: ResearchKey, data: KnownItemDataset): Promise<ResearchSet> {
  let building = builtByDocs.get(data.docs);
  if (!building) {
    building = importPaperboy(data.docs);
    builtByDocs.set(data.docs, building);
  }
  const built = await building;
  return {
    key,
    built,
    base: built.snapshot.index,
    baseScoring: copyScoring(built.snapshot.index.scoring),
    async run() {
      const started = performance.now();
      const perQuery: Record<string, number> = {};
      const all: ReturnType<typeof knownItemScores>[] = [];
      for (const q of data.queries) {
        const ids = (await built.search.search(q.query, { limit: K })).hits.map((h) => h.paper.id);
        const scores = knownItemScores(firstKnownRank(ids, q.known, K));
        all.push(scores);
        perQuery[q.id] = scores.mrr10;
      }
      const metrics = {
        success1: mean(all.map((s) => s.success1)),
        success3: mean(all.map((s) => s.success3)),
        mrr10: mean(all.map((s) => s.mrr10)),
      };
      return {
        main: metrics.mrr10,
        metrics,
        perQuery,
        queries: Object.fromEntries(data.queries.map((q) => [q.id, q.query])),
        msPerQuery: (performance.now() - started) / data.queries.length,
      };
    },
  };
}

export async function loadResearchSets(
  keys: readonly ResearchKey[] = RESEARCH_KEYS,
  options: { sharedDir?: string; methodSample?: number; log?: (line: string) => void } = {},
): Promise<ResearchSet[]> {
  const shared = options.sharedDir ?? defaultSharedDir;
  const sets: ResearchSet[] = [];
  for (const key of keys) {
    const started = performance.now();
    const sample = { sample: options.methodSample };
    if (key === 'cacm') sets.push(await searchSet(key, loadCacm(shared)));
    else if (key === 'cisi') sets.push(await searchSet(key, loadCisi(shared)));
    else if (key === 'cacmCiting') sets.push(await searchSet(key, loadCacmCiting(shared)));
    else if (key === 'csfcube') sets.push(await relatedSet(key, loadCsfcube(shared)));
    else if (key === 'cacmCites') sets.push(await relatedSet(key, loadCacmCitations(shared)));
    else if (key === 'titleItems') sets.push(await knownItemSet(key, await loadTitleItems(shared, sample)));
    else sets.push(await knownItemSet(key, await loadMethodNames(shared, sample)));
    options.log?.(`built ${RESEARCH_LABELS[key]} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return sets;
}

/** Every set re-scored with these index knobs (search's scoring when omitted). */
export function withScoring(sets: readonly ResearchSet[], scoring: Scoring = SCORING): void {
  for (const set of sets) {
    const base = set.baseScoring;
    const same =
      base.k1 === scoring.k1 &&
      base.b === scoring.b &&
      Boolean(base.bm25f) === Boolean(scoring.bm25f) &&
      base.boosts.every((b, i) => b === scoring.boosts[i]);
    set.built.snapshot.index = same ? set.base : SearchIndex.fromSegments(set.base.segments, copyScoring(scoring));
  }
}

export type Results = Partial<Record<ResearchKey, SetResult>>;

export async function runAll(sets: readonly ResearchSet[]): Promise<Results> {
  const out: Results = {};
  for (const set of sets) out[set.key] = await set.run();
  return out;
}

/** Mean of the main figures of the given sets (those present). */
export function macro(results: Results, keys: readonly ResearchKey[] = EVAL_SETS): number {
  return mean(keys.flatMap((k) => (results[k] ? [results[k].main] : [])));
}

export function formatRow(label: string, results: Results, keys: readonly ResearchKey[]): string {
  const cells = keys.map((k) => {
    const r = results[k];
    if (!r) return '    -';
    const extra = r.metrics.success1 !== undefined ? ` s@1 ${r.metrics.success1.toFixed(3)}` : '';
    return `${r.main.toFixed(4)}${extra}`;
  });
  return `${label.padEnd(34)} ${cells.join('  ')}  macro ${macro(results).toFixed(4)}`;
}
