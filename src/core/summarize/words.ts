/** The words a summary compares sentences by: lower case, letters and digits, no stop words, Porter-stemmed. */
import { analyzeWord } from '../search/search-index.ts';

/** Content words of a text as stems, in order ("We propose networks" → ["propos", "network"]). */
export function contentStems(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (word.length < 2 || /^\d+$/.test(word)) continue;
    const term = analyzeWord(word);
    if (term) out.push(term);
  }
  return out;
}

export type TermCounts = Map<string, number>;

export function termCounts(terms: readonly string[]): TermCounts {
  const counts: TermCounts = new Map();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
