/**
 * Poll → match → deliver through the real Slack WebClient and the real discord.js client against the fake Slack
 * and Discord servers: cards with "matched", summaries in threads, keys carried with each message, pacing per
 * Slack channel, and channels the bot cannot post in paused (not retried forever) with the subscriber told.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { createDiscordDelivery } from '../../src/adapters/discord/alert-delivery.ts';
import { createSlackDelivery, SLACK_ALERT_EVENT } from '../../src/adapters/slack/alert-delivery.ts';
import type { AlertDelivery } from '../../src/core/alerts/delivery.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { startHarness } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld } from '../fakes/discord-payloads.ts';
import {
  type CorpusPaper,
  type PaperSourceServer,
  renderDailyPapers,
  startPaperSourceServer,
} from '../fakes/paper-source-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';

const PAPERS: CorpusPaper[] = [
  {
    id: '2503.20001',
    title: 'Sparse LoRA <!channel> @everyone for Fast Fine-Tuning',
    abstract:
      'We propose sparse low-rank adapters that fine-tune large language models faster. ' +
      'Experiments show a two times speed-up with equal accuracy on instruction following.',
    authors: ['<@U999>', 'Mallory'],
    categories: ['cs.CL'],
    published: '2025-03-18',
  },
  {
    id: '2503.20002',
    title: 'LoRA Merging Without Interference',
    abstract:
      'We present a method to merge many LoRA adapters into one model ' +
      'without interference between tasks, and we study when merging fails.',
    authors: ['Bob'],
    categories: ['cs.LG'],
    published: '2025-03-18',
  },
];

let sources: PaperSourceServer;
before(async () => {
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', {
    body: renderDailyPapers(PAPERS.map((p) => ({ ...p, upvotes: 7 }))),
    contentType: 'application/json',
  });
});
after(async () => {
  await sources.close();
});

async function setup(delivery: (pb: Paperboy) => AlertDelivery, sleeps?: number[]) {
  const temp = tempDir();
  const pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
  const system = createAlertSystem({
    core: pb,
    config: alertsConfig(sources.url, { sources: ['huggingface'] }),
    deliveries: [delivery(pb)],
    logger: silentLogger,
    now: () => new Date('2025-03-18T12:00:00Z'),
    sourceDeps: FAST_SOURCES,
    outbox: { sleep: async (ms) => void sleeps?.push(ms), retryBaseMs: 0 },
  });
  return {
    pb,
    poller: system.poller,
    close: async () => {
      await pb.close();
      temp.cleanup();
    },
  };
}

test(
  'Slack: each alert is a card with "matched" and upvotes, tagged with its key in metadata, ' +
    'its summary in the thread; posts to one channel are paced',
  async () => {
    const slack = await new FakeSlackApi().start();
    const sleeps: number[] = [];
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const { pb, poller, close } = await setup(
      () => createSlackDelivery({ client, logger: silentLogger, sleep: async () => {} }),
      sleeps,
    );
    try {
      await pb.dispatcher.runText('subscribe lora', invoker('C1', 'slack'));
      const report = await poller.pollOnce();
      assert.equal(report.deliveries[0]!.messages, 2);
      const posts = slack.callsTo('chat.postMessage');
      const roots = posts.filter((c) => !c.args.thread_ts);
      const threads = posts.filter((c) => c.args.thread_ts);
      assert.equal(roots.length, 2);
      assert.equal(threads.length, 2);
      for (const root of roots) {
        assert.equal(root.args.channel, 'C1');
        const metadata = root.args.metadata;
        assert.ok(metadata, 'the post carries alert metadata');
        assert.equal(metadata.event_type, SLACK_ALERT_EVENT);
        assert.match(metadata.event_payload.key, /^pb[0-9a-f]{22}$/);
        const text = JSON.stringify(root.args.blocks);
        assert.match(text, /💡 Matched your subscription #\d+ \\"lora\\": lora/);
        assert.doesNotMatch(text, /<!channel>|<@U999>/, 'hostile paper text is escaped');
      }
      assert.deepEqual(threads.map((t) => t.args.thread_ts).sort(), roots.map((r) => r.result!.ts).sort());
      assert.ok(threads.every((t) => JSON.stringify(t.args.blocks).includes('TL;DR')));
      assert.ok(
        sleeps.some((ms) => ms > 0),
        'the second post in the channel waited for the per-channel interval',
      );
      assert.ok((await pb.alerts.rows()).every((r) => r.state === 'sent'));
    } finally {
      await close();
      await slack.close();
    }
  },
);

test(
  'Slack: not_in_channel pauses the channel, ' + 'tells the subscriber, is not retried, and resumes on request',
  async () => {
    const slack = await new FakeSlackApi().start();
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const { pb, poller, close } = await setup(() =>
      createSlackDelivery({ client, logger: silentLogger, sleep: async () => {}, minIntervalMs: 0 }),
    );
    try {
      await pb.dispatcher.runText('subscribe merging', invoker('C2', 'slack', 'UALICE'));
      slack.failNext('chat.postMessage', 'not_in_channel');
      await poller.pollOnce();
      const c2 = { platform: 'slack', workspaceId: '', channelId: 'C2' };
      assert.deepEqual((await pb.alerts.channelPause(c2))?.reason, 'not_in_channel');
      const dm = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'UALICE');
      assert.match(String(dm?.args.text), /paused/);
      const before = slack.callsTo('chat.postMessage').length;
      await poller.deliverDue();
      await poller.deliverDue();
      assert.equal(slack.callsTo('chat.postMessage').length, before, 'a paused channel is not retried');
      const list = await pb.dispatcher.runText('subscriptions', invoker('C2', 'slack'));
      assert.match(list.fallback, /paused .*not_in_channel/);
      const resumed = await pb.dispatcher.runText('subscriptions resume', invoker('C2', 'slack'));
      assert.match(resumed.fallback, /resumed/);
      await poller.deliverDue();
      const delivered = slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === 'C2' && !c.args.thread_ts && c.result?.ok);
      assert.equal(delivered.length, 1);
      assert.ok((await pb.alerts.rows()).every((r) => r.state === 'sent'));
    } finally {
      await close();
      await slack.close();
    }
  },
);

test('Slack: a rate limit is waited out (Retry-After) and the alert still goes out once', async () => {
  const slack = await new FakeSlackApi().start();
  const waits: number[] = [];
  const client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const { pb, poller, close } = await setup(() =>
    createSlackDelivery({ client, logger: silentLogger, sleep: async (ms) => void waits.push(ms), minIntervalMs: 0 }),
  );
  try {
    await pb.dispatcher.runText('subscribe merging', invoker('C3', 'slack'));
    slack.rateLimitNext('chat.postMessage', 2);
    await poller.pollOnce();
    assert.deepEqual(waits, [2000]);
    assert.equal(slack.callsTo('chat.postMessage').filter((c) => c.result?.ok && !c.args.thread_ts).length, 1);
  } finally {
    await close();
    await slack.close();
  }
});

test(
  'Slack: a digest thread cut short part-way is finished with only the replies it lacks; ' +
    'a thread that keeps failing is given up after 5 rounds, the card kept',
  async () => {
    const slack = await new FakeSlackApi().start();
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const logger = new CaptureLogger();
    const temp = tempDir();
    const pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
    const { poller } = createAlertSystem({
      core: pb,
      config: alertsConfig(sources.url, { sources: ['huggingface'] }),
      deliveries: [createSlackDelivery({ client, logger: silentLogger, sleep: async () => {}, minIntervalMs: 0 })],
      logger,
      now: () => new Date('2025-03-18T12:00:00Z'),
      sourceDeps: FAST_SOURCES,
    });
    const studies = Array.from({ length: 11 }, (_, i) => ({
      ...PAPERS[1]!,
      id: `2503.2${String(i + 100).padStart(4, '0')}`,
      title: `Adapter Study Number ${i + 1}`,
    }));
    try {
      await pb.dispatcher.runText('subscribe adapter study', invoker('C7', 'slack'));
      sources.route('/api/daily_papers', { body: renderDailyPapers(studies), contentType: 'application/json' });
      // The digest (5 cards) goes out, then the first of its two thread replies; the second is refused.
      slack.failNext('chat.postMessage', 'internal_error', 2);
      await poller.pollOnce();
      const root = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C7' && !c.args.thread_ts)!;
      const parts = () =>
        slack
          .callsTo('chat.postMessage')
          .filter((c) => c.args.thread_ts === root.result!.ts && c.result?.ok)
          .map((c) => c.args.metadata?.event_payload.part);
      assert.deepEqual(parts(), ['1']);
      assert.ok((await pb.alerts.rows()).every((r) => r.state === 'posted'));
      await poller.deliverDue();
      assert.deepEqual(parts(), ['1', '2'], 'only the missing reply was posted');
      assert.ok((await pb.alerts.rows()).every((r) => r.state === 'sent'));

      // A single alert whose thread Slack refuses every time.
      sources.route('/api/daily_papers', {
        body: renderDailyPapers([{ ...PAPERS[0]!, id: '2503.29999', title: 'Stubborn Threads for LoRA' }]),
        contentType: 'application/json',
      });
      await pb.dispatcher.runText('subscribe stubborn', invoker('C8', 'slack'));
      slack.failNext('chat.postMessage', 'internal_error', 1);
      for (let i = 0; i < 4; i++) slack.failNext('chat.postMessage', 'internal_error');
      await poller.pollOnce();
      for (let round = 2; round <= 5; round++) {
        assert.equal((await pb.alerts.rows()).at(-1)!.state, 'posted', `still trying in round ${round}`);
        await poller.deliverDue();
      }
      assert.equal((await pb.alerts.rows()).at(-1)!.state, 'sent', 'given up: the card is out');
      assert.ok(logger.lines.some((l) => l.startsWith('error ') && l.includes('gave up posting the summary thread')));
      const c8 = slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C8');
      assert.equal(c8.filter((c) => !c.args.thread_ts).length, 1, 'the card was posted once');
      assert.equal(c8.filter((c) => c.args.thread_ts).length, 5, 'its thread tried five times');
    } finally {
      sources.route('/api/daily_papers', {
        body: renderDailyPapers(PAPERS.map((p) => ({ ...p, upvotes: 7 }))),
        contentType: 'application/json',
      });
      await pb.close();
      temp.cleanup();
      await slack.close();
    }
  },
);

test(
  'Discord: alerts go out with nonce + enforce_nonce, ' +
    'the summary in a thread on the card; 50013 pauses the channel',
  async () => {
    const temp = tempDir();
    const pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
    const world = defaultWorld();
    world.channels.push({ ...world.channels[0]!, id: '999999999999999999', name: 'locked' });
    const harness = await startHarness({ dispatcher: pb.dispatcher, world });
    try {
      const channel = harness.world.channelId;
      const system = createAlertSystem({
        core: pb,
        config: alertsConfig(sources.url, { sources: ['huggingface'] }),
        deliveries: [createDiscordDelivery({ client: harness.bot.client })],
        logger: silentLogger,
        now: () => new Date('2025-03-18T12:00:00Z'),
        sourceDeps: FAST_SOURCES,
        outbox: { sleep: async () => {} },
      });
      await pb.dispatcher.runText('subscribe lora -merging', invoker(channel, 'discord'));
      await pb.dispatcher.runText('subscribe merging', invoker('999999999999999999', 'discord'));
      harness.fake.failNext('POST', /^\/channels\/999999999999999999\/messages$/, {
        status: 403,
        code: 50013,
        message: 'Missing Permissions',
      });
      const report = await system.poller.pollOnce();
      const sends = harness.fake.requests.filter(
        (r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`,
      );
      assert.equal(sends.length, 1);
      assert.match(String(sends[0]!.body.nonce), /^pb[0-9a-f]{22}$/);
      assert.equal(sends[0]!.body.enforce_nonce, true);
      assert.match(
        JSON.stringify(sends[0]!.body.embeds),
        /💡 Why.*Matched your subscription #\d+ \\"lora -merging\\": lora/,
      );
      assert.deepEqual(sends[0]!.body.allowed_mentions, { parse: [] }, 'hostile titles cannot ping');
      const thread = harness.fake.requests.find((r) => r.method === 'POST' && /\/threads$/.test(r.path));
      assert.ok(thread, 'a thread was started on the card');
      const threadId = thread.path.split('/')[4];
      const inThread = harness.fake.requests.filter(
        (r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`,
      );
      assert.ok(inThread.some((r) => JSON.stringify(r.body).includes('TL;DR')));
      assert.deepEqual(report.deliveries[0]!.paused, ['999999999999999999']);
      const forbidden = { platform: 'discord', workspaceId: '', channelId: '999999999999999999' };
      assert.equal((await pb.alerts.channelPause(forbidden))?.reason, '50013');
      // Said in words there, with what fixes it and what waits: not Discord's code.
      const listed = await harness.interact(
        chatInput(
          harness.world,
          { name: 'paperboy', subcommand: 'subscriptions' },
          { channelId: '999999999999999999' },
        ),
      );
      const text = JSON.stringify(listed.body.data);
      assert.match(
        text,
        /Alerts here are paused since 2025-03-18 12:00 UTC: I lack a permission in this channel \(I need View Channel, Send Messages, Embed Links, Create Public Threads and Send Messages in Threads\)\. Ask a server admin to check my role and this channel's permissions, then run \/paperboy subscriptions action:resume\. 1 alert is waiting to be sent\./,
      );
      assert.doesNotMatch(text, /50013/);
    } finally {
      await harness.close();
      await pb.close();
      temp.cleanup();
    }
  },
);
