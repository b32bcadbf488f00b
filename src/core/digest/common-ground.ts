/**
 * "Common ground": the key terms several papers of a conversation share. A paper's key terms are the words of its
 * title, the words its abstract repeats, its acronyms and its keywords, compared by stem (so "adapter" meets
 * "adapters"); words any abstract uses ("propose", "method", "results") are not key terms.
 */
import type { Paper } from '../papers/paper.ts';
import { analyzeWord } from '../search/search-index.ts';

export interface SharedTerm {
  /** The term as the papers write it most often ("diffusion", "LoRA"). */
  term: string;
  /** How many of the papers have it among their key terms. */
  papers: number;
}

const GENERIC = new Set(
  (
    'paper papers work study studies propose proposed present introduce method methods approach approaches model ' +
    'models result results show shows demonstrate task tasks data dataset datasets performance perform improve ' +
    'improves improved improvement achieve achieves state art existing new novel use using used based framework ' +
    'problem problems also however well large significantly experiments experimental extensive various different ' +
    'recent recently first way ways provide provides effective efficient analysis set high low better best part'
  )
    .split(' ')
    .map((word) => analyzeWord(word))
    .filter((stem): stem is string => Boolean(stem)),
);

interface TermStats {
  papers: number;
  /** Occurrences in titles, then in all: the tie-breaks. */
  inTitles: number;
  total: number;
  forms: Map<string, number>;
}

/** Terms shared by at least two of the papers, most shared first; at most `max`. */
export function commonGround(papers: readonly Paper[], max = 6): SharedTerm[] {
  const stats = new Map<string, TermStats>();
  for (const paper of papers) {
    const titleWords = words(paper.title);
    const abstractWords = words(paper.abstract);
    const counts = new Map<string, number>();
    for (const { stem } of abstractWords) counts.set(stem, (counts.get(stem) ?? 0) + 1);
    const key = new Set<string>();
    for (const { stem } of titleWords) key.add(stem);
    for (const [stem, count] of counts) if (count >= 2) key.add(stem);
    for (const { stem, form } of abstractWords) if (isAcronym(form)) key.add(stem);
    for (const keyword of paper.keywords ?? []) for (const { stem } of words(keyword)) key.add(stem);
    for (const stem of key) {
      const entry = stats.get(stem) ?? { papers: 0, inTitles: 0, total: 0, forms: new Map() };
      entry.papers++;
      stats.set(stem, entry);
    }
    for (const [list, inTitle] of [
      [titleWords, true],
      [abstractWords, false],
    ] as const) {
      for (const { stem, form } of list) {
        const entry = stats.get(stem);
        if (!entry || !key.has(stem)) continue;
        entry.total++;
        if (inTitle) entry.inTitles++;
        entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
      }
    }
  }
  return [...stats.entries()]
    .filter(([, entry]) => entry.papers >= 2)
    .sort(([a, x], [b, y]) => y.papers - x.papers || y.inTitles - x.inTitles || y.total - x.total || a.localeCompare(b))
    .slice(0, max)
    .map(([, entry]) => ({ term: commonestForm(entry.forms), papers: entry.papers }));
}

/**
 * A text's content words (3+ letters, not numbers, not stop or generic words) with their stems; a hyphenated
 * compound ("retrieval-augmented") stays one term, stemmed part by part.
 */
function words(text: string): { stem: string; form: string }[] {
  const out: { stem: string; form: string }[] = [];
  for (const token of text.split(/[^\p{L}\p{N}-]+/u)) {
    const raw = token.replace(/^-+|-+$/g, '');
    if (raw.length < 3 || /^[\d-]+$/.test(raw)) continue;
    const stems = raw
      .toLowerCase()
      .split('-')
      .map((part) => analyzeWord(part))
      .filter((stem): stem is string => Boolean(stem));
    if (stems.length === 0 || stems.every((stem) => GENERIC.has(stem))) continue;
    out.push({ stem: stems.join('-'), form: isAcronym(raw) ? raw : raw.toLowerCase() });
  }
  return out;
}

/** "LoRA", "LLMs", "RLHF", "ImageNet": two capitals or more, written that way on purpose. */
function isAcronym(word: string): boolean {
  return (word.match(/[A-Z]/g)?.length ?? 0) >= 2;
}

function commonestForm(forms: Map<string, number>): string {
  return [...forms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}
