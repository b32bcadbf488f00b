/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 as the shared README defines them for SciTLDR: words lower-cased, split on
 * non-alphanumerics, Porter-stemmed with lunr.stemmer; a candidate scores the maximum over its references.
 */
import lunr from 'lunr';

export interface Rouge {
  r1: number;
  r2: number;
  rL: number;
}

const stemmer = new lunr.Pipeline();
stemmer.add(lunr.stemmer);
const stems = new Map<string, string>();

/** The words ROUGE compares: lower case, runs of letters and digits, each Porter-stemmed. */
export function rougeTokens(text: string): string[] {
  const words = text.toLowerCase().split(/[^a-z0-9]+/);
  const out: string[] = [];
  for (const word of words) {
    if (!word) continue;
    let stem = stems.get(word);
    if (stem === undefined) {
      stem = stemmer.runString(word)[0] ?? word;
      stems.set(word, stem);
    }
    out.push(stem);
  }
  return out;
}

function f1(overlap: number, candidate: number, reference: number): number {
  if (!overlap || !candidate || !reference) return 0;
  const precision = overlap / candidate;
  const recall = overlap / reference;
  return (2 * precision * recall) / (precision + recall);
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N F1: n-grams shared (each counted at most as often as in the other text). */
export function rougeN(candidate: readonly string[], reference: readonly string[], n: number): number {
  const ours = ngramCounts(candidate, n);
  const theirs = ngramCounts(reference, n);
  let overlap = 0;
  for (const [gram, count] of ours) overlap += Math.min(count, theirs.get(gram) ?? 0);
  return f1(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Length of the longest common subsequence of two word lists. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/** ROUGE-L F1: the longest common subsequence over each text's length. */
export function rougeL(candidate: readonly string[], reference: readonly string[]): number {
  return f1(lcsLength(candidate, reference), candidate.length, reference.length);
}

/** Each measure's best over the references (in 0..1), as SciTLDR scores a TL;DR against several. */
export function rougeMax(candidate: string, references: readonly string[]): Rouge {
  const tokens = rougeTokens(candidate);
  const best: Rouge = { r1: 0, r2: 0, rL: 0 };
  for (const reference of references) {
    const theirs = rougeTokens(reference);
    best.r1 = Math.max(best.r1, rougeN(tokens, theirs, 1));
    best.r2 = Math.max(best.r2, rougeN(tokens, theirs, 2));
    best.rL = Math.max(best.rL, rougeL(tokens, theirs));
  }
  return best;
}

/** The mean of each measure, in percent. */
export function meanRouge(scores: readonly Rouge[]): Rouge {
  const sum = { r1: 0, r2: 0, rL: 0 };
  for (const s of scores) {
    sum.r1 += s.r1;
    sum.r2 += s.r2;
    sum.rL += s.rL;
  }
  const n = Math.max(1, scores.length);
  return { r1: (100 * sum.r1) / n, r2: (100 * sum.r2) / n, rL: (100 * sum.rL) / n };
}
