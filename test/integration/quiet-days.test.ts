/**
 * Quiet days, through the real Slack WebClient against the fake Slack, on a clock the test moves: a daily digest that
 * found nothing posts one line when its subscription asked (`--quiet-note`), none otherwise; a source failing longer
 * than the configured time is reported once in each channel it affects, in the log and in the metrics, its
 * recovery once more; `/paper subscriptions` says when the sources were polled, whether they answered, what the last
 * round checked and what is paused.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { createSlackDelivery } from '../../src/adapters/slack/alert-delivery.ts';
import type { Poller } from '../../src/core/alerts/poller.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import type { CounterName, Metrics } from '../../src/core/metrics.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';

const FIXTURE = readFileSync(
  new URL('../fixtures/hf/daily_papers_2024-10-25_first3_trimmed.json', import.meta.url),
  'utf8',
);

let temp: ReturnType<typeof tempDir>;
let pb: Paperboy;
let api: FakeSlackApi;
let sources: PaperSourceServer;
let poller: Poller;
let clock: Date;
const logger = new CaptureLogger();
const counted: { name: CounterName; labels: Record<string, string> }[] = [];
const metrics: Metrics = {
  count: (name, labels) => void counted.push({ name, labels }),
  observe: () => {},
};
let quiet: number;

before(async () => {
  temp = tempDir('paperboy-quiet-');
  pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', { body: FIXTURE, contentType: 'application/json' });
  api = await new FakeSlackApi({ botUserId: 'UBOT' }).start();
  const client = new webApi.WebClient('xoxb-quiet', { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
  ({ poller } = createAlertSystem({
    core: pb,
    config: alertsConfig(sources.url, { sources: ['huggingface'], failingReportHours: 24 }),
    deliveries: [createSlackDelivery({ client, logger, sleep: async () => {} })],
    logger,
    metrics,
    now: () => clock,
    sourceDeps: FAST_SOURCES,
    outbox: { sleep: async () => {}, retryBaseMs: 0 },
  }));
  // Subscribed now (the test's clock runs years ahead, so both subscriptions are older than every digest below).
  const reply = await pb.dispatcher.runText(
    'subscribe quantum chromodynamics --daily 09:00 --quiet-note',
    invoker('CQUIET', 'slack'),
  );
  assert.match(reply.fallback, /and one line on a day there are none/);
  quiet = Number(/subscription #(\d+)/.exec(reply.fallback)?.[1]);
  await pb.dispatcher.runText('subscribe quantum chromodynamics --daily 09:00', invoker('COFF', 'slack'));
});

after(async () => {
  await api.close();
  await sources.close();
  await pb.close();
  temp.cleanup();
});

/** What the bot posted in a channel (root messages), as plain text. */
function posted(channel: string): string[] {
  return api
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === channel && !call.args.thread_ts)
    .map((call) => call.args.text ?? '');
}

test('GIVEN --quiet-note WHEN the daily digest found nothing THEN one line says so, and none where it is off', async () => {
  clock = new Date('2030-01-03T08:00:00Z');
  const round = await poller.pollOnce();
  assert.equal(round.sources[0]?.added, 3, 'the fixture: three new papers, none about quantum chromodynamics');
  clock = new Date('2030-01-03T08:59:00Z');
  await poller.deliverDue();
  assert.deepEqual(posted('CQUIET'), [], 'nothing before the digest time');
  clock = new Date('2030-01-03T09:00:30Z');
  await poller.deliverDue();
  clock = new Date('2030-01-03T09:01:30Z');
  await poller.deliverDue();
  assert.deepEqual(posted('CQUIET'), [
    'No new papers matched &quot;quantum chromodynamics&quot; today (3 new papers checked).'.replace(/&quot;/g, '"'),
  ]);
  assert.deepEqual(posted('COFF'), [], 'no note where the flag is off');
  const list = await pb.dispatcher.runText('subscriptions', invoker('CQUIET', 'slack'));
  assert.match(
    list.fallback,
    new RegExp(`#${quiet} {2}quantum chromodynamics {2}\\(daily digest at 09:00 UTC, quiet-day note\\)`),
  );
  assert.match(list.fallback, /Hugging Face: polled 2030-01-03 08:00 UTC, answered \(3 papers, 3 new\)\./);
  assert.match(list.fallback, /The last round \(2030-01-03 08:00 UTC\) fetched 3 papers; 3 new papers were checked/);
  assert.match(list.fallback, /Nothing is paused/);
});

test('GIVEN Hugging Face failing WHEN it has failed for 24 hours THEN each channel is told once, and once when it is back', async () => {
  sources.route('/api/daily_papers', { status: 503, body: 'unavailable' });
  clock = new Date('2030-01-03T10:00:00Z');
  await poller.pollOnce();
  clock = new Date('2030-01-04T09:00:30Z');
  await poller.pollOnce();
  // That day's quiet-day note says why it may be quiet.
  assert.match(
    posted('CQUIET').at(-1) ?? '',
    /^No new papers matched "quantum chromodynamics" today \(0 new papers checked\)\. Hugging Face has not answered since 2030-01-03 10:00 UTC\.$/,
  );
  const list = await pb.dispatcher.runText('subscriptions', invoker('COFF', 'slack'));
  assert.match(
    list.fallback,
    /Hugging Face: polled 2030-01-04 09:00 UTC, failing since 2030-01-03 10:00 UTC \(HTTP 503\); last answered 2030-01-03 08:00 UTC\./,
  );
  clock = new Date('2030-01-04T09:59:00Z');
  await poller.pollOnce();
  const heads = (channel: string) => posted(channel).filter((t) => t.startsWith('Heads-up'));
  assert.deepEqual(heads('COFF'), [], 'not before 24 hours');
  for (const at of ['2030-01-04T10:30:00Z', '2030-01-04T11:30:00Z', '2030-01-04T12:30:00Z']) {
    clock = new Date(at);
    await poller.pollOnce();
  }
  for (const channel of ['CQUIET', 'COFF']) {
    assert.equal(heads(channel).length, 1, `told once in ${channel}`);
    assert.match(
      heads(channel)[0]!,
      /^Heads-up: Hugging Face has not answered since 2030-01-03 10:00 UTC \(24 hours; HTTP 503\), so new papers from it are late\. I keep trying; the days it misses are fetched when it answers again\.$/,
    );
  }
  assert.equal(logger.lines.filter((l) => l.includes('has been failing for too long')).length, 1, 'logged once');
  const outages = () => counted.filter((c) => c.name === 'sourceOutages').map((c) => c.labels.event);
  assert.deepEqual(outages(), ['down']);

  sources.route('/api/daily_papers', { body: FIXTURE, contentType: 'application/json' });
  for (const at of ['2030-01-04T13:30:00Z', '2030-01-04T14:30:00Z']) {
    clock = new Date(at);
    await poller.pollOnce();
  }
  for (const channel of ['CQUIET', 'COFF'])
    assert.deepEqual(
      posted(channel).filter((t) => t.startsWith('Hugging Face answers again')),
      ['Hugging Face answers again (it failed from 2030-01-03 10:00 UTC); new papers from it arrive as before.'],
    );
  assert.deepEqual(outages(), ['down', 'up']);
  assert.equal(counted.filter((c) => c.name === 'noticesPosted' && c.labels.kind === 'source-down').length, 2);
});
