/**
 * The ways to use a channel's 👎s that docs/relevance.md ("Other ways to use the 👎s") fixed before any was run,
 * each on the 👎 feedback task of `npm run eval` (bench/library-eval.ts, the rule unchanged): P@10 and nDCG@10 with
 * and without the 👎s, and the tf-idf centroid, on all topics and on each half.
 *
 *   npx tsx bench/research/dislike-methods.ts [--shared PATH]
 *
 * A method is set by name on the module objects the recommender reads (TRAINING, DISLIKES), as the other research
 * scripts do, and put back afterwards.
 */
import { parseArgs } from 'node:util';
import { DISLIKES, type DislikeRerank } from '../../src/core/library/dislike-rerank.ts';
import { TRAINING } from '../../src/core/library/linear-model.ts';
import { defaultSharedDir } from '../datasets.ts';
import { type FeedbackEvalReport, loadEvalMonths, type MethodScore, runFeedbackTask } from '../library-eval.ts';

interface Method {
  name: string;
  weighting: (typeof TRAINING)['dislikeWeighting'];
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

export async function runDislikeMethods(
  sharedDir: string,
  methods = METHODS,
): Promise<{ method: Method; report: FeedbackEvalReport }[]> {
  const months = await loadEvalMonths(sharedDir);
  const saved = { weighting: TRAINING.dislikeWeighting, ...DISLIKES };
  const out: { method: Method; report: FeedbackEvalReport }[] = [];
  try {
    for (const method of methods) {
      TRAINING.dislikeWeighting = method.weighting;
      DISLIKES.rerank = method.rerank;
      DISLIKES.gammaOverBeta = method.gammaOverBeta;
      out.push({ method, report: await runFeedbackTask(months) });
    }
  } finally {
    TRAINING.dislikeWeighting = saved.weighting;
    DISLIKES.rerank = saved.rerank;
    DISLIKES.gammaOverBeta = saved.gammaOverBeta;
  }
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

if (process.argv[1]?.endsWith('dislike-methods.ts')) {
  const { values } = parseArgs({ options: { shared: { type: 'string' } } });
  const results = await runDislikeMethods(values.shared ?? defaultSharedDir);
  console.log(formatDislikeMethods(results));
}
