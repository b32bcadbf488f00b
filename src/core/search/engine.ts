/**
 * The search engine behind `/paper`: executes a SearchPlan on the current snapshot. Words should all match
 * (falling back to the best partial matches when too few do); phrases are checked against the real text;
 * exclusions, date and category filters apply; each hit says which words matched in which fields.
 */

import { normalizeTitle } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import type { PlanWord, SearchPlan } from './plan.ts';
import { hasFilter, hasPositiveClause } from './plan.ts';
import { bigrams, PROXIMITY, rerankTop } from './proximity.ts';
import { matchesFilters } from './query-parser.ts';
import { analyze, type Clause, type Field, type QueryResult, type SearchIndex } from './search-index.ts';
import type { CorpusSnapshot } from './snapshot.ts';
import { isCoinedName, titleMatchKey } from './title-name.ts';
import { topK } from './top-k.ts';

/** Ranking knobs, measured with `npm run eval` (see README, search relevance). */
export const RANKING = {
  /** Fewer full matches than this and partial matches are shown after them. */
  minFullMatches: 3,
  /** Partial matches are scored × (share of query words matched) ^ this: more words matched ranks higher. */
  coordinationPower: 0,
  /**
   * Short queries rank papers with all their words before partial matches, and show partial matches only when fewer
   * than minFullMatches papers have them all. False: short queries are ranked over all their words, as prose is.
   */
  fullFirst: false,
  /** Weight of an acronym expansion or spelling variant relative to the word typed. */
  alternativeBoost: 0.7,
  /** Papers whose title, or whose title's name (`LISA: …`), is the query rank first. */
  titleMatchFirst: true,
  /**
   * A name written like a word (`Sherlock: …`, `Position: …`) counts only when the word is in fewer than this share
   * of papers: `sherlock` names a paper, `position` is a topic. Coined names (`LISA`, `LoRA`, `Qwen2`) always count.
   */
  wordNameMaxDocShare: 0.01,
  /**
   * A short query (2 words or more, not prose: see SearchPlan.prose) that stands as a phrase in a paper's title ranks
   * that paper above the papers that only have its words elsewhere (after exact title and name matches).
   */
  titlePhraseFirst: true,
};
/** How many candidates phrase checks may read from the store. */
const MAX_TEXT_CHECKS = 2000;

export interface EngineResult {
  /** The best hits in order: all of them, or the first `limit` asked for (`total` counts them all). */
  hits: { ref: string; score: number; matched: string[]; fields: Field[] }[];
  total: number;
  partial: boolean;
}

export interface PaperSource {
  get(id: string): Paper | undefined;
}

interface WordTokens {
  word: PlanWord;
  /** Each alternative spelled as tokens; the word is satisfied when all tokens of one alternative match. */
  options: { label: string; tokens: string[] }[];
}

export function wordTokens(word: PlanWord): WordTokens {
  if (word.prefix) {
    // Prefix words are matched unstemmed: `transform*` must find `transformer` and `transformation`.
    const prefix = word.text.toLowerCase();
    return { word, options: prefix ? [{ label: `${prefix}*`, tokens: [prefix] }] : [] };
  }
  const options = [word.text, ...(word.alternatives ?? [])]
    .map((label) => ({ label, tokens: [...new Set(analyze(label))] }))
    .filter((option) => option.tokens.length > 0);
  return { word, options };
}

