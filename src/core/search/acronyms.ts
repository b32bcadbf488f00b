/**
 * Acronyms learned from the corpus itself, so `lora` finds papers that only write "low-rank adaptation"
 * and the other way round. Extraction is Schwartz & Hearst (2003), "A simple algorithm for identifying
 * abbreviation definitions in biomedical text": for `long form (SF)` and `SF (long form)`, match the short
 * form's characters right to left inside a bounded window of preceding words. `AcronymTable` counts pairs
 * per document over the corpus, keeps the dominant long forms of each short form, expands both ways and
 * serializes to JSON for storage. Pure and fast: it runs per imported paper and per query.
 */
import { compactKey, normalizeText, tokenize } from './text-variants.ts';

export interface AcronymPair {
  /** As written, e.g. `LoRA`, `LLMs`. */
  short: string;
  /** As written, e.g. `Low-Rank Adaptation`. */
  long: string;
}

// Parenthesized text without nested brackets.
const PARENS = /\(([^()[\]{}]{1,160})\)/g;
// Where a long form cannot extend past, going left: sentence or clause ends, brackets, quotes.
const LEFT_BOUNDARY = /(?:[.!?;:](?:\s|$)|[()[\]{}"]|\s[-–]\s)/g;
// Short-form characters: letters, digits, marks, and a few inner connectors (`RL-HF`, `Q&A`, `T2I`, `k-NN`).
const SHORT_FORM = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}\-&/.+']*$/u;
const LONG_FORM_BAD = /[=<>%$#@\\|^~*_{}[\]"]/;

/** Schwartz & Hearst's window: a long form has at most min(|SF| + 5, 2|SF|) words. */
function maxLongFormWords(short: string): number {
  return Math.min(short.length + 5, short.length * 2);
}

/** Abbreviation definitions found in a text, in order of appearance (duplicates kept). */
export function extractAcronymPairs(text: string): AcronymPair[] {
  const out: AcronymPair[] = [];
  if (!text || typeof text !== 'string') return out;
  const t = normalizeText(text);
  PARENS.lastIndex = 0;
  for (let m = PARENS.exec(t); m; m = PARENS.exec(t)) {
    const inner = m[1]!.trim();
    // `(LoRA; Hu et al., 2021)` → `LoRA`.
    const first = inner.split(/[;,]\s/)[0]!.trim();
    const before = leftContext(t, m.index);
    const firstWords = first.split(/\s+/);
    if (firstWords.length <= 2 && first.length <= 10) {
      // long form (SF)
      const pair = definePair(first, lastWords(before, maxLongFormWords(first)));
      if (pair) out.push(pair);
    } else {
      // SF (long form): the short form is the word right before the parenthesis.
      const short = /(?<!\S)(\S+)\s*$/.exec(before)?.[1]?.replace(/(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/u, '');
      if (!short) continue;
      const pair = definePair(short, first, true);
      // The whole parenthesized text must be the definition, not just its tail.
      if (pair && pair.long === first.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, ''))
        out.push(pair);
    }
  }
  return out;
}

/** Text left of a parenthesis, cut at the last sentence/clause boundary. */
function leftContext(t: string, parenAt: number): string {
  const window = t.slice(Math.max(0, parenAt - 400), parenAt);
  let cut = 0;
  LEFT_BOUNDARY.lastIndex = 0;
  for (let b = LEFT_BOUNDARY.exec(window); b; b = LEFT_BOUNDARY.exec(window)) cut = b.index + b[0].length;
  return window.slice(cut);
}

function lastWords(text: string, count: number): string {
  const words = text.trim().split(/\s+/);
  return words.slice(Math.max(0, words.length - count)).join(' ');
}

function isShortForm(short: string): boolean {
  if (short.length < 2 || short.length > 10) return false;
  if (!SHORT_FORM.test(short)) return false;
  if (!/\p{Lu}/u.test(short)) return false; // at least one capital: skips (e.g.), (ours), (see)
  const letters = short.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 2 && short.length < 3) return false;
  if (/^(?:II|III|VI|VII|VIII|XI|XII)$/.test(short)) return false; // list numbering: (II), (III)
  return true;
}

const ALNUM = /[\p{L}\p{N}]/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

// ASCII fast paths: this runs for every character near every parenthesis of every imported paper.
function isLetterOrDigit(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return ALNUM.test(ch);
}

function isUpper(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 128 ? c >= 65 && c <= 90 : UPPER.test(ch);
}

function isLower(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 128 ? c >= 97 && c <= 122 : LOWER.test(ch);
}

/** A long form found for a short form, with how many short-form characters fell on word initials. */
export interface LongFormMatch {
  long: string;
  /** Short-form characters matched at the start of a word (or a camel-case hump: `exPlanations`). */
  initials: number;
  /** Words of the long form no short-form character came from. */
  skipped: number;
}

/**
 * Schwartz & Hearst's core, made to prefer word initials: the short form's letters and digits must occur
 * in order in the candidate, the first one starting a word. Of all such starts within the window it keeps
 * the one whose match best fits: most characters on word initials, minus words the match skips (nearest on
 * ties). So "Proximal Policy Optimization (PPO)" is found whole where plain S&H stops at "Policy
 * Optimization", without reaching back to "address this, we introduce the Attribute (Att)".
 */
export function findBestLongForm(short: string, candidate: string, trimHead = true): LongFormMatch | undefined {
  const s = [...short.toLowerCase()].filter((c) => isLetterOrDigit(c));
  const chars = [...candidate];
  const l = chars.map((c) => c.toLowerCase());
  const m = s.length;
  const n = l.length;
  if (m === 0 || n === 0) return undefined;
  const alnum = chars.map(isLetterOrDigit);
  const initial = chars.map((c, j) => {
    if (!alnum[j]) return 0;
    // A one-letter word ("a", "I") is no evidence: "first design a feature discriminator (Feat-D)".
    if (!alnum[j - 1]) return alnum[j + 1] ? 1 : 0;
    return isUpper(c) && isLower(chars[j - 1]!) ? 1 : 0;
  });
  // Whitespace-separated word index of each position.
  const wordOf = new Int16Array(n);
  for (let j = 0, w = 0; j < n; j++) {
    if (j > 0 && /\s/.test(chars[j]!) && !/\s/.test(chars[j - 1]!)) w++;
    wordOf[j] = w;
  }
  // rows[i][j]: most initials when matching s[i..] at positions >= j (-1: impossible); rows[m] is all 0.
  const rows: Int16Array[] = new Array(m + 1);
  rows[m] = new Int16Array(n + 1);
  for (let i = m - 1; i >= 1; i--) {
    const row = new Int16Array(n + 1).fill(-1);
    const below = rows[i + 1]!;
    for (let j = n - 1; j >= 0; j--) {
      let v = row[j + 1]!;
      if (l[j] === s[i] && below[j + 1]! >= 0) v = Math.max(v, initial[j]! + below[j + 1]!);
      row[j] = v;
    }
    rows[i] = row;
  }
  const lastWord = wordOf[n - 1]!;
  let best: { start: number; score: number; initials: number; skipped: number; endsTouched: boolean } | undefined;
  for (let p = n - 1; p >= 0; p--) {
    if (l[p] !== s[0] || alnum[p - 1]) continue; // must start a word
    if (m > 1 && rows[1]![p + 1]! < 0) continue;
    // Trace the best alignment back to count the whitespace words it touches.
    const touched = new Set<number>([wordOf[p]!]);
    let initials = initial[p]!;
    for (let i = 1, cur = p + 1; i < m; i++) {
      const target = rows[i]![cur]!;
      const below = rows[i + 1]!;
      let j = cur;
      while (!(l[j] === s[i] && below[j + 1]! >= 0 && initial[j]! + below[j + 1]! === target)) j++;
      initials += initial[j]!;
      touched.add(wordOf[j]!);
      cur = j + 1;
    }
    const skipped = lastWord - wordOf[p]! + 1 - touched.size;
    const score = initials - skipped;
    if (!best || score > best.score) best = { start: p, score, initials, skipped, endsTouched: touched.has(lastWord) };
  }
  if (!best) return undefined;
  // From the start of the whitespace word (`Multi-modal`, not `modal`), as S&H does.
  let start = best.start;
  while (start > 0 && !/\s/.test(chars[start - 1]!)) start--;
  let long = chars.slice(start).join('');
  // "Semantic-Driven Visual Prompt Tuning framework (SDVPT)": a generic head noun that no character of
  // the short form came from is not part of the name.
  if (trimHead && !best.endsTouched) {
    const head = /(?<!\s)\s+([\p{L}-]+)$/u.exec(long);
    if (head && GENERIC_HEADS.has(head[1]!.toLowerCase())) long = long.slice(0, head.index);
  }
  return { long, initials: best.initials, skipped: best.skipped };
}

const GENERIC_HEADS = new Set(
  // Not "model", "network", "system": they end real names ("Large Language Model", "Graph Neural Network").
  'framework method approach module mechanism paradigm scheme strategy technique pipeline dataset benchmark'.split(' '),
);

function definePair(shortRaw: string, candidate: string, inParens = false): AcronymPair | undefined {
  const short = shortRaw.trim();
  if (!isShortForm(short)) return undefined;
  const cleaned = candidate.replace(/(?<![^\p{L}\p{N})])[^\p{L}\p{N})]+$/u, '').trim();
  if (!cleaned) return undefined;
  // `2` reads "to": "Text-to-Image (T2I)", "End-to-end (E2E)", "Sequence-to-Sequence (Seq2Seq)".
  const found =
    findBestLongForm(short, cleaned, !inParens) ??
    (short.includes('2') ? findBestLongForm(short.replace(/2/g, 't'), cleaned, !inParens) : undefined);
  if (!found) return undefined;
  const long = found.long.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, '');
  if (!isLongForm(short, long, found)) return undefined;
  return { short, long };
}

