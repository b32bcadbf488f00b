/**
 * Trends: how many papers match a query, month by month (`lora vs qlora vs dora --since 2025-06`), and the one-line
 * summary that says it in words ("lora: 412 papers, ×2.3 in the last 6 months"), for screen readers and the console.
 */
import type { SearchService } from '../search/types.ts';

/** Queries on one chart at most (a chart of more lines is unreadable). */
export const MAX_QUERIES = 5;
/** The growth figure compares the last this-many months with the same number of months before them. */
export const GROWTH_MONTHS = 6;

export interface TrendRequest {
  queries: string[];
  /** `YYYY-MM`: the first month shown. */
  since?: string;
}

export interface TrendSeries {
  query: string;
  /** Papers matching, dated or not. */
  total: number;
  /** Papers per month, one count for each of `Trend.months`. */
  counts: number[];
  /** Papers in the last GROWTH_MONTHS months ÷ papers in the GROWTH_MONTHS before them (undefined: none before). */
  growth?: number;
}

export interface Trend {
  /** `YYYY-MM`, every month from the first to the last, none skipped. */
  months: string[];
  series: TrendSeries[];
}

const SINCE = /(?:^|\s)--since[ =](\S+)/i;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `lora vs qlora --since 2025-06` → the queries and the first month, or what is wrong with it. */
export function parseTrendRequest(text: string, since?: string): TrendRequest | { error: string } {
  let rest = text.replace(/\s+/g, ' ').trim();
  let first = since?.trim() || undefined;
  const flag = SINCE.exec(rest);
  if (flag) {
    first = flag[1];
    rest = rest.replace(SINCE, ' ').trim();
  }
  if (/(?:^|\s)--\w/.test(rest)) return { error: 'The only option is --since YYYY-MM (e.g. --since 2025-06).' };
  if (first !== undefined && !MONTH.test(first))
    return { error: `"${first.slice(0, 20)}" is not a month: use YYYY-MM.` };
  const queries = splitOnVersus(rest);
  if (!queries.length) return { error: 'What should I chart? e.g. lora vs qlora vs dora' };
  if (queries.length > MAX_QUERIES) return { error: `At most ${MAX_QUERIES} queries on one chart, separated by "vs".` };
  return { queries: [...new Set(queries)], ...(first ? { since: first } : {}) };
}

const VERSUS = /^(?:vs\.?|versus)$/i;

/** `lora vs qlora versus dora` → each query; split by words, as one expression around "vs" backtracks on long spaces. */
function splitOnVersus(text: string): string[] {
  const queries: string[][] = [[]];
  for (const word of text.split(' ')) {
    if (VERSUS.test(word)) queries.push([]);
    else if (word) queries.at(-1)!.push(word);
  }
  return queries.map((words) => words.join(' ')).filter(Boolean);
}

/** Counts each query's matches per month, from `since` (or the first month any query has) to the last one any has. */
export async function countTrend(
  search: Pick<SearchService, 'matchDates'>,
  request: TrendRequest,
): Promise<Trend | { error: string }> {
  const found = await Promise.all(request.queries.map((query) => search.matchDates(query)));
  const problem = found.findIndex((f) => f.error);
  if (problem >= 0) return { error: `"${request.queries[problem]}": ${found[problem]!.error}` };
  const monthsOf = found.map((f) => f.dates.map((date) => date.slice(0, 7)).filter((m) => MONTH.test(m)));
  const all = monthsOf.flat();
  if (!all.length) return { months: [], series: request.queries.map((query) => ({ query, total: 0, counts: [] })) };
  const sorted = [...new Set(all)].sort();
  const months = monthRange(request.since ?? sorted[0]!, sorted.at(-1)!);
  const position = new Map(months.map((month, i) => [month, i]));
  const series = request.queries.map((query, i): TrendSeries => {
    const counts = new Array<number>(months.length).fill(0);
    for (const month of monthsOf[i]!) {
      const at = position.get(month);
      if (at !== undefined) counts[at]!++;
    }
    return { query, total: found[i]!.total, counts, ...growthOf(counts) };
  });
  return { months, series };
}

function growthOf(counts: readonly number[]): { growth?: number } {
  if (counts.length < 2 * GROWTH_MONTHS) return {};
  const sum = (from: number, to: number) => counts.slice(from, to).reduce((a, b) => a + b, 0);
  const recent = sum(counts.length - GROWTH_MONTHS, counts.length);
  const before = sum(counts.length - 2 * GROWTH_MONTHS, counts.length - GROWTH_MONTHS);
  return before > 0 ? { growth: recent / before } : {};
}

/** Every month from `first` to `last`, both `YYYY-MM` (empty when `first` is later). */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = last.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    out.push(`${year}-${String(month).padStart(2, '0')}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

/** "lora: 412 papers, ×2.3 in the last 6 months" (in the months shown when --since cuts the chart). */
export function trendLine(series: TrendSeries, trend: Trend): string {
  const shown = series.counts.reduce((a, b) => a + b, 0);
  const papers = `${shown.toLocaleString('en')} paper${shown === 1 ? '' : 's'}`;
  const span = trend.months.length ? ` from ${trend.months[0]} to ${trend.months.at(-1)}` : '';
  if (!shown) return `${series.query}: no papers${span}`;
  const growth =
    series.growth === undefined ? '' : `, ×${series.growth.toFixed(1)} in the last ${GROWTH_MONTHS} months`;
  return `${series.query}: ${papers}${growth}`;
}

/** The numbers behind the chart, month by month, for the console and screen readers. */
export function trendTable(trend: Trend): string {
  const rows = trend.months.map(
    (month, i) => `${month}  ${trend.series.map((s) => `${s.query} ${s.counts[i]}`).join(', ')}`,
  );
  return rows.join('\n');
}
