/** Runs the fidelity check inside the paperboy engine process, on the live Paperboy and its snapshot. */
import lunr from 'lunr';
import type { Paperboy } from '../../src/paperboy.ts';
import { analyze, type Clause } from '../../src/core/search/lunrIndex.ts';
import { planQuery, vocabularyOf } from '../../src/core/search/queryPlan.ts';
import { addEngineComparison, addVerdict, emptyFidelity, sameTopK, TOP_K, verdictFor, type FidelityReport, type LunrHit } from './fidelity.ts';

/** `lunr.Index#query` with the clauses of a plain word query: every analyzed word, OPTIONAL, as paperboy builds them. */
export function lunrReference(index: lunr.Index, query: string): LunrHit[] {
  const tokens = [...new Set(analyze(query))];
  if (tokens.length === 0) return [];
  const results = index.query((q) => {
    for (const token of tokens) {
      q.term(token, { presence: lunr.Query.presence.OPTIONAL, boost: 1, usePipeline: false, wildcard: lunr.Query.wildcard.NONE });
    }
  });
  return results.map((result) => {
    const matched = new Set(Object.keys(result.matchData.metadata));
    return { id: result.ref, score: result.score, allWords: tokens.every((token) => matched.has(token)) };
  });
}

export function paperboyFidelity(pb: Paperboy, queries: readonly string[]): FidelityReport {
  const report = emptyFidelity();
  const snapshot = pb.index.snapshot;
  const lunrIndex = (snapshot.index as { lunrIndex?: lunr.Index }).lunrIndex;
  if (!lunrIndex) throw new Error('fidelity: the snapshot exposes no lunrIndex to compare with');
  const vocabulary = vocabularyOf(snapshot.index, (text) => snapshot.acronyms.expand(text));
  for (const query of queries) {
    const reference = lunrReference(lunrIndex, query);
    const top = (hits: readonly { id: string; score: number }[]) => hits.slice(0, TOP_K).map(({ id, score }) => ({ id, score }));
    // Engine level: paperboy's own query evaluation with the same clauses.
    const clauses: Clause[] = [...new Set(analyze(query))].map((term) => ({ term, analyzed: true }));
    const engineHits = snapshot.index.query(clauses).map((s) => ({ id: s.ref, score: s.score })).sort((a, b) => b.score - a.score);
    addEngineComparison(report, sameTopK(engineHits.slice(0, TOP_K), reference, TOP_K), { query, paperboy: top(engineHits), lunr: top(reference) });
    // Search level: what the bot shows.
    const result = pb.services.search.search(query, { limit: TOP_K });
    const actual = result.hits.map((hit) => ({ id: hit.paper.id, score: hit.score }));
    const plan = planQuery(query, vocabulary);
    const expanded = plan.words.some((word) => (word.alternatives?.length ?? 0) > 0 || (word.weight ?? 1) !== 1);
    const verdict = verdictFor(actual, reference, { expanded, corrected: result.correctedQuery !== undefined });
    addVerdict(report, verdict, { query, paperboy: top(actual), lunr: top(reference) });
  }
  return report;
}
