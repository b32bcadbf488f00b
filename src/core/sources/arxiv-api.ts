/**
 * The arXiv API (Atom, `GET {ARXIV_API_URL}/api/query`): look-ups by id (`id_list`) and back-fill of the days the
 * bot missed (`cat:... AND submittedDate:[...]`, paged with start / max_results). arXiv asks for at most one
 * request every 3 seconds; every request (retries included) passes a rate limiter, shared process-wide by default.
 */
import { parseArxivId } from '../papers/ids.ts';
import { defaultSleep, type HttpClient, type RequestGate, type Sleep, SourceError } from './http.ts';
import {
  ARXIV_CATEGORY,
  collapseWhitespace,
  excerpt,
  isoDay,
  type PaperSource,
  parseXml,
  type SourceBatch,
  type SourcePaper,
  xmlList,
  xmlRecord,
  xmlText,
} from './types.ts';

export const ARXIV_API_SOURCE = 'arxiv-api';
/** ARXIV_API_URL when unset. */
export const DEFAULT_ARXIV_API_URL = 'https://export.arxiv.org';
export const ARXIV_API_INTERVAL_MS = 3_000;

/** At most one request per `intervalMs`, in call order. */
export function createRateLimiter(
  options: { intervalMs?: number; now?: () => number; sleep?: Sleep } = {},
): RequestGate {
  const intervalMs = options.intervalMs ?? ARXIV_API_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  let nextAllowed = -Infinity;
  let queue: Promise<void> = Promise.resolve();
  return {
    wait(signal?: AbortSignal): Promise<void> {
      const turn = queue.then(async () => {
        const waitMs = nextAllowed - now();
        if (waitMs > 0) await sleep(waitMs, signal);
        nextAllowed = Math.max(now(), nextAllowed) + intervalMs;
      });
      queue = turn.catch(() => {});
      return turn;
    },
  };
}

/** The limiter every arXiv API client shares unless given its own: arXiv's limit is per client machine. */
export const sharedArxivRateLimiter: RequestGate = createRateLimiter();

export interface ParsedAtom {
  papers: SourcePaper[];
  problems: string[];
  /** Entries in this page, usable or not (paging advances by this). */
  entryCount: number;
  totalResults?: number;
  startIndex?: number;
  itemsPerPage?: number;
}

/** Parses an arXiv API Atom feed. Throws SourceError for malformed XML, a non-Atom document or arXiv's error feed. */
export function parseArxivAtom(xml: string, source = ARXIV_API_SOURCE): ParsedAtom {
  const document = parseXml(xml, 'arXiv API');
  const feed = xmlRecord(document.feed);
  if (!feed) throw new SourceError('arXiv API: not an Atom feed (no <feed>)', { kind: 'format', retryable: true });
  const entries = xmlList(feed.entry).map(xmlRecord);
  for (const entry of entries) {
    if (entry && isErrorEntry(entry)) {
      const message = excerpt(xmlText(entry.summary) || 'unspecified error', 300);
      throw new SourceError(`arXiv API error: ${message}`, { kind: 'feed-error', retryable: false });
    }
  }
  const result: ParsedAtom = {
    papers: [],
    problems: [],
    entryCount: entries.length,
    totalResults: count(feed['opensearch:totalResults']),
    startIndex: count(feed['opensearch:startIndex']),
    itemsPerPage: count(feed['opensearch:itemsPerPage']),
  };
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    if (!entry) {
      result.problems.push(`${where}: empty entry`);
      return;
    }
    const parsed = parseEntry(entry, source);
    if ('reason' in parsed) result.problems.push(`${where}: ${parsed.reason}`);
    else result.papers.push(parsed.paper);
  });
  return result;
}

function isErrorEntry(entry: Record<string, unknown>): boolean {
  return collapseWhitespace(xmlText(entry.title)) === 'Error' && /\/api\/errors/.test(xmlText(entry.id));
}

