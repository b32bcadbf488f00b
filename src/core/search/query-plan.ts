/**
 * Turns what the user typed (ParsedQuery) into a SearchPlan: acronyms expand both ways (`lora` ↔
 * "low-rank adaptation", learned from the corpus), and spacing variants meet (`low-rank`, `low rank`, `lowrank`).
 */

import type { PlanWord, SearchPlan } from './plan.ts';
import { type ParsedQuery, parseQuery, type QueryTerm, type TextField } from './query-parser.ts';
import { analyzeWord, type Field } from './search-index.ts';
import { splitCompound } from './text-variants.ts';

/** What the planner may ask of the corpus. */
export interface Vocabulary {
  /** The other side of an acronym, both ways (`lora` → `low rank adaptation`, and back). */
  expand(text: string): string[];
  /** The index has this word (after analysis). */
  has(word: string): boolean;
  /** Papers with this word (after analysis); 0 when unknown. */
  docFreq?(word: string): number;
  /** Papers in the corpus. */
  size?: number;
  /** `expand` restricted to the pairs the corpus is certain of (AcronymTable.expandCertain). */
  expandCertain?(text: string): string[];
}

const NO_VOCABULARY: Vocabulary = { expand: () => [], has: () => false };
const FIELD_OF: Record<TextField, Field> = { title: 'title', author: 'authors', abstract: 'abstract' };
/** Longest run of query words that may spell out an acronym's long form. */
const MAX_LONG_FORM_WORDS = 6;
const MAX_ALTERNATIVES = 4;

export interface PlanOptions {
  /**
   * A subscription's query: matched word for word, so nothing typed is dropped as a request word and quotes stay
   * exact (the prose rules are for ranking a search).
   */
  subscription?: boolean;
}

export function planQuery(
  input: string,
  vocabulary: Vocabulary = NO_VOCABULARY,
  options: PlanOptions = {},
): SearchPlan {
  return planFromParsed(parseQuery(input), vocabulary, options);
}

/**
 * Words that ask for papers rather than describe them ("I'm interested in articles on ..."). Dropped from
 * queries written as sentences (enough other words remain); kept in short queries, where they may be the topic.
 */
export const REQUEST_WORDS = new Set(
  (
    "i i'm i'd me my we our us you would like want wanted find finding looking look interested interest " +
    'interests especially particularly particular please need needed any all articles article papers paper ' +
    'documents document publications publication works related relating dealing deal deals concerning ' +
    'regarding about describing describe describes ' +
    'discussing discuss discusses references reference examples example include includes including e.g i.e etc ' +
    'other others such also some something anything'
  ).split(' '),
);
/** Query-plan knobs, measured with `npm run eval`. */
export const PLAN = {
  /** Queries of this many plain words or more read as prose: request words dropped, quotes quote. */
  sentenceQueryWords: 6,
  dropRequestWords: true,
  /**
   * How request words are found: 'framing' drops only the request that opens a prose query ("I'm interested in
   * papers on …", "What articles exist which deal with …", "Describe …") and a few words that are never a topic
   * ("please", "e.g."); 'list' drops every word of REQUEST_WORDS anywhere in the query.
   */
  requestWords: 'framing' as 'framing' | 'list',
  quotesInProse: true,
  /** Split a typed compound (`lowrank` → `low rank`) only into halves at least as common as the compound. */
  splitNeedsCommonHalves: true,
  /** No compound splitting in queries written as prose (sentenceQueryWords or more). */
  splitOnlyShort: true,
  /**
   * Acronyms in prose queries: 'all' expands as short queries do; 'certain' only pairs the corpus is certain of,
   * weighted by the acronym's idf (rare acronyms at full weight); 'none' never.
   */
  proseAcronyms: 'none' as 'all' | 'certain' | 'none',
  /**
   * Searches: acronyms and their long forms in short queries expand to each other (`lora` ↔ `low rank adaptation`).
   * Subscriptions always match them, whatever this says (matching is not ranking).
   */
  shortAcronyms: false,
  /**
   * Searches: a hyphenated or spaced compound also matches joined (`low-rank` → `lowrank`), and a joined one split.
   * Subscriptions always do.
   */
  compoundVariants: false,
};

