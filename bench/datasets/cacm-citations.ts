/**
 * A second related-papers set, for checking related-paper knobs off CSFCube (leave-one-collection-out): CACM
 * articles that have an abstract and at least MIN_LINKS citation links (cites or cited by, as the collection
 * records them) to other articles; the linked articles are the related ones (gain 1). Citation is a noisy
 * stand-in for "related", so this set is a diagnostic, not a target.
 */
import path from 'node:path';
import { defaultSharedDir, type Gains, type RelatedDataset, readJsonl, record } from '../datasets.ts';

export const MIN_LINKS = 3;

export function loadCacmCitations(sharedDir = defaultSharedDir): RelatedDataset {
  const file = path.join(sharedDir, 'eval', 'cacm', 'corpus.jsonl');
  const rows = readJsonl(file).map((line, i) => record(line, `${file}:${i + 1}`));
  const docs = rows.map((row) => ({
    id: String(row.id),
    title: typeof row.title === 'string' ? row.title : '',
    abstract: typeof row.abstract === 'string' ? row.abstract : '',
    authors: Array.isArray(row.authors) ? row.authors.filter((a): a is string => typeof a === 'string') : [],
  }));
  const ids = new Set(docs.map((d) => d.id));
  const queries = rows.flatMap((row, i) => {
    const id = docs[i]!.id;
    if (!docs[i]!.abstract) return [];
    const links = Array.isArray(row.citation_links) ? row.citation_links.map(String) : [];
    const related = [...new Set(links)].filter((link) => link !== id && ids.has(link));
    if (related.length < MIN_LINKS) return [];
    const gains: Gains = new Map(related.map((link) => [link, 1]));
    return [{ id, queryPaperId: id, facet: 'citations', gains }];
  });
  return { name: 'CACM citations', docs, queries };
}
