/** The paper record every layer shares: what a source delivers, the store keeps and the index searches. */

export interface Paper {
  /** Canonical id: the arXiv id without version when known, else `t-<hash of normalized title>`. */
  id: string;
  /** The arXiv id without version, when known. */
  arxivId?: string;
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

/** A paper as it arrives from a source, before it gets its canonical id. */
export type PaperInput = Omit<Paper, 'id' | 'categories' | 'source' | 'authors' | 'abstract'> & {
  id?: string;
  abstract?: string;
  authors?: string[];
  categories?: string[];
  source?: string;
};
