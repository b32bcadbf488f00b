/**
 * One engine's process of the scale bench (spawned by bench/bench.ts, one per engine so memory is its own):
 *   node --expose-gc --import tsx bench/scale/run-engine.ts \
 *     --engine paperboy|plain-lunr|fts5 --mode full|cold --work DIR
 * `full`: import, build, queries, memory, (fidelity), daily batch under query load, alert matching.
 * `cold`: a fresh process opening the index already on disk: process start → first query answered.
 * Progress goes to stderr; the result is one JSON object on stdout.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fts5Cold, Fts5Scale, PlainLunrCold, PlainLunrScale } from './baseline-engines.ts';
import { readPapers } from './corpus.ts';
import type { FidelityReport } from './fidelity.ts';
import { latencyDuring, MB, mean, peakRssMB, percentile, steadyRssMB, timed } from './measure.ts';
import { paperboyFidelity } from './paperboy-fidelity.ts';
import { LIBRARY_SIZE, type RecommendTiming, timeRecommendations } from './paperboy-recommend.ts';
import { PaperboyCold, PaperboyScale } from './paperboy-scale.ts';
import type { BenchQuery } from './queries.ts';
import { titleWords } from './queries.ts';
import { type ColdEngine, ENGINE_NAMES, type EngineName, type ScaleEngine } from './scale-engine.ts';

export interface WorkFiles {
  queries: BenchQuery[];
  subscriptions: string[];
}

export interface FullResult {
  engine: string;
  importS: number;
  indexBuildS: number;
  steadyRssMB: number;
  indexDiskMB: number;
  queryP50Ms: number;
  queryP99Ms: number;
  batchIngestS: number;
  ingestQueryP99Ms: number | null;
  /** paperboy only: `/paper recommend` for a 50-paper library (bench/scale/paperboy-recommend.ts). */
  recommendP50Ms?: number;
  recommendMaxMs?: number;
  recommendCpuP50Ms?: number;
  alertMatchS: number;
  /** Extras, not in the table. */
  queryMeanMs: number;
  queries: number;
  /** Queries that returned at least one hit. */
  answered: number;
  /** Title-derived queries whose source paper is in the top 10. */
  sourceInTop10: number;
  titleQueries: number;
  ingestQueries: number;
  ingestIntervalMs: number;
  /** The batch papers searched by their titles were found in the top 10. */
  batchSearchable: boolean;
  alertSubscriptions: number;
  alertPapers: number;
  alertMatches: number;
  peakRssMB: number;
  fidelity?: FidelityReport;
  [extra: string]: unknown;
}

export interface ColdResult {
  coldStartS: number;
  coldAnswered: boolean;
  coldRebuilt: boolean;
}

const log = (message: string) => process.stderr.write(`[bench ${engineArg()}] ${message}\n`);
function engineArg(): string {
  const i = process.argv.indexOf('--engine');
  return i >= 0 ? (process.argv[i + 1] ?? '?') : '?';
}

function createEngine(name: EngineName, dir: string, initialFile: string): ScaleEngine {
  const options = { dir, initialFile };
  if (name === 'paperboy') return new PaperboyScale(options);
  if (name === 'plain-lunr') return new PlainLunrScale(options);
  return new Fts5Scale(options);
}

function createCold(name: EngineName, dir: string): ColdEngine {
  if (name === 'paperboy') return new PaperboyCold(dir);
  if (name === 'plain-lunr') return new PlainLunrCold(dir);
  return new Fts5Cold(dir);
}

