/**
 * The answer eval (issue 24): on the answerable question set (questions.ts, whose rule was committed before any
 * answer was scored), how often the first sentence paperboy quotes is the right one, against the sentence with most
 * words in common with the question; per question type, with how often paperboy quoted nothing.
 *
 *   npx tsx bench/answers/run.ts [--shared PATH] [--json]     (also part of npm run eval)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { answerQuestion, mostOverlapSentence } from '../../src/core/summarize/answer.ts';
import { defaultSharedDir } from '../datasets.ts';
import { type AnswerableQuestion, loadQuestionSet, type QuestionType, RULES } from './questions.ts';

export const ANSWER_TARGET = 0.7;

export interface AnswerScores {
  questions: number;
  /** First quoted sentence is the right one. */
  paperboy: number;
  /** The right sentence is among those quoted (at most three). */
  paperboyAnyQuote: number;
  baseline: number;
  /** Questions paperboy quoted nothing for (counted wrong). */
  abstained: number;
  byType: Record<QuestionType, { questions: number; paperboy: number; baseline: number }>;
  msPerQuestion: number;
  pass: boolean;
}

export function scoreAnswers(set: readonly AnswerableQuestion[]): AnswerScores {
  let first = 0;
  let any = 0;
  let baseline = 0;
  let abstained = 0;
  const byType = Object.fromEntries(
    RULES.map((rule) => [rule.type, { questions: 0, paperboy: 0, baseline: 0 }]),
  ) as AnswerScores['byType'];
  const started = performance.now();
  for (const item of set) {
    const answer = answerQuestion(item.paper, item.question);
    const quotes = answer.quotes.map((q) => q.index);
    const right = quotes[0] === item.answer;
    const base = mostOverlapSentence(item.paper, item.question) === item.answer;
    if (right) first++;
    if (quotes.includes(item.answer)) any++;
    if (!quotes.length) abstained++;
    if (base) baseline++;
    const type = byType[item.type];
    type.questions++;
    if (right) type.paperboy++;
    if (base) type.baseline++;
  }
  const ms = performance.now() - started;
  const n = Math.max(1, set.length);
  return {
    questions: set.length,
    paperboy: first / n,
    paperboyAnyQuote: any / n,
    baseline: baseline / n,
    abstained,
    byType,
    msPerQuestion: ms / n,
    pass: first / n >= ANSWER_TARGET,
  };
}

export async function runAnswerEval(sharedDir: string): Promise<AnswerScores> {
  const set = await loadQuestionSet(path.join(sharedDir, 'corpus', 'arxiv-cs-2025-26.jsonl.gz'));
  return scoreAnswers(set);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function formatAnswerTable(scores: AnswerScores): string {
  const lines = [
    `Questions in a paper's thread (${scores.questions} answerable questions from the shared corpus, bench/answers/questions.ts)`,
    'system                                 first quote right',
    `paperboy (BM25 + question-kind cues)   ${pct(scores.paperboy)}   (right one among its quotes: ${pct(scores.paperboyAnyQuote)}; quoted nothing: ${scores.abstained})`,
    `most word overlap (baseline)           ${pct(scores.baseline)}`,
    'by type: paperboy / baseline',
    ...Object.entries(scores.byType).map(
      ([type, s]) =>
        `  ${type.padEnd(8)} ${pct(s.paperboy / Math.max(1, s.questions))} / ${pct(s.baseline / Math.max(1, s.questions))}  (${s.questions})`,
    ),
    `${scores.msPerQuestion.toFixed(3)} ms per question`,
    `target: first quote right ≥ ${pct(ANSWER_TARGET)}: ${scores.pass ? 'pass' : 'MISSED'}`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      shared: { type: 'string', default: defaultSharedDir },
      json: { type: 'boolean', default: false },
    },
  });
  const scores = await runAnswerEval(values.shared!);
  process.stdout.write(`${values.json ? JSON.stringify(scores, null, 2) : formatAnswerTable(scores)}\n`);
  process.exitCode = scores.pass ? 0 : 1;
}
