/**
 * `npm test`'s test run (after the type-check and lint): every test file (or the ones named) under node's test
 * runner, several files at a time, all of them sharing one PostgreSQL started here for the run (each file makes
 * its own databases on it) and stopped at the end. Exits with the runner's status.
 *
 *   node --import tsx scripts/test.ts [--concurrency N] [--reporter NAME] [files…]
 *
 * It ends with the slowest files (scripts/slowest-files-reporter.mjs). A file run on its own (`node --import tsx --test test/x.test.ts`) starts its own PostgreSQL when it needs one.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_TEST_CONCURRENCY, sharedTestPostgres, startFirst, testFiles } from './test-files.ts';

const SLOWEST_FILES_REPORTER = fileURLToPath(new URL('./slowest-files-reporter.mjs', import.meta.url));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      concurrency: { type: 'string', default: String(DEFAULT_TEST_CONCURRENCY) },
      reporter: { type: 'string', default: 'spec' },
    },
  });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    process.stderr.write('test: --concurrency takes a whole number of 1 or more\n');
    return 2;
  }
  const files = startFirst(positionals.length ? positionals : testFiles());
  if (!files.length) {
    process.stderr.write('test: no test files\n');
    return 2;
  }
  const postgres = await sharedTestPostgres();
  try {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        `--test-concurrency=${concurrency}`,
        `--test-reporter=${values.reporter}`,
        '--test-reporter-destination=stdout',
        `--test-reporter=${SLOWEST_FILES_REPORTER}`,
        '--test-reporter-destination=stdout',
        ...files,
      ],
      { env: postgres.env, stdio: 'inherit' },
    );
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    if (signal) process.stderr.write(`test: the test runner was ended by ${signal}\n`);
    return code ?? 1;
  } finally {
    await postgres.stop();
  }
}

process.exitCode = await main();
