/** Turning papers into the neutral reply pieces commands share: cards, gists, author lines, summaries. */

import type { Buttons } from '../actions.ts';
import { arxivAbsUrl, doiReference, parseArxivId } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import type { Action, Block, PaperCard, Reply } from '../reply.ts';
import { splitSentences } from '../summarize/sentences.ts';
import type { Summary } from '../summarize/summarize.ts';

/** Where a paper can be read: its arXiv page, its DOI's resolver, or its own id when that is a web link. */
export function paperUrl(paper: Paper): string | undefined {
  if (paper.arxivId) return arxivAbsUrl(paper.arxivId);
  const doi = paper.doi ?? doiReference(paper.id);
  if (doi) return `https://doi.org/${doi}`;
  return /^https?:\/\/[^\s/]+\.\S+$/i.test(paper.id) ? paper.id : undefined;
}

/**
 * The id a card may show: an arXiv id or a DOI, which a reader can look up. Internal ids (the `t-…` hashes of papers
 * without one, an import's own record ids) mean nothing to a reader: they stay inside button values and the stash.
 */
export function readableId(paperId: string): string | undefined {
  if (parseArxivId(paperId) === paperId) return paperId;
  return doiReference(paperId) ? paperId : undefined;
}

/** "A. Author, B. Author, C. Author et al." */
export function shortAuthors(authors: string[], max = 3): string {
  if (!authors.length) return '';
  const shown = authors.slice(0, max).join(', ');
  return authors.length > max ? `${shown} et al.` : shown;
}

const CONTRIBUTION = /\b(we|this (?:paper|work))\s+(?:\w+\s+){0,2}?(propose|introduce|present|develop)s?\b/i;

/** A one-line gist: the sentence saying what the paper does, else its first sentence. */
export function gist(paper: Paper, max = 180): string {
  if (paper.aiSummary) return clipLine(paper.aiSummary, max);
  const sentences = splitSentences(paper.abstract);
  const sentence = sentences.find((s) => CONTRIBUTION.test(s)) ?? sentences[0] ?? '';
  return clipLine(sentence, max);
}

export function clipLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** The buttons a paper card shows by default. */
const CARD_BUTTONS: readonly string[] = ['summary', 'related', 'random-related', 'share', 'save'];

/** Buttons about one paper, by verb (see the commands' `buttons`). */
export function paperActions(paper: Paper, buttons: Buttons, verbs: readonly string[]): Action[] {
  return verbs.map((verb) => buttons.action({ verb, arg: paper.id }));
}

export function paperCard(
  paper: Paper,
  buttons: Buttons,
  options: { matched?: string[]; actions?: Action[]; gist?: boolean } = {},
): PaperCard {
  return {
    paperId: paper.id,
    // A paper may come with an abstract and no title (a scraped page, a bare BibTeX entry).
    title: paper.title || '(untitled)',
    url: paperUrl(paper),
    authors: shortAuthors(paper.authors),
    date: paper.published,
    gist: options.gist === false ? undefined : gist(paper) || undefined,
    matched: options.matched?.length ? options.matched : undefined,
    upvotes: paper.upvotes,
    actions: options.actions ?? paperActions(paper, buttons, CARD_BUTTONS),
  };
}

export function summaryBlocks(summary: Summary): Block[] {
  const blocks: Block[] = [{ kind: 'section', title: 'TL;DR', text: summary.tldr }];
  if (summary.generated) blocks.push({ kind: 'section', title: summary.generated.label, text: summary.generated.text });
  if (summary.contribution) blocks.push({ kind: 'section', title: 'What they did', text: summary.contribution });
  if (summary.results) blocks.push({ kind: 'section', title: 'Results', text: summary.results });
  if (summary.huggingFace)
    blocks.push({ kind: 'section', title: "Hugging Face's AI summary", text: summary.huggingFace });
  if (summary.keyTerms.length) blocks.push({ kind: 'section', title: 'Key terms', text: summary.keyTerms.join(' · ') });
  if (summary.links.length) blocks.push({ kind: 'links', links: summary.links });
  return blocks;
}

export function summaryFallback(paper: Paper, summary: Summary): string {
  return `Summary of "${clipLine(paper.title, 120)}": ${summary.tldr}`;
}

export function summaryReply(paper: Paper, summary: Summary): Reply {
  return { blocks: summaryBlocks(summary), visibility: 'public', fallback: summaryFallback(paper, summary) };
}
