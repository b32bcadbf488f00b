/**
 * Hugging Face daily papers (`GET {HF_API_URL}/api/daily_papers[?date=YYYY-MM-DD]`): the curated list of the day,
 * with upvotes, comment counts, Hugging Face's AI summary and keywords. The parser skips a malformed item with a reason
 * and never drops the whole batch for one bad item.
 */
import { parseArxivId } from '../papers/ids.ts';
import { type HttpClient, SourceError } from './http.ts';
import {
  collapseWhitespace,
  excerpt,
  isoDay,
  notModifiedBatch,
  type PaperSource,
  type SourceBatch,
  type SourcePaper,
  type SourceSignal,
} from './types.ts';

export const HUGGING_FACE_SOURCE = 'huggingface';
/** HF_API_URL when unset. */
export const DEFAULT_HF_API_URL = 'https://huggingface.co';

export interface HuggingFaceSourceConfig {
  /** Origin of the API, e.g. `https://huggingface.co` (HF_API_URL). */
  baseUrl: string;
  http: HttpClient;
  /** The source name stamped on papers (default `huggingface`). */
  name?: string;
}

export interface ParsedBatch {
  papers: SourcePaper[];
  problems: string[];
  /** Upvotes, comments and the day featured, by arXiv id (papers with no upvote count have none). */
  signals: Map<string, SourceSignal>;
}

export function dailyPapersUrl(baseUrl: string, date?: string): string {
  const url = `${baseUrl.replace(/(?<!\/)\/+$/, '')}/api/daily_papers`;
  if (date === undefined) return url;
  if (isoDay(date) !== date) throw new RangeError(`not a YYYY-MM-DD date: ${excerpt(date, 40)}`);
  return `${url}?date=${date}`;
}

/**
 * Parses the JSON text of a daily_papers response (`day`: the list's date when one was asked for). Throws SourceError
 * only when the whole body is unusable.
 */
export function parseDailyPapers(text: string, source = HUGGING_FACE_SOURCE, day?: string): ParsedBatch {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'parse error';
    throw new SourceError(`Hugging Face daily papers: malformed JSON (${reason})`, { kind: 'format', retryable: true });
  }
  if (!Array.isArray(data)) {
    const apiError = isRecord(data) && typeof data.error === 'string' ? data.error : undefined;
    if (apiError)
      throw new SourceError(`Hugging Face daily papers: API error: ${excerpt(apiError)}`, {
        kind: 'feed-error',
        retryable: true,
      });
    throw new SourceError(`Hugging Face daily papers: expected a JSON array, got ${describeJson(data)}`, {
      kind: 'format',
      retryable: true,
    });
  }
  const papers: SourcePaper[] = [];
  const problems: string[] = [];
  const signals = new Map<string, SourceSignal>();
  const seen = new Set<string>();
  data.forEach((item, index) => {
    const parsed = parseItem(item, source);
    const where = `item ${index + 1}`;
    if ('reason' in parsed) {
      problems.push(`${where}: ${parsed.reason}`);
    } else if (seen.has(parsed.paper.arxivId!)) {
      problems.push(`${where}: duplicate of ${parsed.paper.arxivId}, skipped`);
    } else {
      seen.add(parsed.paper.arxivId!);
      papers.push(parsed.paper);
      const signal = signalOf(item as Record<string, unknown>, parsed.paper, day);
      if (signal) signals.set(parsed.paper.arxivId!, signal);
      for (const note of parsed.notes) problems.push(`${where} (${parsed.paper.arxivId}): ${note}`);
    }
  });
  return { papers, problems, signals };
}

/**
 * The item's counts: the paper's upvotes, the discussion's comments (`numComments`), and the day Hugging Face featured
 * it (`submittedOnDailyAt` in today's API, the top-level `publishedAt` in older answers, else the day asked for).
 */
