/** The query a trending subscription is stored under (`trending N+ upvotes`), told apart from search queries. */

/** `--min-upvotes` when not given: a paper most days' lists have a few of. */
export const DEFAULT_MIN_UPVOTES = 50;
export const MAX_MIN_UPVOTES = 100_000;

export function trendingQuery(minUpvotes: number): string {
  return `trending ${minUpvotes}+ upvotes`;
}

/** The upvotes a trending subscription waits for, or undefined for any other subscription. */
export function trendingMinUpvotes(query: string): number | undefined {
  const match = /^trending (\d{1,6})\+ upvotes$/.exec(query);
  return match ? Number(match[1]) : undefined;
}
