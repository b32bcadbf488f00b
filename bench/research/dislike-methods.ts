/**
 * The ways to use a channel's 👎s that docs/relevance.md ("Other ways to use the 👎s") fixed before any was run,
 * each on the 👎 feedback task of `npm run eval` (bench/library-eval.ts, the rule unchanged): P@10 and nDCG@10 with
 * and without the 👎s, and the tf-idf centroid, on all topics and on each half.
 *
 *   npx tsx bench/research/dislike-methods.ts [--shared PATH]
 *
 * The methods run outside paperboy's code: the re-rankings (dislike-rerank.ts) take the recommender's 100 exactly
 * scored candidates; the balanced weighting sets the trainer's knobs (TRAINING) by name and puts them back.
 */
import { parseArgs } from 'node:util';
import { TRAINING } from '../../src/core/library/linear-model.ts';
import { RECOMMEND, recommend, trainLibrary } from '../../src/core/library/recommender.ts';
import { termVector } from '../../src/core/library/term-vectors.ts';
import { defaultSharedDir } from '../datasets.ts';
import {
  AT,
  type EvalMonths,
  type FeedbackEvalReport,
  type FeedbackRanker,
  loadEvalMonths,
  type MethodScore,
  ruleWords,
  runFeedbackTask,
} from '../library-eval.ts';
import { type DislikeRerank, rankCandidates } from './dislike-rerank.ts';

interface Method {
  name: string;
  weighting: 'one-save-each' | 'balanced-thirds';
  rerank: DislikeRerank;
  gammaOverBeta: number;
}

const ROCCHIO = 0.15 / 0.75;
const ROCCHIO_025 = 0.25 / 0.75;

export const METHODS: Method[] = [
  { name: 'A one save each', weighting: 'one-save-each', rerank: 'none', gammaOverBeta: ROCCHIO },
  { name: 'B balanced thirds', weighting: 'balanced-thirds', rerank: 'none', gammaOverBeta: ROCCHIO },
  { name: 'C Rocchio γ/β 0.2', weighting: 'one-save-each', rerank: 'rocchio', gammaOverBeta: ROCCHIO },
  { name: "C' Rocchio γ/β 1/3", weighting: 'one-save-each', rerank: 'rocchio', gammaOverBeta: ROCCHIO_025 },
  { name: 'D max-sim γ/β 0.2', weighting: 'one-save-each', rerank: 'max-similarity', gammaOverBeta: ROCCHIO },
  { name: "D' max-sim γ/β 1/3", weighting: 'one-save-each', rerank: 'max-similarity', gammaOverBeta: ROCCHIO_025 },
  { name: 'E nearer a 👎', weighting: 'one-save-each', rerank: 'nearer-dislike', gammaOverBeta: ROCCHIO },
];

/**
 * Balanced thirds with paperboy's trainer: the saved, the 👎 and the random negatives a third of the loss each is
 * the trainer's halves with each 👎 weighing saved/👎 saved papers (the 👎s half too), every weight × 2/3; scaling
 * the loss by 2/3 is the same descent as a learning rate × 2/3 and an L2 penalty × 3/2.
 */
async function withTraining<T>(overrides: Partial<typeof TRAINING>, run: () => Promise<T>): Promise<T> {
  const before = { ...TRAINING };
  Object.assign(TRAINING, overrides);
  try {
    return await run();
  } finally {
    Object.assign(TRAINING, before);
  }
}

function methodRanker(months: EvalMonths, method: Method): FeedbackRanker {
  return async (library, disliked, eligible) => {
    const train = () => trainLibrary(library, months.snapshot, months.fetch, 'classifier', disliked);
    const trained =
      method.weighting === 'balanced-thirds' && disliked.length
        ? await withTraining(
            {
              dislikeWeight: library.length / disliked.length,
              learningRate: (TRAINING.learningRate * 2) / 3,
              lambda: (TRAINING.lambda * 3) / 2,
            },
            train,
          )
        : await train();
    const scored = await recommend(trained, months.snapshot, months.fetch, {
      limit: RECOMMEND.candidates,
      eligible,
    });
    const candidates = scored.map(({ paper, score }) => ({
      paper,
      score,
      vector: termVector(paper, months.snapshot.index),
    }));
    const ranked = rankCandidates(
      candidates,
      trained.saved.map((s) => s.vector),
      disliked.map((paper) => termVector(paper, months.snapshot.index)),
      method,
    );
    return ranked.slice(0, AT).map((c) => c.paper.id);
  };
}

export async function runDislikeMethods(
  months: EvalMonths,
  methods = METHODS,
): Promise<{ method: Method; report: FeedbackEvalReport }[]> {
  const out: { method: Method; report: FeedbackEvalReport }[] = [];
  for (const method of methods)
    out.push({ method, report: await runFeedbackTask(months, methodRanker(months, method)) });
  return out;
}

