/**
 * When two records are one paper (issue 25). Records are one paper only when they share an arXiv id or a DOI, or
 * when their normalized titles match AND their authors are compatible AND their abstracts agree. A shared title
 * alone says little: a series of reports shares one, two groups may pick the same classic title, and a BibTeX file
 * holds many an "Introduction". Empty, very short and generic titles never make two records one. See docs/import.md.
 */
import { createHash } from 'node:crypto';
import { isTitleId, normalizeTitle } from './ids.ts';
import type { Paper } from './paper.ts';

/** Why two records were taken for one paper. */
export type DuplicateRule = 'arxiv id' | 'doi' | 'title';

/** A title with fewer words or characters than this (normalized) never merges by title. */
export const MIN_TITLE_WORDS = 3;
export const MIN_TITLE_CHARS = 15;

/** Overlap of word 3-shingles (shared ÷ the smaller set) at or above which two abstracts are the same text. */
export const ABSTRACT_OVERLAP = 0.6;
const SHINGLE = 3;

/**
 * Titles many different papers carry: front and back matter, replies, comments and corrections (of which a journal
 * prints many, each under the same words), normalized as `normalizeTitle` does.
 */
const GENERIC_TITLES = new Set(
  [
    'abstract',
    'abstracts',
    'acknowledgement',
    'acknowledgements',
    'acknowledgment',
    'acknowledgments',
    'addendum',
    'announcement',
    'announcements',
    'annual report',
    'appendix',
    'author index',
    'authors reply',
    'bibliography',
    'book review',
    'book reviews',
    'call for papers',
    'comment',
    'comments',
    'conclusion',
    'conclusions',
    'contents',
    'correction',
    'corrections',
    'corrigendum',
    'discussion',
    'editorial',
    'editorial board',
    'editors note',
    'erratum',
    'errata',
    'foreword',
    'from the editor',
    'front matter',
    'back matter',
    'glossary',
    'guest editorial',
    'in memoriam',
    'index',
    'introduction',
    'invited talk',
    'keynote',
    'keynote address',
    'letter to the editor',
    'letters to the editor',
    'letters',
    'news',
    'no title',
    'notes',
    'obituary',
    'overview',
    'panel discussion',
    'preface',
    'presidents letter',
    'progress report',
    'references',
    'reply',
    'reply to comments',
    'reply to the comments',
    'response',
    'response to comments',
    'review',
    'reviews',
    'subject index',
    'summary',
    'table of contents',
    'technical report',
    'title',
    'tutorial',
    'untitled',
  ].map(normalizeTitle),
);

/** A reply, comment or correction is about another paper, and a journal prints several under the same words. */
const GENERIC_OPENINGS =
  /^(?:reply|replies|response|rejoinder|comments?|corrections?|corrigendum|erratum|errata|addendum|retraction)(?: (?:to|on|of|for))?\b/;

/** True when a title says enough to tell papers apart: not empty, not very short, not generic. */
export function isDistinctiveTitle(title: string): boolean {
  const normalized = normalizeTitle(title);
  if (normalized.length < MIN_TITLE_CHARS) return false;
  if (normalized.split(' ').length < MIN_TITLE_WORDS) return false;
  return !GENERIC_TITLES.has(normalized) && !GENERIC_OPENINGS.test(normalized);
}

/** `Lovelace, Ada` / `Ada Lovelace` / `A. Lovelace` → `lovelace` (accents folded, lower case). */
export function surname(author: string): string {
  const folded = author
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const part = folded.includes(',') ? folded.split(',')[0]! : folded;
  const words = part.split(/[^\p{L}\p{N}'-]+/u).filter((w) => w.replace(/[^\p{L}]/gu, '').length > 1);
  // "Ada Lovelace Jr." keeps Lovelace: a generational suffix is no surname.
  const named = words.filter((w) => !/^(?:jr|sr|ii|iii|iv)$/.test(w));
  return named[named.length - 1] ?? '';
}

/** Authors are compatible when either side lists none, or the two lists share a surname. */
export function authorsCompatible(a: readonly string[], b: readonly string[]): boolean {
  const mine = new Set(a.map(surname).filter(Boolean));
  const theirs = b.map(surname).filter(Boolean);
  if (!mine.size || !theirs.length) return true;
  return theirs.some((name) => mine.has(name));
}

function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function shingles(list: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= list.length; i++) out.add(list.slice(i, i + SHINGLE).join(' '));
  return out;
}

/**
 * Abstracts agree when either is empty, or they are clearly the same text: most word 3-shingles of the shorter one
 * are in the longer (a truncated copy, a lightly edited journal version). One of fewer than three words agrees when
 * the other holds it as it stands.
 */
export function abstractsAgree(a: string, b: string): boolean {
  const [small, large] = [words(a), words(b)].sort((x, y) => x.length - y.length) as [string[], string[]];
  if (!small.length) return true;
  if (small.length < SHINGLE) return ` ${large.join(' ')} `.includes(` ${small.join(' ')} `);
  const mine = shingles(small);
  const theirs = shingles(large);
  let shared = 0;
  for (const shingle of mine) if (theirs.has(shingle)) shared++;
  return shared / mine.size >= ABSTRACT_OVERLAP;
}

/** Two different arXiv ids, or two different DOIs: two papers, whatever else they share. */
export function idsConflict(a: Paper, b: Paper): boolean {
  if (a.arxivId && b.arxivId && a.arxivId !== b.arxivId) return true;
  return Boolean(a.doi && b.doi && a.doi !== b.doi);
}

/**
 * The shape of a record's own catalogue id (digit runs as `0`: `cacm-152` → `cacm-0`), or undefined when its id is
 * an arXiv id, a DOI or made up by paperboy.
 */
function catalogueShape(paper: Paper): string | undefined {
  if (isTitleId(paper.id) || paper.id === paper.arxivId || paper.id === paper.doi) return undefined;
  return paper.id.replace(/\d+/g, '0');
}

/**
 * Two records under different ids of one catalogue (`cacm-140`, `cacm-152`): the catalogue itself says they are two
 * records, such as an algorithm and its certification printed under one title a month apart.
 */
export function apartInOneCatalogue(a: Paper, b: Paper): boolean {
  const shape = catalogueShape(a);
  return shape !== undefined && a.id !== b.id && shape === catalogueShape(b);
}

/**
 * The title rule: distinctive equal titles, compatible authors, agreeing abstracts, no conflicting ids, and not
 * two records of one catalogue.
 */
export function sameByTitle(stored: Paper, incoming: Paper): boolean {
  return (
    isDistinctiveTitle(incoming.title) &&
    normalizeTitle(stored.title) === normalizeTitle(incoming.title) &&
    !idsConflict(stored, incoming) &&
    !apartInOneCatalogue(stored, incoming) &&
    authorsCompatible(stored.authors, incoming.authors) &&
    abstractsAgree(stored.abstract, incoming.abstract)
  );
}

/**
 * The id of a record that brought none, made from all it says (title, authors' surnames, abstract), used when the
 * title alone would give two different papers one id. The same `t-` form as ids.ts `titleId`.
 */
export function contentId(paper: Pick<Paper, 'title' | 'authors' | 'abstract'>): string {
  const content = [normalizeTitle(paper.title), paper.authors.map(surname).join(' '), words(paper.abstract).join(' ')];
  return `t-${createHash('sha256').update(content.join('\n')).digest('hex').slice(0, 12)}`;
}
