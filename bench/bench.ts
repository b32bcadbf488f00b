/**
 * npm run bench: the scale benchmark (issue 7). paperboy, plain Lunr and SQLite FTS5 on the same arXiv corpus,
 * each in its own child process (memory measured cleanly), plus a fresh process per engine for the cold start.
 * Prints the machine, one table and paperboy's fidelity to Lunr; exits 1 when a correctness check fails.
 *
 *   npm run bench [-- --corpus PATH] [--n N] [--json] [--smoke] [--engines paperboy,plain-lunr,fts5] [--keep]
 *                    [--runtime compiled|tsx] [--scale N | --scale 1,2,5,10 [--chart PATH]]
 *   npm run bench -- --cluster N [--corpus PATH] [--n N] [--seconds S]   (several instances: see cluster.ts)
 *
 * --scale N: the corpus N times over (bench/scale/scaled-corpus.ts: each copy with new ids, dates and authors), which
 * tests speed and memory, not relevance. A list runs the bench once per scale and prints how p50, p99, RSS and cold
 * start grow, with a PNG chart (default docs/performance-scale.png).
 * paperboy's run ends with `paperboy poll` of a day of 5,000 new papers from a local arXiv RSS stand-in
 * (bench/scale/poll-day.ts), timed from process start to exit, and checks the day is searchable.
 *
 * --runtime: the engine processes run the code compiled to JavaScript (default, `npm run build` with the bench's
 * files added: what production runs) or through tsx (TypeScript compiled as modules load). With `compiled`, each
 * engine's cold start is also timed under tsx (coldStartTsxS), for comparison with earlier runs.
 *
 * --smoke: correctness only (every engine answers, the batch becomes searchable, fidelity, no crash) on a
 * small corpus (default n 5000), with fewer queries; the figures are printed but mean little.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { batchSizeFor, type CorpusPaper, parsePaperLine, readFirstLines, writeLines } from './scale/corpus.ts';
import { growthChart, growthTable, type ScaleRun } from './scale/growth.ts';
import { DAY_PAPERS, pollDay } from './scale/poll-day.ts';
import { benchQueries, subscriptionQueries } from './scale/queries.ts';
import { correctnessFailures, type EngineResult, machine, machineLine, textReport } from './scale/report.ts';
import { ENGINE_LABELS, ENGINE_NAMES, type EngineName } from './scale/scale-engine.ts';
import { pollDay as pollDayPapers, scaledPapers } from './scale/scaled-corpus.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CORPUS = path.resolve(root, '..', 'shared', 'corpus', 'arxiv-cs-2025-26.jsonl.gz');
const RUNNER = path.join(root, 'bench', 'scale', 'run-engine.ts');

export type Runtime = 'compiled' | 'tsx';

/** How an engine process starts: node and its arguments before the runner's own. */
interface Launch {
  runtime: Runtime;
  /** The runner script (TypeScript under tsx, or its compiled JavaScript). */
  runner: string;
}

/**
 * Compiles src/, commands/ and the bench's engine processes to JavaScript in `dir` (scripts/build.mjs with
 * tsconfig.bench.json), runnable with plain node: a package.json marks the files as ES modules, and node_modules is
 * the project's.
 */
