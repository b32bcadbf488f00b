/** One consistent view of the searchable corpus: the index plus the per-paper facts filters need. */

import { AcronymTable } from './acronyms.ts';
import { type IndexablePaper, toIndexDoc } from './paper-segment.ts';
import { buildSearchIndex, type DocMeta, type SearchIndex } from './search-index.ts';

/** Per-paper facts by id, read from the index's own stored facts (no second copy of the corpus in memory). */
export interface MetaLookup {
  get(ref: string): DocMeta | undefined;
  keys(): IterableIterator<string>;
  readonly size: number;
}

export interface CorpusSnapshot {
  index: SearchIndex;
  meta: MetaLookup;
  /** Acronym ↔ long-form pairs learned from this corpus. */
  acronyms: AcronymTable;
  /** The store's change sequence number this snapshot reflects. */
  version: number;
}

/** The snapshot of an index, the acronyms learned with it and the store version it reflects. */
export function corpusSnapshot(index: SearchIndex, acronyms: AcronymTable, version: number): CorpusSnapshot {
  return {
    index,
    meta: { size: index.size, get: (ref) => index.metaOf(ref), keys: () => index.refs() },
    acronyms,
    version,
  };
}

/**
 * A snapshot of just these papers, indexed in memory: a batch of new papers for the alert matcher, or an eval
 * corpus. It knows the acronyms given (none by default: a batch is too small to teach any).
 */
export function papersSnapshot(papers: readonly IndexablePaper[], acronyms = new AcronymTable()): CorpusSnapshot {
  return corpusSnapshot(buildSearchIndex(papers.map(toIndexDoc)), acronyms, 0);
}
