/**
 * The SearchService commands use: query text → plan → engine → hits with papers, typo fallback, related. The index
 * is in memory; paper records come from the store, fetched in batches (the hits of a page at once).
 */

import { normalizeTitle } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import { type EngineResult, executePlan, fullMatches, type PaperSource, RANKING } from './engine.ts';
import { hasFilter, hasPositiveClause, type SearchPlan } from './plan.ts';
import { PROXIMITY, paperBigrams, rerankTop } from './proximity.ts';
import { planQuery, vocabularyOf } from './query-plan.ts';
import { distinctiveTerms, duplicateCheck, RELATED, relatedClauses, relatedIndex } from './related.ts';
import { analyze, analyzeWord, type Clause } from './search-index.ts';
import type { CorpusSnapshot } from './snapshot.ts';
import { titleMatchKey } from './title-name.ts';
import { topK } from './top-k.ts';
import type { MatchDates, SearchHit, SearchOptions, SearchResult, SearchService } from './types.ts';
import { correctWord, surfaceFor } from './typos.ts';

/** Where the papers of hits come from (the store's papers, or papers in memory: `papersInMemory`). */
export interface PaperFetcher {
  get(id: string): Promise<Paper | undefined>;
  getMany(ids: readonly string[]): Promise<Map<string, Paper>>;
}

export interface PaperSearchOptions {
  snapshot: () => CorpusSnapshot;
  papers: PaperFetcher;
}

/** Papers held in memory as a PaperFetcher (evaluations, tests). */
export function papersInMemory(papers: ReadonlyMap<string, Paper>): PaperFetcher {
  return {
    get: async (id) => papers.get(id),
    getMany: async (ids) => {
      const found = new Map<string, Paper>();
      for (const id of ids) {
        const paper = papers.get(id);
        if (paper) found.set(id, paper);
      }
      return found;
    },
  };
}

/** For plans without phrases: the engine reads no paper text. */
const NO_TEXT: PaperSource = { get: () => undefined };

const DEFAULT_LIMIT = 5;
const TYPO_MAX_WORDS = 3;

