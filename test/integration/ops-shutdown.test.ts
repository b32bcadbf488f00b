/**
 * A clean, bounded shutdown of the running bot (a child process in Slack HTTP mode, fake Slack and paper sources on
 * 127.0.0.1): SIGTERM while the poller waits out a source's Retry-After, and while a command is being answered.
 * Either way the process exits 0 within 5 s, logs that it shut down, and leaves no poll lock behind.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { postSigned, slashCommandBody } from '../fakes/slack-requests.ts';
import { type BotProcess, startBot } from '../support/bot-process.ts';

const SECRET = 'ops-shutdown-signing-secret';
const temp = tempDir('paperboy-shutdown-');
let api: FakeSlackApi;
let sources: PaperSourceServer;
const bots: BotProcess[] = [];

before(async () => {
  api = await new FakeSlackApi().start();
  sources = await startPaperSourceServer();
});
after(async () => {
  for (const bot of bots) bot.child.kill('SIGKILL');
  await api.close();
  await sources.close();
  temp.cleanup();
});

function slackBot(dbPath: string, env: Record<string, string>): BotProcess {
  const bot = startBot({
    PAPERBOY_DB: dbPath,
    PAPERBOY_INDEX_DIR: '',
    SLACK_BOT_TOKEN: 'xoxb-ops-shutdown-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_PORT: '0',
    SLACK_API_URL: api.apiUrl,
    SOURCES: 'huggingface',
    HF_API_URL: sources.url,
    ALERTS_LOG: join(temp.dir, 'alerts.jsonl'),
    ...env,
  });
  bots.push(bot);
  return bot;
}

/** SIGTERM, then the exit: its status and how long it took. */
async function terminate(bot: BotProcess): Promise<{ code: number | null; ms: number; output: string }> {
  const sent = Date.now();
  bot.child.kill('SIGTERM');
  const { code, output } = await bot.exited;
  return { code, ms: Date.now() - sent, output };
}

function pollLocks(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM poll_lock').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test(
  'GIVEN the poller waiting out a 60 s Retry-After WHEN SIGTERM arrives ' +
    'THEN the wait and the fetch are cancelled, the lock released, and the process exits 0 within 5 s',
  async () => {
    sources.route('/api/daily_papers', { status: 429, headers: { 'retry-after': '60' }, body: 'slow down' });
    const dbPath = join(temp.dir, 'retry-after.db');
    const bot = slackBot(dbPath, { POLL_INTERVAL_MINUTES: '60' });
    const waiting = await bot.waitForLog('paper source request failed, retrying');
    assert.equal(waiting.waitMs, 60_000);
    const requests = sources.requestsTo('/api/daily_papers').length;

    const { code, ms, output } = await terminate(bot);
    assert.equal(code, 0, output);
    assert.ok(ms < 5_000, `exited after ${ms} ms`);
    assert.ok(bot.logs.some((l) => l.msg === 'shutdown complete'));
    assert.ok(!bot.logs.some((l) => l.level === 'error'), output);
    const failed = bot.logs.find((l) => l.msg.startsWith('alerts: source failed'));
    assert.match(String(failed?.error), /cancelled/, 'the round ended with the request cancelled');
    assert.equal(sources.requestsTo('/api/daily_papers').length, requests, 'no retry after the signal');
    assert.equal(pollLocks(dbPath), 0, 'the poll lock was released');
  },
);

test(
  'GIVEN a command whose answer is being posted WHEN SIGTERM arrives ' +
    'THEN new commands are turned away, the answer and its thread are posted, and the process exits 0 within 5 s',
  async () => {
    const dbPath = join(temp.dir, 'in-flight.db');
    const bot = slackBot(dbPath, { POLL_INTERVAL_MINUTES: '0' });
    const port = (await bot.waitForLog('slack adapter listening')).port;
    await bot.waitForLog('paperboy is running');
    const events = `http://127.0.0.1:${port}/slack/events`;
    const command = (text: string, name: string) =>
      postSigned(events, SECRET, slashCommandBody(text, api.responseUrl(name)), 'application/x-www-form-urlencoded');

    // Slack is slow to answer the card's chat.postMessage: the command is still in flight when the signal comes.
    api.calls.length = 0;
    api.delayNext('chat.postMessage', 1_500);
    const posting = api.arrival('chat.postMessage');
    assert.equal((await command('summary Skip-Tuning in Diffusion Sampling', 'in-flight')).status, 200);
    await posting;
    const sent = Date.now();
    bot.child.kill('SIGTERM');
    await bot.waitForLog('shutting down');
    const late = await command('lora', 'late');
    assert.equal(late.status, 200);
    assert.match(late.text, /restarting/, 'a command after the signal is turned away with a note');

    const { code, output } = await bot.exited;
    const ms = Date.now() - sent;
    assert.equal(code, 0, output);
    assert.ok(ms < 5_000, `exited after ${ms} ms`);
    const posts = api.callsTo('chat.postMessage');
    assert.equal(posts.length, 2, 'the card and its summary thread');
    assert.equal(posts[1]!.args.thread_ts, posts[0]!.result!.ts);
    assert.match(posts[0]!.args.text ?? '', /Skip-Tuning/);
    assert.equal(api.callsTo('response_url').filter((c) => c.target === 'late').length, 0, 'the late one never ran');
    assert.ok(bot.logs.some((l) => l.msg === 'shutdown complete'));
    assert.equal(pollLocks(dbPath), 0);
  },
);
