/**
 * Papers as tf-idf vectors over the search index's terms: the same analysis as the index (Lunr's tokenizer, stop
 * words and stemmer) and its document frequencies, sublinear term frequency, title words counted twice, unit length.
 * Terms only one paper has cannot link two papers and are left out.
 */
import type { Paper } from '../papers/paper.ts';
import { analyze, type SearchIndex } from '../search/search-index.ts';

export interface TermVector {
  /** Index token → weight; the vector has unit length. */
  weights: Map<string, number>;
  /** Index token → a word of the paper that produced it (for "shares: …"). */
  surfaces: Map<string, string>;
}

const TITLE_WEIGHT = 2;

/** Document frequencies looked up once per index and token (a paper's vector asks for ~100 of them). */
const docFreqs = new WeakMap<SearchIndex, Map<string, number>>();

function docFreq(index: SearchIndex, token: string): number {
  let cache = docFreqs.get(index);
  if (!cache) {
    cache = new Map();
    docFreqs.set(index, cache);
  }
  let df = cache.get(token);
  if (df === undefined) {
    df = index.docFreq(token);
    cache.set(token, df);
  }
  return df;
}

/** Vectors already made, per index and paper id: libraries and candidates recur between recommendations. */
const vectors = new WeakMap<SearchIndex, Map<string, TermVector>>();
const MAX_CACHED_VECTORS = 50_000;

export function termVector(paper: Pick<Paper, 'id' | 'title' | 'abstract'>, index: SearchIndex): TermVector {
  let cache = vectors.get(index);
  if (!cache) {
    cache = new Map();
    vectors.set(index, cache);
  }
  let vector = cache.get(paper.id);
  if (!vector) {
    if (cache.size >= MAX_CACHED_VECTORS) cache.clear();
    vector = computeVector(paper, index);
    cache.set(paper.id, vector);
  }
  return vector;
}

function computeVector(paper: Pick<Paper, 'title' | 'abstract'>, index: SearchIndex): TermVector {
  const counts = new Map<string, number>();
  const surfaces = new Map<string, string>();
  const add = (text: string, weight: number) => {
    for (const word of text.split(/[\s/-]+/)) {
      for (const token of analyze(word)) {
        if (token.length < 2 || /^\d+$/.test(token)) continue;
        counts.set(token, (counts.get(token) ?? 0) + weight);
        if (!surfaces.has(token))
          surfaces.set(token, word.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, '').toLowerCase());
      }
    }
  };
  add(paper.title, TITLE_WEIGHT);
  add(paper.abstract, 1);
  const n = Math.max(1, index.size);
  const weights = new Map<string, number>();
  let norm = 0;
  for (const [token, tf] of counts) {
    const df = docFreq(index, token);
    if (df < 2) continue;
    const weight = (1 + Math.log(tf)) * Math.log((n + 1) / (df + 1));
    if (weight <= 0) continue;
    weights.set(token, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [token, weight] of weights) weights.set(token, weight / norm);
  return { weights, surfaces };
}

export function dot(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [token, weight] of small) {
    const other = large.get(token);
    if (other !== undefined) sum += weight * other;
  }
  return sum;
}

/** The tokens two vectors share, strongest first, as words of the first. */
export function sharedTerms(a: TermVector, b: TermVector, limit: number): string[] {
  const shared: { token: string; weight: number }[] = [];
  for (const [token, weight] of a.weights) {
    const other = b.weights.get(token);
    if (other !== undefined) shared.push({ token, weight: weight * other });
  }
  return shared
    .sort((x, y) => y.weight - x.weight)
    .slice(0, limit)
    .map(({ token }) => a.surfaces.get(token) ?? token);
}
