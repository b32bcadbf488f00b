/**
 * paperboy's search query language, parsed by our own small parser so no user text ever reaches Lunr's
 * `idx.search` (which throws on `foo:`, `~`, `x^`, lone `-`). `parseQuery` never throws: bad parts become
 * warnings, an over-long query becomes an `error`. Pure: no Lunr, no store.
 */
import { normalizeText, wordsOf } from './text-variants.ts';

/** Longest query we parse; longer input is refused with `error`. */
export const MAX_QUERY_CHARS = 4000;
/** Most words (over all terms and phrases) we keep; the rest are dropped with a warning. */
export const MAX_QUERY_WORDS = 64;
/** Longer "words" are dropped (no one searches for them; they would only slow typo matching). */
export const MAX_WORD_CHARS = 64;
/** Most categories in one query (each is a filter clause). */
export const MAX_CATEGORIES = 20;
/** Shortest stem for a `prefix*` search. */
export const MIN_PREFIX_CHARS = 3;

export type TextField = 'title' | 'author' | 'abstract';
export type SortOrder = 'relevance' | 'new';

export interface QueryTerm {
  /** As typed (after Unicode normalization), e.g. `Low-Rank` or `BERT?`. */
  raw: string;
  /** Canonical form: lower-cased words joined by `-`, e.g. `low-rank`, `bert`. */
  value: string;
  /** The words a tokenizer sees, e.g. [`low`, `rank`]. Never empty. */
  words: string[];
  /** Restricted to one field (`title:`, `author:`, `abstract:`); absent = any field. */
  field?: TextField;
  /** Typed as `transform*`: match words starting with `value` (single word only). */
  prefix?: boolean;
  /** How many times the query repeats it (a word said twice matters more); absent = once. */
  count?: number;
}

export interface QueryPhrase {
  /** The text inside the quotes, as typed. */
  raw: string;
  /** Lower-cased words that must appear consecutively. Never empty. */
  words: string[];
  field?: TextField;
}

export interface QueryFilters {
  /** Inclusive lower bound on the published date, `YYYY-MM-DD`. */
  since?: string;
  /** Exclusive upper bound on the published date, `YYYY-MM-DD`. */
  before?: string;
  /** Any of these categories (`cs.CL`; an archive alone, `cs`, means any `cs.*`). Compare case-insensitively. */
  categories: string[];
  /** None of these categories. */
  excludedCategories: string[];
}

export interface ParsedQuery {
  /** Words that should match (unscoped, or scoped to `field`). */
  terms: QueryTerm[];
  /** `"exact phrases"` that must occur in the text. */
  phrases: QueryPhrase[];
  /** `-word`: papers containing it are excluded. */
  excludedTerms: QueryTerm[];
  /** `-"phrase"`: papers containing it are excluded. */
  excludedPhrases: QueryPhrase[];
  filters: QueryFilters;
  sort: SortOrder;
  /** Things the user should know (ignored invalid date, dropped words...). Safe to show. */
  warnings: string[];
  /** Set when the query is refused (too long); every clause is then empty. */
  error?: string;
}

/** The search syntax for `/paper help` and the README: plain text (adapters escape it), one line per feature. */
export const QUERY_SYNTAX_HELP = [
  'Search syntax:',
  '• lora adapter: papers with all these words first (when too few have all, the best partial matches follow)',
  '• lisa: the paper named so (LISA: …), or titled exactly what you typed, comes first',
  '• "speculative decoding": the exact phrase · transform*: words starting with "transform"',
  '• -survey  -"position paper": leave out papers with that word or phrase',
  '• title:lora  author:hinton  author:"geoffrey hinton"  abstract:reward: look in one field',
  '• since:2025-06  before:2026  year:2025: date range ' +
    '(YYYY, YYYY-MM or YYYY-MM-DD; since is inclusive, before exclusive)',
  '• cat:cs.CL: one category (cat:cs for all of cs.*, -cat:cs.CV to leave one out)',
  '• sort:new: newest first (default: most relevant first)',
  '• Acronyms and spellings are understood: lora also finds "low-rank adaptation", ' +
    'and low-rank, low rank and lowrank are the same.',
  '• A question of 6+ words is ranked over all its words: its opening request ("I\'m looking for papers on") ' +
    'is left out, quotes in it quote rather than filter, ' +
    'and only acronyms the papers mostly define one way are expanded.',
].join('\n');