// Long forms do not start with these ("and faster encoding, we propose an alternate optimization (A-RDO)").
const FUNCTION_WORDS = new Set(
  (
    'a an and are as at but by for from in into is it of on ' +
    'or our so that the their these this to via we which with'
  ).split(' '),
);

function isLongForm(short: string, long: string, match: LongFormMatch): boolean {
  const { initials, skipped } = match;
  if (long.length <= short.length) return false;
  if (FUNCTION_WORDS.has(long.split(/\s/, 1)[0]!.toLowerCase())) return false;
  // A match that skips many more words than it explains is chance ("skin color measurement methods from
  // dermatoscopic images using a synthetic (S-SYNTH)"); across a clause boundary even sooner.
  if (skipped - initials >= 3 || (skipped > initials && long.includes(','))) return false;
  if (LONG_FORM_BAD.test(long)) return false;
  const words = long.split(/\s+/);
  if (words.length > maxLongFormWords(short)) return false;
  const parts = long.toLowerCase().split(/[\s-]+/);
  // The short form inside its own definition ("BERT model (BERT)", "InstructIAD (IAD)") is not one.
  const lowerShort = short.toLowerCase();
  if (parts.some((w) => w === lowerShort || (lowerShort.length >= 3 && w.endsWith(lowerShort)))) return false;
  // Every word of a long form has a letter ("in 2023 (IN)" is not one).
  if (!words.every((w) => /\p{L}/u.test(w))) return false;
  // One word can stand for a short form of 2-3 characters ("Transformer (TF)"), not a longer one.
  const shortChars = short.replace(/[^\p{L}\p{N}]/gu, '').replace(/s$/, '').length;
  if (parts.length === 1) return shortChars <= 3;
  // Several words: at least two characters must start words, or the match only hid letters inside
  // words ("their code-mixed variants (Te-En)"); two letters over two words ("user experience (UX)") pass.
  return initials >= 2 || (words.length <= 2 && shortChars <= 2);
}