export function executePlan(
  snapshot: CorpusSnapshot,
  papers: PaperSource,
  plan: SearchPlan,
  limit = Number.POSITIVE_INFINITY,
  /** titleMatchKey of the query when it may be a title or a name (plain words only). */
  titleKey?: string,
): EngineResult {
  if (!hasPositiveClause(plan)) return filterOnly(snapshot, plan, limit);
  const { words, phrases, clauses } = planClauses(plan);
  if (!words.length && !phrases.length) return { hits: [], total: 0, partial: false };

  // Every matching paper is scored into typed arrays; objects are made only for the hits returned.
  const result = snapshot.index.evaluate(clauses);
  const n = result.count;
  const scores = result.scores;
  const keep = new Uint8Array(n).fill(1);
  // Prose (PLAN.sentenceQueryWords or more words typed) is ranked over all its words; short queries keep all first.
  const sentence = plan.prose === true;
  if (hasFilter(plan)) for (let i = 0; i < n; i++) keep[i] = passesFilters(snapshot, result.ref(i), plan) ? 1 : 0;
  if (phrases.length || plan.excludedPhrases.length) checkText(result, keep, papers, plan);
  if (plan.sort === 'relevance' && words.length > 1 && (sentence || PROXIMITY.shortQueries)) {
    rerankTop(result, keep, bigrams(words.flatMap((w) => w.options[0]?.tokens ?? [])));
  }

  const masks = wordMasks(result, words);
  const full = new Uint8Array(n);
  let fullCount = 0;
  let partialCount = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    if (satisfiesAll(result, i, masks)) {
      full[i] = 1;
      fullCount++;
    } else partialCount++;
  }
  const fullFirst = RANKING.fullFirst || plan.subscription === true;
  const partial =
    (sentence || !fullFirst || fullCount < RANKING.minFullMatches) && partialCount > 0 && words.length > 1;
  if (partial && !sentence) {
    for (let i = 0; i < n; i++)
      if (keep[i] && !full[i]) scores[i]! *= coverage(result, i, masks) ** RANKING.coordinationPower;
  }
  const titled =
    titleKey && RANKING.titleMatchFirst && plan.sort === 'relevance' ? titleMatches(snapshot, result, titleKey) : [];
  // Tiers: 2 = the title or the name is the query, 1 = a short query stands as a phrase in the title.
  const sequence = phraseInTitle(plan, words) ? words.flatMap((w) => w.options[0]!.tokens) : [];
  const promoted = new Uint8Array(titled.length || sequence.length > 1 ? n : 0);
  for (const i of titled) if (keep[i]) promoted[i] = 2;
  if (sequence.length > 1) {
    const inTitle = snapshot.index.titleSequence(sequence);
    for (let i = 0; i < n; i++) {
      if (keep[i] && full[i] && promoted[i] === 0 && inTitle(result.docs[i]!)) promoted[i] = 1;
    }
  }
  const notPromoted = (i: number) => promoted.length === 0 || promoted[i] === 0;
  const isFull = (i: number) => keep[i] === 1 && full[i] === 1 && notPromoted(i);
  const isPartial = (i: number) => keep[i] === 1 && full[i] === 0 && notPromoted(i);
  const isAny = (i: number) => keep[i] === 1 && notPromoted(i);
  const total = partial ? fullCount + partialCount : fullCount;
  const k = Math.min(total, limit);
  let order: number[] = [];
  const more = (eligible: (i: number) => boolean) => {
    if (order.length < k) order = order.concat(select(result, snapshot, plan, eligible, k - order.length));
  };
  if (promoted.length) {
    more((i) => promoted[i] === 2);
    more((i) => promoted[i] === 1);
  }
  if (!partial) more(isFull);
  else if (fullFirst && !sentence) {
    more(isFull);
    more(isPartial);
  } else more(isAny);
  return {
    hits: order.map((i) => explainedHit(result, i, masks, phrases)),
    total,
    partial: partial && fullCount === 0,
  };
}

/** The plan's words (with their alternatives) and phrases as tokens, and the index clauses that find them. */
function planClauses(plan: SearchPlan): {
  words: WordTokens[];
  phrases: (SearchPlan['phrases'][number] & { tokens: string[] })[];
  clauses: Clause[];
} {
  const words = plan.words.map(wordTokens).filter((w) => w.options.length > 0);
  const phrases = plan.phrases
    .map((phrase) => ({ ...phrase, tokens: [...new Set(analyze(phrase.text))] }))
    .filter((phrase) => phrase.tokens.length > 0);
  const clauses: Clause[] = [];
  for (const { word, options } of words) {
    options.forEach((option, i) => {
      // Alternatives count less than what the user typed, and a long form's many words no more than its acronym.
      const alternative = (RANKING.alternativeBoost * (word.alternativeWeight ?? 1)) / Math.sqrt(option.tokens.length);
      const boost = (word.weight ?? 1) * (i === 0 ? 1 : alternative);
      for (const token of option.tokens)
        clauses.push({ term: token, fields: word.fields, analyzed: true, boost, prefix: word.prefix });
    });
  }
  for (const phrase of phrases) {
    for (const token of phrase.tokens)
      clauses.push({ term: token, fields: phrase.fields, presence: 'required', analyzed: true });
  }
  for (const excluded of plan.excludedWords) {
    for (const token of analyze(excluded)) clauses.push({ term: token, presence: 'prohibited', analyzed: true });
  }
  return { words, phrases, clauses };
}

/**
 * Every paper the plan matches in full (all its words, by the word or an alternative; its phrases; its filters; none of
 * its exclusions), unranked: for counting (trend charts), where ranking and partial matches mean nothing. Exact
 * phrases are checked in the text of the best candidates, as searches check them.
 */