type FieldKind = TextField | 'since' | 'before' | 'year' | 'cat' | 'sort';

const FIELD_NAMES: Record<string, FieldKind> = {
  title: 'title',
  ti: 'title',
  author: 'author',
  authors: 'author',
  au: 'author',
  abstract: 'abstract',
  abs: 'abstract',
  since: 'since',
  before: 'before',
  year: 'year',
  cat: 'cat',
  cats: 'cat',
  category: 'cat',
  categories: 'cat',
  sort: 'sort',
};

const SORT_NAMES: Record<string, SortOrder> = {
  new: 'new',
  newest: 'new',
  recent: 'new',
  date: 'new',
  relevance: 'relevance',
  relevant: 'relevance',
  best: 'relevance',
  score: 'relevance',
};

const FIELD_PREFIX = /([A-Za-z]+):/y;
const SPACE = /\s/;

/** Parse a search query. Never throws, whatever the input. */
export function parseQuery(input: string): ParsedQuery {
  const parsed = emptyQuery();
  try {
    if (typeof input !== 'string') return parsed;
    if (input.length > MAX_QUERY_CHARS) {
      parsed.error =
        `That search is ${input.length.toLocaleString('en-US')} characters long; the limit is ` +
        `${MAX_QUERY_CHARS.toLocaleString('en-US')}. Try a few distinctive words.`;
      return parsed;
    }
    new Parser(normalizeText(input), parsed).run();
  } catch {
    // Defensive only: the parser is written not to throw. Never let a query take a command down.
    const fallback = emptyQuery();
    fallback.warnings.push('Could not understand that search; try plain words.');
    return fallback;
  }
  return parsed;
}

export function emptyQuery(): ParsedQuery {
  return {
    terms: [],
    phrases: [],
    excludedTerms: [],
    excludedPhrases: [],
    filters: { categories: [], excludedCategories: [] },
    sort: 'relevance',
    warnings: [],
  };
}

class Parser {
  private i = 0;
  private wordCount = 0;
  private capped = false;
  private readonly seen = new Set<string>();
  private readonly termsByKey = new Map<string, QueryTerm>();
  private readonly notes = new Set<string>();

  constructor(
    private readonly s: string,
    private readonly out: ParsedQuery,
  ) {}

  run(): void {
    const s = this.s;
    while (this.i < s.length) {
      while (this.i < s.length && SPACE.test(s[this.i]!)) this.i++;
      if (this.i >= s.length) break;

      // Leading signs: `-` excludes, `+` is accepted and means nothing extra. A lone sign is ignored.
      let negate = false;
      let signs = 0;
      while (this.i < s.length && (s[this.i] === '-' || s[this.i] === '+')) {
        if (signs === 0) negate = s[this.i] === '-';
        signs++;
        this.i++;
      }
      if (this.i >= s.length || SPACE.test(s[this.i]!)) continue;

      // `field:` prefix. Unknown names are not consumed: they are read below as ordinary words.
      let kind: FieldKind | undefined;
      FIELD_PREFIX.lastIndex = this.i;
      const m = FIELD_PREFIX.exec(s);
      if (m) {
        kind = FIELD_NAMES[m[1]!.toLowerCase()];
        if (kind) {
          this.i = FIELD_PREFIX.lastIndex;
          if (this.i >= s.length || SPACE.test(s[this.i]!)) continue; // bare `title:`: ignored
        }
      }

      let quoted = false;
      let text: string;
      if (s[this.i] === '"') {
        quoted = true;
        const close = s.indexOf('"', this.i + 1);
        const end = close < 0 ? s.length : close;
        text = s.slice(this.i + 1, end);
        this.i = close < 0 ? s.length : close + 1;
      } else {
        const start = this.i;
        while (this.i < s.length && s[this.i] !== '"' && !SPACE.test(s[this.i]!)) this.i++;
        text = s.slice(start, this.i);
      }
      this.clause(kind, negate, quoted, text);
    }
    if (this.capped) this.warn(`Used the first ${MAX_QUERY_WORDS} words of the search.`);
  }

