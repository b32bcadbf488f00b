/**
 * The answerable question set for questions asked in a paper's thread (issue 24), built from the shared arXiv corpus
 * by a rule fixed before any answer was scored. THE RULE (written down and committed before the retriever existed):
 *
 * 1. Papers: every paper of `../shared/corpus/arxiv-cs-2025-26.jsonl.gz`, shuffled with mulberry32(SEED) (a
 *    Fisher-Yates shuffle of the line order), then taken in that order.
 * 2. A paper's sentences are its abstract split by paperboy's own splitter (src/core/summarize/sentences.ts). Papers
 *    with fewer than MIN_SENTENCES sentences are skipped (with three or fewer, picking is nearly free).
 * 3. Question types, each with a pattern that states the answer, a question template, and a quota (QUOTA each, 5
 *    types, 200 questions in all). A type applies to a paper when its pattern matches in EXACTLY ONE sentence of
 *    the abstract; that sentence is the right answer. For each paper, the types are tried in the order below and
 *    the first that applies and still has room gives the paper's one question; a paper with none is skipped.
 *    - dataset: a name from DATASETS (well-known benchmarks, matched whole and case-sensitively) →
 *      "Which datasets do they evaluate on?"
 *    - size: a parameter count ("7B", "1.5 billion parameters", "13B-parameter") → "How big is the model?"
 *    - count: a number followed by one of COUNT_NOUNS ("12 languages", "1,000 hours") →
 *      "How many <noun> do they use?" (the noun as matched, lower-cased)
 *    - code: a code link or a code-release statement (github.com, "code is available", "code will be released",
 *      "open-source our code") → "Is the code available?"
 *    - percent: a percentage ("12.5%", "12 %") → "By how much does it improve?"
 * 4. The set stops when every quota is full (or the corpus ends).
 *
 * The score: how often the first quoted sentence is the rule's sentence (an answer that quotes nothing counts as
 * wrong), against the baseline "the sentence with most words in common with the question" (content words, stemmed;
 * the earliest on ties). The retriever's own cues (src/core/summarize/answer.ts) were written from what question
 * words ask for in English, not from these patterns: its dataset cue in particular knows no list of names.
 */
import { splitSentences } from '../../src/core/summarize/sentences.ts';
import { type CorpusPaper, parsePaperLine, readFirstLines } from '../scale/corpus.ts';

export const SEED = 24;
export const QUOTA = 40;
export const MIN_SENTENCES = 4;

export type QuestionType = 'dataset' | 'size' | 'count' | 'code' | 'percent';

export interface AnswerableQuestion {
  paper: CorpusPaper;
  type: QuestionType;
  question: string;
  sentences: string[];
  /** The index of the right sentence in `sentences`. */
  answer: number;
}

/** Well-known datasets and benchmarks of the fields in the corpus (vision, language, speech, code, RL, graphs). */
export const DATASETS = [
  'ImageNet',
  'COCO',
  'MS-COCO',
  'CIFAR-10',
  'CIFAR-100',
  'MNIST',
  'Fashion-MNIST',
  'SVHN',
  'CelebA',
  'LSUN',
  'ADE20K',
  'Cityscapes',
  'PASCAL VOC',
  'KITTI',
  'nuScenes',
  'Waymo',
  'ScanNet',
  'ShapeNet',
  'Kinetics',
  'UCF101',
  'HMDB51',
  'LibriSpeech',
  'Common Voice',
  'GLUE',
  'SuperGLUE',
  'SQuAD',
  'MMLU',
  'GSM8K',
  'HumanEval',
  'MBPP',
  'BIG-Bench',
  'HellaSwag',
  'TruthfulQA',
  'WinoGrande',
  'PIQA',
  'BoolQ',
  'TriviaQA',
  'HotpotQA',
  'MS MARCO',
  'BEIR',
  'MTEB',
  'SWE-bench',
  'AlpacaEval',
  'MT-Bench',
  'Arena-Hard',
  'VQAv2',
  'TextVQA',
  'MMMU',
  'MathVista',
  'ScienceQA',
  'RefCOCO',
  'Flickr30k',
  'LAION',
  'D4RL',
  'MuJoCo',
  'Meta-World',
  'WikiText',
  'LongBench',
  'AIME',
  'LiveCodeBench',
] as const;

