/**
 * How the index reads papers: each paper as an index document, and a full build's work wherever it runs (the build
 * worker, or the main thread for in-memory databases): papers → one compact segment plus the acronyms they define,
 * in the form the index file keeps. Papers are read once, a page at a time, so a worker never holds the corpus's text.
 */
import { normalizeTitle } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import type { AcronymLearner } from './acronym-learner.ts';
import type { AcronymViewJSON } from './acronyms.ts';
import { type IndexDoc, SegmentBuilder } from './compact/segment.ts';
import { nameMeta, titleMatchKey } from './title-name.ts';

/** What the index reads of a paper. */
export type IndexablePaper = Pick<Paper, 'id' | 'title' | 'abstract' | 'authors' | 'categories' | 'published'>;

/** A paper as the index reads it: its fields (authors joined) and the facts filters need. */
export function toIndexDoc(paper: IndexablePaper): IndexDoc {
  const titleNorm = normalizeTitle(paper.title);
  const name = nameMeta(paper.title);
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors.join(', '),
    meta: {
      ...(paper.published ? { published: paper.published } : {}),
      categories: paper.categories,
      titleNorm,
      ...name,
    },
    titleKeys: { title: titleNorm, ...(name.titleName ? { name: titleMatchKey(name.titleName) } : {}) },
  };
}

export interface PaperSegment {
  segment: Uint8Array;
  /** The papers' ids in segment order. */
  refs: string[];
  /** The acronym table learned from the papers (a full build), or null (an append keeps the table it has). */
  acronyms: AcronymViewJSON | null;
}

/**
 * Pages of papers (as the store reads them: `PaperStore.readCorpus`) → one segment, and, given a learner, the acronym
 * table they define.
 */
export async function buildPaperSegmentFrom(
  pages: AsyncIterable<readonly IndexablePaper[]>,
  acronyms?: AcronymLearner,
): Promise<PaperSegment> {
  const refs: string[] = [];
  const builder = new SegmentBuilder();
  for await (const page of pages) {
    acronyms?.add(page);
    for (const paper of page) {
      refs.push(paper.id);
      builder.add(toIndexDoc(paper));
    }
  }
  const segment = builder.finish();
  return { segment, refs, acronyms: acronyms ? await acronyms.finish() : null };
}