/** The acronym side of a word in a short query (see PLAN.shortAcronyms; a subscription's always expand). */
function shortExpansion(
  text: string,
  vocabulary: Vocabulary,
  search = true,
): { alternatives: string[]; weight: number } {
  return { alternatives: PLAN.shortAcronyms || !search ? vocabulary.expand(text) : [], weight: 1 };
}

/** The acronym side of a word in a prose query: its alternatives and their weight (see PLAN.proseAcronyms). */
function proseExpansion(text: string, vocabulary: Vocabulary): { alternatives: string[]; weight: number } {
  if (PLAN.proseAcronyms === 'none') return { alternatives: [], weight: 1 };
  if (PLAN.proseAcronyms === 'all' || !vocabulary.expandCertain)
    return { alternatives: vocabulary.expand(text), weight: 1 };
  const alternatives = vocabulary.expandCertain(text);
  if (!alternatives.length) return { alternatives, weight: 1 };
  // idf of the acronym's side (the shorter text), as a share of the largest idf the corpus has.
  const short = [text, ...alternatives].sort((a, b) => a.length - b.length)[0]!;
  const n = Math.max(2, vocabulary.size ?? 2);
  const df = Math.max(1, vocabulary.docFreq?.(short.replace(/\s+/g, '')) ?? 1);
  return { alternatives, weight: Math.min(1, Math.log(n / df) / Math.log(n)) };
}

function dropRequestWords(terms: QueryTerm[]): QueryTerm[] {
  if (!PLAN.dropRequestWords || !isProse(terms)) return terms;
  const kept =
    PLAN.requestWords === 'framing'
      ? withoutFraming(terms)
      : terms.filter((t) => t.field || t.prefix || !REQUEST_WORDS.has(t.value));
  return kept.length >= 3 ? kept : terms;
}

/**
 * Words that open a request for papers ("I'd like papers on", "I am interested in articles about", "What articles
 * exist which deal with", "Describe", "Give methods for"). Only a run of them at the very start is dropped, and
 * only up to its last connector or request verb, so a topic that opens a query ("Documents clustering …") stays.
 */
const FRAMING = new Set(
  (
    "i i'm i'd im id we am are is was would like want wanted wants need needs interested looking for in find " +
    'show give me us any all some please papers paper articles article documents document publications ' +
    'publication literature on about dealing deal deals with which that concerning regarding describing ' +
    'describe describes discussing discuss discusses what exist exists there'
  ).split(' '),
);
/** Where a framing run may end: a connector or a request verb (never a noun such as "documents"). */
const FRAMING_ENDS = new Set(
  (
    'in on about with for concerning regarding describing describe describes discussing discuss discusses ' +
    'interested like want wanted wants need needs find show give please exist exists there'
  ).split(' '),
);
/** Never a topic, wherever they stand. */
const NEVER_TOPIC = new Set(['please', 'e.g', 'i.e', 'etc', "i'm", "i'd"]);

function withoutFraming(terms: QueryTerm[]): QueryTerm[] {
  let end = 0;
  let cut = 0;
  while (end < terms.length) {
    const t = terms[end]!;
    if (t.field || t.prefix || !FRAMING.has(t.value)) break;
    end++;
    if (FRAMING_ENDS.has(t.value)) cut = end;
  }
  // A request word the query uses again later ("papers on … for scientific papers") stays, said once less.
  const repeated = terms
    .slice(0, cut)
    .flatMap((t) => ((t.count ?? 1) > 1 ? [{ ...t, count: (t.count ?? 1) - 1 }] : []));
  return [...repeated, ...terms.slice(cut)].filter((t) => t.field || t.prefix || !NEVER_TOPIC.has(t.value));
}

