/** Typo tolerance: a word that matches nothing is replaced by the closest indexed word (edit distance 1, then 2). */
import { analyze, type SearchIndex } from './search-index.ts';

/** The best index token for a word with no postings, or undefined when there is nothing close. */
export function correctToken(index: SearchIndex, word: string): string | undefined {
  const tokens = analyze(word);
  if (tokens.length !== 1) return undefined;
  const token = tokens[0]!;
  if (index.has(token) || token.length < 3) return undefined;
  for (const distance of token.length >= 6 ? [1, 2] : [1]) {
    const candidates = index.fuzzy(token, distance).filter((c) => c !== token && c.length > 1);
    if (candidates.length) {
      return candidates
        .map((c) => ({ c, df: index.docFreq(c) }))
        .sort((a, b) => b.df - a.df || a.c.localeCompare(b.c))[0]!.c;
    }
  }
  return undefined;
}

/** A readable word for an index token (stems like `diffus` read badly), found in a text that contains it. */
export function surfaceFor(token: string, texts: string[]): string {
  for (const text of texts) {
    for (const word of text.split(/[^\p{L}\p{N}'-]+/u)) {
      if (word && analyze(word)[0] === token) return word.toLowerCase();
    }
  }
  return token;
}