export class PaperSearch implements SearchService {
  constructor(private readonly options: PaperSearchOptions) {}

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const snapshot = this.options.snapshot();
    const plan = planQuery(
      query,
      vocabularyOf(
        snapshot.index,
        (text) => snapshot.acronyms.expand(text),
        (text) => snapshot.acronyms.expandCertain(text),
      ),
    );
    if (plan.error) return { hits: [], total: 0, error: plan.error };
    if (!hasPositiveClause(plan) && !hasFilter(plan)) {
      return { hits: [], total: 0, notice: withWarnings('That query has no words to search for.', plan) };
    }
    // Only the hits of the page asked for are materialized; `total` still counts every match.
    const wanted = Math.max(0, options.offset ?? 0) + Math.max(1, Math.min(options.limit ?? DEFAULT_LIMIT, 100));
    let result = await this.execute(snapshot, plan, wanted, titleKeyOf(query, plan));
    const notes: string[] = [...plan.warnings];
    if (plan.phrases.length && result.total < RANKING.minFullMatches) {
      // Too few papers have the exact phrase: papers with its words follow, as partial matches do.
      const loose = await this.execute(snapshot, loosenPhrases(plan), wanted + result.hits.length);
      const strict = new Set(result.hits.map((h) => h.ref));
      const extra = loose.hits.filter((h) => !strict.has(h.ref));
      if (extra.length) {
        const looseOnly = loose.total - (loose.hits.length - extra.length);
        result = { hits: [...result.hits, ...extra], total: result.hits.length + looseOnly, partial: result.partial };
        notes.push(
          result.hits.length > extra.length
            ? 'Few papers have the exact phrase; papers with its words follow.'
            : 'No paper has the exact phrase; showing papers with its words.',
        );
      }
    }
    let correctedQuery: string | undefined;
    let didYouMean: string | undefined;
    // A word that matches nothing is a likely typo in a short query; in a long one it is just a word the corpus lacks.
    if (!options.literal && (result.total === 0 || (result.partial && plan.words.length <= TYPO_MAX_WORDS))) {
      // Fixes of words that look misspelled run at once; fixes of words that look right are only offered.
      const better = (retry: EngineResult) => retry.total > 0 && (!retry.partial || result.total === 0);
      const auto = await this.correct(plan, snapshot, 'auto');
      const retry = auto && (await this.execute(snapshot, auto.plan, wanted));
      if (auto && retry && better(retry)) {
        result = retry;
        correctedQuery = auto.text;
      }
      const offered = await this.correct(plan, snapshot, 'all');
      if (offered && offered.text !== correctedQuery) {
        const check = await this.execute(snapshot, offered.plan, 1);
        if (better(check)) didYouMean = offered.text;
      }
    }
    const out = await this.page(result, options);
    out.correctedQuery = correctedQuery;
    out.didYouMean = didYouMean;
    if (result.partial && result.total > 0)
      notes.push('No paper matches every word; showing the best partial matches.');
    if (notes.length) out.notice = notes.join(' ');
    if (result.total === 0) out.suggestions = this.suggest(plan);
    return out;
  }

  async related(paperId: string, options: SearchOptions = {}): Promise<SearchResult> {
    const paper = await this.options.papers.get(paperId);
    if (!paper) return { hits: [], total: 0, error: `No paper with id ${paperId} in the corpus.` };
    const snapshot = this.options.snapshot();
    const terms = distinctiveTerms(paper, snapshot.index);
    if (!terms.length) return { hits: [], total: 0, notice: 'This paper has too little text to find related papers.' };
    const surface = new Map(terms.map((t) => [t.token, t.surface]));
    const rank = new Map(terms.map((t, i) => [t.token, i]));
    const found = relatedIndex(snapshot.index).evaluate(relatedClauses(terms));
    const wanted = Math.max(0, options.offset ?? 0) + Math.max(1, Math.min(options.limit ?? DEFAULT_LIMIT, 100));
    // The paper and its duplicates share its title and words, so they rank first: checking the best candidates
    // (all that re-ranking or the page can reach) finds them without reading every match.
    const isDuplicate = duplicateCheck(paper);
    const keep = new Uint8Array(found.count).fill(1);
    let total = found.count;
    const candidates = topK(found.scores, found.count, wanted + PROXIMITY.candidates);
    const titles = await this.options.papers.getMany(Array.from(candidates, (i) => found.ref(i)));
    for (const i of candidates) {
      const ref = found.ref(i);
      const title = titles.get(ref)?.title;
      if (isDuplicate({ id: ref, titleNorm: title === undefined ? undefined : normalizeTitle(title) })) {
        keep[i] = 0;
        total--;
      }
    }
    // Shared word pairs ("low rank", "reward model") are stronger evidence of a shared topic than shared words.
    rerankTop(found, keep, paperBigrams(paper), RELATED.proximityWeight);
    const result: EngineResult = {
      hits: Array.from(
        topK(found.scores, found.count, wanted, (i) => keep[i] === 1),
        (i) => {
          const matched = found.matched(i);
          return {
            ref: found.ref(i),
            score: found.scores[i]!,
            matched: [...matched.keys()]
              .filter((t) => surface.has(t))
              .sort((a, b) => rank.get(a)! - rank.get(b)!)
              .map((t) => surface.get(t)!)
              .slice(0, 5),
            fields: [...new Set([...matched.values()].flat())],
          };
        },
      ),
      total,
      partial: false,
    };
    return await this.page(result, options);
  }

  async matchDates(query: string): Promise<MatchDates> {
    const snapshot = this.options.snapshot();
    const plan = planQuery(
      query,
      vocabularyOf(
        snapshot.index,
        (text) => snapshot.acronyms.expand(text),
        (text) => snapshot.acronyms.expandCertain(text),
      ),
    );
    if (plan.error) return { total: 0, dates: [], error: plan.error };
    if (!hasPositiveClause(plan) && !hasFilter(plan))
      return { total: 0, dates: [], error: withWarnings('That query has no words to search for.', plan) };
    let refs: string[];
    if (!plan.phrases.length && !plan.excludedPhrases.length) refs = fullMatches(snapshot, NO_TEXT, plan);
    else {
      // Phrases are checked in the papers' text, fetched in one batch (as execute does).
      const asked: string[] = [];
      fullMatches(snapshot, { get: (id) => void asked.push(id) }, plan);
      const texts = await this.options.papers.getMany(asked);
      refs = fullMatches(snapshot, { get: (id) => texts.get(id) }, plan);
    }
    const dates: string[] = [];
    for (const ref of refs) {
      const published = snapshot.meta.get(ref)?.published;
      if (published) dates.push(published);
    }
    return { total: refs.length, dates };
  }

  async suggestTitles(partial: string, limit: number): Promise<Paper[]> {
    const words = partial
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .slice(-6);
    if (!words.length) return [];
    const last = words.pop()!;
    const snapshot = this.options.snapshot();
    const clauses: Clause[] = words
      .flatMap((w) => analyze(w))
      .map((term) => ({ term, fields: ['title'], presence: 'required', analyzed: true }));
    // The index holds stems (`attention` → `attent`): a prefix of the stem finds whole and partial words alike.
    const stem = analyzeWord(last) ?? last;
    if (last.length >= 2)
      clauses.push({
        term: stem.length < last.length ? stem : last,
        fields: ['title'],
        presence: 'required',
        prefix: true,
      });
    if (!clauses.length) return [];
    const refs = snapshot.index.top(clauses, limit).map((s) => s.ref);
    const papers = await this.options.papers.getMany(refs);
    return refs.map((ref) => papers.get(ref)).filter((p): p is Paper => p !== undefined);
  }

  /**
   * Runs the engine. Exact phrases are checked in the text of the best candidates: a first pass notes which papers
   * it wants to read, they are fetched in one batch, and the second pass checks them.
   */
  private async execute(
    snapshot: CorpusSnapshot,
    plan: SearchPlan,
    wanted: number,
    titleKey?: string,
  ): Promise<EngineResult> {
    if (!plan.phrases.length && !plan.excludedPhrases.length) {
      return executePlan(snapshot, NO_TEXT, plan, wanted, titleKey);
    }
    const asked: string[] = [];
    executePlan(snapshot, { get: (id) => void asked.push(id) }, plan, wanted, titleKey);
    const texts = await this.options.papers.getMany(asked);
    return executePlan(snapshot, { get: (id) => texts.get(id) }, plan, wanted, titleKey);
  }

  private async page(result: EngineResult, options: SearchOptions): Promise<SearchResult> {
    const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_LIMIT, 100));
    const offset = Math.max(0, options.offset ?? 0);
    const shown = result.hits.slice(offset, offset + limit);
    const papers = await this.options.papers.getMany(shown.map((hit) => hit.ref));
    const hits: SearchHit[] = [];
    for (const hit of shown) {
      const paper = papers.get(hit.ref);
      if (paper) hits.push({ paper, score: hit.score, matched: hit.matched, fields: hit.fields });
    }
    return { hits, total: result.total };
  }

  /** Replaces words that match nothing with the closest indexed word: only likely misspellings, or all. */
  private async correct(
    plan: SearchPlan,
    snapshot: CorpusSnapshot,
    which: 'auto' | 'all',
  ): Promise<{ plan: SearchPlan; text: string } | undefined> {
    let changed = false;
    const texts: string[] = [];
    const words: SearchPlan['words'] = [];
    for (const word of plan.words) {
      const correction =
        word.alternatives?.length || word.text.includes(' ') ? undefined : correctWord(snapshot.index, word.text);
      const token = correction && (which === 'all' || correction.auto) ? correction.token : undefined;
      if (!token) {
        texts.push(word.text);
        words.push(word);
        continue;
      }
      changed = true;
      const refs = snapshot.index.top([{ term: token, analyzed: true }], 3).map((s) => s.ref);
      const papers = await this.options.papers.getMany(refs);
      const sample = refs
        .map((ref) => papers.get(ref))
        .filter((p): p is Paper => p !== undefined)
        .flatMap((p) => [p.title, p.abstract]);
      const readable = surfaceFor(token, sample);
      texts.push(readable);
      words.push({ ...word, text: readable });
    }
    if (!changed) return undefined;
    return { plan: { ...plan, words }, text: texts.join(' ') };
  }

  private suggest(plan: SearchPlan): string[] {
    const suggestions: string[] = [];
    if (plan.words.length > 1) suggestions.push(`Try fewer words, e.g. "${plan.words[0]!.text}"`);
    if (plan.phrases.length) suggestions.push('Try the phrase without quotes');
    if (hasFilter(plan)) suggestions.push('Try without the date or category filters');
    if (!suggestions.length) suggestions.push('Try a broader or differently spelled term');
    return suggestions;
  }
}

/** The query as a title or a name may be written, when it is plain words (no fields, filters or exclusions). */
function titleKeyOf(query: string, plan: SearchPlan): string | undefined {
  if (hasFilter(plan) || plan.excludedWords.length || plan.excludedPhrases.length) return undefined;
  if (plan.words.some((w) => w.fields || w.prefix) || plan.phrases.some((p) => p.fields)) return undefined;
  return titleMatchKey(query) || undefined;
}

function loosenPhrases(plan: SearchPlan): SearchPlan {
  const words = plan.phrases.flatMap((phrase) =>
    phrase.text
      .split(' ')
      .filter(Boolean)
      .map((text) => ({ text, fields: phrase.fields })),
  );
  return { ...plan, phrases: [], words: [...plan.words, ...words] };
}

function withWarnings(text: string, plan: SearchPlan): string {
  return [text, ...plan.warnings].join(' ');
}
