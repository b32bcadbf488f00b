/**
 * Text normalization shared by the query parser and acronym extraction, and the spacing variants that
 * make `low-rank`, `low rank` and `lowrank` find each other. Pure and allocation-light: it runs per query
 * and per imported paper.
 */

// Zero-width and invisible format characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, bidi
// marks and isolates): removed outright, so `lo\u200Bra` is `lora`.
const INVISIBLE_FORMAT = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/;
// The invisible combining marks (combining grapheme joiner, Khmer inherent vowels, Mongolian and Unicode
// variation selectors) are alternatives of their own, not class members next to a base character.
const INVISIBLE_MARKS = /\u034F|\u17B4|\u17B5|[\u180B-\u180D]|[\uFE00-\uFE0F]/;
const INVISIBLE = new RegExp(`${INVISIBLE_FORMAT.source}|${INVISIBLE_MARKS.source}`, 'g');
// Control characters become spaces.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are replaced.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
// Hyphen-like characters (hyphen, non-breaking hyphen, figure dash, en/em dash, minus, small/full-width hyphen-minus).
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
// ASCII only: no UTF-16 code unit at or above U+0080.
const ASCII = /^[^\u0080-\uFFFF]*$/;
// Typographic double quotes and guillemets.
const QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u301D\u301E\uFF02]/g;

/**
 * NFKC, invisible characters removed, controls to spaces, typographic dashes to `-` and double quotes to `"`.
 * Case is kept.
 */
export function normalizeText(text: string): string {
  // Plain ASCII (most abstracts and queries) only needs its control characters replaced.
  if (ASCII.test(text)) return text.replace(CONTROL, ' ');
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, ' ').replace(DASHES, '-').replace(QUOTES, '"');
}

/**
 * A word: letters, digits and combining marks, with inner connectors kept (`3.5`, `cs.cl`, `don't`,
 * `a&b`, `snake_case`). Everything else (spaces, hyphens, slashes, brackets, emoji...) separates words.
 * Same as Lunr's tokenizer + trimmer for ordinary text (split on spaces and hyphens, outer punctuation
 * trimmed), but Unicode-aware and also splitting on slashes and symbols.
 */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019._&+@][\p{L}\p{N}\p{M}]+)*/gu;

/** Lower-cased words of an already normalized string (see `normalizeText`). */
export function wordsOf(normalized: string): string[] {
  let lower = normalized.toLowerCase();
  // Lower-casing can leave a string that NFKC changes again (Greek with iota subscript): settle it, so
  // words are stable when a canonical query is parsed a second time.
  if (!ASCII.test(lower)) lower = lower.normalize('NFKC');
  return lower.match(WORD) ?? [];
}

/** Text → lower-cased words (`Low-Rank Adaptation (LoRA)` → `low`, `rank`, `adaptation`, `lora`). */
export function tokenize(text: string): string[] {
  return wordsOf(normalizeText(text));
}

/**
 * Compact key for spacing-insensitive comparison: `Low-Rank`, `low rank` and `lowrank` all give `lowrank`.
 */
export function compactKey(text: string): string {
  return tokenize(text).join('');
}

/**
 * Ways to split one word into two known words (`lowrank` → [[`low`, `rank`]]), shortest first part first.
 * `isKnown` is typically "the index has this token"; parts must have at least `minPart` characters.
 */
export function splitCompound(word: string, isKnown: (part: string) => boolean, minPart = 3): [string, string][] {
  const w = word.toLowerCase();
  const out: [string, string][] = [];
  if (w.length < 2 * minPart || w.length > 64) return out;
  for (let i = minPart; i <= w.length - minPart; i++) {
    const a = w.slice(0, i);
    const b = w.slice(i);
    if (isKnown(a) && isKnown(b)) out.push([a, b]);
  }
  return out;
}
