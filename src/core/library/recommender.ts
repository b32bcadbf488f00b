/**
 * "More like our library": a linear model trained on the library's tf-idf vectors (linear-model.ts) ranks the
 * corpus. The index does the first pass (the model's strongest positive terms as one weighted query over titles and
 * abstracts), then the best candidates are scored exactly, w·x + b over their own vectors. Saved papers and their
 * duplicates (same id or same normalized title) never come back, nor do the papers the channel said 👎 to (which the
 * model learns from as negatives). Each recommendation names the saved paper nearest to it and the terms they share.
 */
import { normalizeTitle } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import type { Clause, DocMeta, SearchIndex } from '../search/search-index.ts';
import type { CorpusSnapshot } from '../search/snapshot.ts';
import { topK } from '../search/top-k.ts';
import { centroidModel, type LinearModel, scoreVector, TRAINING, trainLogistic } from './linear-model.ts';
import { dot, sharedTerms, type TermVector, termVector } from './term-vectors.ts';

export type RecommendMethod = 'classifier' | 'centroid';

export const RECOMMEND = {
  /** Random corpus papers the classifier learns the library is not (one sample per index, reused). */
  negatives: 300,
  /** The model's strongest terms that make the index's first-pass query (each costs its postings' worth of time). */
  queryTerms: 60,
  /** First-pass candidates scored exactly. */
  candidates: 100,
  /** Shared terms shown per recommendation. */
  sharedTerms: 5,
};

export interface PaperFetch {
  getMany(ids: readonly string[]): Promise<Map<string, Paper>>;
}

export interface Recommendation {
  paper: Paper;
  score: number;
  /** The saved paper most like this one. */
  because: Paper;
  shared: string[];
}

export interface TrainedLibrary {
  model: LinearModel;
  saved: { paper: Paper; vector: TermVector }[];
  /** Ids and normalized titles of the saved papers: their duplicates are not recommended. */
  isSaved(ref: string, meta: DocMeta | undefined): boolean;
  /** The same for the papers the channel said 👎 to: never recommended again. */
  isDisliked(ref: string, meta: DocMeta | undefined): boolean;
  /** How many 👎 papers the model learnt from. */
  dislikedCount: number;
}

/** Whether a paper (or a duplicate of it) is saved or said 👎 to: it is not recommended. */
export function isExcluded(trained: TrainedLibrary, paper: Pick<Paper, 'id' | 'title'>): boolean {
  const meta = { titleNorm: normalizeTitle(paper.title) } as DocMeta;
  return trained.isSaved(paper.id, meta) || trained.isDisliked(paper.id, meta);
}

export interface RecommendOptions {
  limit: number;
  /** Only these papers may be recommended (the eval's following month). */
  eligible?: (ref: string, meta: DocMeta | undefined) => boolean;
}

/** Whether a ref (or its title) is one of these papers'. */
function memberOf(papers: readonly Paper[]): (ref: string, meta: DocMeta | undefined) => boolean {
  const ids = new Set(papers.map((p) => p.id));
  const titles = new Set(papers.map((p) => normalizeTitle(p.title)));
  return (ref, meta) => ids.has(ref) || (!!meta && titles.has(meta.titleNorm));
}

/**
 * Trains the library's model; deterministic for a given library, 👎 papers and corpus. A paper both saved and said 👎
 * to counts as saved (someone chose to keep it); the centroid ignores the 👎s (it has no negatives).
 */
export async function trainLibrary(
  library: readonly Paper[],
  snapshot: CorpusSnapshot,
  papers: PaperFetch,
  method: RecommendMethod = 'classifier',
  dislikedPapers: readonly Paper[] = [],
): Promise<TrainedLibrary> {
  const { index } = snapshot;
  const saved = library.map((paper) => ({ paper, vector: termVector(paper, index) }));
  const isSaved = memberOf(library);
  const disliked = dislikedPapers.filter(
    (paper) => !isSaved(paper.id, { titleNorm: normalizeTitle(paper.title) } as DocMeta),
  );
  const isDisliked = memberOf(disliked);
  const positives = saved.map((s) => s.vector);
  const dislikedCount = disliked.length;
  if (method === 'centroid') return { model: centroidModel(positives), saved, isSaved, isDisliked, dislikedCount };
  const negatives = (await negativeSample(index, papers))
    .filter(({ paper }) => !isSaved(paper.id, index.metaOf(paper.id)) && !isDisliked(paper.id, index.metaOf(paper.id)))
    .map(({ vector }) => vector);
  const dislikedVectors = disliked.map((paper) => termVector(paper, index));
  const model = trainLogistic(positives, negatives, TRAINING, dislikedVectors);
  return { model, saved, isSaved, isDisliked, dislikedCount };
}

