/** The search interface commands depend on; the engine behind it can change (see issue: scale). */
import type { Paper } from '../papers/paper.ts';

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Query (or shared) terms this hit matched, as the user would recognize them. */
  matched: string[];
  /** Fields the match came from. */
  fields: string[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** How many papers matched in all (for paging). */
  total: number;
  /** Set when a typo was corrected: the query actually run. */
  correctedQuery?: string;
  /** A likely intended query that was not run (its words look spelled right): offered as "Did you mean …?". */
  didYouMean?: string;
  /** Set when no word matched and we relaxed to partial matches, or other notes for the user. */
  notice?: string;
  /** Suggestions when nothing matched (closest terms, broader query). */
  suggestions?: string[];
  /** A user-facing problem with the query (e.g. too long); hits are empty. */
  error?: string;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  /** Run the query as typed: no typo correction. */
  literal?: boolean;
}

/** Searches the in-memory index; the papers of the hits come from the store in one batched fetch. */
export interface SearchService {
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Papers most similar to one paper, excluding itself and its duplicates. */
  related(paperId: string, options?: SearchOptions): Promise<SearchResult>;
  /** Titles matching what the user typed so far, for autocomplete. */
  suggestTitles(partial: string, limit: number): Promise<Paper[]>;
  /**
   * The publication dates of every paper matching the query in full (all its words, phrases and filters), unranked and
   * without typo correction: what trend charts count.
   */
  matchDates(query: string): Promise<MatchDates>;
}

export interface MatchDates {
  /** Papers matching, dated or not. */
  total: number;
  /** `YYYY-MM-DD` of each dated match, in no particular order. */
  dates: string[];
  /** A user-facing problem with the query; nothing matched. */
  error?: string;
}
