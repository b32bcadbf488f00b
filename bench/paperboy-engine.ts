/**
 * paperboy's real search and related-papers features as an eval engine: the same query planner, search index,
 * acronym table and related-terms code the bot runs, over the eval corpus with its own ids.
 */

import type { Paper } from '../src/core/papers/paper.ts';
import { learnAcronyms } from '../src/core/search/acronyms.ts';
import { PaperSearch, papersInMemory } from '../src/core/search/paper-search.ts';
import { type CorpusSnapshot, papersSnapshot } from '../src/core/search/snapshot.ts';
import type { EvalDoc, EvalEngine } from './engine.ts';

export interface BuiltPaperboy {
  search: PaperSearch;
  /** Mutable, so research runs can swap the index's scoring without re-indexing. */
  snapshot: CorpusSnapshot;
  papers: Map<string, Paper>;
}

/** The search service over an eval corpus, as the bot would run it. */
export function buildPaperboy(docs: readonly EvalDoc[]): BuiltPaperboy {
  const papers = new Map<string, Paper>(
    docs.map(({ id, title, abstract, authors }) => [
      id,
      { id, title, abstract, authors, categories: [], source: 'eval' },
    ]),
  );
  const snapshot = papersSnapshot([...papers.values()], learnAcronyms(papers.values()));
  const search = new PaperSearch({ snapshot: () => snapshot, papers: papersInMemory(papers) });
  return { search, snapshot, papers };
}

export function createPaperboyEngine(): EvalEngine {
  let built: BuiltPaperboy | undefined;
  return {
    name: 'paperboy',
    build(docs: EvalDoc[]) {
      built = buildPaperboy(docs);
    },
    async search(query, k) {
      return (await built!.search.search(query, { limit: k })).hits.map((h) => h.paper.id);
    },
    async related(docId, k) {
      return (await built!.search.related(docId, { limit: k })).hits.map((h) => h.paper.id);
    },
  };
}
