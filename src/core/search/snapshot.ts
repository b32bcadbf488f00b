/** One consistent view of the searchable corpus: the index plus the per-paper facts filters need. */

import type { AcronymTable } from './acronyms.ts';
import type { PaperIndex } from './lunr-index.ts';

export interface DocMeta {
  published?: string;
  categories: string[];
  titleNorm: string;
  /** The title's one-word name before its colon, as written (`LISA`), if any. */
  titleName?: string;
}

/** Per-paper facts by id: a Map, or the index's own stored facts (no second copy of the corpus in memory). */
export interface MetaLookup {
  get(ref: string): DocMeta | undefined;
  keys(): IterableIterator<string>;
  readonly size: number;
}

export interface CorpusSnapshot {
  index: PaperIndex;
  meta: MetaLookup;
  /** Acronym ↔ long-form pairs learned from this corpus. */
  acronyms: AcronymTable;
  /** The store's change sequence number this snapshot reflects. */
  version: number;
}

/** The facts the index stored for each paper, looked up by id. */
export function indexMeta(index: PaperIndex): MetaLookup {
  const compact = index.compact;
  return {
    size: compact.size,
    get(ref) {
      const doc = compact.ordinal(ref);
      return doc === undefined ? undefined : compact.meta(doc);
    },
    *keys() {
      for (let doc = 0; doc < compact.size; doc++) yield compact.ref(doc);
    },
  };
}
