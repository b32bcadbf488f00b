/** One consistent view of the searchable corpus: the Lunr index plus the per-paper facts filters need. */
import type { PaperIndex } from './lunrIndex.ts';
import type { AcronymTable } from './acronyms.ts';

export interface DocMeta {
  published?: string;
  categories: string[];
  titleNorm: string;
}

export interface CorpusSnapshot {
  index: PaperIndex;
  meta: Map<string, DocMeta>;
  /** Acronym ↔ long-form pairs learned from this corpus. */
  acronyms: AcronymTable;
  /** The store's change sequence number this snapshot reflects. */
  version: number;
}
