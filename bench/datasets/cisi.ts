/**
 * CISI (issue 13): 76 judged, mostly long questions over 1,460 titled information-science abstracts, binary
 * relevance scored like CACM. A third collection worded differently from the two the ranking was tuned on.
 */
import { defaultSharedDir, loadBinarySearchSet, type SearchDataset } from '../datasets.ts';

export function loadCisi(sharedDir = defaultSharedDir): SearchDataset {
  return loadBinarySearchSet(sharedDir, 'cisi', 'CISI');
}
