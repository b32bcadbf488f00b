/**
 * `npm run test:times [-- --concurrency N] [--top K] [--own-postgres] [--json FILE] [files…]`: runs each test file
 * in a process of its own, as `npm test` does, and prints where the suite's time goes, slowest file first:
 * - wall: the file's process from start to exit;
 * - outside tests: the part of it outside its tests: start-up (tsx, imports), file-level hooks, and a process kept
 *   alive after its last test by a forgotten timer or handle;
 * - CPU: user + system time of the file and the processes it waited for (a bot, a PostgreSQL it started): what
 *   running files side by side cannot overlap on a machine with few cores.
 * Runs files N at a time (default: as `npm test`) against one shared PostgreSQL; `--own-postgres` lets every file
 * start its own, as before the shared server. Exits non-zero when a file fails, after printing its output.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  DEFAULT_TEST_CONCURRENCY,
  sharedTestPostgres,
  startFirst,
  TEST_DATABASE_VARIABLE,
  testFiles,
} from './test-files.ts';

interface FileTime {
  file: string;
  ms: number;
  /** The sum of its top-level tests' durations. */
  testsMs: number;
  cpuMs: number;
  ok: boolean;
  output: string;
}

/** Top-level tests' `duration_ms` in TAP output (their YAML blocks are indented by two spaces). */
function topLevelTestsMs(tap: string): number {
  let total = 0;
  for (const match of tap.matchAll(/^ {2}duration_ms: ([\d.]+)$/gm)) total += Number(match[1]);
  return total;
}

/** The children's line of the shell's `times` (`0m1.50s 0m0.20s`: user, system) in milliseconds. */
function childrenCpuMs(times: string): number {
  const line = times.trim().split('\n').at(-1) ?? '';
  let total = 0;
  for (const match of line.matchAll(/(\d+)m([\d.]+)s/g)) total += (Number(match[1]) * 60 + Number(match[2])) * 1000;
  return total;
}

/** The file under node's test runner, in a shell whose `times` (on fd 3) tells the CPU time it and its children used. */
function runFile(file: string, env: NodeJS.ProcessEnv): Promise<FileTime> {
  const started = performance.now();
  return new Promise((resolve) => {
    const script = '"$@"; code=$?; times >&3; exit $code';
    const args = [process.execPath, '--import', 'tsx', '--test', '--test-reporter=tap', file];
    const child = spawn('sh', ['-c', script, 'sh', ...args], { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let output = '';
    let times = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      times += chunk;
    });
    child.once('close', (code) =>
      resolve({
        file,
        ms: performance.now() - started,
        testsMs: topLevelTestsMs(output),
        cpuMs: childrenCpuMs(times),
        ok: code === 0,
        output,
      }),
    );
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      concurrency: { type: 'string' },
      top: { type: 'string', default: '20' },
      'own-postgres': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const concurrency = Number(values.concurrency ?? DEFAULT_TEST_CONCURRENCY);
  const top = Number(values.top);
  if (!Number.isInteger(concurrency) || concurrency < 1 || !Number.isInteger(top) || top < 1) {
    process.stderr.write('test:times: --concurrency and --top take whole numbers of 1 or more\n');
    return 2;
  }
  const files = startFirst(positionals.length ? positionals : testFiles());
  const load = () =>
    loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  process.stderr.write(`${files.length} files, ${concurrency} at a time; load average ${load()}\n`);
  const postgres = values['own-postgres']
    ? { env: { ...process.env, [TEST_DATABASE_VARIABLE]: '' }, stop: async () => undefined }
    : await sharedTestPostgres();
  const started = performance.now();
  const times: FileTime[] = [];
  const queue = [...files];
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, files.length) }, async () => {
        for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
          const time = await runFile(file, postgres.env);
          times.push(time);
          process.stderr.write(time.ok ? '.' : 'F');
        }
      }),
    );
  } finally {
    await postgres.stop();
  }
  const wall = performance.now() - started;
  process.stderr.write('\n');
  const failed = times.filter((time) => !time.ok);
  for (const time of failed) process.stdout.write(`\n✖ ${time.file}\n${time.output}\n`);
  const sorted = [...times].sort((a, b) => b.ms - a.ms);
  const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(7);
  process.stdout.write(`\nslowest ${Math.min(top, sorted.length)} of ${sorted.length} files (seconds):\n`);
  process.stdout.write('   wall outside    CPU\n');
  for (const time of sorted.slice(0, top))
    process.stdout.write(`${seconds(time.ms)}${seconds(time.ms - time.testsMs)}${seconds(time.cpuMs)}  ${time.file}\n`);
  const sum = (pick: (time: FileTime) => number) =>
    seconds(times.reduce((total, time) => total + pick(time), 0)).trim();
  process.stdout.write(
    `\nwall ${seconds(wall).trim()} s with ${concurrency} at a time; files' wall summed ${sum((t) => t.ms)} s, ` +
      `CPU summed ${sum((t) => t.cpuMs)} s on ${availableParallelism()} cores; ${failed.length} failed; ` +
      `load average now ${load()}\n`,
  );
  if (values.json) {
    const rows = sorted.map(({ file, ms, testsMs, cpuMs, ok }) => ({ file, ms, testsMs, cpuMs, ok }));
    writeFileSync(values.json, `${JSON.stringify({ wallMs: wall, concurrency, files: rows }, null, 2)}\n`);
  }
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
