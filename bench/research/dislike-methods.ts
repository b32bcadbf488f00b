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
import { recommend, trainLibrary } from '../../src/core/library/recommender.ts';
import { defaultSharedDir } from '../datasets.ts';
import {
  AT,
  type EvalMonths,
  type FeedbackEvalReport,
  loadEvalMonths,
  type MethodScore,
  ruleWords,
  runFeedbackTask,
} from '../library-eval.ts';

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
  months: EvalMonths,
  methods = METHODS,
): Promise<{ method: Method; report: FeedbackEvalReport }[]> {
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
