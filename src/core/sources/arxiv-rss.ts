/**
 * arXiv's daily listing as RSS (`GET {ARXIV_RSS_URL}/rss/cs.CL+cs.LG`, the 2024+ format). Every item says how it
 * was announced (`new`, `cross`, `replace`, `replace-cross`): all are stored, only `new` (and `cross` when
 * configured) may alert. An empty channel (weekends, holidays) is an empty batch; arXiv's "Feed error" channel is
 * an error.
 */
import { parseArxivId } from '../papers/ids.ts';
import { type HttpClient, SourceError } from './http.ts';
import {
  ANNOUNCE_TYPES,
  type AnnounceType,
  ARXIV_CATEGORY,
  announceTypeAlerts,
  collapseWhitespace,
  excerpt,
  notModifiedBatch,
  type PaperSource,
  parseXml,
  rfc822Day,
  type SourceBatch,
  type SourcePaper,
  xmlList,
  xmlRecord,
  xmlText,
} from './types.ts';

export { announceTypeAlerts };

export const ARXIV_RSS_SOURCE = 'arxiv-rss';
/** ARXIV_RSS_URL when unset. */
export const DEFAULT_ARXIV_RSS_URL = 'https://rss.arxiv.org';

export interface ArxivRssSourceConfig {
  /** Origin of the feeds, e.g. `https://rss.arxiv.org` (ARXIV_RSS_URL). */
  baseUrl: string;
  /** Archives or categories, e.g. `['cs.CL', 'cs.LG']`: one feed for all of them. */
  categories: string[];
  http: HttpClient;
  /** Whether cross-lists alert (they are stored either way). */
  includeCross?: boolean;
  name?: string;
}

export interface ParsedRss {
  papers: SourcePaper[];
  announce: Map<string, AnnounceType>;
  problems: string[];
  /** The listing day of the channel (`pubDate`), when given. */
  day?: string;
}

export function rssUrl(baseUrl: string, categories: readonly string[]): string {
  if (categories.length === 0) throw new RangeError('arXiv RSS: no categories configured');
  for (const category of categories) {
    if (!ARXIV_CATEGORY.test(category))
      throw new RangeError(`arXiv RSS: not an arXiv category: ${excerpt(category, 40)}`);
  }
  return `${baseUrl.replace(/(?<!\/)\/+$/, '')}/rss/${categories.join('+')}`;
}

const DESCRIPTION_PREFIX = /^\s*arXiv:\S+\s+Announce Type:\s*([A-Za-z-]+)\s*(?:Abstract:\s*)?/i;

/** Parses an arXiv RSS document. Throws SourceError for malformed XML, a non-RSS document or arXiv's error feed. */
export function parseArxivRss(xml: string, source = ARXIV_RSS_SOURCE): ParsedRss {
  const document = parseXml(xml, 'arXiv RSS');
  const channel = xmlRecord(xmlRecord(document.rss)?.channel);
  if (!channel)
    throw new SourceError('arXiv RSS: not an RSS feed (no <rss><channel>)', { kind: 'format', retryable: true });
  const channelTitle = collapseWhitespace(xmlText(channel.title));
  if (/^feed error for query/i.test(channelTitle)) {
    const description = excerpt(xmlText(channel.description) || channelTitle, 300);
    throw new SourceError(`arXiv RSS feed error: ${description}`, { kind: 'feed-error', retryable: false });
  }
  const day = rfc822Day(xmlText(channel.pubDate));
  const result: ParsedRss = { papers: [], announce: new Map(), problems: [], day };
  const seen = new Set<string>();
  xmlList(channel.item).forEach((node, index) => {
    const item = xmlRecord(node);
    const where = `item ${index + 1}`;
    if (!item) {
      result.problems.push(`${where}: empty item`);
      return;
    }
    const parsed = parseItem(item, source, day);
    if ('reason' in parsed) {
      result.problems.push(`${where}: ${parsed.reason}`);
      return;
    }
    const { paper, type, notes } = parsed;
    const id = paper.arxivId!;
    if (seen.has(id)) {
      result.problems.push(`${where}: duplicate of ${id}, skipped`);
      return;
    }
    seen.add(id);
    result.papers.push(paper);
    if (type) result.announce.set(id, type);
    for (const note of notes) result.problems.push(`${where} (${id}): ${note}`);
  });
  return result;
}

function parseItem(
  item: Record<string, unknown>,
  source: string,
  channelDay: string | undefined,
): { paper: SourcePaper; type?: AnnounceType; notes: string[] } | { reason: string } {
  const guid = xmlText(item.guid);
  const link = xmlList(item.link).map(xmlText).join(' ');
  const description = xmlText(item.description);
  const arxivId = parseArxivId(guid) ?? parseArxivId(link) ?? parseArxivId(description.slice(0, 100));
  if (!arxivId) return { reason: `no arXiv id (guid ${excerpt(guid, 60) || 'missing'})` };
  const title = collapseWhitespace(xmlText(item.title)).replace(/(?<!\s)\s*\(arXiv:[^)]*\)$/, '');
  if (!title) return { reason: `no title for ${arxivId}` };

  const notes: string[] = [];
  const prefix = DESCRIPTION_PREFIX.exec(description);
  const rawType = (xmlText(item['arxiv:announce_type']) || prefix?.[1] || '').trim().toLowerCase();
  const type = (ANNOUNCE_TYPES as readonly string[]).includes(rawType) ? (rawType as AnnounceType) : undefined;
  if (!type)
    notes.push(
      rawType ? `unknown announce type "${excerpt(rawType, 30)}", not alerting` : 'no announce type, not alerting',
    );

  const paper: SourcePaper = {
    arxivId,
    title,
    abstract: collapseWhitespace(prefix ? description.slice(prefix[0].length) : description),
    authors: xmlList(item['dc:creator']).flatMap((creator) => splitAuthors(xmlText(creator))),
    categories: [
      ...new Set(
        xmlList(item.category)
          .map((c) => collapseWhitespace(xmlText(c)))
          .filter(Boolean),
      ),
    ],
    source,
  };
  // The item date is the announcement day: the first appearance for a v1, a revision day for later versions.
  const day = rfc822Day(xmlText(item.pubDate)) ?? channelDay;
  const version = Number(/v(\d+)\s*$/.exec(guid)?.[1] ?? '1');
  if (day) {
    if (type === 'new' || version <= 1) paper.published = day;
    else paper.updated = day;
  }
  return { paper, type, notes };
}

/** `dc:creator` text → names: "A, B and C", "A, B, and C", "A and B". Tags from older feed formats are dropped. */
export function splitAuthors(text: string): string[] {
  const plain = collapseWhitespace(text.replace(/<[^<>]*>/g, ' '));
  if (!plain) return [];
  return plain
    .split(/(?<!\s)\s*,\s*(?:and\s+)?|(?<!\s)\s+and\s+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

/** One RSS feed for a set of categories. */
export function createArxivRssSource(
  config: ArxivRssSourceConfig,
): PaperSource & { includeCross: boolean; url: string } {
  const name = config.name ?? ARXIV_RSS_SOURCE;
  const url = rssUrl(config.baseUrl, config.categories);
  return {
    name,
    url,
    includeCross: config.includeCross === true,
    async fetch(signal?: AbortSignal): Promise<SourceBatch> {
      const response = await config.http.getText(url, {
        signal,
        accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.1',
      });
      if (response.notModified) return notModifiedBatch(name);
      const { papers, announce, problems } = parseArxivRss(response.body, name);
      return { source: name, papers, announce, problems, notModified: false, commit: response.commit };
    },
  };
}
