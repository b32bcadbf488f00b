/** The query a library subscription is stored under (`like-library N/day`), told apart from search queries. */
export const LIBRARY_QUERY = 'like-library';
export const DEFAULT_PER_DAY = 5;
export const MAX_PER_DAY = 50;

export function libraryAlertQuery(perDay: number): string {
  return `${LIBRARY_QUERY} ${perDay}/day`;
}

/** The papers a day of a library subscription's query, or undefined for a query subscription. */
export function libraryAlertPerDay(query: string): number | undefined {
  const match = /^like-library (\d{1,3})\/day$/.exec(query);
  return match ? Number(match[1]) : undefined;
}