export async function recommend(
  trained: TrainedLibrary,
  snapshot: CorpusSnapshot,
  papers: PaperFetch,
  options: RecommendOptions,
): Promise<Recommendation[]> {
  const { index } = snapshot;
  const clauses: Clause[] = [...trained.model.weights]
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, RECOMMEND.queryTerms)
    .map(([term, weight]) => ({ term, analyzed: true, boost: weight, fields: ['title', 'abstract'] }));
  if (!clauses.length) return [];
  const found = index.evaluate(clauses);
  const eligible = (i: number) => {
    const ref = found.ref(i);
    const meta = index.metaOf(ref);
    return !trained.isSaved(ref, meta) && !trained.isDisliked(ref, meta) && (options.eligible?.(ref, meta) ?? true);
  };
  // Checking every match is slow (facts are read from the index); without a restriction, the saved papers and
  // their duplicates are among the best matches, so the best few hundred more than cover them (and the 👎 papers).
  const best = options.eligible
    ? topK(found.scores, found.count, RECOMMEND.candidates, eligible)
    : topK(found.scores, found.count, RECOMMEND.candidates + 2 * (trained.saved.length + trained.dislikedCount)).filter(
        eligible,
      );
  const refs = Array.from(best.slice(0, RECOMMEND.candidates), (i) => found.ref(i));
  const fetched = await papers.getMany(refs);
  const scored: { paper: Paper; vector: TermVector; score: number }[] = [];
  for (const ref of refs) {
    const paper = fetched.get(ref);
    if (!paper) continue;
    const vector = termVector(paper, index);
    scored.push({ paper, vector, score: scoreVector(trained.model, vector) });
  }
  scored.sort((a, b) => b.score - a.score || a.paper.id.localeCompare(b.paper.id));
  return scored.slice(0, options.limit).map(({ paper, vector, score }) => {
    const nearest = nearestSaved(trained, vector);
    return {
      paper,
      score,
      because: nearest.paper,
      shared: sharedTerms(vector, nearest.vector, RECOMMEND.sharedTerms),
    };
  });
}

/** The saved paper most like a vector (cosine: vectors have unit length). */
export function nearestSaved(trained: TrainedLibrary, vector: TermVector): TrainedLibrary['saved'][number] {
  let best = trained.saved[0]!;
  let bestScore = -1;
  for (const saved of trained.saved) {
    const similarity = dot(saved.vector.weights, vector.weights);
    if (similarity > bestScore) {
      best = saved;
      bestScore = similarity;
    }
  }
  return best;
}

/** Every index ref in an array, made once per index. */
const refArrays = new WeakMap<SearchIndex, string[]>();

const NEGATIVE_SEED = 20_251_130;

/** The negatives: one seeded random sample of the corpus per index, fetched and vectorized once. */
const negativeSamples = new WeakMap<SearchIndex, Promise<{ paper: Paper; vector: TermVector }[]>>();

function negativeSample(index: SearchIndex, papers: PaperFetch): Promise<{ paper: Paper; vector: TermVector }[]> {
  let sample = negativeSamples.get(index);
  if (!sample) {
    const ids = sampleRefs(index, RECOMMEND.negatives, NEGATIVE_SEED);
    sample = papers.getMany(ids).then((fetched) =>
      ids.flatMap((id) => {
        const paper = fetched.get(id);
        return paper ? [{ paper, vector: termVector(paper, index) }] : [];
      }),
    );
    // A failed read is not kept: the next recommendation tries again.
    sample.catch(() => negativeSamples.delete(index));
    negativeSamples.set(index, sample);
  }
  return sample;
}

function sampleRefs(index: SearchIndex, count: number, seed: number): string[] {
  let refs = refArrays.get(index);
  if (!refs) {
    refs = [...index.refs()];
    refArrays.set(index, refs);
  }
  const random = mulberry32(seed);
  const picked = new Set<string>();
  for (let tries = 0; picked.size < Math.min(count, refs.length) && tries < count * 4; tries++)
    picked.add(refs[Math.floor(random() * refs.length)]!);
  return [...picked];
}

/** A small seeded generator: the same index draws the same negatives. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
