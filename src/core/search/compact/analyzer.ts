/**
 * Lunr's analyzer (tokenizer + trimmer, stop words, stemmer) with the per-token pipeline memoized: the pipeline
 * is a pure function of the token's text, so the results are exactly Lunr's while each distinct word is stemmed once.
 */
import lunr from 'lunr';

const pipeline = new lunr.Pipeline();
pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);

/**
 * Raw token → index term; null when the pipeline drops it (stop words). Lunr keeps '' (a token of punctuation only).
 */
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 400_000;

export function analyzeToken(raw: string): string | null {
  let term = memo.get(raw);
  if (term === undefined) {
    const out = pipeline.run([new lunr.Token(raw, {})]);
    term = out.length ? out[0]!.toString() : null;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(raw, term);
  }
  return term;
}

/** lunr.tokenizer on a string: lower case, split on whitespace and hyphens, empty slices dropped. */
export function rawTokens(text: string | undefined | null): string[] {
  if (text == null) return [];
  const parts = String(text).toLowerCase().split(/[\s-]/);
  const out: string[] = [];
  for (const part of parts) if (part.length > 0) out.push(part);
  return out;
}

/** Terms of a query or a text for matching: as indexed, without empty terms. */
export function analyzeText(text: string | undefined | null): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const raw of rawTokens(text)) {
    const term = analyzeToken(raw);
    if (term) out.push(term);
  }
  return out;
}

const searchPipeline = new lunr.Pipeline();
searchPipeline.add(lunr.stemmer);

/**
 * What lunr.Index#query does to a clause term with usePipeline: its search pipeline (the stemmer) on the term as given.
 */
export function searchTerms(term: string): string[] {
  return searchPipeline.runString(term);
}
