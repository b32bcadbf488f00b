/**
 * `npm run bench -- --cluster N`: how many slash commands a second paperboy answers with p99 ≤ 1 s, with one instance
 * and with N instances on this machine, all on one PostgreSQL (an embedded server started for the run). Each instance
 * is a real `src/main.ts` process with Slack in HTTP mode against a fake Web API; the load is open-loop (commands
 * sent at a fixed rate whatever the answers do, round-robin over the instances), and latency runs from sending the
 * signed command to its answer reaching the `response_url`. The rate climbs until p99 passes 1 s, then is bisected.
 * Each instance's memory (RSS) is read from /proc after the load. Everything runs on 127.0.0.1; the load generator
 * and the fake Slack share this process, and the instances share the machine's cores with it and with PostgreSQL, so
 * on a 2-core machine N instances cannot be N times one (the report says what they were).
 *
 *   npm run bench -- --cluster 3 [--corpus PATH [--n N]] [--seconds 8]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.ts';
import { silentLogger } from '../src/core/logger.ts';
import { openPaperboy } from '../src/paperboy.ts';
import { MiniSlack } from '../test/fakes/slack-outbox.ts';
import { postSigned, slashCommandBody } from '../test/fakes/slack-requests.ts';
import { DEFAULT_QUERIES, stats } from './loadtest/load.ts';
import { readFirstLines, writeLines } from './scale/corpus.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(root, 'src', 'main.ts');
const SECRET = 'bench-signing-secret';
/** The latency goal: p99 of command → answer. */
const P99_GOAL_MS = 1_000;
/** An answer later than this counts as never. */
const ANSWER_TIMEOUT_MS = 15_000;

export interface ClusterBenchOptions {
  /** The larger instance count (the run also measures one instance). */
  instances: number;
  /** A corpus to import first (JSON lines, optionally gzipped); default: the 71 built-in papers. */
  corpus?: string;
  /** Only the first `n` papers of the corpus. */
  n?: number;
  /** Seconds of load per rate step. */
  seconds: number;
  log: (line: string) => void;
}

export interface StepResult {
  rate: number;
  sent: number;
  answered: number;
  ackP99: number;
  answerP50: number;
  answerP99: number;
}

export interface ClusterResult {
  instances: number;
  /** The highest rate (commands/s) whose p99 stayed ≤ 1 s. */
  capacity: number;
  steps: StepResult[];
  /** Each instance's resident memory after the load, MB. */
  rssMB: number[];
}

interface Running {
  child: ChildProcess;
  port: number;
  log: () => string;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startInstance(databaseUrl: string, slack: MiniSlack, work: string, name: string): Promise<Running> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PAPERBOY_DB: path.join(work, 'unused.db'),
    PAPERBOY_INDEX_DIR: path.join(work, `index-${name}`),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_APP_TOKEN: '',
    SLACK_PORT: String(port),
    SLACK_API_URL: slack.url,
    DISCORD_TOKEN: '',
    DISCORD_APP_ID: '',
    HEALTH_PORT: '',
    POLL_INTERVAL_MINUTES: '0',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk) => (err += chunk));
  const started = Date.now();
  // LOG_LEVEL=warn hides the "running" line: readiness is the Slack port answering.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance ${name} exited: ${err.slice(-2000)}`);
    if (Date.now() - started > 600_000) throw new Error(`instance ${name} did not start within 10 minutes`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '' });
      if (response.status) break;
    } catch {
      await sleep(200);
    }
  }
  return { child, port, log: () => err };
}

