/** Learns the corpus's acronym ↔ long-form pairs (recomputed with every index build, so it grows with the corpus). */
import { AcronymTable } from './acronyms.ts';
import type { IndexDoc } from './lunr-index.ts';

export function learnAcronyms(docs: Iterable<IndexDoc>): AcronymTable {
  const table = new AcronymTable();
  for (const doc of docs) table.addDocument(`${doc.title}. ${doc.abstract}`);
  return table;
}
