/**
 * The production build: `npm run build`'s script compiles into a temporary outDir (inside the repository, so the
 * compiled code finds node_modules and package.json's `"type": "module"` as dist/ does), and the result runs with
 * plain node, no tsx: the CLI (an import, which checkpoints through the plain-JS WAL worker; a reindex, which builds
 * in the compiled index worker) and the bot with HEALTH_PORT, probed on /healthz and /readyz and stopped by SIGTERM.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../core/alerts/support.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { startBot } from '../support/bot-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const outDir = mkdtempSync(join(ROOT, '.dist-test-'));
const temp = tempDir('paperboy-dist-');
/** The environment of a production run: no tsx loader smuggled in through NODE_OPTIONS. */
const env = { ...process.env, NODE_OPTIONS: '', LOG_FORMAT: 'json', PAPERBOY_INDEX_DIR: '' };

before(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outDir', outDir, '--skip-check'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
});
after(() => {
  rmSync(outDir, { recursive: true, force: true });
  temp.cleanup();
});

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [join(outDir, 'src/cli/run.js'), ...args], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

test('GIVEN the build THEN it holds JavaScript only (workers and the built-in corpus included), nothing of tsx', () => {
  const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' });
  assert.ok(files.includes(join('src', 'main.js')));
  assert.ok(files.includes(join('src', 'core', 'search', 'build-worker.js')));
  assert.ok(files.includes(join('src', 'core', 'search', 'build-process.js')));
  assert.ok(files.includes(join('src', 'core', 'search', 'acronym-worker.js')));
  assert.ok(files.includes(join('src', 'core', 'store', 'sqlite', 'wal-checkpoint-worker.mjs')));
  assert.ok(files.includes(join('data', 'builtin-papers.txt')));
  assert.ok(files.includes(join('data', 'known-words.txt.gz')));
  assert.deepEqual(
    files.filter((f) => f.endsWith('.ts')),
    [],
  );
  const code = files.filter((f) => /\.m?js$/.test(f)).map((f) => readFileSync(join(outDir, f), 'utf8'));
  assert.ok(!code.some((text) => /from ['"]tsx|import\(['"]tsx/.test(text)), 'no module loads tsx');
  assert.ok(!code.some((text) => /from ['"]\.{1,2}\/[^'"]*\.ts['"]/.test(text)), 'relative imports point at .js');
});

test('GIVEN the compiled CLI WHEN it imports, reindexes (a build process) and reports THEN plain node runs it', () => {
  const db = join(temp.dir, 'cli.db');
  const papers = join(temp.dir, 'papers.jsonl');
  writeFileSync(
    papers,
    [
      { id: '2501.70001', title: 'Compiled builds for chat bots', abstract: 'We compile a chat bot ahead of time.' },
      { id: '2501.70002', title: 'Worker threads in production', abstract: 'Workers load compiled JavaScript.' },
    ]
      .map((p) => JSON.stringify(p))
      .join('\n'),
  );
  const imported = cli('import', papers, '--db', db);
  assert.equal(imported.code, 0, imported.err);
  assert.match(imported.out, /2 added/);
  const reindexed = cli('reindex', '--db', db);
  assert.equal(reindexed.code, 0, reindexed.err);
  assert.match(reindexed.out, /reindexed 2 papers/);
  const stats = cli('stats', '--db', db);
  assert.equal(stats.code, 0, stats.err);
  assert.deepEqual(JSON.parse(stats.out), { papers: 2, builtin: 0, indexed: 2, version: 2 });
  assert.ok(existsSync(join(temp.dir, 'index', 'cli.db.index')), 'the index built in the worker was saved');
  // Typo correction reads the known-words list shipped beside the compiled code.
  const corrected = cli('search', 'compilde', '--db', db);
  assert.equal(corrected.code, 0, corrected.err);
  assert.match(corrected.out, /^Showing results for "compiled"\n 1\. Compiled builds for chat bots/);
});

test('GIVEN the compiled bot with HEALTH_PORT THEN /healthz and /readyz answer and SIGTERM stops it cleanly', async () => {
  const api = await new FakeSlackApi().start();
  const bot = startBot(
    {
      ...env,
      PAPERBOY_DB: join(temp.dir, 'bot.db'),
      SLACK_BOT_TOKEN: 'xoxb-dist-test',
      SLACK_SIGNING_SECRET: 'dist-test-signing-secret',
      SLACK_PORT: '0',
      SLACK_API_URL: api.apiUrl,
      HEALTH_PORT: '0',
      HEALTH_HOST: '127.0.0.1',
      POLL_INTERVAL_MINUTES: '0',
    },
    { entry: join(outDir, 'src/main.js') },
  );
  try {
    const base = `http://127.0.0.1:${(await bot.waitForLog('health endpoints listening')).port}`;
    await bot.waitForLog('paperboy is running');
    const live = await fetch(`${base}/healthz`);
    assert.equal(live.status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    bot.child.kill('SIGTERM');
    const { code, output } = await bot.exited;
    assert.equal(code, 0, output);
  } finally {
    bot.child.kill('SIGKILL');
    await api.close();
  }
});
