/**
 * The search engine behind `/paper`: executes a SearchPlan on the current snapshot. Words should all match
 * (falling back to the best partial matches when too few do); phrases are checked against the real text;
 * exclusions, date and category filters apply; each hit says which words matched in which fields.
 */
import type { Paper } from '../papers/paper.ts';
import { normalizeTitle } from '../papers/ids.ts';
import { analyze, type Clause, type Field, type Scored } from './lunrIndex.ts';
import type { SearchPlan, PlanWord } from './plan.ts';
import { hasFilter, hasPositiveClause } from './plan.ts';
import { matchesFilters } from './queryParser.ts';
import type { CorpusSnapshot } from './snapshot.ts';
import { bigrams, rerankByProximity } from './proximity.ts';
import type { SearchHit } from './types.ts';

/** Ranking knobs, measured with `npm run eval` (see README, search relevance). */
export const RANKING = {
  /** Fewer full matches than this and partial matches are shown after them. */
  minFullMatches: 3,
  /** Partial matches are scored × (share of query words matched) ^ this: more words matched ranks higher. */
  coordinationPower: 2,
  /** Full matches rank before partial ones. */
  fullFirst: true,
  /** Weight of an acronym expansion or spelling variant relative to the word typed. */
  alternativeBoost: 0.7,
  /** Queries of this many words or more read as sentences: ranked over all words, no "all words first". */
  sentenceWords: 3,
};
/** How many candidates phrase checks may read from the store. */
const MAX_TEXT_CHECKS = 2000;

export interface EngineResult {
  hits: { ref: string; score: number; matched: string[]; fields: Field[] }[];
  total: number;
  partial: boolean;
}

export interface PaperSource {
  get(id: string): Paper | undefined;
}

interface WordTokens {
  word: PlanWord;
  /** Each alternative spelled as tokens; the word is satisfied when all tokens of one alternative match. */
  options: { label: string; tokens: string[] }[];
}

export function wordTokens(word: PlanWord): WordTokens {
  if (word.prefix) {
    // Prefix words are matched unstemmed: `transform*` must find `transformer` and `transformation`.
    const prefix = word.text.toLowerCase();
    return { word, options: prefix ? [{ label: `${prefix}*`, tokens: [prefix] }] : [] };
  }
  const options = [word.text, ...(word.alternatives ?? [])]
    .map((label) => ({ label, tokens: [...new Set(analyze(label))] }))
    .filter((option) => option.tokens.length > 0);
  return { word, options };
}

function hasToken(scored: Scored, token: string, prefix: boolean): boolean {
  if (!prefix) return scored.matched.has(token);
  for (const matched of scored.matched.keys()) if (matched.startsWith(token)) return true;
  return false;
}

export function executePlan(snapshot: CorpusSnapshot, papers: PaperSource, plan: SearchPlan): EngineResult {
  if (!hasPositiveClause(plan)) return filterOnly(snapshot, plan);
  const words = plan.words.map(wordTokens).filter((w) => w.options.length > 0);
  const phrases = plan.phrases.map((phrase) => ({ ...phrase, tokens: [...new Set(analyze(phrase.text))] }))
    .filter((phrase) => phrase.tokens.length > 0);
  if (!words.length && !phrases.length) return { hits: [], total: 0, partial: false };

  const clauses: Clause[] = [];
  for (const { word, options } of words) {
    options.forEach((option, i) => {
      // Alternatives count less than what the user typed, and a long form's many words no more than its acronym.
      const boost = (word.weight ?? 1) * (i === 0 ? 1 : RANKING.alternativeBoost / Math.sqrt(option.tokens.length));
      for (const token of option.tokens) clauses.push({ term: token, fields: word.fields, analyzed: true, boost, prefix: word.prefix });
    });
  }
  for (const phrase of phrases) {
    for (const token of phrase.tokens) clauses.push({ term: token, fields: phrase.fields, presence: 'required', analyzed: true });
  }
  for (const excluded of plan.excludedWords) {
    for (const token of analyze(excluded)) clauses.push({ term: token, presence: 'prohibited', analyzed: true });
  }

  let scored = snapshot.index.query(clauses);
  const sentence = words.length >= RANKING.sentenceWords;
  scored = scored.filter((s) => passesFilters(snapshot, s.ref, plan));
  if (phrases.length || plan.excludedPhrases.length) scored = checkText(scored, papers, plan);
  if (plan.sort === 'relevance' && words.length > 1) {
    scored = rerankByProximity(scored, bigrams(words.flatMap((w) => w.options[0]?.tokens ?? [])), (id) => papers.get(id));
  }

  const full: typeof scored = [];
  const partialHits: typeof scored = [];
  for (const s of scored) (satisfiesAll(s, words) ? full : partialHits).push(s);
  const partial = (sentence || full.length < RANKING.minFullMatches) && partialHits.length > 0 && words.length > 1;
  if (partial && !sentence) for (const hit of partialHits) hit.score *= coverage(hit, words) ** RANKING.coordinationPower;
  const ordered = !partial ? sortHits(full, plan, snapshot)
    : RANKING.fullFirst && !sentence ? [...sortHits(full, plan, snapshot), ...sortHits(partialHits, plan, snapshot)]
    : sortHits([...full, ...partialHits], plan, snapshot);
  return {
    hits: ordered.map((s) => ({ ref: s.ref, score: s.score, ...explain(s, words, phrases) })),
    total: ordered.length,
    partial: partial && full.length === 0,
  };
}

