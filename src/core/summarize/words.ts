/** The words a summary compares sentences by: lower case, letters and digits, no stop words, Porter-stemmed. */
import lunr from 'lunr';

const pipeline = new lunr.Pipeline();
pipeline.add(lunr.stopWordFilter, lunr.stemmer);
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 100_000;

function stem(word: string): string | null {
  let term = memo.get(word);
  if (term === undefined) {
    term = pipeline.runString(word)[0] ?? null;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(word, term);
  }
  return term;
}

/** Content words of a text as stems, in order ("We propose networks" → ["propos", "network"]). */
export function contentStems(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (word.length < 2 || /^\d+$/.test(word)) continue;
    const term = stem(word);
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