export function fullMatches(snapshot: CorpusSnapshot, papers: PaperSource, plan: SearchPlan): string[] {
  if (!hasPositiveClause(plan)) return filterOnly(snapshot, plan, Number.POSITIVE_INFINITY).hits.map((h) => h.ref);
  const { words, phrases, clauses } = planClauses(plan);
  if (!words.length && !phrases.length) return [];
  const result = snapshot.index.evaluate(clauses);
  const keep = new Uint8Array(result.count).fill(1);
  if (hasFilter(plan))
    for (let i = 0; i < result.count; i++) keep[i] = passesFilters(snapshot, result.ref(i), plan) ? 1 : 0;
  if (phrases.length || plan.excludedPhrases.length) checkText(result, keep, papers, plan);
  const masks = wordMasks(result, words);
  const refs: string[] = [];
  for (let i = 0; i < result.count; i++) if (keep[i] && satisfiesAll(result, i, masks)) refs.push(result.ref(i));
  return refs;
}

/** A short query of plain words, in relevance order: its words as a phrase in a title are evidence. */
function phraseInTitle(plan: SearchPlan, words: WordTokens[]): boolean {
  return (
    RANKING.titlePhraseFirst &&
    plan.sort === 'relevance' &&
    words.length >= 2 &&
    !plan.prose &&
    words.every((w) => !w.word.fields && !w.word.prefix && w.options[0])
  );
}

type TitleEntry = { doc: number; name?: string };

/**
 * The papers titled `key` or named so (see RANKING.titleMatchFirst), through each segment's stored title-key table:
 * its candidates share the key's hash, and each is checked against the paper's own title or name.
 */
function titleEntries(index: SearchIndex, key: string): TitleEntry[] {
  const out: TitleEntry[] = [];
  index.segments.forEach((segment, s) => {
    const base = index.baseOf(s);
    for (const { local, isName } of segment.titleKeyCandidates(key)) {
      const meta = segment.meta(local);
      if (!meta) continue;
      if (!isName && meta.titleNorm === key) out.push({ doc: base + local });
      if (isName && meta.titleName && titleMatchKey(meta.titleName) === key)
        out.push({ doc: base + local, name: meta.titleName });
    }
  });
  return out;
}

/**
 * Result positions of the papers whose whole title, or whose name before the colon, is the query (see
 * RANKING.titleMatchFirst).
 */
function titleMatches(snapshot: CorpusSnapshot, result: QueryResult, key: string): number[] {
  const entries = titleEntries(snapshot.index, key);
  if (!entries.length) return [];
  const index = snapshot.index;
  const wordLike = (name: string) => {
    if (isCoinedName(name)) return false;
    const share = analyze(name).map((token) => index.docFreq(token) / Math.max(1, index.size));
    return share.some((s) => s >= RANKING.wordNameMaxDocShare);
  };
  const wanted = new Set<number>();
  for (const { doc, name } of entries) if (name === undefined || !wordLike(name)) wanted.add(doc);
  const out: number[] = [];
  if (!wanted.size) return out;
  for (let i = 0; i < result.count; i++) if (wanted.has(result.docs[i]!)) out.push(i);
  return out;
}

/** Each word's alternatives as bit masks over the query's clause keys (undefined: a token matched nowhere). */
type WordMasks = { label: string; mask: Uint32Array | undefined }[][];

function wordMasks(result: QueryResult, words: WordTokens[]): WordMasks {
  return words.map(({ options }) =>
    options.map((option) => {
      const mask = new Uint32Array(result.words);
      for (const token of option.tokens) {
        const bit = result.keys.get(token);
        if (bit === undefined) return { label: option.label, mask: undefined };
        mask[bit >>> 5]! |= 1 << (bit & 31);
      }
      return { label: option.label, mask };
    }),
  );
}

/** The alternative of the word the hit matched with all its tokens, if any. */
function wordMatched(result: QueryResult, i: number, options: WordMasks[number]): string | undefined {
  const words = result.words;
  const masks = result.masks;
  for (const { label, mask } of options) {
    if (!mask) continue;
    let all = true;
    for (let w = 0; w < words && all; w++) all = (masks[i * words + w]! & mask[w]!) === mask[w];
    if (all) return label;
  }
  return undefined;
}

/** Share of the query's words a hit matched (by the word or one of its alternatives). */
function coverage(result: QueryResult, i: number, words: WordMasks): number {
  if (!words.length) return 1;
  let matched = 0;
  for (const word of words) if (wordMatched(result, i, word) !== undefined) matched++;
  return matched / words.length;
}