// ---------------------------------------------------------------------------------------------------------
// The table

export interface AcronymTableOptions {
  /** Documents a pair must appear in to be used (default 1). */
  minCount?: number;
  /** Long forms kept per short form, most frequent first (default 3). */
  maxLongForms?: number;
  /** A long form must have at least this share of its short form's definitions (default 0.15). */
  minShare?: number;
}

export interface AcronymTableJSON {
  version: 1;
  /** [short form as written (singular), normalized long form, document count]. */
  pairs: [string, string, number][];
}

/**
 * A table's lookup view as stored with the index (see `AcronymTable#viewJSON`): loading it builds two maps, where
 * loading pairs regroups and re-normalizes every one of them first.
 */
export interface AcronymViewJSON {
  version: 2;
  /** [short key, display, total, [long form, count]...] per short form, in the view's order. */
  entries: [string, string, number, [string, number][]][];
  /** [compact long form, short keys] in the view's order. */
  byLong: [string, string[]][];
}

export interface AcronymEntry {
  /** Lower-cased key, e.g. `lora`. */
  short: string;
  /** Most frequent spelling, e.g. `LoRA`. */
  display: string;
  /** Kept long forms, normalized (`low rank adaptation`), most frequent first, with document counts. */
  longForms: { long: string; count: number }[];
  /** Documents defining the short form, over all its long forms (kept or not). */
  total: number;
}