/**
 * In a query written as prose ("how one can check that a module "matches" its contexts"), quotation marks
 * quote rather than demand: the quoted words join the other words instead of filtering the results.
 * Their word pairs still count in proximity ranking.
 */
function quotesInProse(parsed: ParsedQuery): ParsedQuery {
  const quotes = parsed.phrases.filter((phrase) => !phrase.field);
  if (!PLAN.quotesInProse || !isProse(parsed.terms) || !quotes.length) return parsed;
  // `author:"geoffrey hinton"` is syntax, not prose: field-scoped phrases stay exact.
  const quoted: QueryTerm[] = quotes.flatMap((phrase) =>
    phrase.words.map((word) => ({ raw: word, value: word, words: [word] })),
  );
  return { ...parsed, terms: [...parsed.terms, ...quoted], phrases: parsed.phrases.filter((phrase) => phrase.field) };
}

export function planFromParsed(
  input: ParsedQuery,
  vocabulary: Vocabulary = NO_VOCABULARY,
  options: PlanOptions = {},
): SearchPlan {
  const parsed = options.subscription ? input : quotesInProse(input);
  const prose = !options.subscription && isProse(parsed.terms);
  return {
    words: options.subscription
      ? planWords(parsed.terms, vocabulary, false, false)
      : planWords(dropRequestWords(parsed.terms), vocabulary, prose),
    phrases: parsed.phrases.map((phrase) => ({
      text: phrase.words.join(' '),
      fields: phrase.field ? [FIELD_OF[phrase.field]] : undefined,
    })),
    excludedWords: parsed.excludedTerms.map((term) => term.words.join(' ')),
    excludedPhrases: parsed.excludedPhrases.map((phrase) => phrase.words.join(' ')),
    filters: parsed.filters,
    sort: parsed.sort,
    ...(prose ? { prose } : {}),
    ...(options.subscription ? { subscription: true } : {}),
    warnings: parsed.warnings,
    error: parsed.error,
  };
}

/** A query written as prose: PLAN.sentenceQueryWords or more plain words (fields and prefixes are syntax). */
function isProse(terms: readonly QueryTerm[]): boolean {
  return terms.filter((t) => !t.field && !t.prefix).length >= PLAN.sentenceQueryWords;
}

/** `search` false: a subscription's words, which PLAN's search-only switches leave as they were. */
function planWords(terms: QueryTerm[], vocabulary: Vocabulary, prose = isProse(terms), search = true): PlanWord[] {
  const words: PlanWord[] = [];
  for (let i = 0; i < terms.length; ) {
    const run = longFormRun(terms, i, vocabulary, prose, search);
    if (run) {
      words.push(run.word);
      i += run.length;
      continue;
    }
    words.push(planWord(terms[i]!, vocabulary, prose, search));
    i++;
  }
  return words;
}

/**
 * Adjacent plain words that spell an acronym's long form ("low rank adaptation") become one word with the acronym as
 * alternative.
 */
function longFormRun(
  terms: QueryTerm[],
  start: number,
  vocabulary: Vocabulary,
  prose = false,
  search = true,
): { word: PlanWord; length: number } | undefined {
  for (let length = Math.min(MAX_LONG_FORM_WORDS, terms.length - start); length >= 2; length--) {
    const run = terms.slice(start, start + length);
    if (run.some((t) => t.prefix || t.field !== run[0]!.field || t.field === 'author')) continue;
    const text = run.flatMap((t) => t.words).join(' ');
    const { alternatives: shorts, weight } = prose
      ? proseExpansion(text, vocabulary)
      : shortExpansion(text, vocabulary, search);
    if (shorts.length) {
      const word: PlanWord = { text, fields: fieldsOf(run[0]!), alternatives: shorts.slice(0, MAX_ALTERNATIVES) };
      return { word: weight < 1 ? { ...word, alternativeWeight: weight } : word, length };
    }
  }
  return undefined;
}