async function runFull(name: EngineName, work: string, files: WorkFiles): Promise<FullResult> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const engine = createEngine(name, dir, join(work, 'initial.jsonl'));
  await engine.open();
  log('importing');
  const imported = await timed(() => engine.importCorpus());
  log(`imported in ${imported.seconds.toFixed(1)} s; building the index`);
  const built = await timed(() => engine.buildIndex());
  log(`index built in ${built.seconds.toFixed(1)} s; querying`);

  const queries = files.queries;
  for (const q of queries.slice(-3)) await engine.search(q.text, 10); // warm-up, not measured
  const latencies: number[] = [];
  let answered = 0;
  let sourceInTop10 = 0;
  for (const q of queries) {
    const started = performance.now();
    const ids = await engine.search(q.text, 10);
    latencies.push(performance.now() - started);
    if (ids.length > 0) answered++;
    if (q.sourceId && ids.includes(q.sourceId)) sourceInTop10++;
  }
  const rss = steadyRssMB();
  log(
    `queries p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(1)} ms; RSS ${rss.toFixed(0)} MB`,
  );

  let fidelity: FidelityReport | undefined;
  let recommend: RecommendTiming | undefined;
  if (engine instanceof PaperboyScale) {
    log('fidelity check');
    fidelity = await paperboyFidelity(
      engine.paperboy,
      queries.map((q) => q.text),
    );
    log(`library recommendations: libraries of ${LIBRARY_SIZE} papers`);
    recommend = await timeRecommendations(
      engine.paperboy,
      queries.map((q) => q.text),
    );
  }

  const batch = readPapers(join(work, 'batch.jsonl'));
  const queryMean = mean(latencies);
  // Queries arrive at most half as fast as the engine answers them when idle, so any wait is the ingest's doing.
  const intervalMs = Math.max(10, Math.ceil(2 * queryMean));
  log(`daily batch of ${batch.length} papers, a query every ${intervalMs} ms meanwhile`);
  const load = await latencyDuring(
    () => engine.ingest(batch),
    (i) => engine.search(queries[i % queries.length]!.text, 10),
    intervalMs,
  );
  const probes = batch.filter((p) => titleWords(p.title).length >= 3).slice(0, 3);
  let batchSearchable = probes.length > 0;
  for (const p of probes)
    if (!(await engine.search(titleWords(p.title).join(' '), 10)).includes(p.id)) batchSearchable = false;
  log(
    `batch searchable after ${load.seconds.toFixed(2)} s (${load.latencies.length} queries meanwhile); alert matching`,
  );

  const alerts = await timed(() => engine.matchAlerts(files.subscriptions, batch));
  const result: FullResult = {
    engine: engine.name,
    importS: imported.seconds,
    indexBuildS: built.seconds,
    steadyRssMB: rss,
    indexDiskMB: engine.indexBytes() / MB,
    queryP50Ms: percentile(latencies, 50),
    queryP99Ms: percentile(latencies, 99),
    batchIngestS: load.seconds,
    ingestQueryP99Ms: load.latencies.length ? percentile(load.latencies, 99) : null,
    alertMatchS: alerts.seconds,
    queryMeanMs: queryMean,
    queries: queries.length,
    answered,
    sourceInTop10,
    titleQueries: queries.filter((q) => q.sourceId).length,
    ingestQueries: load.latencies.length,
    ingestIntervalMs: intervalMs,
    batchSearchable,
    alertSubscriptions: files.subscriptions.length,
    alertPapers: batch.length,
    alertMatches: alerts.value,
    peakRssMB: peakRssMB(),
    ...(engine.extras?.() ?? {}),
    ...(fidelity ? { fidelity } : {}),
    ...(recommend
      ? { recommendP50Ms: recommend.p50Ms, recommendMaxMs: recommend.maxMs, recommendCpuP50Ms: recommend.cpuP50Ms }
      : {}),
  };
  engine.close();
  return result;
}

async function runCold(name: EngineName, work: string, files: WorkFiles): Promise<ColdResult> {
  const engine = createCold(name, join(work, name));
  await engine.open();
  const ids = await engine.search(files.queries.at(-1)?.text ?? 'lora', 10);
  // performance.now() counts from process start (its time origin), loader and module loading included.
  const coldStartS = performance.now() / 1000;
  const result = { coldStartS, coldAnswered: ids.length > 0, coldRebuilt: engine.rebuilt?.() ?? false };
  engine.close();
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { engine: { type: 'string' }, mode: { type: 'string', default: 'full' }, work: { type: 'string' } },
  });
  const name = values.engine as EngineName;
  if (!ENGINE_NAMES.includes(name)) throw new Error(`--engine must be one of ${ENGINE_NAMES.join(', ')}`);
  if (!values.work) throw new Error('--work DIR is required');
  const files = JSON.parse(readFileSync(join(values.work, 'queries.json'), 'utf8')) as WorkFiles;
  const result =
    values.mode === 'cold' ? await runCold(name, values.work, files) : await runFull(name, values.work, files);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[bench ${engineArg()}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