function signalOf(item: Record<string, unknown>, paper: SourcePaper, day?: string): SourceSignal | undefined {
  if (paper.upvotes === undefined) return undefined;
  const comments =
    typeof item.numComments === 'number' && Number.isFinite(item.numComments) && item.numComments >= 0
      ? Math.floor(item.numComments)
      : undefined;
  const featuredOn = isoDay(item.submittedOnDailyAt) ?? isoDay(item.publishedAt) ?? day;
  return {
    upvotes: paper.upvotes,
    ...(comments === undefined ? {} : { comments }),
    ...(featuredOn ? { featuredOn } : {}),
  };
}

function parseItem(item: unknown, source: string): { paper: SourcePaper; notes: string[] } | { reason: string } {
  if (!isRecord(item)) return { reason: `not an object (${describeJson(item)})` };
  const paper = item.paper;
  if (!isRecord(paper)) return { reason: 'no "paper" object' };
  const arxivId = typeof paper.id === 'string' ? parseArxivId(paper.id) : undefined;
  if (!arxivId)
    return {
      reason: `paper.id is not an arXiv id (${typeof paper.id === 'string' ? excerpt(paper.id, 40) : typeof paper.id})`,
    };
  const rawTitle =
    typeof paper.title === 'string' && paper.title.trim()
      ? paper.title
      : typeof item.title === 'string'
        ? item.title
        : '';
  const title = collapseWhitespace(rawTitle);
  if (!title) return { reason: `no title for ${arxivId}` };

  const notes: string[] = [];
  const result: SourcePaper = {
    arxivId,
    title,
    abstract: typeof paper.summary === 'string' ? collapseWhitespace(paper.summary) : '',
    authors: authorNames(paper.authors),
    source,
  };
  if (!result.abstract) notes.push('no abstract');
  // paper.publishedAt is the arXiv date; the top-level publishedAt is only the day Hugging Face featured it.
  const published = isoDay(paper.publishedAt);
  if (published) result.published = published;
  else if (paper.publishedAt !== undefined) notes.push('unreadable paper.publishedAt');
  if (typeof paper.upvotes === 'number' && Number.isFinite(paper.upvotes) && paper.upvotes >= 0)
    result.upvotes = Math.floor(paper.upvotes);
  if (typeof paper.ai_summary === 'string' && paper.ai_summary.trim())
    result.aiSummary = collapseWhitespace(paper.ai_summary);
  const keywords = Array.isArray(paper.ai_keywords)
    ? paper.ai_keywords.filter((k): k is string => typeof k === 'string' && k.trim() !== '').map(collapseWhitespace)
    : [];
  if (keywords.length) result.keywords = keywords;
  if (typeof paper.githubRepo === 'string' && /^https?:\/\/\S+$/i.test(paper.githubRepo.trim()))
    result.githubRepo = paper.githubRepo.trim();
  return { paper: result, notes };
}

function authorNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const author of value) {
    const name = isRecord(author) && typeof author.name === 'string' ? collapseWhitespace(author.name) : '';
    if (name) names.push(name);
  }
  return names;
}

/** The Hugging Face daily papers source: today's list, or a given day's with `fetchDay`. */
export function createHuggingFaceSource(config: HuggingFaceSourceConfig): PaperSource & {
  fetchDay(date: string, signal?: AbortSignal): Promise<SourceBatch>;
} {
  const name = config.name ?? HUGGING_FACE_SOURCE;
  async function fetchUrl(url: string, signal?: AbortSignal, day?: string): Promise<SourceBatch> {
    const response = await config.http.getText(url, { signal, accept: 'application/json' });
    if (response.notModified) return notModifiedBatch(name);
    const { papers, problems, signals } = parseDailyPapers(response.body, name, day);
    return { source: name, papers, problems, signals, notModified: false, commit: response.commit };
  }
  return {
    name,
    fetch: (signal) => fetchUrl(dailyPapersUrl(config.baseUrl), signal),
    fetchDay: (date, signal) => fetchUrl(dailyPapersUrl(config.baseUrl, date), signal, date),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
