/**
 * The contract every paper source honours (Hugging Face daily papers, arXiv RSS / API, the inbox folder), so the
 * poller can fetch them all the same way, plus the few text helpers their parsers share.
 */
import { XMLParser } from 'fast-xml-parser';
import type { PaperInput } from '../papers/paper.ts';
import { SourceError } from './http.ts';

/** How arXiv announced an item in its daily listing (the RSS `arxiv:announce_type`). */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

export const ANNOUNCE_TYPES: readonly AnnounceType[] = ['new', 'cross', 'replace', 'replace-cross'];

/** A paper input that always says where it came from. */
export type SourcePaper = PaperInput & { source: string };

export interface SourceBatch {
  /** The source's name, also the `source` of every paper in the batch. */
  source: string;
  papers: SourcePaper[];
  /**
   * Announce type per arXiv id, when the source has one (arXiv RSS). Absent: every paper in the batch is new.
   * Present: only the ids whose type alerts (see `announceTypeAlerts`) may alert; the rest are stored only.
   */
  announce?: ReadonlyMap<string, AnnounceType>;
  /**
   * What the source says of each paper's popularity now, by arXiv id (Hugging Face: upvotes, comments, the day it was
   * featured). Stored on every poll, updated in place (SignalStore).
   */
  signals?: ReadonlyMap<string, SourceSignal>;
  /** The server said nothing changed since the last committed fetch (HTTP 304): no papers, nothing to do. */
  notModified: boolean;
  /** Items skipped or doubtful, one human-readable line each (never secrets, never raw payloads). */
  problems: string[];
  /**
   * Call once the batch is safely stored. It saves what the source needs to skip this data next time (HTTP
   * ETag / Last-Modified, processed inbox files). Never called (a crash, a failed store): the next fetch
   * returns the same data again, so nothing is missed; de-duplication is the store's and outbox's job.
   */
  commit(): Promise<void>;
}

/** A paper's counts on a source, as read in one poll. */
export interface SourceSignal {
  upvotes: number;
  comments?: number;
  /** `YYYY-MM-DD`: the day the source featured the paper; absent: the day it was polled. */
  featuredOn?: string;
}

export interface PaperSource {
  name: string;
  fetch(signal?: AbortSignal): Promise<SourceBatch>;
}

/** Announce types that alert: `new`, plus `cross` when the channel wants cross-lists; never replacements. */
export function announceTypeAlerts(type: AnnounceType | undefined, options: { includeCross?: boolean } = {}): boolean {
  if (type === 'new') return true;
  if (type === 'cross') return options.includeCross === true;
  return false;
}

/** The papers of a batch that may alert (all of them when the source has no announce types). */
export function alertablePapers(batch: SourceBatch, options: { includeCross?: boolean } = {}): SourcePaper[] {
  const announce = batch.announce;
  if (!announce) return batch.papers;
  return batch.papers.filter(
    (paper) => paper.arxivId !== undefined && announceTypeAlerts(announce.get(paper.arxivId), options),
  );
}

/** A batch meaning "nothing changed". */
export function notModifiedBatch(source: string, commit: () => Promise<void> = async () => {}): SourceBatch {
  return { source, papers: [], notModified: true, problems: [], commit };
}

// ---- small helpers every parser shares ----

/** Collapses runs of whitespace (line wraps in titles and abstracts) into single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `YYYY-MM-DD` from an ISO timestamp (`2024-10-22T17:59:30.000Z`), or undefined when it is not one. */
export function isoDay(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return `${year}-${month}-${day}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * `YYYY-MM-DD` as written in an RFC 822 date (`Thu, 28 Nov 2024 00:00:00 -0500`): the day in the sender's own time
 * zone, which for arXiv is the listing day (converting to UTC could move it).
 */
export function rfc822Day(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})/.exec(value);
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[2]!.toLowerCase());
  if (month < 0) return undefined;
  return isoDay(`${match[3]}-${String(month + 1).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`);
}

/** An arXiv archive or category (`cs`, `cs.CL`, `astro-ph.CO`): safe to put in a feed path or a query. */
export const ARXIV_CATEGORY = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;

/** Shortens untrusted text for an error or problem message. */
export function excerpt(text: string, max = 200): string {
  const flat = collapseWhitespace(text);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const ARRAY_TAGS = new Set(['item', 'entry', 'category', 'author', 'link', 'dc:creator']);

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // ids like 1605.08386 must stay strings
  parseAttributeValue: false,
  htmlEntities: true, // decodes numeric character references (&#233;) too
  trimValues: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

/** Parses an XML document (arXiv RSS / Atom), or throws a SourceError naming what was malformed. */
export function parseXml(text: string, what: string): Record<string, unknown> {
  try {
    const parsed: unknown = xmlParser.parse(text, true);
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? excerpt(error.message, 120) : 'parse error';
    throw new SourceError(`${what}: malformed XML (${reason})`, { kind: 'format', retryable: true });
  }
  throw new SourceError(`${what}: not an XML document`, { kind: 'format', retryable: true });
}

/** The text of an XML node as fast-xml-parser gives it (a string, or an object with `#text` when it has attributes). */
export function xmlText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && node !== null && '#text' in node)
    return xmlText((node as Record<string, unknown>)['#text']);
  return '';
}

/** Always an array: fast-xml-parser gives a single value for a tag that appears once unless told otherwise. */
export function xmlList(node: unknown): unknown[] {
  if (node === undefined || node === null || node === '') return [];
  return Array.isArray(node) ? node : [node];
}

export function xmlRecord(node: unknown): Record<string, unknown> | undefined {
  return typeof node === 'object' && node !== null && !Array.isArray(node)
    ? (node as Record<string, unknown>)
    : undefined;
}