// Short forms that are also everyday words: never expanded (the query `as` must not become "autonomous systems").
const COMMON_WORDS = new Set(
  (
    'a an and are as at be been but by can did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on one or our out she so than that the their them then there these they this to too two up ' +
    'us was we were what when where which who why will with you all any may new see set use way get got man men ' +
    'art act add age aim air arm ask bad bed big bit box boy car cat day dog end eye far few fit fly fun gap gas ' +
    'key law lay led let lie lot low map mix net now odd off oil old own pay per put ran raw red run sad saw say ' +
    'sea sit six sky son sun ten tie top toy try van war win yes yet'
  ).split(' '),
);

/** `Low-Rank  Adaptation` → `low rank adaptation`. */
export function normalizeLongForm(long: string): string {
  return tokenize(long).join(' ');
}

/** `LoRA` → `lora`, `RL-HF` → `rlhf`. */
export function shortFormKey(short: string): string {
  return compactKey(short);
}

/** `LLMs` + `large language models` → `LLM` + `large language model`; other pairs unchanged. */
export function singularizePair(pair: AcronymPair): AcronymPair {
  const { short, long } = pair;
  if (!/[\p{Lu}\p{N}]s$/u.test(short) || short.length < 3) return pair;
  if (!/s$/i.test(long)) return pair;
  return { short: short.slice(0, -1), long: singularWord(long) };
}

