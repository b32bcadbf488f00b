/**
 * One profiling scenario in a fresh process (spawned by bench/profile.ts, under --cpu-prof), on the paperboy
 * database of a bench work folder (`npm run bench -- --keep`):
 *   cold       process start → store and index open → first query answered (what the bench's cold start times)
 *   queries    the bench queries three times, one per event-loop turn, with an event-loop delay histogram
 *   alerts     alert matching (1,000 subscriptions × the 500-paper batch) three times
 *   recommend  `/paper recommend` for libraries of 50 saved papers (as the bench times it)
 *   build      a full index build of the database (a copy without its index)
 *   memory     open, the queries, a full GC: what holds the memory (process figures and a heap snapshot's biggest
 *              kinds of object)
 * Prints one JSON object: timed phases with the process's memory after each, and the scenario's own figures.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path, { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { openPaperboy, type Paperboy } from '../../src/paperboy.ts';
import { readPapers } from '../scale/corpus.ts';
import { percentile } from '../scale/measure.ts';
import { matchAlertsPaperboy } from '../scale/paperboy-alerts.ts';
import { timeRecommendations } from '../scale/paperboy-recommend.ts';
import { benchLogger } from '../scale/paperboy-scale.ts';
import type { WorkFiles } from '../scale/run-engine.ts';
import { heapSummary } from './heap-snapshot.ts';

export const SCENARIOS = ['cold', 'queries', 'alerts', 'recommend', 'build', 'memory'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Phase {
  name: string;
  ms: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
}

const MB = 1024 * 1024;
const phases: Phase[] = [];
let last = 0;
/** Records the time since the previous mark (the first counts from process start) and the memory now. */
function mark(name: string): void {
  const now = performance.now();
  const m = process.memoryUsage();
  phases.push({ name, ms: now - last, rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB, externalMB: m.external / MB });
  last = now;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function open(dbPath: string): Promise<Paperboy> {
  return openPaperboy({ dbPath, logger: benchLogger(), builtinCorpus: false });
}

/** The bench queries, one per event-loop turn (as requests arrive), with the loop's delay measured meanwhile. */
async function timeQueries(pb: Paperboy, queries: readonly string[]) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const latencies: number[] = [];
  for (const query of queries) {
    await turn();
    const started = performance.now();
    await pb.services.search.search(query, { limit: 10 });
    latencies.push(performance.now() - started);
  }
  histogram.disable();
  const slowest = latencies
    .map((ms, i) => ({ ms, query: queries[i]! }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  return {
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    loopDelayMs: {
      p50: histogram.percentile(50) / 1e6,
      p99: histogram.percentile(99) / 1e6,
      max: histogram.max / 1e6,
    },
    slowest,
  };
}

async function run(scenario: Scenario, work: string): Promise<Record<string, unknown>> {
  const files = JSON.parse(readFileSync(join(work, 'queries.json'), 'utf8')) as WorkFiles;
  const queries = files.queries.map((q) => q.text);
  const dbPath = join(work, 'paperboy', 'paperboy.db');
  mark('modules loaded');
  if (scenario === 'build') {
    const dir = mkdtempSync(join(os.tmpdir(), 'paperboy-profile-'));
    try {
      copyFileSync(dbPath, join(dir, 'paperboy.db'));
      mark('database copied');
      const pb = await open(join(dir, 'paperboy.db'));
      mark('index built and saved');
      await pb.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return {};
  }
  const pb = await open(dbPath);
  mark('store and index open');
  if (scenario === 'cold') {
    await pb.services.search.search(queries.at(-1) ?? 'lora', { limit: 10 });
    mark('first query answered');
    return {};
  }
  if (scenario === 'queries' || scenario === 'memory') {
    const passes = [];
    for (let pass = 1; pass <= (scenario === 'memory' ? 1 : 3); pass++) {
      passes.push(await timeQueries(pb, queries));
      mark(`queries, pass ${pass}`);
    }
    if (scenario === 'queries') return { passes };
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    mark('after a full GC');
    const usage = process.memoryUsage();
    const heap = await heapSummary(v8.getHeapSnapshot());
    return {
      memory: {
        rssMB: usage.rss / MB,
        heapUsedMB: usage.heapUsed / MB,
        externalMB: usage.external / MB,
        arrayBuffersMB: usage.arrayBuffers / MB,
      },
      heap,
    };
  }
  if (scenario === 'alerts') {
    const batch = readPapers(join(work, 'batch.jsonl'));
    await pb.services.search.search('warm up', { limit: 10 });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      matchAlertsPaperboy(files.subscriptions, batch, pb.index.snapshot);
      times.push(performance.now() - started);
      mark(`alert matching ${i + 1}`);
    }
    return { alertMatchMs: times };
  }
  await pb.services.search.search('warm up', { limit: 10 });
  const timing = await timeRecommendations(pb, queries);
  mark('recommendations');
  return { recommend: timing };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scenario: { type: 'string' }, work: { type: 'string' } } });
  const scenario = values.scenario as Scenario;
  if (!SCENARIOS.includes(scenario)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  if (!values.work) throw new Error('--work DIR is required');
  const figures = await run(scenario, values.work);
  process.stdout.write(`${JSON.stringify({ scenario, phases, ...figures })}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`profile: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
