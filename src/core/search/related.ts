/**
 * More-like-this: a paper's most distinctive terms (tf × idf over title and abstract, title counted more),
 * not its whole abstract as one giant query. Results exclude the paper itself and its duplicates.
 */
import type { Paper } from '../papers/paper.ts';
import { normalizeTitle } from '../papers/ids.ts';
import { analyze, type Clause, type PaperIndex } from './lunrIndex.ts';

export interface DistinctiveTerm {
  token: string;
  /** A word from the paper that produced the token (for "shares: ..."). */
  surface: string;
  weight: number;
}

const TITLE_WEIGHT = 3;
const MAX_TERMS = 25;

export function distinctiveTerms(paper: Paper, index: PaperIndex, maxTerms = MAX_TERMS): DistinctiveTerm[] {
  const counts = new Map<string, { tf: number; surface: string }>();
  const add = (text: string, weight: number) => {
    for (const word of text.split(/[\s/-]+/)) {
      for (const token of analyze(word)) {
        const entry = counts.get(token) ?? { tf: 0, surface: word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase() };
        entry.tf += weight;
        counts.set(token, entry);
      }
    }
  };
  add(paper.title, TITLE_WEIGHT);
  add(paper.abstract, 1);
  const n = Math.max(1, index.size);
  const terms: DistinctiveTerm[] = [];
  for (const [token, { tf, surface }] of counts) {
    if (token.length < 2 || /^\d+$/.test(token)) continue;
    const df = index.docFreq(token);
    // A term only this paper has cannot find another paper; one most papers have says nothing.
    if (df <= 1 || df > n * 0.2) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    terms.push({ token, surface, weight: (1 + Math.log(tf)) * idf });
  }
  return terms.sort((a, b) => b.weight - a.weight).slice(0, maxTerms);
}

export function relatedClauses(terms: DistinctiveTerm[]): Clause[] {
  const top = terms[0]?.weight ?? 1;
  return terms.map((term) => ({ term: term.token, analyzed: true, boost: term.weight / top }));
}

/** Same paper under another record: same arXiv id or same normalized title. */
export function isDuplicateOf(candidate: { id: string; titleNorm?: string }, paper: Paper): boolean {
  return candidate.id === paper.id || (candidate.titleNorm !== undefined && candidate.titleNorm === normalizeTitle(paper.title));
}
