/**
 * Hugging Face's upvotes, the seed site's own signal: stored for every paper on every poll (SignalStore, one row per
 * paper, updated in place), listed by `/paper trending [today|week] [topic]`, and followed by trending subscriptions
 * (`/paper subscribe --trending [--min-upvotes N]`): a channel gets an alert when a paper it has not been alerted
 * about reaches N upvotes, once per paper (the outbox holds one row per channel and paper).
 */
import type { AlertMatch } from '../alerts/matcher.ts';
import type { Paper } from '../papers/paper.ts';
import type { Why } from '../present/why.ts';
import { HUGGING_FACE_SOURCE } from '../sources/huggingface.ts';
import type { SourceSignal } from '../sources/types.ts';
import type { PaperStore, SignalStore, Subscription } from '../store/store.ts';
import { trendingMinUpvotes } from './trending-query.ts';

/** A batch's papers as stored (their ids now), each with what the source counted for it. */
export interface CountedPaper {
  id: string;
  signal: SourceSignal;
}

/** Stores the batch's counts (one row per paper and source, updated in place), as of `now`. */
export async function recordSignals(
  signals: SignalStore,
  source: string,
  counted: readonly CountedPaper[],
  now: Date,
): Promise<void> {
  const asOf = now.toISOString();
  const today = asOf.slice(0, 10);
  for (const { id, signal } of counted)
    await signals.record({
      paperId: id,
      source,
      featuredOn: signal.featuredOn ?? today,
      upvotes: signal.upvotes,
      ...(signal.comments === undefined ? {} : { comments: signal.comments }),
      asOf,
    });
}

/** The trending subscriptions' matches among a batch's counted papers: those at or past each one's upvotes. */
export async function trendingMatches(
  counted: readonly CountedPaper[],
  subscriptions: readonly Subscription[],
  papers: Pick<PaperStore, 'getMany'>,
): Promise<AlertMatch[]> {
  const trending = subscriptions.flatMap((subscription) => {
    const min = trendingMinUpvotes(subscription.query);
    return min === undefined ? [] : [{ subscription, min }];
  });
  if (!trending.length) return [];
  const lowest = Math.min(...trending.map((t) => t.min));
  const hot = counted.filter((c) => c.signal.upvotes >= lowest);
  if (!hot.length) return [];
  const stored = await papers.getMany(hot.map((c) => c.id));
  const matches: AlertMatch[] = [];
  for (const { subscription, min } of trending)
    for (const { id, signal } of hot) {
      const paper: Paper | undefined = stored.get(id);
      if (!paper || signal.upvotes < min) continue;
      const why: Why = {
        kind: 'trending',
        upvotes: signal.upvotes,
        minUpvotes: min,
        ...(signal.comments === undefined ? {} : { comments: signal.comments }),
        ...(signal.featuredOn ? { day: signal.featuredOn } : {}),
      };
      matches.push({ subscription, paper, matched: [`${signal.upvotes} upvotes`], score: signal.upvotes, why });
    }
  return matches;
}

/** The source trending reads (Hugging Face's daily papers). */
export const TRENDING_SOURCE = HUGGING_FACE_SOURCE;