function satisfiesAll(result: QueryResult, i: number, words: WordMasks): boolean {
  for (const word of words) if (wordMatched(result, i, word) === undefined) return false;
  return true;
}

/**
 * A hit with the words it matched; the fields it matched in are worked out only if read (a page of search results
 * shows them; alert matching, which takes every hit, never reads them).
 */
function explainedHit(
  result: QueryResult,
  i: number,
  words: WordMasks,
  phrases: { text: string; tokens: string[] }[],
): EngineResult['hits'][number] {
  const matched: string[] = [];
  for (const word of words) {
    const label = wordMatched(result, i, word);
    if (label !== undefined) matched.push(label);
  }
  for (const phrase of phrases) matched.push(`"${phrase.text}"`);
  let fields: Field[] | undefined;
  return {
    ref: result.ref(i),
    score: result.scores[i]!,
    matched: [...new Set(matched.map((m) => m.toLowerCase()))],
    get fields() {
      if (!fields) {
        const set = new Set<Field>();
        for (const fieldList of result.matched(i).values()) for (const f of fieldList) set.add(f);
        fields = [...set];
      }
      return fields;
    },
  };
}

/** The best k eligible hits in the plan's order (relevance: score; new: date, then score). */
function select(
  result: QueryResult,
  snapshot: CorpusSnapshot,
  plan: SearchPlan,
  eligible: (i: number) => boolean,
  k: number,
): number[] {
  if (k <= 0) return [];
  if (plan.sort === 'new') {
    const all: number[] = [];
    for (let i = 0; i < result.count; i++) if (eligible(i)) all.push(i);
    const published = (i: number) => snapshot.meta.get(result.ref(i))?.published ?? '';
    const dates = new Map(all.map((i) => [i, published(i)]));
    all.sort((a, b) => dates.get(b)!.localeCompare(dates.get(a)!) || result.scores[b]! - result.scores[a]! || a - b);
    return all.slice(0, k);
  }
  return Array.from(topK(result.scores, result.count, k, eligible));
}

export function passesFilters(snapshot: CorpusSnapshot, ref: string, plan: SearchPlan): boolean {
  if (!hasFilter(plan)) return true;
  const meta = snapshot.meta.get(ref);
  return meta !== undefined && matchesFilters(plan.filters, meta);
}

/**
 * Exact phrases really appear (in the field asked for), excluded phrases don't: checked in the text of the best
 * candidates.
 */
function checkText(result: QueryResult, keep: Uint8Array, papers: PaperSource, plan: SearchPlan): void {
  const needles = plan.phrases.map((p) => ({ text: normalizeTitle(p.text), fields: p.fields }));
  const excluded = plan.excludedPhrases.map(normalizeTitle).filter(Boolean);
  const checked = topK(result.scores, result.count, MAX_TEXT_CHECKS, (i) => keep[i] === 1);
  keep.fill(0);
  for (const i of checked) {
    const paper = papers.get(result.ref(i));
    if (!paper) continue;
    const texts: Record<Field, string> = {
      title: ` ${normalizeTitle(paper.title)} `,
      abstract: ` ${normalizeTitle(paper.abstract)} `,
      authors: ` ${normalizeTitle(paper.authors.join(', '))} `,
    };
    const all = `${texts.title} ${texts.abstract} ${texts.authors}`;
    const hasAll = needles.every((n) =>
      n.fields ? n.fields.some((f) => texts[f].includes(` ${n.text} `)) : all.includes(` ${n.text} `),
    );
    const hasExcluded = excluded.some((e) => all.includes(` ${e} `));
    if (hasAll && !hasExcluded) keep[i] = 1;
  }
}

/** A query of filters only (`since:2025-06 cat:cs.CL`): newest first. */
function filterOnly(snapshot: CorpusSnapshot, plan: SearchPlan, limit: number): EngineResult {
  if (!hasFilter(plan)) return { hits: [], total: 0, partial: false };
  const refs = [...snapshot.meta.keys()].filter((ref) => passesFilters(snapshot, ref, plan));
  const dates = new Map(refs.map((ref) => [ref, snapshot.meta.get(ref)?.published ?? '']));
  refs.sort((a, b) => dates.get(b)!.localeCompare(dates.get(a)!));
  return {
    hits: refs.slice(0, Math.min(refs.length, limit)).map((ref) => ({ ref, score: 0, matched: [], fields: [] })),
    total: refs.length,
    partial: false,
  };
}
