/**
 * `--scale N`: a corpus N times the shared one, for speed and memory at scale, not relevance. Copy 0 is the corpus as
 * it is; copy k (1 … N−1) of each paper gets a new arXiv id and publication date k·2 years later (`2503.11731` →
 * `2703.11731` for k = 1: ids never collide, and they stay valid new-style arXiv ids, so the store keeps every copy —
 * same title, different arXiv ids are different papers) and the authors of another paper (a different one for each
 * copy), so the copies' postings differ in ids, dates and authors. Copy 0 comes last, so its last papers are still
 * the daily batch.
 */
import type { CorpusPaper } from './corpus.ts';

/** Years each copy is moved forward by. */
const YEARS_PER_COPY = 2;
/** Copy k takes its authors from paper (i + k · AUTHOR_STRIDE) mod n: a prime, so every copy shuffles differently. */
const AUTHOR_STRIDE = 7919;

/** `2503.11731` moved `years` years on: `2703.11731`; undefined when the id is not a new-style arXiv id. */
export function movedArxivId(id: string, years: number): string | undefined {
  const match = /^(\d\d)(\d\d)\.(\d{4,5})$/.exec(id);
  if (!match) return undefined;
  const year = Number(match[1]) + years;
  if (year > 99) return undefined;
  return `${String(year).padStart(2, '0')}${match[2]}.${match[3]}`;
}

/** `2025-03-18` (or a longer ISO time) moved `years` years on. */
function movedDate(date: string | undefined, years: number): string | undefined {
  const match = date && /^(\d{4})(.*)$/.exec(date);
  return match ? `${Number(match[1]) + years}${match[2]}` : date;
}

/** Copy `k` of paper `i` of `papers` (copy 0 is the paper itself). */
export function copyOf(papers: readonly CorpusPaper[], i: number, k: number): CorpusPaper {
  const paper = papers[i]!;
  if (k === 0) return paper;
  const years = k * YEARS_PER_COPY;
  const id = movedArxivId(paper.id, years) ?? `${paper.id}-copy${k}`;
  const donor = papers[(i + k * AUTHOR_STRIDE) % papers.length]!;
  const published = movedDate(paper.published, years);
  return { ...paper, id, authors: donor.authors, ...(published ? { published } : {}) };
}

/** The scaled corpus: N × the papers given, copies N−1 … 1 first, the papers themselves last. */
export function* scaledPapers(papers: readonly CorpusPaper[], scale: number): Generator<CorpusPaper> {
  for (let k = scale - 1; k >= 0; k--) for (let i = 0; i < papers.length; i++) yield copyOf(papers, i, k);
}

/** A day of `count` new papers for `paperboy poll` of a corpus scaled `scale` times: copy `scale`, which it lacks. */
export function pollDay(papers: readonly CorpusPaper[], scale: number, count: number): CorpusPaper[] {
  return Array.from({ length: Math.min(count, papers.length) }, (_, i) => copyOf(papers, i, scale));
}
