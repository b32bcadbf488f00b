/**
 * The scale bench's smoke mode as part of npm test: a tiny run (1,500 papers of the shared corpus) through the
 * real harness, every engine in its own process. Correctness only: no crash, every engine answers, the daily
 * batch becomes searchable, the cold start loads from disk, paperboy's query evaluation equals lunr.Index#query.
 * Figures are not asserted. Skipped where the shared corpus is absent.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CORPUS } from '../../bench/bench.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT_MS = 300_000;

function runSmoke(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench', 'bench.ts'), '--n', '1500', '--smoke', '--json'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`smoke bench did not finish within ${TIMEOUT_MS / 1000} s\n${stderr.slice(-2000)}`));
    }, TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('npm run bench -- --smoke: every engine runs, answers and passes the correctness checks', {
  skip: !existsSync(DEFAULT_CORPUS) && 'shared corpus not found',
  timeout: TIMEOUT_MS + 10_000,
}, async () => {
  const { code, stdout, stderr } = await runSmoke();
  assert.equal(code, 0, `bench exited with ${code}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`);
  const report = JSON.parse(stdout) as {
    papers: number;
    smoke: boolean;
    failures: string[];
    machine: { cores: number; node: string };
    engines: Array<
      Record<string, unknown> & {
        engine: string;
        fidelity?: { engine: { total: number; identical: number }; unexplained: number };
      }
    >;
  };
  assert.equal(report.papers, 1500);
  assert.equal(report.smoke, true);
  assert.deepEqual(report.failures, []);
  assert.deepEqual(
    report.engines.map((e) => e.engine),
    ['paperboy', 'plain Lunr', 'SQLite FTS5'],
  );
  for (const engine of report.engines) {
    assert.equal(engine.error, undefined, engine.engine);
    for (const key of [
      'importS',
      'indexBuildS',
      'coldStartS',
      'steadyRssMB',
      'indexDiskMB',
      'queryP50Ms',
      'queryP99Ms',
      'batchIngestS',
      'alertMatchS',
    ]) {
      assert.equal(typeof engine[key], 'number', `${engine.engine} ${key}`);
    }
    assert.equal(engine.batchSearchable, true, engine.engine);
    assert.ok(
      (engine.answered as number) >= (engine.titleQueries as number),
      `${engine.engine} answers every title-derived query`,
    );
  }
  const fidelity = report.engines[0]!.fidelity!;
  assert.ok(fidelity.engine.total >= 60);
  assert.equal(fidelity.engine.identical, fidelity.engine.total);
  assert.equal(fidelity.unexplained, 0);
});