function singularWord(text: string): string {
  if (/ies$/i.test(text)) return `${text.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/i.test(text)) return text.slice(0, -2);
  if (/ss$/i.test(text)) return text;
  return text.slice(0, -1);
}

interface Computed {
  byShort: Map<string, AcronymEntry>;
  /** compact long form → short keys */
  byLong: Map<string, string[]>;
}

/** Answers expand() keeps before starting over. */
const MAX_REMEMBERED = 20_000;

export class AcronymTable {
  private readonly counts = new Map<string, number>(); // `${short}\u0000${long}` → documents
  private computed: Computed | undefined;
  /** The stored view this table was loaded from (such a table answers lookups only; it has no pairs to add to). */
  private loadedView: AcronymViewJSON | undefined;
  /** expand()'s answers so far (emptied whenever the pairs change). */
  private readonly expanded = new Map<string, string[]>();
  private readonly minCount: number;
  private readonly maxLongForms: number;
  private readonly minShare: number;

  constructor(options: AcronymTableOptions = {}) {
    this.minCount = Math.max(1, options.minCount ?? 1);
    this.maxLongForms = Math.max(1, options.maxLongForms ?? 3);
    this.minShare = Math.min(1, Math.max(0, options.minShare ?? 0.15));
  }

  /** Counts the document's definitions (each distinct pair once) and returns them. */
  addDocument(text: string): AcronymPair[] {
    const pairs = documentPairs(text);
    for (const [short, long] of pairs) this.bump(short, long, 1);
    return pairs.map(([short, long]) => ({ short, long }));
  }

  /** Counts the definitions a paper makes in its title and abstract (what the index learns acronyms from). */
  addPaper(paper: { title: string; abstract: string }): void {
    this.addDocument(`${paper.title}. ${paper.abstract}`);
  }

  /** Adds one pair `count` times (as written; it is singularized and normalized here). */
  addPair(pair: AcronymPair, count = 1): void {
    const p = singularizePair(pair);
    const long = normalizeLongForm(p.long);
    if (!long || shortFormKey(p.short).length < 2) return;
    this.bump(p.short, long, count);
  }

  private bump(short: string, long: string, delta: number): void {
    if (this.loadedView) throw new Error('an acronym table loaded from its view takes no more pairs');
    const key = `${short}\u0000${long}`;
    const next = (this.counts.get(key) ?? 0) + delta;
    if (next > 0) this.counts.set(key, next);
    else this.counts.delete(key);
    this.computed = undefined;
    this.expanded.clear();
  }

  /** Short forms with kept long forms. */
  get size(): number {
    return this.view().byShort.size;
  }

  entries(): AcronymEntry[] {
    return [...this.view().byShort.values()];
  }

  /** Kept long forms of a short form (`lora` → [`low rank adaptation`]); plural `llms` works too. */
  longFormsOf(short: string): string[] {
    const view = this.view();
    const key = shortFormKey(short);
    const entry = view.byShort.get(key) ?? (key.endsWith('s') ? view.byShort.get(key.slice(0, -1)) : undefined);
    if (!entry || COMMON_WORDS.has(entry.short)) return [];
    return entry.longForms.map((l) => l.long);
  }

  /** Short forms (lower-cased keys) of a long form, spacing- and hyphen-insensitive. */
  shortFormsOf(long: string): string[] {
    const view = this.view();
    const key = compactKey(long);
    const shorts = view.byLong.get(key) ?? view.byLong.get(compactKey(singularWord(long))) ?? [];
    return shorts.filter((s) => !COMMON_WORDS.has(s));
  }

  /**
   * The other side of an acronym, both ways: `lora` → [`low rank adaptation`]; `low-rank adaptation` →
   * [`lora`]. Long forms come back normalized (lower case, words separated by spaces); short forms as keys.
   */
  expand(term: string): string[] {
    if (!term || typeof term !== 'string' || term.length > 200) return [];
    const known = this.expanded.get(term);
    if (known) return [...known];
    const words = tokenize(term);
    const longs = words.length === 0 ? [] : words.length <= 2 ? this.longFormsOf(term) : [];
    const found = words.length === 0 ? [] : longs.length > 0 ? longs : this.shortFormsOf(term);
    // Planning a query asks for every run of its words; subscriptions and repeated queries ask again.
    if (this.expanded.size >= MAX_REMEMBERED) this.expanded.clear();
    this.expanded.set(term, found);
    return [...found];
  }

  /**
   * Like `expand`, but only where the corpus is certain: a long form that at least `minShare` of the short form's
   * definitions use, in at least `minCount` documents (for prose queries, where a wrong expansion is noise).
   */
  expandCertain(term: string, minShare = 0.5, minCount = 2): string[] {
    if (!term || typeof term !== 'string' || term.length > 200) return [];
    const words = tokenize(term);
    if (words.length === 0) return [];
    const view = this.view();
    const certain = (entry: AcronymEntry | undefined, long?: string) =>
      entry?.longForms.filter(
        (l) =>
          (long === undefined || compactKey(l.long) === long) &&
          l.count >= minCount &&
          l.count / entry.total >= minShare,
      ) ?? [];
    if (words.length <= 2 && this.longFormsOf(term).length) {
      const key = shortFormKey(term);
      const entry = view.byShort.get(key) ?? (key.endsWith('s') ? view.byShort.get(key.slice(0, -1)) : undefined);
      return certain(entry).map((l) => l.long);
    }
    const long = compactKey(term);
    return this.shortFormsOf(term).filter((short) => certain(view.byShort.get(short), long).length > 0);
  }

  toJSON(): AcronymTableJSON | AcronymViewJSON {
    if (this.loadedView) return this.loadedView;
    const pairs: [string, string, number][] = [];
    for (const [key, count] of this.counts) {
      const sep = key.indexOf('\u0000');
      pairs.push([key.slice(0, sep), key.slice(sep + 1), count]);
    }
    return { version: 1, pairs };
  }

  /** The lookup view as JSON: `fromJSON` of it answers every lookup exactly as this table does. */
  viewJSON(): AcronymViewJSON {
    if (this.loadedView) return this.loadedView;
    const view = this.view();
    return {
      version: 2,
      entries: [...view.byShort.values()].map((e) => [
        e.short,
        e.display,
        e.total,
        e.longForms.map((l): [string, number] => [l.long, l.count]),
      ]),
      byLong: [...view.byLong],
    };
  }

  static fromJSON(json: unknown, options?: AcronymTableOptions): AcronymTable {
    const table = new AcronymTable(options);
    if ((json as { version?: unknown } | null)?.version === 2)
      return AcronymTable.fromView(json as AcronymViewJSON, table);
    const pairs = (json as Partial<AcronymTableJSON> | null)?.pairs;
    if (!Array.isArray(pairs)) return table;
    for (const row of pairs) {
      if (!Array.isArray(row)) continue;
      const [short, long, count] = row as unknown[];
      if (typeof short === 'string' && typeof long === 'string' && typeof count === 'number' && count > 0) {
        table.addPair({ short, long }, Math.floor(count));
      }
    }
    return table;
  }

  private static fromView(json: AcronymViewJSON, table: AcronymTable): AcronymTable {
    const byShort = new Map<string, AcronymEntry>();
    const byLong = new Map<string, string[]>();
    if (!Array.isArray(json.entries) || !Array.isArray(json.byLong)) return table;
    for (const [short, display, total, longs] of json.entries)
      byShort.set(short, { short, display, total, longForms: longs.map(([long, count]) => ({ long, count })) });
    for (const [long, shorts] of json.byLong) byLong.set(long, shorts);
    table.computed = { byShort, byLong };
    table.loadedView = json;
    return table;
  }

  private view(): Computed {
    if (this.computed) return this.computed;
    // Group by short key; within it, merge long forms by compact key (low rank / lowrank / low-rank).
    const groups = new Map<string, { displays: Map<string, number>; longs: Map<string, Map<string, number>> }>();
    for (const [key, count] of this.counts) {
      const sep = key.indexOf('\u0000');
      const short = key.slice(0, sep);
      const long = key.slice(sep + 1);
      const shortKey = shortFormKey(short);
      let group = groups.get(shortKey);
      if (!group) {
        group = { displays: new Map(), longs: new Map() };
        groups.set(shortKey, group);
      }
      group.displays.set(short, (group.displays.get(short) ?? 0) + count);
      const lk = compactKey(long);
      let spellings = group.longs.get(lk);
      if (!spellings) {
        spellings = new Map();
        group.longs.set(lk, spellings);
      }
      spellings.set(long, (spellings.get(long) ?? 0) + count);
    }
    const byShort = new Map<string, AcronymEntry>();
    const byLong = new Map<string, string[]>();
    for (const [shortKey, group] of groups) {
      const longs = [...group.longs.entries()].map(([lk, spellings]) => ({
        lk,
        long: mostFrequent(spellings),
        count: sum(spellings.values()),
      }));
      const total = sum(longs.map((l) => l.count));
      const kept = longs
        .filter((l) => l.count >= this.minCount && l.count / total >= this.minShare)
        .sort((a, b) => b.count - a.count || a.long.localeCompare(b.long))
        .slice(0, this.maxLongForms);
      if (kept.length === 0) continue;
      byShort.set(shortKey, {
        short: shortKey,
        display: mostFrequent(group.displays),
        longForms: kept.map(({ long, count }) => ({ long, count })),
        total,
      });
      for (const { lk } of kept) {
        const list = byLong.get(lk) ?? [];
        if (!list.includes(shortKey)) list.push(shortKey);
        byLong.set(lk, list);
      }
    }
    this.computed = { byShort, byLong };
    return this.computed;
  }
}

/** Distinct (singular short, normalized long) pairs of one document. */
function documentPairs(text: string): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const pair of extractAcronymPairs(text)) {
    const p = singularizePair(pair);
    const long = normalizeLongForm(p.long);
    if (!long || shortFormKey(p.short).length < 2) continue;
    seen.set(`${p.short}\u0000${long}`, [p.short, long]);
  }
  return [...seen.values()];
}

function mostFrequent(counts: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** The acronym ↔ long-form pairs a corpus defines (learned anew with every full index build). */
export function learnAcronyms(papers: Iterable<{ title: string; abstract: string }>): AcronymTable {
  const table = new AcronymTable();
  for (const paper of papers) table.addPaper(paper);
  return table;
}
