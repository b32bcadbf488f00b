/**
 * A search plan: what the engine must find, independent of how the user wrote it. The query parser
 * produces it; acronym expansion and typo correction rewrite it; the engine executes it.
 */
import type { QueryFilters } from './query-parser.ts';
import type { Field } from './search-index.ts';

export interface PlanWord {
  /** The word as the user wrote it (shown in "matched: ..."). */
  text: string;
  fields?: Field[];
  /** Other ways of saying the same thing (acronym ↔ long form, spelling variants); any one satisfies the word. */
  alternatives?: string[];
  /** `transform*`: any indexed word starting with `text`. */
  prefix?: boolean;
  /** Relative weight (a word the query repeats counts more); default 1. */
  weight?: number;
  /** Multiplies RANKING.alternativeBoost for this word's alternatives (a prose query's acronym, by its idf). */
  alternativeWeight?: number;
}

export interface PlanPhrase {
  text: string;
  fields?: Field[];
}

export interface SearchPlan {
  words: PlanWord[];
  phrases: PlanPhrase[];
  excludedWords: string[];
  excludedPhrases: string[];
  /** Date and category filters (since inclusive, before exclusive, categories, excluded categories). */
  filters: QueryFilters;
  sort: 'relevance' | 'new';
  /**
   * Written as prose (PLAN.sentenceQueryWords or more plain words as typed): ranked over all its words, without
   * "all words first". Short queries and subscriptions never are.
   */
  prose?: boolean;
  /**
   * A subscription's plan: matched word for word, never ranked for reading, so its partial matches are not wanted
   * (all words first stays, whatever RANKING.fullFirst says).
   */
  subscription?: boolean;
  /** Notes for the user about the query itself (ignored parts, invalid dates). */
  warnings: string[];
  /** The query cannot be run; say this instead. */
  error?: string;
}

export function hasPositiveClause(plan: SearchPlan): boolean {
  return plan.words.length > 0 || plan.phrases.length > 0;
}

export function hasFilter(plan: SearchPlan): boolean {
  const f = plan.filters;
  return Boolean(f.since || f.before || f.categories.length || f.excludedCategories.length);
}
