/**
 * Matches a batch of new papers against every subscription through an index, not a scan: the batch gets its own
 * small search index (the same analyzer, fields and boosts as the corpus index) and each subscription's query runs
 * once against it with the search engine's planner and executor, so the full query language (phrases, exclusions,
 * `author:`, categories, dates, acronyms) means exactly what it means in `/paper search`. Only papers matching every
 * word count (the engine's "best partial matches" fallback is for people browsing, not for alerts).
 */

import { libraryAlertPerDay } from '../library/library-query.ts';
import type { Paper } from '../papers/paper.ts';
import type { Why } from '../present/why.ts';
import { executePlan, wordTokens } from '../search/engine.ts';
import { hasFilter, hasPositiveClause, type SearchPlan } from '../search/plan.ts';
import { planQuery, type Vocabulary, vocabularyOf } from '../search/query-plan.ts';
import { type CorpusSnapshot, papersSnapshot } from '../search/snapshot.ts';
import type { Subscription } from '../store/store.ts';
import { trendingMinUpvotes } from '../trending/trending-query.ts';

export interface AlertMatch {
  subscription: Subscription;
  paper: Paper;
  /** The query words the paper matched, as the subscriber wrote them ("lora", "\"low rank\""). */
  matched: string[];
  score: number;
  /** Why it came, shown on its card (absent: the subscription's query and `matched`). */
  why?: Why;
}

/** Checks a subscription query: the error to show, or undefined when it can run. */
export function queryProblem(query: string): string | undefined {
  const plan = planQuery(query, undefined, { subscription: true });
  if (plan.error) return plan.error;
  if (!hasPositiveClause(plan) && !hasFilter(plan)) return 'That query has no words to search for.';
  return undefined;
}

/** Each word's labels (the word and its alternatives, lower case) that count as matching it; words of no token left out. */
function wordLabels(plan: SearchPlan): string[][] {
  return plan.words
    .map((word) => wordTokens(word).options.map((option) => option.label.toLowerCase()))
    .filter((labels) => labels.length > 0);
}

/** True when the hit satisfied every word of the plan (by the word itself or one of its alternatives). */
function fullMatch(labels: readonly string[][], matched: readonly string[]): boolean {
  const have = new Set(matched.map((m) => m.toLowerCase()));
  for (const word of labels) if (!word.some((label) => have.has(label))) return false;
  return true;
}

/**
 * Every (subscription, paper) pair that matches. `vocabulary` is the corpus's (acronyms learned from all papers,
 * known words), so `lora` still finds "low-rank adaptation" in a batch too small to teach it.
 */
export function matchBatch(
  papers: readonly Paper[],
  subscriptions: readonly Subscription[],
  vocabulary?: Vocabulary,
): AlertMatch[] {
  if (papers.length === 0 || subscriptions.length === 0) return [];
  const snapshot = papersSnapshot(papers);
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  const lookup = { get: (id: string) => byId.get(id) };
  const plans = new Map<string, { plan: SearchPlan; labels: string[][] }>();
  const words = vocabulary ?? vocabularyOf(snapshot.index, () => []);
  const matches: AlertMatch[] = [];
  for (const subscription of subscriptions) {
    // Library subscriptions (`like-library N/day`) are scored by their library's model instead (src/core/library/),
    // trending ones (`trending N+ upvotes`) on Hugging Face's upvotes (src/core/trending/).
    if (libraryAlertPerDay(subscription.query) !== undefined) continue;
    if (trendingMinUpvotes(subscription.query) !== undefined) continue;
    let planned = plans.get(subscription.query);
    if (!planned) {
      const plan = planQuery(subscription.query, words, { subscription: true });
      planned = { plan, labels: wordLabels(plan) };
      plans.set(subscription.query, planned);
    }
    const { plan, labels } = planned;
    if (plan.error || (!hasPositiveClause(plan) && !hasFilter(plan))) continue;
    const result = executePlan(snapshot, lookup, plan);
    for (const hit of result.hits) {
      if (!fullMatch(labels, hit.matched)) continue;
      const paper = byId.get(hit.ref);
      if (!paper) continue;
      matches.push({
        subscription,
        paper,
        matched: hit.matched.length ? hit.matched : filterLabel(plan),
        score: hit.score,
      });
    }
  }
  return matches;
}

function filterLabel(plan: SearchPlan): string[] {
  const f = plan.filters;
  const labels = [...f.categories.map((c) => `cat:${c}`)];
  if (f.since) labels.push(`since ${f.since}`);
  if (f.before) labels.push(`before ${f.before}`);
  return labels.length ? labels : ['filters'];
}

/** The corpus vocabulary for planning subscription queries (acronyms and known words of the whole corpus). */
export function corpusVocabulary(snapshot: CorpusSnapshot): Vocabulary {
  return vocabularyOf(snapshot.index, (text) => snapshot.acronyms.expand(text));
}
