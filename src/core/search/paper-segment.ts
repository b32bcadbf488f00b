/**
 * How the index reads papers: each paper as an index document, and a full build's work wherever it runs (the build
 * worker, or the main thread for in-memory databases): papers → one compact segment plus the acronyms they define,
 * in the form the index file keeps. Papers are read once, as a stream, so a worker never holds the corpus's text.
 */
import { normalizeTitle } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import { keptAcronymsJSON } from './acronym-snapshot.ts';
import { AcronymTable, type AcronymTableJSON } from './acronyms.ts';
import { buildSegment, type IndexDoc } from './compact/segment.ts';

/** What the index reads of a paper. */
export type IndexablePaper = Pick<Paper, 'id' | 'title' | 'abstract' | 'authors' | 'categories' | 'published'>;

/** A paper as the index reads it: its fields (authors joined) and the facts filters need. */
export function toIndexDoc(paper: IndexablePaper): IndexDoc {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors.join(', '),
    meta: {
      ...(paper.published ? { published: paper.published } : {}),
      categories: paper.categories,
      titleNorm: normalizeTitle(paper.title),
    },
  };
}

export interface PaperSegment {
  segment: Uint8Array;
  /** The papers' ids in segment order. */
  refs: string[];
  acronyms: AcronymTableJSON;
}

export function buildPaperSegment(papers: Iterable<IndexablePaper>): PaperSegment {
  const refs: string[] = [];
  const acronyms = new AcronymTable();
  function* docs() {
    for (const paper of papers) {
      refs.push(paper.id);
      acronyms.addPaper(paper);
      yield toIndexDoc(paper);
    }
  }
  const segment = buildSegment(docs());
  return { segment, refs, acronyms: keptAcronymsJSON(acronyms) };
}