function planWord(term: QueryTerm, vocabulary: Vocabulary, prose = false, search = true): PlanWord {
  const text = term.words.join(' ');
  const word: PlanWord = {
    text,
    fields: fieldsOf(term),
    ...(term.count && term.count > 1 ? { weight: term.count } : {}),
  };
  if (term.prefix) return { ...word, prefix: true };
  // Author names are not acronyms and are not written with hyphen variants.
  if (term.field === 'author') return word;
  const alternatives = new Set<string>();
  const acronyms = prose ? proseExpansion(term.value, vocabulary) : shortExpansion(term.value, vocabulary, search);
  for (const alt of acronyms.alternatives) alternatives.add(alt);
  if (PLAN.compoundVariants || !search)
    for (const variant of compoundVariants(term, vocabulary, prose)) alternatives.add(variant);
  alternatives.delete(text);
  if (!alternatives.size) return word;
  const out: PlanWord = { ...word, alternatives: [...alternatives].slice(0, MAX_ALTERNATIVES) };
  return acronyms.weight < 1 ? { ...out, alternativeWeight: acronyms.weight } : out;
}

/** Other spellings of a compound: `low-rank` / `low rank` → `lowrank`; `lowrank` → `low rank` (see PLAN). */
function compoundVariants(term: QueryTerm, vocabulary: Vocabulary, prose: boolean): string[] {
  if (term.words.length > 1) {
    const joined = term.words.join('');
    return vocabulary.has(joined) ? [joined] : [];
  }
  // `lowrank` → also `low rank` when both halves are indexed words.
  // Prose spells its words as the literature does: splitting is for a compound typed as a short query.
  const text = term.words.join(' ');
  const splits = prose && PLAN.splitOnlyShort ? [] : splitCompound(text, (part) => vocabulary.has(part));
  return splits
    .slice(0, 2)
    .filter(([a, b]) => !PLAN.splitNeedsCommonHalves || halvesAsCommon(vocabulary, text, a, b))
    .map(([a, b]) => `${a} ${b}`);
}

/**
 * A split is a spelling of the word only when each half is a word at least as common as the whole: `lowrank` →
 * `low rank`, `database` → `data base`; not `information` → `informat ion` (a line-break fragment is indexed too).
 */
function halvesAsCommon(vocabulary: Vocabulary, whole: string, a: string, b: string): boolean {
  if (!vocabulary.docFreq) return true;
  const df = vocabulary.docFreq(whole);
  return vocabulary.docFreq(a) >= df && vocabulary.docFreq(b) >= df;
}

function fieldsOf(term: QueryTerm): Field[] | undefined {
  return term.field ? [FIELD_OF[term.field]] : undefined;
}

/** A Vocabulary over an index and an acronym expander. */
export function vocabularyOf(
  index: { has(token: string): boolean; docFreq?(token: string): number; size?: number },
  expand: (text: string) => string[],
  expandCertain?: (text: string) => string[],
): Vocabulary {
  // Planning asks about the same words again and again (every split of a compound, every subscription of a batch).
  const known = new Map<string, boolean>();
  const frequencies = new Map<string, number>();
  return {
    expand,
    ...(expandCertain ? { expandCertain } : {}),
    ...(index.size !== undefined ? { size: index.size } : {}),
    has: (word) => {
      let has = known.get(word);
      if (has === undefined) {
        const token = analyzeWord(word);
        has = token !== undefined && index.has(token);
        known.set(word, has);
      }
      return has;
    },
    docFreq: (word) => {
      let df = frequencies.get(word);
      if (df === undefined) {
        const token = analyzeWord(word);
        df = token === undefined || !index.docFreq ? 0 : index.docFreq(token);
        frequencies.set(word, df);
      }
      return df;
    },
  };
}
