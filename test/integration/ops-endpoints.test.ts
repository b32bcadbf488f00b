/**
 * The operations endpoints of the running bot (a child process in Slack HTTP mode against the fake Slack and fake
 * paper sources): /healthz, /readyz and /metrics on HEALTH_PORT, and only /healthz on the public SLACK_PORT (through
 * Bolt's customRoutes; HEALTH_ON_SLACK_PORT=true adds the others: test/ops/health-server.test.ts); the metrics a
 * command, an ack and a source poll leave; and /readyz naming what is not ready while the bot loads.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { postSigned, slashCommandBody } from '../fakes/slack-requests.ts';
import { type BotProcess, startBot } from '../support/bot-process.ts';

const SECRET = 'ops-endpoints-signing-secret';
const temp = tempDir('paperboy-ops-');
let api: FakeSlackApi;
let sources: PaperSourceServer;
let bot: BotProcess;
let healthUrl: string;
let slackUrl: string;

before(async () => {
  api = await new FakeSlackApi().start();
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', {
    body: renderDailyPapers([
      {
        id: '2503.60001',
        title: 'Metrics for chat bots',
        abstract: 'We count what a chat bot does. It helps operators.',
        authors: ['Ada'],
        categories: ['cs.CL'],
        published: '2025-03-18',
        upvotes: 3,
      },
    ]),
    contentType: 'application/json',
  });
  bot = startBot({
    PAPERBOY_DB: join(temp.dir, 'pb.db'),
    PAPERBOY_INDEX_DIR: '',
    SLACK_BOT_TOKEN: 'xoxb-ops-endpoints-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_PORT: '0',
    SLACK_API_URL: api.apiUrl,
    HEALTH_PORT: '0',
    HEALTH_HOST: '127.0.0.1',
    SOURCES: 'huggingface',
    HF_API_URL: sources.url,
    ALERTS_LOG: join(temp.dir, 'alerts.jsonl'),
  });
  healthUrl = `http://127.0.0.1:${(await bot.waitForLog('health endpoints listening')).port}`;
  slackUrl = `http://127.0.0.1:${(await bot.waitForLog('slack adapter listening')).port}`;
  await bot.waitForLog('paperboy is running');
  await bot.waitForLog('alerts: source polled');
});

after(async () => {
  bot.child.kill('SIGKILL');
  await api.close();
  await sources.close();
  temp.cleanup();
});

async function get(url: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The value of one sample (`name{labels}`) in Prometheus text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GIVEN the bot running in Slack HTTP mode with HEALTH_PORT', () => {
  test('WHEN probed THEN /healthz answers on both ports, /readyz and /metrics on HEALTH_PORT only', async () => {
    for (const base of [healthUrl, slackUrl]) {
      const live = await get(`${base}/healthz`);
      assert.equal(live.status, 200, base);
      assert.deepEqual(JSON.parse(live.text), { status: 'ok' });
    }
    const ready = await get(`${healthUrl}/readyz`);
    assert.equal(ready.status, 200, ready.text);
    assert.match(ready.type, /application\/json/);
    assert.deepEqual(JSON.parse(ready.text), { ready: true });
    for (const path of ['/readyz', '/metrics'])
      assert.equal((await get(`${slackUrl}${path}`)).status, 404, `${path} is not public on SLACK_PORT`);
    assert.equal((await get(`${healthUrl}/nothing-here`)).status, 404);
  });

  test('WHEN a command ran THEN /metrics counts it, its latency, the ack, the source poll and the corpus', async () => {
    const response = await postSigned(
      `${slackUrl}/slack/events`,
      SECRET,
      slashCommandBody('diffusion', api.responseUrl('metrics')),
      'application/x-www-form-urlencoded',
    );
    assert.equal(response.status, 200);
    await api.waitFor('response_url');
    const metrics = await get(`${healthUrl}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.type, /^text\/plain; version=0\.0\.4/);
    const text = metrics.text;
    assert.equal(sample(text, 'paperboy_commands_total{command="search",platform="slack",outcome="ok"}'), 1);
    assert.equal(sample(text, 'paperboy_command_duration_seconds_count{command="search",platform="slack"}'), 1);
    assert.equal(sample(text, 'paperboy_slack_ack_duration_seconds_count{kind="command"}'), 1);
    assert.equal(sample(text, 'paperboy_source_fetches_total{source="huggingface",status="ok"}'), 1);
    assert.equal(sample(text, 'paperboy_papers'), 72);
    assert.equal(sample(text, 'paperboy_index_segments'), 2);
    for (const check of ['database', 'index', 'slack'])
      assert.equal(sample(text, `paperboy_ready{check="${check}"}`), 1, check);
    assert.ok((sample(text, 'paperboy_event_loop_lag_seconds{stat="max"}') ?? -1) >= 0);
    assert.ok(sample(text, 'process_cpu_user_seconds_total') !== undefined, 'default process metrics');
    assert.match(text, /^# TYPE paperboy_alerts_pending gauge$/m);
    assert.match(text, /^# TYPE paperboy_alerts_delivered_total counter$/m);
    assert.match(text, /^# TYPE paperboy_alerts_failed_total counter$/m);
    // Every metric is paperboy's (prefixed) or one of prom-client's defaults.
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
    const foreign = names.filter((name) => !/^(paperboy_|process_|nodejs_)/.test(name));
    assert.deepEqual(foreign, []);
  });
});

test('GIVEN a bot whose Slack is not connected yet THEN /readyz is 503 naming it, /healthz is 200', async () => {
  // Slack takes its time to answer the start-up auth.test: the platform is not connected meanwhile.
  const slow = await new FakeSlackApi().start();
  slow.delayNext('auth.test', 60_000);
  const loading = startBot({
    PAPERBOY_DB: join(temp.dir, 'loading.db'),
    PAPERBOY_INDEX_DIR: '',
    SLACK_BOT_TOKEN: 'xoxb-ops-loading-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_PORT: '0',
    SLACK_API_URL: slow.apiUrl,
    HEALTH_PORT: '0',
    HEALTH_HOST: '127.0.0.1',
    POLL_INTERVAL_MINUTES: '0',
  });
  try {
    const base = `http://127.0.0.1:${(await loading.waitForLog('health endpoints listening')).port}`;
    assert.equal((await get(`${base}/healthz`)).status, 200);
    const ready = await get(`${base}/readyz`);
    assert.equal(ready.status, 503);
    const body = JSON.parse(ready.text) as { ready: boolean; notReady: string[] };
    assert.equal(body.ready, false);
    assert.ok(body.notReady.includes('slack'), ready.text);
    // Once the corpus is open and indexed, only Slack is missing (it is still waiting for auth.test).
    const deadline = Date.now() + 60_000;
    let notReady = body.notReady;
    while (notReady.length > 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      notReady = (JSON.parse((await get(`${base}/readyz`)).text) as { notReady: string[] }).notReady;
    }
    assert.deepEqual(notReady, ['slack']);
  } finally {
    loading.child.kill('SIGKILL');
    await loading.exited;
    await slow.close();
  }
});