  private clause(kind: FieldKind | undefined, negate: boolean, quoted: boolean, text: string): void {
    switch (kind) {
      case 'since':
      case 'before':
      case 'year':
        this.dateFilter(kind, negate, text.trim());
        return;
      case 'cat':
        this.categoryFilter(negate, text);
        return;
      case 'sort':
        this.sortOrder(negate, text.trim());
        return;
      default:
        break;
    }
    const field = kind; // a TextField or undefined
    if (quoted) {
      this.phrase(field, negate, text);
      return;
    }
    // A pasted link is its host and path words, not a `https:` field.
    const unlinked = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    // Colons left in a word separate words: an unknown field is just words (`foo:bar` → foo, bar).
    for (const piece of unlinked.split(':')) this.term(field, negate, piece);
  }

  private term(field: TextField | undefined, negate: boolean, raw: string): void {
    const words = this.keepWords(wordsOf(raw));
    if (words.length === 0) return;
    const value = words.join('-');
    const term: QueryTerm = { raw, value, words };
    if (field) term.field = field;
    if (words.length === 1 && endsInStar(raw) && value.length >= MIN_PREFIX_CHARS) term.prefix = true;
    const key = `${negate ? '-' : '+'}t:${field ?? ''}:${value}${term.prefix ? '*' : ''}`;
    if (this.seen.has(key)) {
      const existing = this.termsByKey.get(key);
      if (existing) existing.count = (existing.count ?? 1) + 1;
      return;
    }
    if (!this.take(words.length)) return;
    this.seen.add(key);
    this.termsByKey.set(key, term);
    (negate ? this.out.excludedTerms : this.out.terms).push(term);
  }

  private phrase(field: TextField | undefined, negate: boolean, raw: string): void {
    let words = this.keepWords(wordsOf(raw));
    if (words.length === 0) return;
    const room = MAX_QUERY_WORDS - this.wordCount;
    if (room <= 0) {
      this.capped = true;
      return;
    }
    if (words.length > room) {
      words = words.slice(0, room);
      this.capped = true;
    }
    const key = `${negate ? '-' : '+'}p:${field ?? ''}:${words.join(' ')}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.wordCount += words.length;
    const phrase: QueryPhrase = { raw, words };
    if (field) phrase.field = field;
    (negate ? this.out.excludedPhrases : this.out.phrases).push(phrase);
  }

  private keepWords(words: string[]): string[] {
    const kept = words.filter((w) => w.length <= MAX_WORD_CHARS);
    if (kept.length < words.length) this.warn(`Ignored words longer than ${MAX_WORD_CHARS} characters.`);
    return kept;
  }

  private take(count: number): boolean {
    if (this.wordCount + count > MAX_QUERY_WORDS) {
      this.capped = true;
      return false;
    }
    this.wordCount += count;
    return true;
  }

  private dateFilter(kind: 'since' | 'before' | 'year', negate: boolean, value: string): void {
    const label = `${kind}:${value}`;
    if (negate) {
      this.warn(`Ignored "-${quoteForMessage(label)}": date filters can't be negated (use since: or before:).`);
      return;
    }
    const range = kind === 'year' ? parseYear(value) : parsePeriod(value);
    if (!range) {
      const hint = kind === 'year' ? 'use a year like 2025' : 'use YYYY, YYYY-MM or YYYY-MM-DD';
      this.warn(`Ignored "${quoteForMessage(label)}": not a valid date (${hint}).`);
      return;
    }
    const f = this.out.filters;
    // Several bounds narrow the range: the latest `since`, the earliest `before`.
    if (kind !== 'before' && (!f.since || range.start > f.since)) f.since = range.start;
    if (kind === 'before' && (!f.before || range.start < f.before)) f.before = range.start;
    if (kind === 'year' && (!f.before || range.end < f.before)) f.before = range.end;
    if (f.since && f.before && f.since >= f.before) {
      this.warn(`No date is both on/after ${f.since} and before ${f.before}.`);
    }
  }

  private categoryFilter(negate: boolean, text: string): void {
    for (const piece of text.split(/[\s,;|]+/)) {
      if (!piece) continue;
      const category = canonicalCategory(piece);
      if (!category) {
        this.warn(`Ignored "cat:${quoteForMessage(piece)}": not a category (like cs.CL or stat.ML).`);
        continue;
      }
      const list = negate ? this.out.filters.excludedCategories : this.out.filters.categories;
      if (list.some((c) => c.toLowerCase() === category.toLowerCase())) continue;
      if (list.length >= MAX_CATEGORIES) {
        this.warn(`Used the first ${MAX_CATEGORIES} categories.`);
        return;
      }
      list.push(category);
    }
  }

  private sortOrder(negate: boolean, value: string): void {
    const order = SORT_NAMES[value.toLowerCase()];
    if (!order || negate) {
      this.warn(`Ignored "sort:${quoteForMessage(value)}": use sort:new or sort:relevance.`);
      return;
    }
    this.out.sort = order;
  }

  private warn(message: string): void {
    if (this.notes.has(message) || this.notes.size >= 10) return;
    this.notes.add(message);
    this.out.warnings.push(message);
  }
}