function parseEntry(entry: Record<string, unknown>, source: string): { paper: SourcePaper } | { reason: string } {
  const idText = xmlText(entry.id);
  const arxivId = /arxiv\.org\/abs\//i.test(idText) ? parseArxivId(idText) : undefined;
  if (!arxivId) return { reason: `no arXiv id (${excerpt(idText, 60) || 'missing <id>'})` };
  const title = collapseWhitespace(xmlText(entry.title));
  if (!title) return { reason: `no title for ${arxivId}` };
  const primary = xmlRecord(entry['arxiv:primary_category'])?.['@_term'];
  const categories = [
    ...(typeof primary === 'string' && primary ? [primary] : []),
    ...xmlList(entry.category).map((node) => xmlRecord(node)?.['@_term']),
  ].filter((term): term is string => typeof term === 'string' && term.trim() !== '');
  const paper: SourcePaper = {
    arxivId,
    title,
    abstract: collapseWhitespace(xmlText(entry.summary)),
    authors: xmlList(entry.author)
      .map((author) => collapseWhitespace(xmlText(xmlRecord(author)?.name)))
      .filter(Boolean),
    categories: [...new Set(categories)],
    source,
  };
  const published = isoDay(xmlText(entry.published));
  const updated = isoDay(xmlText(entry.updated));
  if (published) paper.published = published;
  if (updated && updated !== published) paper.updated = updated;
  return { paper };
}

