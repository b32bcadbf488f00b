/**
 * Runs the fidelity check inside the paperboy engine process, on the live Paperboy and its snapshot.
 * Engine level: paperboy's search index evaluation against `lunr.Index#query` on a real Lunr index of the same
 * documents (the first FIDELITY_DOCS papers of the store: a Lunr index of the whole corpus would need ~10 GB),
 * for every bench query (bench/support/lunr-reference.ts, as test/core/search/compact-fidelity.test.ts).
 * Search level: the bot's top 10 against the all-OPTIONAL Lunr ranking of the full corpus, computed by the
 * search index evaluation the engine level just proved identical to Lunr's.
 */

import { toIndexDoc } from '../../src/core/search/paper-segment.ts';
import { planQuery, vocabularyOf } from '../../src/core/search/query-plan.ts';
import { analyze, type Clause } from '../../src/core/search/search-index.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { compareWithLunr } from '../support/lunr-reference.ts';
import {
  addEngineComparison,
  addVerdict,
  emptyFidelity,
  type FidelityReport,
  type LunrHit,
  TOP_K,
  verdictFor,
} from './fidelity.ts';

/** How many papers the engine-level comparison indexes twice (compact and Lunr). */
export const FIDELITY_DOCS = 3000;

export async function paperboyFidelity(pb: Paperboy, queries: readonly string[]): Promise<FidelityReport> {
  const report = emptyFidelity();
  const docs: ReturnType<typeof toIndexDoc>[] = [];
  await pb.papers.readCorpus(undefined, async ({ pages }) => {
    for await (const page of pages) {
      for (const paper of page) {
        docs.push(toIndexDoc(paper));
        if (docs.length >= FIDELITY_DOCS) return;
      }
    }
  });
  for (const q of compareWithLunr(docs, queries, TOP_K).queries)
    addEngineComparison(report, q.identical, { query: q.query, paperboy: q.compact, lunr: q.lunr });

  const snapshot = pb.index.snapshot;
  const vocabulary = vocabularyOf(snapshot.index, (text) => snapshot.acronyms.expand(text));
  for (const query of queries) {
    const tokens = [...new Set(analyze(query))];
    const clauses: Clause[] = tokens.map((term) => ({ term, analyzed: true }));
    const evaluated = snapshot.index.evaluate(clauses);
    const reference: LunrHit[] = [];
    for (let i = 0; i < evaluated.count; i++) {
      reference.push({
        id: evaluated.ref(i),
        score: evaluated.scores[i]!,
        allWords: tokens.every((t) => evaluated.hasKey(i, t)),
      });
    }
    reference.sort((a, b) => b.score - a.score);
    const top = (hits: readonly { id: string; score: number }[]) =>
      hits.slice(0, TOP_K).map(({ id, score }) => ({ id, score }));
    const result = await pb.services.search.search(query, { limit: TOP_K });
    const actual = result.hits.map((hit) => ({ id: hit.paper.id, score: hit.score }));
    const plan = planQuery(query, vocabulary);
    const expanded = plan.words.some((word) => (word.alternatives?.length ?? 0) > 0 || (word.weight ?? 1) !== 1);
    const verdict = verdictFor(actual, reference, { expanded, corrected: result.correctedQuery !== undefined });
    addVerdict(report, verdict, { query, paperboy: top(actual), lunr: top(reference) });
  }
  return report;
}
