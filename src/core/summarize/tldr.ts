/**
 * The TL;DR: the abstract's sentence that best states the contribution, trimmed. Each sentence is scored by its
 * contribution cue, its similarity to the title and to the rest of the abstract (centrality), and its position;
 * the winner loses its lead-in ("In this paper, we …" → "We …"). docs/summaries.md says what each rule is worth on
 * SciTLDR and how the weights were chosen.
 */
import { contributionCue } from './cues.ts';
import { contentStems, type TermCounts, termCounts } from './words.ts';

/** The rules and their weights; `TLDR_RULES` holds the defaults, the eval switches each off to measure it. */
export interface TldrRules {
  /** Weight of the contribution cue (1 for "we propose …", 0.5 for "we show that …" or "In this paper, …"). */
  cue: number;
  /** Weight of the share of the title's words the sentence has (coverage of the title). */
  title: number;
  /** Weight of the share of the sentence's words that are the title's (how much of it is on the topic). */
  titleDensity: number;
  /** Weight of the cosine similarity to the rest of the abstract. */
  centrality: number;
  /** Weight of the sentence's relative position (0 first … 1 last); negative favours early sentences. */
  position: number;
  /** Bonus of the first sentence that speaks of the paper's own work, where abstracts turn from background. */
  firstOwn: number;
  /** Drop a lead-in before "we" ("In this paper, we propose" → "We propose"). */
  trimLeadIn: boolean;
}

export const TLDR_RULES: Readonly<TldrRules> = {
  cue: 0.5,
  title: 0.5,
  titleDensity: 0.25,
  centrality: 1,
  position: -0.25,
  firstOwn: 0.1,
  trimLeadIn: true,
};

/** What the rules weigh, per sentence: computed once, scored under any weights. */
export interface SentenceFeatures {
  /** contributionCue(): 1 for "we propose …", 0.5 for "we show that …" or "In this paper, …", else 0. */
  cue: number;
  /** The share of the title's distinct content words the sentence has (0..1). */
  title: number;
  /** The share of the sentence's content words found in the title (0..1). */
  titleDensity: number;
  /** Cosine similarity of the sentence's content words to those of the rest of the abstract (0..1). */
  centrality: number;
  /** 0 for the first sentence … 1 for the last. */
  position: number;
  /** The first sentence with a contribution cue. */
  firstOwn: boolean;
}

export function sentenceFeatures(sentences: readonly string[], title: string): SentenceFeatures[] {
  const stems = sentences.map(contentStems);
  const bags = stems.map(termCounts);
  const whole = termCounts(stems.flat());
  let wholeNorm2 = 0;
  for (const count of whole.values()) wholeNorm2 += count * count;
  const titleTerms = new Set(contentStems(title));
  const cues = sentences.map(contributionCue);
  const firstOwn = cues.findIndex((cue) => cue > 0);
  return bags.map((own, index) => {
    let shared = 0;
    for (const term of titleTerms) if (own.has(term)) shared++;
    const words = stems[index]!;
    return {
      cue: cues[index]!,
      title: titleTerms.size ? shared / titleTerms.size : 0,
      titleDensity: words.length ? words.filter((term) => titleTerms.has(term)).length / words.length : 0,
      centrality: cosineToRest(own, whole, wholeNorm2),
      position: sentences.length > 1 ? index / (sentences.length - 1) : 0,
      firstOwn: index === firstOwn,
    };
  });
}

/**
 * Cosine of a sentence's bag to the abstract's bag with the sentence taken out, computed from the whole bag and its
 * squared norm without copying it (this runs once per sentence).
 */
function cosineToRest(own: TermCounts, whole: TermCounts, wholeNorm2: number): number {
  let dot = 0;
  let ownNorm2 = 0;
  let restNorm2 = wholeNorm2;
  for (const [term, count] of own) {
    const total = whole.get(term)!;
    const rest = total - count;
    dot += count * rest;
    ownNorm2 += count * count;
    restNorm2 += rest * rest - total * total;
  }
  return dot > 0 && restNorm2 > 0 ? dot / Math.sqrt(ownNorm2 * restNorm2) : 0;
}

export function tldrScore(features: SentenceFeatures, rules: TldrRules = TLDR_RULES): number {
  return (
    rules.cue * features.cue +
    rules.title * features.title +
    rules.titleDensity * features.titleDensity +
    rules.centrality * features.centrality +
    rules.position * features.position +
    (features.firstOwn ? rules.firstOwn : 0)
  );
}

/** The index of the best sentence (the first on ties); -1 when there is none. */
export function bestSentence(scores: readonly number[], exclude: ReadonlySet<number> = new Set()): number {
  let best = -1;
  scores.forEach((score, index) => {
    if (!exclude.has(index) && (best < 0 || score > scores[best]!)) best = index;
  });
  return best;
}

// "In this paper, we …", "To address this, we …", "Here we …": a lead-in of at most half the sentence before "we".
const LEAD_IN = /^(?:(?:in this (?:paper|work|study|article)|here(?:in)?),?\s+|[^;:]*?,\s+)(?=we\s)/i;
// "In this paper, a new method is proposed": the opener alone goes.
const OPENER = /^(?:in this (?:paper|work|study|article)|here(?:in)?),\s+/i;

/** A sentence trimmed by the rules; every word is still the sentence's own, in order. */
export function trimSentence(sentence: string, rules: Pick<TldrRules, 'trimLeadIn'>): string {
  let text = sentence;
  if (rules.trimLeadIn) {
    const lead = LEAD_IN.exec(text) ?? OPENER.exec(text);
    // The lead-in goes only when it is short, closes its brackets and is not itself in the paper's voice.
    if (lead && lead[0].length <= text.length / 2 && balanced(lead[0]) && !/\bwe\b/i.test(lead[0])) {
      text = text.slice(lead[0].length);
    }
  }
  return capitalize(text.trim());
}

/** Whether every bracket opened in a piece of text is closed in it (a cut there leaves none dangling). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
  }
  return depth === 0;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The TL;DR sentence's index (-1 when there are no sentences) and its trimmed text. */
export function pickTldr(
  sentences: readonly string[],
  features: readonly SentenceFeatures[],
  rules: TldrRules = TLDR_RULES,
): { index: number; text: string } {
  const index = bestSentence(features.map((f) => tldrScore(f, rules)));
  return { index, text: index < 0 ? '' : trimSentence(sentences[index]!, rules) };
}
