/**
 * Papers citing X (issue 25): a search task over CACM's citation links. The rule, written down (here and in
 * docs/relevance.md) before the set was run through any engine:
 *
 * 1. `citation_links` are undirected (each link is listed on both articles); a link is the later article citing the
 *    earlier. Dates come from `published` (`CACM <Month>, <Year>`, a space after the comma or not), compared by year
 *    and month. Y cites X when they are linked, Y is another article of the corpus, and Y's month is strictly later
 *    than X's; links within one month have no known direction and are left out. An article whose date cannot be
 *    read is never a query nor a relevant article.
 * 2. Every article X with at least 3 citing articles is a query: the query text is X's title exactly as the corpus
 *    has it; the relevant articles are those citing X, gain 1.
 * 3. X itself is taken out of the ranking: each engine returns 11 results, X is removed if present, and the first 10
 *    of the rest are scored (the ideal DCG counts only the citing articles).
 * 4. Figure: nDCG@10. Query ids are X's ids (`cacm-…`).
 */
import path from 'node:path';
import { defaultSharedDir, type Gains, readJsonl, record, type SearchDataset } from '../datasets.ts';
import type { EvalDoc } from '../engine.ts';

export const MIN_CITING = 3;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** `CACM December, 1958` → months since year 0; undefined when it cannot be read. */
export function cacmMonth(published: unknown): number | undefined {
  const match = /^CACM\s+([A-Za-z]+),?\s*(\d{4})\s*$/.exec(typeof published === 'string' ? published.trim() : '');
  const month = match ? MONTHS.indexOf(match[1]!.toLowerCase()) : -1;
  return match && month >= 0 ? Number(match[2]) * 12 + month : undefined;
}

/** A search set whose queries carry the paper they are made from (it is taken out of the ranking). */
export interface CitingDataset extends SearchDataset {
  /** Query id → the article X whose title is the query. */
  queryPaper: Map<string, string>;
}

export function loadCacmCiting(sharedDir = defaultSharedDir): CitingDataset {
  const file = path.join(sharedDir, 'eval', 'cacm', 'corpus.jsonl');
  const rows = readJsonl(file).map((line, i) => record(line, `${file}:${i + 1}`));
  const docs: EvalDoc[] = rows.map((row) => ({
    id: String(row.id),
    title: typeof row.title === 'string' ? row.title : '',
    abstract: typeof row.abstract === 'string' ? row.abstract : '',
    authors: Array.isArray(row.authors) ? row.authors.filter((a): a is string => typeof a === 'string') : [],
  }));
  const month = new Map(rows.map((row, i) => [docs[i]!.id, cacmMonth(row.published)]));
  const queryPaper = new Map<string, string>();
  const queries = rows.flatMap((row, i) => {
    const doc = docs[i]!;
    const when = month.get(doc.id);
    if (when === undefined) return [];
    const links = Array.isArray(row.citation_links) ? row.citation_links.map(String) : [];
    const citing = [...new Set(links)].filter((link) => {
      const then = month.get(link);
      return link !== doc.id && then !== undefined && then > when;
    });
    if (citing.length < MIN_CITING) return [];
    const gains: Gains = new Map(citing.map((id) => [id, 1]));
    queryPaper.set(doc.id, doc.id);
    return [{ id: doc.id, query: doc.title, gains }];
  });
  return { name: 'CACM citing', docs, queries, queryPaper };
}
