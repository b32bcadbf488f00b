/**
 * Extractive thread summaries: offline, deterministic, never inventing text. Every sentence shown is a
 * sentence of the abstract (or Hugging Face's own AI summary, labelled as theirs).
 */

import { arxivAbsUrl, arxivPdfUrl, huggingFaceUrl } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import { splitSentences } from './sentences.ts';

export interface Summary {
  tldr: string;
  contribution?: string;
  results?: string;
  keyTerms: string[];
  /** Hugging Face's AI summary, when the source gave one (shown as theirs). */
  huggingFace?: string;
  links: { label: string; url: string }[];
}

/** About 700 characters of text in all: fit for a chat thread. */
export const SUMMARY_BUDGET = 700;

// A sentence stating the contribution: "we", "this paper" or "our work", up to six words, then one of these verbs.
const CONTRIBUTION_SUBJECT = /\b(we|this (?:paper|work|study)|our (?:work|paper))\s+(?:[\w-]+,?\s+){0,6}?/;
const CONTRIBUTION_VERBS = (
  'propos introduc present develop design build describ stud investigat explor address releas construct ' +
  'formulat offer provid revis rethink tackl curat creat'
).split(' ');
const VERB_ENDING = /(?:e|es|ed|ing|y|ies|ied|s)?\b/;
const CONTRIBUTION = new RegExp(
  `${CONTRIBUTION_SUBJECT.source}(${CONTRIBUTION_VERBS.join('|')})${VERB_ENDING.source}`,
  'i',
);
/** Weaker cue when no sentence states the contribution with a verb we know. */
const CONTRIBUTION_OPENING = /^(in this (?:paper|work|study)|here,? we|we )/i;
// A result: a number with %, x or ×, or a word of improvement.
const RESULT_NUMBER = /\d+(?:\.\d+)?\s?(?:%|x\b|×)/;
const RESULT_WORDS = [
  /\boutperform|\bachiev|\bimprov|\bsurpass|\bstate[- ]of[- ]the[- ]art\b|\bSOTA\b/,
  /\bbeat|\bgains?\b|\breduc|\bspeed ?up|\bfaster\b|\bconsistently\b/,
];
const RESULT = new RegExp(`(${[RESULT_NUMBER, ...RESULT_WORDS].map((part) => part.source).join('|')})`, 'i');
const RESULT_CUES = /\b(experiments?|results?|show|demonstrat|evaluat|empirical)/i;

export function summarize(paper: Paper): Summary {
  const sentences = splitSentences(paper.abstract);
  let contributionIndex = sentences.findIndex((s) => CONTRIBUTION.test(s));
  if (contributionIndex < 0) contributionIndex = sentences.findIndex((s) => CONTRIBUTION_OPENING.test(s));
  const resultIndex = findResult(sentences, contributionIndex);
  // The TL;DR is the opening sentence (the problem); when that is already the contribution, it stands alone.
  const tldrIndex = sentences.length ? 0 : -1;
  const used = new Set<number>();
  let budget = SUMMARY_BUDGET;
  const take = (index: number, max: number): string | undefined => {
    if (index < 0 || used.has(index) || budget < 60) return undefined;
    used.add(index);
    const text = clip(sentences[index]!, Math.min(max, budget));
    budget -= text.length;
    return text;
  };
  const tldr = take(tldrIndex, 260) ?? clip(paper.title, 200);
  const contribution = take(contributionIndex, 260);
  const results = take(resultIndex, 240);
  const links: Summary['links'] = [];
  if (paper.arxivId) {
    links.push({ label: 'arXiv', url: arxivAbsUrl(paper.arxivId) });
    links.push({ label: 'PDF', url: arxivPdfUrl(paper.arxivId) });
    links.push({ label: 'Hugging Face', url: huggingFaceUrl(paper.arxivId) });
  }
  if (paper.githubRepo) links.push({ label: 'Code', url: paper.githubRepo });
  return {
    tldr,
    contribution,
    results,
    keyTerms: keyTerms(paper),
    huggingFace: paper.aiSummary ? clip(paper.aiSummary, 300) : undefined,
    links,
  };
}

function findResult(sentences: string[], contributionIndex: number): number {
  let best = -1;
  let bestScore = 0;
  sentences.forEach((sentence, index) => {
    if (index === contributionIndex || index === 0) return;
    let score = 0;
    if (RESULT.test(sentence)) score += 2;
    if (RESULT_CUES.test(sentence)) score += 1;
    // Results come late in abstracts.
    score += index / sentences.length;
    if (score > bestScore && score >= 2) {
      best = index;
      bestScore = score;
    }
  });
  return best;
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

const STOP = new Set(
  (
    'a an and are as at be been by can for from has have in into is it its of on or our such that the ' +
    'their these this to we which with while via using based new novel large model models method methods ' +
    'approach paper work results task tasks data show also both however across than more most two three one'
  ).split(' '),
);

/** Key terms: acronyms the abstract defines and the most repeated content words, in order of weight. */
export function keyTerms(paper: Paper, max = 5): string[] {
  if (paper.keywords?.length) return paper.keywords.slice(0, max);
  const text = `${paper.title}. ${paper.abstract}`;
  const terms = new Map<string, number>();
  for (const match of text.matchAll(/\b([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9-]*)\b/g)) {
    const acronym = match[1]!;
    if (acronym.length >= 2 && acronym.length <= 12) terms.set(acronym, (terms.get(acronym) ?? 0) + 3);
  }
  const lowerTitle = paper.title.toLowerCase();
  for (const word of text.toLowerCase().match(/[a-z][a-z-]{3,}/g) ?? []) {
    if (STOP.has(word)) continue;
    terms.set(word, (terms.get(word) ?? 0) + (lowerTitle.includes(word) ? 2 : 1));
  }
  return [...terms.entries()]
    .filter(([, weight]) => weight >= 3)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([term]) => term)
    .filter((term, index, all) => !all.slice(0, index).some((t) => t.toLowerCase() === term.toLowerCase()))
    .slice(0, max);
}
