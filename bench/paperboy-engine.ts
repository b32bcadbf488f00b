/**
 * paperboy's real search and related-papers features as an eval engine: the same query planner, Lunr
 * index, acronym table and related-terms code the bot runs, over the eval corpus with its own ids.
 */

import { normalizeTitle } from '../src/core/papers/ids.ts';
import type { Paper } from '../src/core/papers/paper.ts';
import { learnAcronyms } from '../src/core/search/corpus-acronyms.ts';
import { buildLunrIndex, type IndexDoc, PaperIndex } from '../src/core/search/lunr-index.ts';
import { PaperSearch } from '../src/core/search/paper-search.ts';
import type { CorpusSnapshot } from '../src/core/search/snapshot.ts';
import { nameMeta } from '../src/core/search/title-name.ts';
import type { EvalDoc, EvalEngine } from './engine.ts';

export interface BuiltPaperboy {
  search: PaperSearch;
  /** Mutable, so research runs can swap the index's scoring without re-indexing. */
  snapshot: CorpusSnapshot;
  papers: Map<string, Paper>;
}

/** The search service over an eval corpus, as the bot would run it. */
export function buildPaperboy(docs: readonly EvalDoc[]): BuiltPaperboy {
  const papers = new Map<string, Paper>();
  const indexDocs: IndexDoc[] = [];
  for (const doc of docs) {
    papers.set(doc.id, {
      id: doc.id,
      title: doc.title,
      abstract: doc.abstract,
      authors: doc.authors,
      categories: [],
      source: 'eval',
    });
    indexDocs.push({ id: doc.id, title: doc.title, abstract: doc.abstract, authors: doc.authors.join(', ') });
  }
  const snapshot: CorpusSnapshot = {
    index: new PaperIndex(buildLunrIndex(indexDocs)),
    meta: new Map(
      docs.map((d) => [d.id, { categories: [], titleNorm: normalizeTitle(d.title), ...nameMeta(d.title) }]),
    ),
    acronyms: learnAcronyms(indexDocs),
    version: 1,
  };
  const search = new PaperSearch({ snapshot: () => snapshot, papers: { get: (id) => papers.get(id) } });
  return { search, snapshot, papers };
}

export function createPaperboyEngine(): EvalEngine {
  let built: BuiltPaperboy | undefined;
  return {
    name: 'paperboy',
    build(docs: EvalDoc[]) {
      built = buildPaperboy(docs);
    },
    search(query, k) {
      return built!.search.search(query, { limit: k }).hits.map((h) => h.paper.id);
    },
    related(docId, k) {
      return built!.search.related(docId, { limit: k }).hits.map((h) => h.paper.id);
    },
  };
}
