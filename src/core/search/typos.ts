/**
 * Typo tolerance. A word that matches nothing may be a misspelling: the closest indexed word (edit distance 1,
 * then 2 for longer words, the most frequent first) is its likely fix. The fix is applied on its own only when the
 * word looks misspelled: it is no known English or technical word (data/known-words.txt.gz, see
 * bench/typos/build-known-words.ts), holds no digit, and the fix is in at least
 * AUTO_MIN_PAPERS papers. Otherwise the fix is only offered ("Did you mean …?"): `speculative` is spelled right
 * even where the corpus lacks it, and must not silently become `specific`.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { analyze, type SearchIndex } from './search-index.ts';

/** A fix found in fewer papers than this is only offered: one stray paper is weak evidence of what was meant. */
export const AUTO_MIN_PAPERS = 2;

const KNOWN_WORDS_FILE = new URL('../../../data/known-words.txt.gz', import.meta.url);

let knownWords: ReadonlySet<string> | undefined;

/** The words treated as spelled right, lower-case (loaded once, on the first word that matches nothing). */
export function loadKnownWords(): ReadonlySet<string> {
  knownWords ??= new Set(gunzipSync(readFileSync(KNOWN_WORDS_FILE)).toString('utf8').split('\n').filter(Boolean));
  return knownWords;
}

/** A word that may be right even though nothing matches it: a known word, or one with digits (ids, versions). */
export function looksSpelledRight(word: string, known: ReadonlySet<string> = loadKnownWords()): boolean {
  return /\d|_/.test(word) || known.has(word.toLowerCase());
}

/** The closest index token to a word that has no postings, and whether to apply it without asking. */
export interface Correction {
  token: string;
  /** True when the word looks misspelled and the fix is frequent enough: search for the fix straight away. */
  auto: boolean;
}

/** The fix for a word with no postings, or undefined when the word has postings or nothing is close. */
export function correctWord(
  index: SearchIndex,
  word: string,
  known: ReadonlySet<string> = loadKnownWords(),
): Correction | undefined {
  const token = correctToken(index, word);
  if (!token) return undefined;
  return { token, auto: !looksSpelledRight(word, known) && index.docFreq(token) >= AUTO_MIN_PAPERS };
}

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
    for (const written of text.split(/[^\p{L}\p{N}'-]+/u)) {
      // `models'` (a possessive) or `-based` (a cut compound) reads as `models`, `based`.
      const word = written.replace(/^['-]+|['-]+$/g, '');
      if (word && analyze(word)[0] === token) return word.toLowerCase();
    }
  }
  return token;
}
