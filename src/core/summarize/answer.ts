/**
 * Answers to a question about one paper, from its own words: the one to three sentences of its text (the abstract;
 * the corpus keeps no full text) that best answer, ranked by BM25 over the sentences plus a cue for what the question
 * asks for (numbers for "how many", names of data for "which dataset", comparisons for "what do they beat", links for
 * "is code available"). The cues come from what English question words ask for, not from any data set. A question
 * none of the sentences answers gets no quotes: the caller says so rather than guessing.
 */
import type { Paper } from '../papers/paper.ts';
import { OWN_WORK, RESULT } from './cues.ts';
import { splitSentences } from './sentences.ts';
import { contentStems, termCounts } from './words.ts';

/** What a question asks for, read from its words. */
export type QuestionKind =
  | 'size'
  | 'count'
  | 'improvement'
  | 'dataset'
  | 'comparison'
  | 'code'
  | 'method'
  | 'limitation'
  | 'general';

export interface Quote {
  /** The sentence's position in the abstract. */
  index: number;
  text: string;
  score: number;
}

export interface Answer {
  kind: QuestionKind;
  /** Best first; empty when no sentence answers. */
  quotes: Quote[];
}

/** The knobs, fixed before the eval ran (docs/summaries.md gives the figures). */
export const ANSWER_RULES = {
  /** BM25 over the abstract's sentences (Lunr's defaults). */
  k1: 1.2,
  b: 0.75,
  /** Weight of the question-kind cue (0..1) against the sentence's BM25 share of the best (0..1). */
  cue: 1,
  /** At most this many sentences are quoted… */
  maxQuotes: 3,
  /** …each scoring at least this share of the best one. */
  followShare: 0.8,
  /** A sentence answers only with a cue at least this strong, or with words of the question in it. */
  minCue: 0.5,
} as const;

/** What each kind of question is, by its words ("how many", "which datasets"), tried in this order. */
const KINDS: readonly { kind: QuestionKind; asks: RegExp }[] = [
  { kind: 'code', asks: /\b(?:code|github|open[- ]?sourced?|implementation|repo(?:sitory)?|weights released)\b/i },
  {
    kind: 'size',
    asks: /\bhow (?:big|large|small)\b|\b(?:model|parameter) (?:size|count)\b|\bparameters?\b|\bhow many params\b/i,
  },
  { kind: 'dataset', asks: /\b(?:datasets?|benchmarks?|corpus|corpora|data sets?|evaluat\w* on|trained? on)\b/i },
  {
    kind: 'improvement',
    asks: /\bhow (?:much|well)\b|\b(?:improve\w*|gains?|accuracy|results?|performance|speed ?ups?|score)\b/i,
  },
  {
    kind: 'comparison',
    asks: /\b(?:beat|outperform\w*|compar\w*|baselines?|better than|versus|vs\.?|state[- ]of[- ]the[- ]art|sota)\b/i,
  },
  { kind: 'count', asks: /\bhow (?:many|long|often)\b|\bnumber of\b/i },
  { kind: 'limitation', asks: /\b(?:limitations?|weakness\w*|drawbacks?|fail\w*|shortcomings?)\b/i },
  {
    kind: 'method',
    asks: /\b(?:how does|how do|what (?:is|do they|does it) (?:propose|introduce|do)|method|approach)\b/i,
  },
];

export function questionKind(question: string): QuestionKind {
  return KINDS.find((k) => k.asks.test(question))?.kind ?? 'general';
}

const NUMBER = /\d/;
const PARAMETER_COUNT = /\b\d+(?:\.\d+)?\s?(?:[BMK]\b|billion|million|trillion)|\bparameters?\b|\bparams\b/i;
const DATA_WORDS =
  /\b(?:datasets?|benchmarks?|corpus|corpora|suites?|evaluat\w*|experiments? on|tested on|trained on)\b/i;
/** A name as data sets are named: capitals inside or with digits (ImageNet, GSM8K, CIFAR-10, MS-COCO, SQuAD). */
const DATA_NAME = /\b(?:[A-Z][a-z]*[A-Z][\w-]*|[A-Z]{2,}[\w-]*\d[\w-]*|[A-Z][A-Za-z]*-\d+[\w-]*)\b/;
const COMPARISON =
  /\b(?:outperform\w*|surpass\w*|beat\w*|compar\w*|baselines?|better than|state[- ]of[- ]the[- ]art|sota|exceed\w*|versus|over (?:prior|previous|existing))\b/i;
const CODE_LINK = /github|gitlab|huggingface\.co|https?:\/\/|this http url/i;
const CODE_WORDS = /\b(?:code|open[- ]sourc\w*|publicly available|released?|implementation)\b/i;
const LIMITATION =
  /\b(?:however|limitations?|fail\w*|struggle\w*|cannot|unable|remains? (?:challenging|difficult)|lack\w*)\b/i;