function rssMB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return match ? Math.round(Number(match[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** Sends `rate` commands a second for `seconds`, round-robin; resolves when each is answered or timed out. */
async function step(slack: MiniSlack, instances: Running[], rate: number, seconds: number, id: string) {
  const total = Math.max(1, Math.round(rate * seconds));
  const answers = new Map<string, number>();
  const seen = slack.responses.length;
  const sentAt = new Map<string, number>();
  const acks: number[] = [];
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const target = `${id}-${i}`;
    const instance = instances[i % instances.length]!;
    sentAt.set(target, performance.now());
    sends.push(
      postSigned(
        `http://127.0.0.1:${instance.port}/slack/events`,
        SECRET,
        slashCommandBody(DEFAULT_QUERIES[i % DEFAULT_QUERIES.length]!, slack.responseUrl(target)),
        'application/x-www-form-urlencoded',
      ).then(
        () => void acks.push(performance.now() - sentAt.get(target)!),
        () => undefined,
      ),
    );
  }
  await Promise.all(sends);
  const deadline = performance.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    for (const response of slack.responses.slice(seen)) {
      const at = sentAt.get(response.target);
      if (at !== undefined && !answers.has(response.target)) answers.set(response.target, response.receivedAt - at);
    }
    if (answers.size >= total || performance.now() > deadline) break;
    await sleep(50);
  }
  const latencies = [...answers.values()];
  // Unanswered commands count as infinitely late.
  for (let i = latencies.length; i < total; i++) latencies.push(Infinity);
  const answer = stats(latencies);
  return {
    rate,
    sent: total,
    answered: answers.size,
    ackP99: Math.round(stats(acks).p99),
    answerP50: Math.round(answer.p50),
    answerP99: Math.round(answer.p99),
  };
}

/** Climbs the rate (doubling) until p99 > 1 s, then bisects between the last pass and the first failure. */
async function capacity(slack: MiniSlack, instances: Running[], seconds: number, log: (line: string) => void) {
  const steps: StepResult[] = [];
  const run = async (rate: number) => {
    const result = await step(slack, instances, rate, seconds, `n${instances.length}-r${rate}`);
    steps.push(result);
    log(
      `  ${instances.length} instance(s), ${rate} commands/s: answer p50 ${result.answerP50} ms, ` +
        `p99 ${result.answerP99} ms, ack p99 ${result.ackP99} ms (${result.answered}/${result.sent} answered)`,
    );
    await sleep(1_000); // let the instances settle between steps
    return result.answerP99 <= P99_GOAL_MS;
  };
  let pass = 0;
  let fail = 0;
  for (let rate = 5; rate <= 640; rate *= 2) {
    if (await run(rate)) pass = rate;
    else {
      fail = rate;
      break;
    }
  }
  if (!fail) return { capacity: pass, steps };
  for (let i = 0; i < 3 && fail - pass > 2; i++) {
    const mid = Math.round((pass + fail) / 2);
    if (await run(mid)) pass = mid;
    else fail = mid;
  }
  return { capacity: pass, steps };
}

export async function runClusterBench(options: ClusterBenchOptions): Promise<ClusterResult[]> {
  const { log } = options;
  const work = mkdtempSync(path.join(os.tmpdir(), 'paperboy-cluster-bench-'));
  const server = await startEmbeddedPostgres({ fast: true });
  const slack = await new MiniSlack({ realClock: true }).start();
  const running: Running[] = [];
  try {
    log(`PostgreSQL on port ${server.port}; corpus: ${options.corpus ?? 'the 71 built-in papers'}`);
    const pb = await openPaperboy({
      dbPath: path.join(work, 'unused.db'),
      databaseUrl: server.url,
      indexDir: path.join(work, 'index-loader'),
      logger: silentLogger,
      builtinCorpus: !options.corpus,
    });
    try {
      if (options.corpus) {
        let file = options.corpus;
        if (options.n) {
          file = path.join(work, 'corpus.jsonl');
          writeLines(file, await readFirstLines(options.corpus, options.n));
        }
        const t0 = performance.now();
        const summary = await pb.importer.importPath(file, { source: 'import' });
        log(`imported ${summary.added} papers in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
    } finally {
      await pb.close();
    }
    const results: ClusterResult[] = [];
    for (const count of [...new Set([1, options.instances])]) {
      const t0 = performance.now();
      for (let i = 0; i < count; i++) running.push(await startInstance(server.url, slack, work, `${count}-${i}`));
      log(`${count} instance(s) up in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      // Warm-up: every instance answers every query twice before anything is measured (a long-running instance
      // has done its first-query work; a cold one would count it against the rate).
      await step(slack, running, 10, (DEFAULT_QUERIES.length * count * 2) / 10, `warm-${count}`);
      const measured = await capacity(slack, running, options.seconds, log);
      results.push({ instances: count, ...measured, rssMB: running.map((r) => rssMB(r.child.pid)) });
      for (const instance of running.splice(0)) {
        instance.child.kill('SIGTERM');
        await new Promise((resolve) => instance.child.once('exit', resolve));
      }
    }
    return results;
  } finally {
    for (const instance of running) instance.child.kill('SIGKILL');
    await slack.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function clusterReport(results: ClusterResult[]): string {
  const lines = [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 1024 ** 3)} GB, node ${process.version}`,
    '',
    '| instances | commands/s at p99 ≤ 1 s | RSS per instance (MB) |',
    '| --------: | ----------------------: | --------------------: |',
    ...results.map((r) => `| ${r.instances} | ${r.capacity} | ${r.rssMB.join(', ')} |`),
  ];
  const one = results.find((r) => r.instances === 1);
  const many = results.find((r) => r.instances > 1);
  if (one && many && one.capacity > 0)
    lines.push(
      '',
      `${many.instances} instances / 1 instance: ${(many.capacity / one.capacity).toFixed(2)}× ` +
        `on ${os.cpus().length} cores (the instances, PostgreSQL and the load generator share them)`,
    );
  return lines.join('\n');
}
