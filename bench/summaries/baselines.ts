/**
 * The TL;DRs paperboy's summary is measured against: the abstract's first sentence (lead), the best single
 * sentence for the references (oracle, an upper bound for one extracted sentence), and what paperboy showed
 * before issue 14 (its TL;DR was the first sentence; its "What they did" the first sentence with a contribution
 * cue), kept here verbatim so the comparison stays honest.
 */
import { splitSentences } from '../../src/core/summarize/sentences.ts';
import { type Rouge, rougeMax } from './rouge.ts';
import type { TldrPaper } from './scitldr.ts';

export function leadSentence(paper: TldrPaper): string {
  return paper.sentences[0]!;
}

const total = (r: Rouge) => r.r1 + r.r2 + r.rL;

/** The abstract sentence with the best ROUGE-1 + ROUGE-2 + ROUGE-L against the paper's references. */
export function oracleSentence(paper: TldrPaper): string {
  let best = paper.sentences[0]!;
  let bestScore = -1;
  for (const sentence of paper.sentences) {
    const score = total(rougeMax(sentence, paper.targets));
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}

// paperboy's contribution cue before issue 14.
const OLD_CONTRIBUTION =
  /\b(we|this (?:paper|work|study)|our (?:work|paper))\s+(?:[\w-]+,?\s+){0,6}?(propos|introduc|present|develop|design|build|describ|stud|investigat|explor|address|releas|construct|formulat|offer|provid|revis|rethink|tackl|curat|creat)(?:e|es|ed|ing|y|ies|ied|s)?\b/i;
const OLD_OPENING = /^(in this (?:paper|work|study)|here,? we|we )/i;

/** paperboy's TL;DR before issue 14: the first sentence as paperboy splits the abstract. */
export function oldTldr(paper: TldrPaper): string {
  return splitSentences(paper.sentences.join(' '))[0]!;
}

/** paperboy's "What they did" before issue 14 (the first sentence when none had a cue). */
export function oldWhatTheyDid(paper: TldrPaper): string {
  const sentences = splitSentences(paper.sentences.join(' '));
  const cued = sentences.find((s) => OLD_CONTRIBUTION.test(s)) ?? sentences.find((s) => OLD_OPENING.test(s));
  return cued ?? sentences[0]!;
}