/** Share of the query's words a hit matched (by the word or one of its alternatives). */
function coverage(scored: Scored, words: WordTokens[]): number {
  if (!words.length) return 1;
  let matched = 0;
  for (const { word, options } of words) {
    if (options.some((option) => option.tokens.every((t) => hasToken(scored, t, word.prefix === true)))) matched++;
  }
  return matched / words.length;
}

function satisfiesAll(scored: Scored, words: WordTokens[]): boolean {
  return words.every(({ word, options }) => options.some((option) => option.tokens.every((t) => hasToken(scored, t, word.prefix === true))));
}

function explain(scored: Scored, words: WordTokens[], phrases: { text: string; tokens: string[] }[]): { matched: string[]; fields: Field[] } {
  const matched: string[] = [];
  const fields = new Set<Field>();
  for (const { word, options } of words) {
    for (const option of options) {
      if (option.tokens.every((t) => hasToken(scored, t, word.prefix === true))) {
        matched.push(option.label);
        break;
      }
    }
  }
  for (const phrase of phrases) matched.push(`"${phrase.text}"`);
  for (const fieldList of scored.matched.values()) for (const f of fieldList) fields.add(f);
  return { matched: [...new Set(matched.map((m) => m.toLowerCase()))], fields: [...fields] };
}

function sortHits(hits: Scored[], plan: SearchPlan, snapshot: CorpusSnapshot): Scored[] {
  if (plan.sort === 'new') {
    return hits.sort((a, b) => (snapshot.meta.get(b.ref)?.published ?? '').localeCompare(snapshot.meta.get(a.ref)?.published ?? '') || b.score - a.score);
  }
  return hits.sort((a, b) => b.score - a.score);
}

export function passesFilters(snapshot: CorpusSnapshot, ref: string, plan: SearchPlan): boolean {
  if (!hasFilter(plan)) return true;
  const meta = snapshot.meta.get(ref);
  return meta !== undefined && matchesFilters(plan.filters, meta);
}

/** Exact phrases really appear (in the field asked for), excluded phrases don't. */
function checkText(scored: Scored[], papers: PaperSource, plan: SearchPlan): Scored[] {
  const needles = plan.phrases.map((p) => ({ text: normalizeTitle(p.text), fields: p.fields }));
  const excluded = plan.excludedPhrases.map(normalizeTitle).filter(Boolean);
  const kept: Scored[] = [];
  for (const s of scored.sort((a, b) => b.score - a.score).slice(0, MAX_TEXT_CHECKS)) {
    const paper = papers.get(s.ref);
    if (!paper) continue;
    const texts: Record<Field, string> = {
      title: ` ${normalizeTitle(paper.title)} `,
      abstract: ` ${normalizeTitle(paper.abstract)} `,
      authors: ` ${normalizeTitle(paper.authors.join(', '))} `,
    };
    const all = `${texts.title} ${texts.abstract} ${texts.authors}`;
    const hasAll = needles.every((n) => (n.fields ? n.fields.some((f) => texts[f].includes(` ${n.text} `)) : all.includes(` ${n.text} `)));
    const hasExcluded = excluded.some((e) => all.includes(` ${e} `));
    if (hasAll && !hasExcluded) kept.push(s);
  }
  return kept;
}

/** A query of filters only (`since:2025-06 cat:cs.CL`): newest first. */
function filterOnly(snapshot: CorpusSnapshot, plan: SearchPlan): EngineResult {
  if (!hasFilter(plan)) return { hits: [], total: 0, partial: false };
  const refs = [...snapshot.meta.keys()].filter((ref) => passesFilters(snapshot, ref, plan));
  refs.sort((a, b) => (snapshot.meta.get(b)?.published ?? '').localeCompare(snapshot.meta.get(a)?.published ?? ''));
  return { hits: refs.map((ref) => ({ ref, score: 0, matched: [], fields: [] })), total: refs.length, partial: false };
}
