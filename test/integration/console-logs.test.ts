/**
 * `npm start` with no tokens, as a new user runs it: the console chat owns the terminal, so log lines (here the
 * warnings of a paper source that keeps failing) go to paperboy.log beside the database, named once at start,
 * and never appear between the prompt and an answer, on standard output or standard error.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../core/alerts/support.ts';
import { startPaperSourceServer } from '../fakes/paper-source-server.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
/** A log line as the logger writes it: a JSON line with a level, or a readable line (`INFO: ...`). */
const LOG_LINE = /"level":"(debug|info|warn|error)"|\b(DEBUG|INFO|WARN|ERROR): /;
const SOURCE_WARNING = '"msg":"paper source request failed, retrying"';

const temp = tempDir('paperboy-console-logs-');
let child: ChildProcess | undefined;
after(() => {
  child?.kill('SIGKILL');
  temp.cleanup();
});

/** Polls until check() holds, at most timeoutMs; fails with what it was waiting for. */
async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('GIVEN the console chat and a failing paper source THEN warnings go to the log file, not the conversation', async () => {
  const sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', { status: 503, body: 'unavailable' });
  try {
    const dbPath = join(temp.dir, 'pb.db');
    const logFile = join(temp.dir, 'paperboy.log');
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PAPERBOY_DB: dbPath,
        PAPERBOY_INDEX_DIR: '',
        LOG_LEVEL: 'info',
        // Set (empty) so a developer's .env cannot turn a platform or PostgreSQL on.
        SLACK_BOT_TOKEN: '',
        SLACK_APP_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        DISCORD_TOKEN: '',
        DISCORD_APP_ID: '',
        DATABASE_URL: '',
        SOURCES: 'huggingface',
        HF_API_URL: sources.url,
        POLL_INTERVAL_MINUTES: '60',
        ALERTS_LOG: join(temp.dir, 'alerts.jsonl'),
      },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.stderr!.on('data', (chunk) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    const warnings = () =>
      log()
        .split('\n')
        .filter((line) => line.includes(SOURCE_WARNING) && line.includes('"level":"warn"')).length;

    await until('the prompt', () => out.includes('you › '));
    assert.equal(out.split(`(log lines go to ${logFile})`).length - 1, 1, `the log file is named once:\n${out}`);
    await until('the first warning in the log file', () => warnings() >= 1);
    child.stdin!.write('/paper lora\n');
    await until('the answer to /paper lora', () => /Results for "lora"/.test(out));
    // The source keeps failing while the user talks: the retries log more warnings meanwhile.
    await until('a retry warning after the question', () => warnings() >= 2);
    child.stdin!.write('/paper random diffusion\n');
    await until('the answer to /paper random', () => out.includes('🎲 A random paper about "diffusion"'));
    child.stdin!.write('/quit\n');
    assert.equal(await exited, 0, err);

    assert.ok(sources.requestsTo('/api/daily_papers').length >= 2, 'the source was polled and retried');
    assert.doesNotMatch(out, LOG_LINE, 'no log line in the conversation (standard output)');
    assert.doesNotMatch(err, LOG_LINE, 'no log line on standard error either');
    assert.ok(!out.includes('paper source request failed') && !err.includes('paper source request failed'));
    assert.match(log(), /"level":"info".*"msg":"corpus ready"/);
    assert.ok(warnings() >= 2, log());
  } finally {
    await sources.close();
  }
});