interface DateRange {
  /** First day, inclusive. */
  start: string;
  /** First day after the period. */
  end: string;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

/** `2025` | `2025-06` | `2025-06-15` (also `/` or `.` separators) → the period's first day and the day after it. */
export function parsePeriod(value: string): DateRange | undefined {
  const m = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  if (m[2] === undefined) return { start: ymd(year, 1, 1), end: ymd(year + 1, 1, 1) };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  if (m[3] === undefined) {
    return { start: ymd(year, month, 1), end: month === 12 ? ymd(year + 1, 1, 1) : ymd(year, month + 1, 1) };
  }
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return { start: ymd(year, month, day), end: ymd(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
}

function parseYear(value: string): DateRange | undefined {
  return /^\d{4}$/.test(value) ? parsePeriod(value) : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * `cs.cl` → `cs.CL`, `STAT.ml` → `stat.ML`, `physics.comp-ph` stays, `CS` → `cs` (an archive: any cs.*).
 * Undefined when it does not look like an arXiv category.
 */
export function canonicalCategory(text: string): string | undefined {
  const m = /^([a-z][a-z-]{0,15})(?:\.([a-z][a-z-]{0,15}))?$/i.exec(text.trim());
  if (!m) return undefined;
  const archive = m[1]!.toLowerCase();
  if (m[2] === undefined) return archive;
  const subject = m[2].length === 2 ? m[2].toUpperCase() : m[2].toLowerCase();
  return `${archive}.${subject}`;
}

/** Whether a paper passes the date and category filters. A date filter excludes papers with no date. */
export function matchesFilters(
  filters: QueryFilters,
  paper: { published?: string; categories?: readonly string[] },
): boolean {
  if (filters.since || filters.before) {
    const day = paper.published?.slice(0, 10);
    if (!day) return false;
    if (filters.since && day < filters.since) return false;
    if (filters.before && day >= filters.before) return false;
  }
  const cats = (paper.categories ?? []).map((c) => c.toLowerCase());
  const hit = (wanted: string): boolean => {
    const w = wanted.toLowerCase();
    return cats.some((c) => c === w || (!w.includes('.') && c.startsWith(`${w}.`)));
  };
  if (filters.categories.length > 0 && !filters.categories.some(hit)) return false;
  if (filters.excludedCategories.some(hit)) return false;
  return true;
}

/** A piece of user input safe to echo in a warning: no markup or mention characters, at most 40 chars. */
function quoteForMessage(text: string): string {
  const clean = text.replace(/[^\p{L}\p{N}.:\-/_ ]/gu, '');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * `lora*`, `lora*)`: a `*` after the last letter or digit asks for a prefix search. A loop, not `/\*[^\p{L}\p{N}]*$/`,
 * which rescans to the end from every `*` of a long run of them (quadratic).
 */
function endsInStar(raw: string): boolean {
  let star = false;
  for (const char of raw) star = LETTER_OR_DIGIT.test(char) ? false : star || char === '*';
  return star;
}
