/**
 * paperboy's real search and related-papers features as an eval engine: the same query planner, search index,
 * acronym table and related-terms code the bot runs, over the eval corpus with its own ids.
 */

import type { Paper } from '../src/core/papers/paper.ts';
import { learnAcronyms } from '../src/core/search/acronyms.ts';
import { PaperSearch, papersInMemory } from '../src/core/search/paper-search.ts';
import { papersSnapshot } from '../src/core/search/snapshot.ts';
import type { EvalDoc, EvalEngine } from './engine.ts';

export function createPaperboyEngine(): EvalEngine {
  let search: PaperSearch | undefined;
  return {
    name: 'paperboy',
    build(docs: EvalDoc[]) {
      const papers = new Map<string, Paper>(
        docs.map(({ id, title, abstract, authors }) => [
          id,
          { id, title, abstract, authors, categories: [], source: 'eval' },
        ]),
      );
      const snapshot = papersSnapshot([...papers.values()], learnAcronyms(papers.values()));
      search = new PaperSearch({ snapshot: () => snapshot, papers: papersInMemory(papers) });
    },
    async search(query, k) {
      return (await search!.search(query, { limit: k })).hits.map((h) => h.paper.id);
    },
    async related(docId, k) {
      return (await search!.related(docId, { limit: k })).hits.map((h) => h.paper.id);
    },
  };
}
