/**
 * The known-item sets over the shared arXiv corpus: the method names (see method-names/build.ts for the rule) and
 * the title known items (title-items.ts). With `sample`, the corpus is cut down deterministically to every known
 * item plus `sample` other papers drawn with a seeded PRNG, for engines too slow or too large to index all 74,728
 * papers (plain Lunr needs ~3 min and ~3.7 GB).
 */
import path from 'node:path';
import { defaultSharedDir } from '../datasets.ts';
import type { EvalDoc } from '../engine.ts';
import { buildMethodNameSet, type MethodNameQuery } from '../method-names/build.ts';
import { parsePaperLine, readFirstLines } from '../scale/corpus.ts';
import { seededRandom } from '../scale/queries.ts';
import { buildTitleItems } from './title-items.ts';

export const METHOD_CORPUS_FILE = path.join('corpus', 'arxiv-cs-2025-26.jsonl.gz');
export const SAMPLE_SEED = 13;

export interface KnownItemQuery {
  id: string;
  query: string;
  /** Any of these at rank r is a success at r. */
  known: Set<string>;
}

export interface KnownItemDataset {
  name: string;
  docs: EvalDoc[];
  queries: KnownItemQuery[];
  /** Papers in the full corpus (docs.length when not sampled). */
  corpusSize: number;
  sampled: boolean;
}

/** Every known item plus `others` papers chosen by a seeded shuffle, in corpus order. */
export function sampleCorpus<T extends { id: string }>(
  papers: readonly T[],
  keep: ReadonlySet<string>,
  others: number,
) {
  const rest = papers.filter((p) => !keep.has(p.id)).map((p) => p.id);
  const random = seededRandom(SAMPLE_SEED);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  const chosen = new Set([...keep, ...rest.slice(0, Math.max(0, others))]);
  return papers.filter((p) => chosen.has(p.id));
}

export function toKnownItemQueries(queries: readonly MethodNameQuery[]): KnownItemQuery[] {
  return queries.map((q) => ({ id: q.query, query: q.query, known: new Set(q.knownIds) }));
}

/** Both known-item sets over the shared arXiv corpus, on the same documents (one index serves both). */
export interface ArxivSets {
  methodNames: KnownItemDataset;
  titleItems: KnownItemDataset;
}

const loaded = new Map<string, Promise<ArxivSets>>();

/**
 * The method-name and title known-item sets, built from the whole corpus; with `sample`, both are measured on every
 * known item of either plus `sample` other papers. Loaded once per process and options.
 */
export function loadArxivSets(sharedDir = defaultSharedDir, options: { sample?: number } = {}): Promise<ArxivSets> {
  const key = `${sharedDir}\u0000${options.sample ?? ''}`;
  let sets = loaded.get(key);
  if (!sets) {
    sets = readArxivSets(sharedDir, options.sample);
    loaded.set(key, sets);
  }
  return sets;
}

async function readArxivSets(sharedDir: string, sample: number | undefined): Promise<ArxivSets> {
  const file = path.join(sharedDir, METHOD_CORPUS_FILE);
  const papers = (await readFirstLines(file, Number.POSITIVE_INFINITY)).map(parsePaperLine);
  const all: EvalDoc[] = papers.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors }));
  const names = toKnownItemQueries(buildMethodNameSet(papers).queries);
  const titles = buildTitleItems(all);
  const known = new Set([...names, ...titles].flatMap((q) => [...q.known]));
  const docs = sample === undefined ? all : sampleCorpus(all, known, sample);
  const dataset = (name: string, queries: KnownItemQuery[]): KnownItemDataset => ({
    name,
    docs,
    queries,
    corpusSize: papers.length,
    sampled: sample !== undefined,
  });
  return { methodNames: dataset('method names', names), titleItems: dataset('title known items', titles) };
}

export async function loadMethodNames(
  sharedDir = defaultSharedDir,
  options: { sample?: number } = {},
): Promise<KnownItemDataset> {
  return (await loadArxivSets(sharedDir, options)).methodNames;
}

export async function loadTitleItems(
  sharedDir = defaultSharedDir,
  options: { sample?: number } = {},
): Promise<KnownItemDataset> {
  return (await loadArxivSets(sharedDir, options)).titleItems;
}
