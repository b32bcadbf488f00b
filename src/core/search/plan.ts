/**
 * A search plan: what the engine must find, independent of how the user wrote it. The query parser
 * produces it; acronym expansion and typo correction rewrite it; the engine executes it.
 */
import type { Field } from './lunrIndex.ts';

export interface PlanWord {
  /** The word as the user wrote it (shown in "matched: ..."). */
  text: string;
  fields?: Field[];
  /** Other ways of saying the same thing (acronym ↔ long form, spelling variants); any one satisfies the word. */
  alternatives?: string[];
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
  /** Inclusive lower bound `YYYY-MM-DD`. */
  since?: string;
  /** Exclusive upper bound `YYYY-MM-DD`. */
  before?: string;
  categories: string[];
  sort: 'relevance' | 'new';
  /** Notes for the user about the query itself (ignored parts, invalid dates). */
  warnings: string[];
  /** The query cannot be run; say this instead. */
  error?: string;
}

export function emptyPlan(): SearchPlan {
  return { words: [], phrases: [], excludedWords: [], excludedPhrases: [], categories: [], sort: 'relevance', warnings: [] };
}

export function hasPositiveClause(plan: SearchPlan): boolean {
  return plan.words.length > 0 || plan.phrases.length > 0;
}

export function hasFilter(plan: SearchPlan): boolean {
  return Boolean(plan.since || plan.before || plan.categories.length);
}