/** A word ending in a number ("12", "1,024") is followed, within three words, by a word that starts with one of `nouns`. */
function numberNear(sentence: string, nouns: readonly string[]): boolean {
  // Words, not one expression: a number-then-noun pattern backtracks quadratically on long digit runs.
  const words = sentence.toLowerCase().split(/\s+/);
  return words.some(
    (word, i) =>
      endsInNumber(word) && words.slice(i + 1, i + 4).some((next) => nouns.some((noun) => next.startsWith(noun))),
  );
}

function endsInNumber(word: string): boolean {
  let i = word.length;
  let digit = false;
  while (i > 0 && '0123456789,.'.includes(word[i - 1]!)) {
    i -= 1;
    if (word[i] !== ',' && word[i] !== '.') digit = true;
  }
  return digit;
}

/** How strongly a sentence carries what the question asks for (0..1). */
function cue(kind: QuestionKind, sentence: string, questionNouns: readonly string[]): number {
  switch (kind) {
    case 'size':
      return PARAMETER_COUNT.test(sentence) ? 1 : NUMBER.test(sentence) ? 0.25 : 0;
    case 'count': {
      if (!NUMBER.test(sentence)) return 0;
      // "how many languages": a number near the noun asked about.
      return numberNear(sentence, questionNouns) ? 1 : 0.5;
    }
    case 'improvement':
      return RESULT.test(sentence) ? (/%|×|\d/.test(sentence) ? 1 : 0.5) : 0;
    case 'dataset':
      return (DATA_NAME.test(sentence) ? 0.5 : 0) + (DATA_WORDS.test(sentence) ? 0.5 : 0);
    case 'comparison':
      return COMPARISON.test(sentence) ? 1 : 0;
    case 'code':
      return CODE_LINK.test(sentence) && CODE_WORDS.test(sentence) ? 1 : CODE_LINK.test(sentence) ? 0.75 : 0;
    case 'limitation':
      return LIMITATION.test(sentence) ? 1 : 0;
    case 'method':
      return OWN_WORK.test(sentence) ? 1 : 0;
    case 'general':
      return 0;
  }
}

/** Words of the question that say what kind it is, not what it is about: they earn no BM25 credit. */
const QUESTION_WORDS = new Set(
  contentStems(
    'which what how many much big large small does do did they their the paper model use used using evaluate ' +
      'evaluated available is are there any code datasets dataset benchmark benchmarks',
  ),
);

/** BM25 of each sentence for the question's words, the sentences being the documents. */
function bm25(sentences: readonly string[][], query: readonly string[]): number[] {
  const { k1, b } = ANSWER_RULES;
  const n = sentences.length;
  const lengths = sentences.map((s) => s.length);
  const avg = lengths.reduce((a, x) => a + x, 0) / Math.max(1, n);
  const bags = sentences.map(termCounts);
  const terms = [...new Set(query)];
  const idf = new Map(
    terms.map((term) => {
      const df = bags.filter((bag) => bag.has(term)).length;
      return [term, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
    }),
  );
  return bags.map((bag, i) => {
    let score = 0;
    for (const term of terms) {
      const tf = bag.get(term) ?? 0;
      if (!tf) continue;
      score += (idf.get(term)! * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[i]!) / Math.max(1, avg)));
    }
    return score;
  });
}

/** The sentences of `paper` that answer `question`, best first (none when nothing answers). */
export function answerQuestion(paper: Pick<Paper, 'abstract'>, question: string): Answer {
  const kind = questionKind(question);
  const sentences = splitSentences(paper.abstract);
  if (!sentences.length) return { kind, quotes: [] };
  const query = contentStems(question).filter((term) => !QUESTION_WORDS.has(term));
  const lexical = bm25(sentences.map(contentStems), query);
  const best = Math.max(0, ...lexical);
  const nouns = question
    .toLowerCase()
    .replace(/^.*?\bhow many\s+/, '')
    .split(/[^a-z-]+/)
    .filter((w) => w.length > 2)
    .slice(0, 2);
  const scored = sentences.map((text, index) => {
    const c = cue(kind, text, nouns);
    const share = best > 0 ? lexical[index]! / best : 0;
    return {
      index,
      text,
      score: share + ANSWER_RULES.cue * c,
      answers: c >= ANSWER_RULES.minCue || lexical[index]! > 0,
    };
  });
  const ranked = scored.filter((s) => s.answers && s.score > 0).sort((x, y) => y.score - x.score || x.index - y.index);
  const top = ranked[0];
  if (!top) return { kind, quotes: [] };
  const quotes = ranked
    .filter((s, i) => i === 0 || s.score >= ANSWER_RULES.followShare * top.score)
    .slice(0, ANSWER_RULES.maxQuotes)
    .map(({ index, text, score }) => ({ index, text, score }));
  return { kind, quotes };
}

/** The baseline of the eval: the sentence sharing most content words with the question (the earliest on ties). */
export function mostOverlapSentence(paper: Pick<Paper, 'abstract'>, question: string): number {
  const sentences = splitSentences(paper.abstract);
  const asked = new Set(contentStems(question));
  let best = -1;
  let bestCount = -1;
  sentences.forEach((sentence, index) => {
    const count = new Set(contentStems(sentence).filter((term) => asked.has(term))).size;
    if (count > bestCount) {
      best = index;
      bestCount = count;
    }
  });
  return best;
}