const f = (n: number) => n.toFixed(3);
/** "without → with (centroid)" for one figure of a set of scores. */
const cell = (scores: MethodScore[], key: 'precision' | 'ndcg') =>
  `${f(scores[0]![key])} → ${f(scores[1]![key])} (${f(scores[2]![key])})`;
const ratio = (scores: MethodScore[]) =>
  scores[0]!.precision > 0 ? `${(scores[1]!.precision / scores[0]!.precision).toFixed(3)}×` : 'n/a';

export function formatDislikeMethods(results: { method: Method; report: FeedbackEvalReport }[]): string {
  const lines = [
    'P@10 and nDCG@10: without the 👎s → with them (centroid); gain = P@10 with / without',
    '| method | all 8: P@10 | all 8: nDCG@10 | gain | first 4: P@10 | first 4: nDCG@10 | gain | last 4: P@10 | last 4: nDCG@10 | gain | sub-topic papers in the top 10 (with 👎s) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { method, report } of results) {
    const [first, last] = report.halves as [MethodScore[], MethodScore[]];
    const unwanted = report.topics.reduce((sum, t) => sum + t.unwanted[1]!, 0);
    lines.push(
      `| ${method.name} | ${cell(report.methods, 'precision')} | ${cell(report.methods, 'ndcg')} | ${ratio(report.methods)} ` +
        `| ${cell(first, 'precision')} | ${cell(first, 'ndcg')} | ${ratio(first)} ` +
        `| ${cell(last, 'precision')} | ${cell(last, 'ndcg')} | ${ratio(last)} | ${unwanted} |`,
    );
  }
  lines.push('', 'per topic, P@10 with the 👎s (without: first row of each):');
  for (const { method, report } of results)
    lines.push(
      `  ${method.name.padEnd(20)} ${report.topics.map((t) => `${t.scores[0]!.precision.toFixed(1)}→${t.scores[1]!.precision.toFixed(1)}`).join('  ')}`,
    );
  return lines.join('\n');
}

/**
 * What a perfect use of the 👎s could reach on the task (a diagnostic, added after the methods were run): the
 * classifier's ranking without the 👎s (its best 100 of the candidate month), with the sub-topic's papers taken out
 * (an oracle that knows the sub-topic word: the most a 👎 that removes exactly the sub-topic can do), and with every
 * paper that has the word anywhere taken out. P@10 per topic, in the task's order.
 */
export async function ceilings(
  months: EvalMonths,
  report: FeedbackEvalReport,
): Promise<{ without: number[]; noSubtopic: number[]; noWord: number[] }> {
  const candidateIds = new Set(months.candidates.map((p) => p.id));
  const out = { without: [] as number[], noSubtopic: [] as number[], noWord: [] as number[] };
  for (const topic of report.topics) {
    const library = topic.library.map((id) => months.papers.get(id)!);
    const trained = await trainLibrary(library, months.snapshot, months.fetch, 'classifier');
    const ranked = await recommend(trained, months.snapshot, months.fetch, {
      limit: 100,
      eligible: (ref) => candidateIds.has(ref),
    });
    const described = ranked.map(({ paper }) => ({
      category: paper.categories[0] ?? '',
      title: ruleWords(paper.title),
      all: ruleWords(`${paper.title} ${paper.abstract}`),
    }));
    const relevant = (d: (typeof described)[number]) =>
      d.category === topic.category && d.title.has(topic.word) && !d.all.has(topic.subtopic);
    const precision = (list: typeof described) => list.slice(0, AT).filter(relevant).length / AT;
    const isSubtopic = (d: (typeof described)[number]) =>
      d.category === topic.category && d.title.has(topic.word) && d.title.has(topic.subtopic);
    out.without.push(precision(described));
    out.noSubtopic.push(precision(described.filter((d) => !isSubtopic(d))));
    out.noWord.push(precision(described.filter((d) => !d.all.has(topic.subtopic))));
  }
  return out;
}

function formatCeilings(c: Awaited<ReturnType<typeof ceilings>>): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const half = Math.ceil(c.without.length / 2);
  const row = (name: string, xs: number[]) =>
    `| ${name} | ${f(mean(xs))} | ${f(mean(xs.slice(0, half)))} | ${f(mean(xs.slice(half)))} | ${xs.map((x) => x.toFixed(1)).join(' ')} |`;
  return [
    'ceilings (P@10 of the ranking without the 👎s, papers taken out by an oracle):',
    '| ranking | all 8 | first 4 | last 4 | per topic |',
    '| --- | --- | --- | --- | --- |',
    row('without the 👎s', c.without),
    row('sub-topic papers taken out', c.noSubtopic),
    row('every paper with the word taken out', c.noWord),
  ].join('\n');
}

if (process.argv[1]?.endsWith('dislike-methods.ts')) {
  const { values } = parseArgs({ options: { shared: { type: 'string' } } });
  const months = await loadEvalMonths(values.shared ?? defaultSharedDir);
  const results = await runDislikeMethods(months);
  console.log(formatDislikeMethods(results));
  console.log(`\n${formatCeilings(await ceilings(months, results[0]!.report))}`);
}
