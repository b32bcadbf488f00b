/** The paper record every layer shares: what a source delivers, the store keeps and the index searches. */

export interface Paper {
  /**
   * The paper's id: the record's own id (kept verbatim, trimmed; DOIs lower-cased; arXiv references as the arXiv
   * id without version), else its arXiv id, else `t-<hash of normalized title>` (see ids.ts `recordId`).
   */
  id: string;
  /** The arXiv id without version, when known. */
  arxivId?: string;
  /** The DOI (bare, lower-cased), when known: the record's own id when that is one, or a `doi` field. */
  doi?: string;
  /** Empty only for a record that has an abstract (a record with neither is not a paper). */
  title: string;
  abstract: string;
  authors: string[];
  /** The day the paper appeared (arXiv listing or publication), `YYYY-MM-DD`. */
  published?: string;
  /** Last revision date `YYYY-MM-DD`, when a source gives one. */
  updated?: string;
  categories: string[];
  /** Where the record came from: `seed`, `jsonl`, `huggingface`, `arxiv-rss`, `arxiv-api`, `inbox`... */
  source: string;
  /** Extra source fields kept when present (Hugging Face upvotes, AI summary, keywords, code link). */
  upvotes?: number;
  aiSummary?: string;
  keywords?: string[];
  githubRepo?: string;
}

/** A paper as it arrives from a source, before its id is checked (a number is a record's own id too). */
export type PaperInput = Omit<Paper, 'id' | 'categories' | 'source' | 'authors' | 'abstract' | 'doi'> & {
  /** A DOI in any written form (`doi:…`, a doi.org link); kept when it is one. */
  doi?: unknown;
  /** The record's own id as it came (a string, a number, or anything): normalizePaper keeps it or says why not. */
  id?: unknown;
  abstract?: string;
  authors?: string[];
  categories?: string[];
  source?: string;
};