function compileBench(dir: string): Launch {
  const started = performance.now();
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'build.mjs'), '--project', 'tsconfig.bench.json', '--outDir', dir, '--skip-check'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (build.status !== 0) throw new Error(`compiling the bench failed (exit ${build.status})`);
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  log(`compiled to JavaScript in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { runtime: 'compiled', runner: path.join(dir, 'bench', 'scale', 'run-engine.js') };
}

const TSX: Launch = { runtime: 'tsx', runner: RUNNER };

/** How a `paperboy` command starts (the CLI, for the poll step), in the same runtime as the engine processes. */
function cliLaunch(launch: Launch): string[] {
  if (launch.runtime === 'tsx') return ['--import', 'tsx', path.join(root, 'src', 'cli', 'run.ts')];
  return [path.join(path.dirname(launch.runner), '..', '..', 'src', 'cli', 'run.js')];
}

/** Writes papers as JSONL, a thousand lines per write (a 10× corpus is over a gigabyte). */
function writePapers(file: string, papers: Iterable<CorpusPaper>): void {
  const fd = openSync(file, 'w');
  try {
    let chunk: string[] = [];
    for (const paper of papers) {
      chunk.push(JSON.stringify(paper));
      if (chunk.length === 1000) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Heap limit for engine processes: naive Lunr needs ~10 GB at full size; leave the OS some room. */
function heapLimitMB(): number {
  return Math.max(2048, Math.min(20_000, Math.floor((os.totalmem() / 1024 ** 2) * 0.8)));
}

/** Runs one engine process; resolves to its JSON result, or an error message. */
function runChild(
  engine: EngineName,
  mode: 'full' | 'cold',
  work: string,
  launch: Launch,
): Promise<Record<string, unknown> | { error: string }> {
  return new Promise((resolve) => {
    const args = [
      '--expose-gc',
      `--max-old-space-size=${heapLimitMB()}`,
      ...(launch.runtime === 'tsx' ? ['--import', 'tsx'] : []),
      launch.runner,
      '--engine',
      engine,
      '--mode',
      mode,
      '--work',
      work,
    ];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', (error) => resolve({ error: `${mode} run could not start: ${error.message}` }));
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) {
        try {
          resolve(JSON.parse(last) as Record<string, unknown>);
          return;
        } catch {
          resolve({ error: `${mode} run printed no result` });
          return;
        }
      }
      resolve({ error: `${mode} run exited with ${signal ?? `code ${code}`}` });
    });
  });
}

export interface BenchOptions {
  corpus: string;
  n: number;
  smoke: boolean;
  engines: EngineName[];
  keep: boolean;
  runtime: Runtime;
  /** The corpus this many times over (1: as it is). */
  scale: number;
}

/** Prepares the work folder (initial import, held-out batch, query sets) and runs every engine. */
export async function runBench(options: BenchOptions): Promise<{ n: number; results: EngineResult[] }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-'));
  try {
    log(`reading ${Number.isFinite(options.n) ? options.n : 'all'} papers from ${options.corpus}`);
    const lines = await readFirstLines(options.corpus, options.n);
    const base = lines.map(parsePaperLine);
    const total = lines.length * options.scale;
    const batchSize = batchSizeFor(total);
    let titled: { id: string; title: string }[];
    if (options.scale === 1) {
      const initial = lines.slice(0, lines.length - batchSize);
      writeLines(path.join(work, 'initial.jsonl'), initial);
      writeLines(path.join(work, 'batch.jsonl'), lines.slice(lines.length - batchSize));
      titled = base.slice(0, initial.length).map(({ id, title }) => ({ id, title }));
    } else {
      log(
        `scaling the corpus ${options.scale}× (new ids, dates and authors per copy): speed and memory, not relevance`,
      );
      const all = scaledPapers(base, options.scale);
      // Not for…of over `all`: leaving that loop early would close the generator before the batch is written.
      const initial = (function* () {
        for (let i = 0; i < total - batchSize; i++) {
          const next = all.next();
          if (next.done) return;
          yield next.value;
        }
      })();
      titled = [];
      writePapers(
        path.join(work, 'initial.jsonl'),
        (function* () {
          for (const paper of initial) {
            titled.push({ id: paper.id, title: paper.title });
            yield paper;
          }
        })(),
      );
      writePapers(path.join(work, 'batch.jsonl'), all);
    }
    const queries = benchQueries(titled, options.smoke ? 60 : 300);
    const subscriptions = subscriptionQueries(titled, 1000);
    writeFileSync(path.join(work, 'queries.json'), JSON.stringify({ queries, subscriptions }));
    log(
      `${total - batchSize} papers to import, ${batchSize} in the daily batch, ` +
        `${queries.length} queries, ${subscriptions.length} subscriptions; work folder ${work}`,
    );

    const launch = options.runtime === 'compiled' ? compileBench(path.join(work, 'compiled')) : TSX;
    const results: EngineResult[] = [];
    for (const engine of options.engines) {
      mkdirSync(path.join(work, engine), { recursive: true });
      // The machine may be shared: its load average next to the figures says how much to trust them.
      const loadBefore = os.loadavg()[0]!;
      log(`${ENGINE_LABELS[engine]}: full run (load average ${loadBefore.toFixed(2)})`);
      const full = await runChild(engine, 'full', work, launch);
      if ('error' in full) {
        results.push({ engine: ENGINE_LABELS[engine], error: String(full.error) });
        continue;
      }
      log(`${ENGINE_LABELS[engine]}: cold start`);
      const cold = await runChild(engine, 'cold', work, launch);
      const coldError = 'error' in cold ? { error: `cold start: ${String(cold.error)}` } : {};
      let coldTsx: { coldStartTsxS?: number } = {};
      if (launch.runtime === 'compiled') {
        log(`${ENGINE_LABELS[engine]}: cold start under tsx`);
        const viaTsx = await runChild(engine, 'cold', work, TSX);
        if (!('error' in viaTsx)) coldTsx = { coldStartTsxS: Number(viaTsx.coldStartS) };
      }
      let poll: Record<string, unknown> = {};
      if (engine === 'paperboy' && !options.smoke) {
        log(`paperboy: paperboy poll of a day of ${DAY_PAPERS} new papers`);
        try {
          poll = await pollDay(
            cliLaunch(launch),
            path.join(work, engine, 'paperboy.db'),
            work,
            pollDayPapers(base, options.scale, DAY_PAPERS),
          );
        } catch (error) {
          poll = { error: `poll: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      results.push({
        ...(full as EngineResult),
        ...('error' in cold ? {} : cold),
        ...coldTsx,
        ...poll,
        ...coldError,
        engine: ENGINE_LABELS[engine],
        runtime: launch.runtime,
        scale: options.scale,
        loadAverage: [loadBefore, os.loadavg()[0]!],
      });
      // Each engine's files go once measured: disk and page cache stay free for the next one.
      if (!options.keep) rmSync(path.join(work, engine), { recursive: true, force: true });
    }
    return { n: total, results };
  } finally {
    if (options.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: DEFAULT_CORPUS },
      n: { type: 'string' },
      json: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      engines: { type: 'string' },
      keep: { type: 'boolean', default: false },
      cluster: { type: 'string' },
      seconds: { type: 'string', default: '8' },
      runtime: { type: 'string', default: 'compiled' },
      scale: { type: 'string', default: '1' },
      chart: { type: 'string' },
    },
  });
  if (values.runtime !== 'compiled' && values.runtime !== 'tsx') throw new Error('--runtime must be compiled or tsx');
  if (values.cluster !== undefined) {
    const instances = Number(values.cluster);
    if (!Number.isInteger(instances) || instances < 1 || instances > 16)
      throw new Error('--cluster must be a number of instances from 1 to 16');
    const { runClusterBench, clusterReport } = await import('./cluster.ts');
    const results = await runClusterBench({
      instances,
      corpus: values.corpus === DEFAULT_CORPUS && values.n === undefined ? undefined : values.corpus,
      n: values.n ? Number(values.n) : undefined,
      seconds: Math.max(2, Number(values.seconds) || 8),
      log,
    });
    process.stdout.write(`${values.json ? JSON.stringify(results, null, 2) : clusterReport(results)}\n`);
    return results.every((r) => r.capacity > 0) ? 0 : 1;
  }
  const n = values.n ? Number(values.n) : values.smoke ? 5000 : Infinity;
  if (!(n >= 30)) throw new Error('--n must be a number ≥ 30');
  if (!existsSync(values.corpus)) throw new Error(`corpus not found: ${values.corpus} (pass --corpus PATH)`);
  const engines = (values.engines ? values.engines.split(',') : [...ENGINE_NAMES]) as EngineName[];
  for (const engine of engines)
    if (!ENGINE_NAMES.includes(engine)) throw new Error(`unknown engine ${engine} (${ENGINE_NAMES.join(', ')})`);

  const scales = values.scale.split(',').map(Number);
  if (!scales.length || scales.some((s) => !Number.isInteger(s) || s < 1 || s > 50))
    throw new Error('--scale must be a whole number from 1 to 50, or a comma-separated list of them');

  const m = machine();
  const runs: (ScaleRun & { failures: string[] })[] = [];
  for (const scale of scales) {
    const { n: papers, results } = await runBench({
      corpus: values.corpus,
      n,
      smoke: values.smoke,
      engines,
      keep: values.keep,
      runtime: values.runtime,
      scale,
    });
    const failures = correctnessFailures(results);
    runs.push({ scale, papers, results, failures });
    if (values.json) continue;
    if (scale > 1)
      process.stdout.write(
        `\n== ${scale}× the corpus: ${scale} copies, each with new ids, dates and authors. ` +
          'This measures speed and memory at scale, not relevance.\n',
      );
    process.stdout.write(`${textReport(m, values.corpus, papers, results)}\n`);
    if (failures.length) process.stdout.write(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    else process.stdout.write(`\ncorrectness checks: all passed${values.smoke ? ' (smoke)' : ''}\n`);
  }
  let chart: string | undefined;
  if (runs.length > 1 || values.chart) {
    chart = path.resolve(values.chart ?? path.join(root, 'docs', 'performance-scale.png'));
    writeFileSync(chart, await growthChart(runs));
  }
  if (values.json) {
    const report =
      runs.length === 1
        ? {
            machine: m,
            corpus: values.corpus,
            scale: runs[0]!.scale,
            papers: runs[0]!.papers,
            smoke: values.smoke,
            engines: runs[0]!.results,
            failures: runs[0]!.failures,
            ...(chart ? { chart } : {}),
          }
        : { machine: m, corpus: values.corpus, smoke: values.smoke, scales: runs, ...(chart ? { chart } : {}) };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (runs.length > 1) {
    process.stdout.write(`\n${machineLine(m)}\ngrowth with the corpus (× the smallest scale):\n${growthTable(runs)}\n`);
    if (chart) process.stdout.write(`chart: ${chart}\n`);
  }
  return runs.some((run) => run.failures.length) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