function count(node: unknown): number | undefined {
  const text = xmlText(node).trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export interface ArxivApiConfig {
  /** Origin of the API, e.g. `https://export.arxiv.org` (ARXIV_API_URL). */
  baseUrl: string;
  http: HttpClient;
  /** Defaults to the process-wide limiter (one request per 3 s). */
  rateLimiter?: RequestGate;
  /** Results per request (arXiv allows up to 2,000; default 200). */
  pageSize?: number;
  /** A back-fill stops after this many papers, noting it in `problems` (default 5,000). */
  maxResults?: number;
  /** An empty page before `totalResults` is reached (an arXiv hiccup) is asked again this many times (default 2). */
  emptyPageRetries?: number;
  name?: string;
}

export interface BackfillQuery {
  categories: string[];
  /** First and last submission day, `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
}

export interface ArxivApiClient {
  /** Papers by arXiv id (any form parseArxivId understands), in batches of 100 ids per request. */
  lookup(ids: string[], signal?: AbortSignal): Promise<SourceBatch>;
  /** Every paper submitted in the categories between two days, page by page. */
  backfill(query: BackfillQuery, signal?: AbortSignal): Promise<SourceBatch>;
  /** One page of any query. */
  query(params: Record<string, string>, signal?: AbortSignal): Promise<ParsedAtom>;
}

const LOOKUP_CHUNK = 100;

/** The `search_query` for a back-fill: `(cat:A OR cat:B) AND submittedDate:[YYYYMMDD0000 TO YYYYMMDD2359]`. */
export function backfillSearchQuery(query: BackfillQuery): string {
  if (query.categories.length === 0) throw new RangeError('arXiv API back-fill: no categories');
  for (const category of query.categories) {
    if (!ARXIV_CATEGORY.test(category))
      throw new RangeError(`arXiv API back-fill: not an arXiv category: ${excerpt(category, 40)}`);
  }
  const from = compactDay(query.from);
  const to = compactDay(query.to);
  if (from > to) throw new RangeError(`arXiv API back-fill: ${query.from} is after ${query.to}`);
  const cats = query.categories.map((c) => `cat:${c}`);
  const catPart = cats.length === 1 ? cats[0]! : `(${cats.join(' OR ')})`;
  return `${catPart} AND submittedDate:[${from}0000 TO ${to}2359]`;
}

function compactDay(day: string): string {
  if (isoDay(day) !== day) throw new RangeError(`not a YYYY-MM-DD date: ${excerpt(day, 40)}`);
  return day.replaceAll('-', '');
}

export function createArxivApiClient(config: ArxivApiConfig): ArxivApiClient {
  const name = config.name ?? ARXIV_API_SOURCE;
  const endpoint = `${config.baseUrl.replace(/(?<!\/)\/+$/, '')}/api/query`;
  const gate = config.rateLimiter ?? sharedArxivRateLimiter;
  const pageSize = Math.min(2000, Math.max(1, config.pageSize ?? 200));
  const maxResults = config.maxResults ?? 5000;
  const emptyPageRetries = config.emptyPageRetries ?? 2;

  async function query(params: Record<string, string>, signal?: AbortSignal): Promise<ParsedAtom> {
    const url = `${endpoint}?${new URLSearchParams(params).toString()}`;
    const response = await config.http.getText(url, {
      signal,
      gate,
      conditional: false,
      accept: 'application/atom+xml, application/xml;q=0.9, */*;q=0.1',
      // arXiv answers a bad query with HTTP 400 and an Atom error feed worth reading.
      acceptStatus: (status) => status === 400,
    });
    const parsed = parseArxivAtom(response.body, name);
    if (response.status === 400) {
      throw new SourceError(`arXiv API: HTTP 400 from ${response.url}`, {
        kind: 'http',
        status: 400,
        retryable: false,
        url: response.url,
      });
    }
    return parsed;
  }

  async function lookup(ids: string[], signal?: AbortSignal): Promise<SourceBatch> {
    const problems: string[] = [];
    const wanted: string[] = [];
    for (const raw of ids) {
      const id = parseArxivId(raw);
      if (!id) problems.push(`not an arXiv id: ${excerpt(raw, 60)}`);
      else if (!wanted.includes(id)) wanted.push(id);
    }
    const papers: SourcePaper[] = [];
    for (let i = 0; i < wanted.length; i += LOOKUP_CHUNK) {
      const chunk = wanted.slice(i, i + LOOKUP_CHUNK);
      const page = await query({ id_list: chunk.join(','), max_results: String(chunk.length) }, signal);
      papers.push(...page.papers);
      problems.push(...page.problems);
    }
    const found = new Set(papers.map((p) => p.arxivId));
    for (const id of wanted) if (!found.has(id)) problems.push(`not found on arXiv: ${id}`);
    return { source: name, papers, problems, notModified: false, commit: async () => {} };
  }

  async function backfill(backfillQuery: BackfillQuery, signal?: AbortSignal): Promise<SourceBatch> {
    const searchQuery = backfillSearchQuery(backfillQuery);
    const papers: SourcePaper[] = [];
    const problems: string[] = [];
    const seen = new Set<string>();
    let start = 0;
    let emptyRetries = 0;
    for (;;) {
      const size = Math.min(pageSize, maxResults - start);
      const page = await query(
        {
          search_query: searchQuery,
          sortBy: 'submittedDate',
          sortOrder: 'ascending',
          start: String(start),
          max_results: String(size),
        },
        signal,
      );
      problems.push(...page.problems);
      const total = page.totalResults ?? 0;
      if (page.entryCount === 0) {
        if (start < total && emptyRetries < emptyPageRetries) {
          emptyRetries++;
          continue;
        }
        if (start < total)
          problems.push(`arXiv API returned an empty page at ${start} of ${total} results; the rest was not fetched`);
        break;
      }
      emptyRetries = 0;
      for (const paper of page.papers) {
        if (!seen.has(paper.arxivId!)) {
          seen.add(paper.arxivId!);
          papers.push(paper);
        }
      }
      start += page.entryCount;
      if (start >= total) break;
      if (start >= maxResults) {
        problems.push(`back-fill stopped at ${maxResults} of ${total} results (maxResults)`);
        break;
      }
    }
    return { source: name, papers, problems, notModified: false, commit: async () => {} };
  }

  return { lookup, backfill, query };
}

/** A back-fill as a PaperSource: each fetch asks `window()` which days to fetch (e.g. the days since the last poll). */
export function createArxivBackfillSource(
  client: ArxivApiClient,
  options: { categories: string[]; window: () => { from: string; to: string } | undefined; name?: string },
): PaperSource {
  const name = options.name ?? ARXIV_API_SOURCE;
  return {
    name,
    async fetch(signal?: AbortSignal): Promise<SourceBatch> {
      const window = options.window();
      if (!window) return { source: name, papers: [], problems: [], notModified: false, commit: async () => {} };
      return client.backfill({ categories: options.categories, ...window }, signal);
    },
  };
}
