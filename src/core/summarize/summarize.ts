/** Extractive thread summaries: TL;DR, contribution, results, key terms, links. Placeholder until implemented. */
import type { Paper } from '../papers/paper.ts';

export interface Summary {
  tldr: string;
  contribution?: string;
  results?: string;
  keyTerms: string[];
  /** Hugging Face's AI summary, when the source gave one (shown as theirs). */
  huggingFace?: string;
  links: { label: string; url: string }[];
}

export function summarize(paper: Paper): Summary {
  return { tldr: paper.abstract.slice(0, 200), keyTerms: [], links: [] };
}
