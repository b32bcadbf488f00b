/** What a subscription follows, in words: its query, or what its marker query stands for. */
import { libraryAlertPerDay } from '../library/library-query.ts';
import { trendingMinUpvotes } from '../trending/trending-query.ts';

export function subscriptionLabel(query: string): string {
  const perDay = libraryAlertPerDay(query);
  if (perDay !== undefined) return `papers like this channel's library (about ${perDay} a day)`;
  const upvotes = trendingMinUpvotes(query);
  if (upvotes !== undefined) return `papers reaching ${upvotes} upvotes on Hugging Face`;
  return query;
}

/** A subscription follows the Hugging Face source only (its upvotes), whatever else is polled. */
export function followsHuggingFaceOnly(query: string): boolean {
  return trendingMinUpvotes(query) !== undefined;
}
