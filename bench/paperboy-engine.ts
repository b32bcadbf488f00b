/**
 * paperboy's real search and related-papers features as an eval engine: the same query planner, search index,
 * acronym table and related-terms code the bot runs, over the eval corpus with its own ids. The corpus goes in
 * through the real import path (`Importer` into a SQLite store in memory, as `paperboy import` stores a file), so
 * the eval measures what a user who imports the collection gets: a record merged into another, or skipped, is
 * measured so (issue 25), and `imported` says how many.
 */

import { Importer } from '../src/core/importing/importer.ts';
import type { Paper } from '../src/core/papers/paper.ts';
import { learnAcronyms } from '../src/core/search/acronyms.ts';
import { PaperSearch, papersInMemory } from '../src/core/search/paper-search.ts';
import { type CorpusSnapshot, papersSnapshot } from '../src/core/search/snapshot.ts';
import { SqliteStore } from '../src/core/store/sqlite/store.ts';
import type { EvalDoc, EvalEngine } from './engine.ts';

export interface BuiltPaperboy {
  search: PaperSearch;
  /** Mutable, so research runs can swap the index's scoring without re-indexing. */
  snapshot: CorpusSnapshot;
  papers: Map<string, Paper>;
}

/** What importing an eval corpus did: records read, papers stored, records merged into another, records skipped. */
export interface ImportedCorpus {
  papers: Paper[];
  records: number;
  merged: number;
  skipped: number;
}

/** The eval corpus as `paperboy import` stores it (the merge rule of src/core/papers/duplicates.ts included). */
export async function importCorpus(docs: readonly EvalDoc[]): Promise<ImportedCorpus> {
  const store = SqliteStore.open(':memory:');
  try {
    const summary = await new Importer(store).importInputs(
      docs.map(({ id, title, abstract, authors }) => ({ id, title, abstract, authors })),
      'eval',
    );
    const papers = await store.papers.readCorpus(undefined, async (corpus) => {
      const all: Paper[] = [];
      for await (const page of corpus.pages) all.push(...page);
      return all;
    });
    return { papers, records: docs.length, merged: summary.merged, skipped: summary.skipped };
  } finally {
    await store.close();
  }
}

/** The search service over papers as the bot would run it. */
export function buildPaperboyFromPapers(list: readonly Paper[]): BuiltPaperboy {
  const papers = new Map<string, Paper>(list.map((paper) => [paper.id, paper]));
  const snapshot = papersSnapshot([...papers.values()], learnAcronyms(papers.values()));
  const search = new PaperSearch({ snapshot: () => snapshot, papers: papersInMemory(papers) });
  return { search, snapshot, papers };
}

/** The search service over eval documents taken as they are (no import path: research on the index alone). */
export function buildPaperboy(docs: readonly EvalDoc[]): BuiltPaperboy {
  return buildPaperboyFromPapers(
    docs.map(({ id, title, abstract, authors }) => ({ id, title, abstract, authors, categories: [], source: 'eval' })),
  );
}

/** The search service over an eval corpus imported as `paperboy import` would. */
export async function importPaperboy(docs: readonly EvalDoc[]): Promise<BuiltPaperboy & { imported: ImportedCorpus }> {
  const imported = await importCorpus(docs);
  return { ...buildPaperboyFromPapers(imported.papers), imported };
}

export function createPaperboyEngine(): EvalEngine {
  let built: BuiltPaperboy | undefined;
  let note: string | undefined;
  return {
    name: 'paperboy',
    async build(docs: EvalDoc[]) {
      const result = await importPaperboy(docs);
      built = result;
      const { records, papers, merged, skipped } = result.imported;
      note = `imported ${records} records as ${papers.length} papers (${merged} merged, ${skipped} skipped)`;
    },
    get buildNote() {
      return note;
    },
    async search(query, k) {
      return (await built!.search.search(query, { limit: k })).hits.map((h) => h.paper.id);
    },
    async related(docId, k) {
      return (await built!.search.related(docId, { limit: k })).hits.map((h) => h.paper.id);
    },
  };
}