export const COUNT_NOUNS = [
  'languages',
  'tasks',
  'datasets',
  'benchmarks',
  'domains',
  'categories',
  'classes',
  'participants',
  'annotators',
  'hours',
  'videos',
  'images',
  'questions',
  'problems',
  'models',
] as const;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DATASET = new RegExp(`(?<![\\w-])(?:${DATASETS.map(escapeRegExp).join('|')})(?![\\w-])`);
const SIZE =
  /\b\d+(?:\.\d+)?\s?(?:[BMT]\b(?!-?\s?(?:tokens|images|samples|pairs))|(?:billion|million|trillion)\s+(?:parameters|params))|\b\d+(?:\.\d+)?[BM]-param/;
const COUNT = new RegExp(`\\b\\d{1,3}(?:,\\d{3})*(?:\\.\\d+)?\\s+(${COUNT_NOUNS.join('|')})\\b`, 'i');
const CODE =
  /github\.com|\bcode (?:is|are|will be|has been) (?:publicly |made |freely )*(?:available|released|open-sourced)|\bopen-sourc\w* (?:our|the|all) code|\b(?:code|models?|data) and (?:code|models?|data) (?:is|are|will be) (?:publicly )?(?:available|released)/i;
const PERCENT = /\d+(?:\.\d+)?\s?%/;

interface Rule {
  type: QuestionType;
  pattern: RegExp;
  question(match: RegExpExecArray): string;
}

export const RULES: readonly Rule[] = [
  { type: 'dataset', pattern: DATASET, question: () => 'Which datasets do they evaluate on?' },
  { type: 'size', pattern: SIZE, question: () => 'How big is the model?' },
  { type: 'count', pattern: COUNT, question: (m) => `How many ${m[1]!.toLowerCase()} do they use?` },
  { type: 'code', pattern: CODE, question: () => 'Is the code available?' },
  { type: 'percent', pattern: PERCENT, question: () => 'By how much does it improve?' },
];

/** The question a paper gets under the rule (types in order, those with room), or undefined. */
export function questionFor(
  paper: CorpusPaper,
  room: (type: QuestionType) => boolean = () => true,
): AnswerableQuestion | undefined {
  const sentences = splitSentences(paper.abstract);
  if (sentences.length < MIN_SENTENCES) return undefined;
  for (const rule of RULES) {
    if (!room(rule.type)) continue;
    const hits = sentences.flatMap((sentence, index) => {
      const match = rule.pattern.exec(sentence);
      return match ? [{ index, match }] : [];
    });
    if (hits.length !== 1) continue;
    const [{ index, match }] = hits as [{ index: number; match: RegExpExecArray }];
    return { paper, type: rule.type, question: rule.question(match), sentences, answer: index };
  }
  return undefined;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The set, from the corpus's papers in their file order. */
export function buildQuestionSet(papers: readonly CorpusPaper[], quota = QUOTA): AnswerableQuestion[] {
  const order = papers.map((_, i) => i);
  const random = mulberry32(SEED);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const counts = new Map<QuestionType, number>();
  const out: AnswerableQuestion[] = [];
  const full = () => RULES.every((rule) => (counts.get(rule.type) ?? 0) >= quota);
  for (const i of order) {
    if (full()) break;
    const question = questionFor(papers[i]!, (type) => (counts.get(type) ?? 0) < quota);
    if (!question) continue;
    counts.set(question.type, (counts.get(question.type) ?? 0) + 1);
    out.push(question);
  }
  return out;
}

export async function loadQuestionSet(corpusFile: string, quota = QUOTA): Promise<AnswerableQuestion[]> {
  const lines = await readFirstLines(corpusFile, Number.MAX_SAFE_INTEGER);
  return buildQuestionSet(lines.map(parsePaperLine), quota);
}
