/** Turns a PaperInput from any source into a clean Paper, or says why it can't. */

import { contentId } from './duplicates.ts';
import { doiReference, parseArxivId, recordId, titleId } from './ids.ts';
import type { Paper, PaperInput } from './paper.ts';

const MAX_TITLE = 1000;
const MAX_ABSTRACT = 20_000;
const MAX_AUTHORS = 500;

export type NormalizeResult = { ok: true; paper: Paper } | { ok: false; reason: string };

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are stripped.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function cleanText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  // Control characters (other than whitespace) have no place in paper text; collapse runs of whitespace.
  return value.replace(CONTROL, '').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** `2025-03-18`, `2025-03-18T12:00:00Z` → `2025-03-18`; anything else → undefined. */
export function toIsoDay(value: unknown): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const text = value instanceof Date ? value.toISOString() : value.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (match) return `${match[1]}-${match[2]}-${match[3]}`;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString().slice(0, 10);
}

export function normalizePaper(input: PaperInput, defaultSource: string): NormalizeResult {
  if (input === null || typeof input !== 'object') return { ok: false, reason: 'not an object' };
  const title = cleanText(input.title, MAX_TITLE);
  const abstract = cleanText(input.abstract, MAX_ABSTRACT);
  // A record with an abstract is a paper even untitled (a BibTeX entry, a scraped page); one with neither is not.
  if (!title && !abstract) return { ok: false, reason: 'no title and no abstract' };
  const own = recordId(input.id);
  if (own.kind === 'bad') return { ok: false, reason: own.reason };
  const arxivId =
    (typeof input.arxivId === 'string' ? parseArxivId(input.arxivId) : undefined) ??
    (own.kind === 'id' ? own.arxivId : undefined);
  const doi =
    (typeof input.doi === 'string' ? doiReference(input.doi) : undefined) ??
    (own.kind === 'id' && !own.arxivId ? doiReference(own.id) : undefined);
  const authors = Array.isArray(input.authors)
    ? input.authors
        .map((a) => cleanText(typeof a === 'string' ? a : (a as { name?: unknown })?.name, 200))
        .filter(Boolean)
        .slice(0, MAX_AUTHORS)
    : [];
  const categories = Array.isArray(input.categories)
    ? input.categories
        .filter((c): c is string => typeof c === 'string')
        .map((c) => c.trim())
        .filter(Boolean)
        .slice(0, 50)
    : [];
  const keywords = Array.isArray(input.keywords)
    ? input.keywords
        .filter((k): k is string => typeof k === 'string')
        .map((k) => cleanText(k, 100))
        .filter(Boolean)
        .slice(0, 50)
    : undefined;
  // The record's own id stays its id; an arXiv id stands in when it has none, its title when it has neither (its
  // whole content when it has no title either: every untitled record would otherwise share one id).
  const id =
    own.kind === 'id' && !own.arxivId
      ? own.id
      : (arxivId ?? (title ? titleId(title) : contentId({ title, authors, abstract })));
  const paper: Paper = {
    id,
    arxivId,
    doi,
    title,
    abstract,
    authors,
    published: toIsoDay(input.published),
    updated: toIsoDay(input.updated),
    categories,
    source: typeof input.source === 'string' && input.source ? input.source : defaultSource,
    upvotes:
      typeof input.upvotes === 'number' && Number.isFinite(input.upvotes)
        ? Math.max(0, Math.round(input.upvotes))
        : undefined,
    aiSummary: cleanText(input.aiSummary, 2000) || undefined,
    keywords: keywords?.length ? keywords : undefined,
    githubRepo:
      typeof input.githubRepo === 'string' && /^https?:\/\//.test(input.githubRepo)
        ? input.githubRepo.slice(0, 500)
        : undefined,
  };
  return { ok: true, paper };
}
