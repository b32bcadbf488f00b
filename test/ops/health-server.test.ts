import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSlack } from '../../src/adapters/slack/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import {
  opsRoutes,
  type RunningHealthServer,
  slackPortRoutes,
  startHealthServer,
} from '../../src/ops/health-server.ts';
import { PrometheusMetrics } from '../../src/ops/metrics.ts';
import { Readiness } from '../../src/ops/readiness.ts';
import { testDispatcher } from '../fakes/slack-commands.ts';

const readiness = new Readiness();
const metrics = new PrometheusMetrics();
let server: RunningHealthServer;
let base: string;
let indexLoaded = false;

before(async () => {
  readiness.set('database', () => true);
  readiness.set('index', () => indexLoaded);
  readiness.set('discord', () => {
    throw new Error('not started');
  });
  metrics.watch({ readiness: () => readiness.read(), papers: () => 71 });
  server = await startHealthServer(
    { port: 0, host: '127.0.0.1' },
    opsRoutes({ readiness, metrics, logger: silentLogger }),
    silentLogger,
  );
  base = `http://127.0.0.1:${server.port}`;
});
after(async () => {
  await server.close();
  metrics.close();
});

test('GIVEN checks that fail or throw THEN /readyz is 503 naming each, and 200 once all pass', async () => {
  const waiting = await fetch(`${base}/readyz`);
  assert.equal(waiting.status, 503);
  assert.deepEqual(await waiting.json(), { ready: false, notReady: ['index', 'discord'] });
  indexLoaded = true;
  readiness.set('discord', () => true);
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { ready: true });
});

test('GIVEN /metrics THEN the gauges read at scrape time, in Prometheus text', async () => {
  const response = await fetch(`${base}/metrics`);
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.match(text, /^paperboy_papers 71$/m);
  assert.match(text, /^paperboy_ready\{check="index"\} 1$/m);
  assert.match(text, /^# TYPE paperboy_commands_total counter$/m);
});

test('GIVEN other methods and paths THEN 405 with Allow, 404, and HEAD without a body', async () => {
  const post = await fetch(`${base}/healthz`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  assert.equal((await fetch(`${base}/admin`)).status, 404);
  const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('GIVEN the Slack HTTP port THEN /healthz always, /readyz and /metrics only with HEALTH_ON_SLACK_PORT=true', async () => {
  const routes = opsRoutes({ readiness, metrics, logger: silentLogger });
  for (const onSlackPort of [false, true]) {
    // The real Bolt app in HTTP mode, with the routes main.ts gives it.
    const slack = await startSlack(
      { botToken: 'xoxb-health', signingSecret: 'health', port: 0, host: '127.0.0.1', botUserId: 'UBOT', botId: 'B' },
      { dispatcher: testDispatcher(), logger: silentLogger, routes: slackPortRoutes(routes, onSlackPort) },
    );
    try {
      const statuses = [];
      for (const path of ['/healthz', '/readyz', '/metrics'])
        statuses.push((await fetch(`http://127.0.0.1:${slack.port}${path}`)).status);
      assert.deepEqual(
        statuses,
        onSlackPort ? [200, 200, 200] : [200, 404, 404],
        `HEALTH_ON_SLACK_PORT=${onSlackPort}`,
      );
    } finally {
      await slack.stop();
    }
  }
});
