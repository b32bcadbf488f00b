/**
 * Alerts the platform will not take, end to end: the real Bolt App (for `/paper subscriptions`) and the real Web API
 * client (for the alerts) against the fake Slack, the real discord.js client against the fake Discord, the real
 * command line for `paperboy alerts`. An alert Slack rate-limits on every attempt, one whose fate Slack's history
 * cannot tell, one Discord refuses outright, end as dead letters: shown in the channel's subscriptions listing (in the
 * platform's syntax), counted in `paperboy_alerts_dead_total`, logged with their reason; re-queued, each is then
 * delivered once. A channel Slack will not let the bot post in is paused, and the listing says why in words, what
 * fixes it and how many alerts wait.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createDiscordDelivery } from '../../src/adapters/discord/alert-delivery.ts';
import { createSlackDelivery, slackAlertClients } from '../../src/adapters/slack/alert-delivery.ts';
import { runCli } from '../../src/cli/main.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import type { Invoker } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { PrometheusMetrics } from '../../src/ops/metrics.ts';
import { alertsConfig, FAST_SOURCES, invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { startHarness } from '../fakes/discord-harness.ts';
import { chatInput } from '../fakes/discord-payloads.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { postSigned, slashCommandBody, slashCommandFields } from '../fakes/slack-requests.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'dead-letters-secret';
const BOT = 'UBOT';
/** Where the captured slash command comes from: the channel (and user, workspace) it runs in. */
const FIELDS = slashCommandFields();
const [CHANNEL, USER, TEAM] = [FIELDS.channel_id!, FIELDS.user_id!, FIELDS.team_id!];

let sources: PaperSourceServer;
const temp = tempDir('paperboy-dead-letters-');
before(async () => {
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', {
    body: renderDailyPapers([
      {
        id: '2503.30001',
        title: 'Adapters That Never Arrive',
        abstract: 'We propose adapters for slow channels. They arrive eventually, with results on benchmarks.',
        authors: ['Ada'],
        categories: ['cs.CL'],
        published: '2025-03-18',
        upvotes: 3,
      },
    ]),
    contentType: 'application/json',
  });
});
after(async () => {
  await sources.close();
  temp.cleanup();
});

/** A bot on a SQLite file (the command line opens it too), Bolt in HTTP mode, alerts on a clock the test moves. */
async function setup(name: string) {
  let clock = Date.parse('2025-03-18T12:00:00Z');
  const api = await new FakeSlackApi({ botUserId: BOT, now: () => clock }).start();
  api.putUser(USER, { name: 'testuser', team_id: TEAM, profile: { display_name: 'Test User' } });
  const db = join(temp.dir, `${name}.db`);
  const pb = await openTestPaperboy(db);
  const bot = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-dead',
    signingSecret: SECRET,
    botUserId: BOT,
  });
  const metrics = new PrometheusMetrics();
  metrics.watch({ outbox: () => pb.alerts.outboxStatus() });
  const logger = new CaptureLogger();
  const { poller } = createAlertSystem({
    core: pb,
    config: alertsConfig(sources.url, { sources: ['huggingface'] }),
    deliveries: [
      createSlackDelivery({
        client: slackAlertClients({ botToken: 'xoxb-dead', apiUrl: api.apiUrl, retries: 0 }),
        logger: silentLogger,
        sleep: async () => {},
        minIntervalMs: 0,
      }),
    ],
    logger,
    metrics,
    now: () => new Date(clock),
    sourceDeps: FAST_SOURCES,
    outbox: { retryBaseMs: 1_000 },
  });
  const invoker: Invoker = {
    platform: 'slack',
    userId: USER,
    channelId: CHANNEL,
    workspaceId: TEAM,
    canManageChannel: true,
  };
  const reply = await pb.dispatcher.runText('subscribe adapters', invoker);
  assert.match(reply.fallback, /Subscribed/);

  /** `/paper <text>` typed in the channel, through Bolt; resolves to what it answered there. */
  const slash = async (text: string): Promise<string> => {
    const before = api.callsTo('response_url').length;
    await postSigned(
      bot.eventsUrl,
      SECRET,
      slashCommandBody(text, api.responseUrl(text)),
      'application/x-www-form-urlencoded',
    );
    const calls = await api.waitFor('response_url', before + 1);
    return JSON.stringify(calls.at(-1)!.args);
  };
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      [...args, '--db', db],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      Readable.from(['']),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const roots = (): RecordedCall[] =>
    api.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL && !c.args.thread_ts);
  return {
    api,
    pb,
    poller,
    metrics,
    logger,
    slash,
    cli,
    roots,
    tick: (ms: number) => {
      clock += ms;
    },
    close: async () => {
      await bot.handle.stop();
      metrics.close();
      await pb.close();
      await api.close();
    },
  };
}

test(
  'GIVEN a channel where Slack answers 429 to every post ' +
    'THEN after 8 attempts the alert is a dead letter: shown by /paper subscriptions, counted, logged; ' +
    'paperboy alerts retry re-queues it and it is delivered once when Slack recovers',
  async () => {
    const { api, pb, poller, metrics, logger, slash, cli, roots, tick, close } = await setup('rate-limited');
    try {
      api.rateLimitAlways('chat.postMessage', 1);
      await poller.pollOnce();
      for (let round = 2; round <= 8; round++) {
        tick(10 * 60_000);
        assert.equal((await pb.alerts.rows())[0]!.state, 'pending', `still retried before round ${round}`);
        await poller.deliverDue();
      }
      const [dead] = await pb.alerts.rows();
      assert.deepEqual([dead!.state, dead!.lastError], ['dead', 'rate limited 8 times']);
      const tried = roots().length;
      tick(60 * 60_000);
      await poller.deliverDue();
      assert.equal(roots().length, tried, 'a dead letter is not retried by itself');
      assert.equal(roots().filter((c) => c.result?.ok).length, 0, 'Slack took nothing');

      const listed = await slash('subscriptions');
      assert.match(
        listed,
        /1 alert could not be delivered: rate limited 8 times\. To try again, run .*subscriptions resume/,
      );
      const exposition = (await metrics.exposition()).body;
      assert.match(exposition, /paperboy_alerts_dead_total\{platform="slack",reason="rate_limited"\} 1\n/);
      assert.match(exposition, /paperboy_alerts_dead\{platform="slack"\} 1\n/);
      const line = logger.lines.find((l) => l.startsWith('error ') && l.includes('dead letters'));
      assert.ok(line, 'an error line names the dead letters');
      assert.match(line, /"reason":"rate limited 8 times"/);
      assert.match(line, new RegExp(`paperboy alerts retry --channel slack:${TEAM}:${CHANNEL}`));

      const shown = await cli('alerts', 'dead');
      assert.equal(shown.code, 0, shown.err);
      assert.match(shown.out, new RegExp(`^slack:${TEAM}:${CHANNEL}: 1 not delivered: rate limited 8 times`));
      const retried = await cli('alerts', 'retry', '--channel', `slack:${TEAM}:${CHANNEL}`);
      assert.equal(retried.code, 0, retried.err);
      assert.match(retried.out, new RegExp(`^re-queued 1 alert in slack:${TEAM}:${CHANNEL}`));
      assert.match((await cli('alerts', 'retry')).out, /^no dead letters$/);

      api.recover('chat.postMessage');
      tick(60_000);
      await poller.deliverDue();
      await poller.deliverDue();
      const delivered = roots().filter((c) => c.result?.ok);
      assert.equal(delivered.length, 1, 'delivered once');
      assert.equal(
        api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === delivered[0]!.result!.ts).length,
        1,
        'its summary in the thread, once',
      );
      assert.equal((await pb.alerts.rows())[0]!.state, 'sent');
      assert.doesNotMatch(await slash('subscriptions'), /could not be delivered/);
    } finally {
      await close();
    }
  },
);

test(
  'GIVEN an alert whose answer was lost and a channel history Slack keeps failing to return ' +
    'THEN Slack is asked for 5 rounds, then it is a dead letter "could not tell whether it was sent"; ' +
    '/paper subscriptions resume re-queues it, and once the history is readable it is found, not posted again',
  async () => {
    const { api, pb, poller, metrics, slash, roots, tick, close } = await setup('unreadable');
    try {
      api.dropAnswerNext('chat.postMessage');
      // (A token that lacks a scope pauses the channel instead, naming the scope: see the last test.)
      api.failAlways('conversations.history', 'internal_error');
      await poller.pollOnce();
      assert.equal((await pb.alerts.rows())[0]!.state, 'sending', 'posted, but paperboy never heard so');
      for (let round = 1; round <= 6; round++) {
        tick(60_000);
        await poller.deliverDue();
      }
      const [dead] = await pb.alerts.rows();
      assert.deepEqual([dead!.state, dead!.lastError], ['dead', 'could not tell whether it was sent']);
      assert.equal(api.callsTo('conversations.history').length, 5, 'asked 5 times, then no more');
      assert.equal(roots().length, 1, 'never posted again while its fate was unknown');
      assert.match(
        (await metrics.exposition()).body,
        /paperboy_alerts_dead_total\{platform="slack",reason="outcome_unknown"\} 1\n/,
      );
      assert.match(await slash('subscriptions'), /1 alert could not be delivered: could not tell whether it was sent/);

      assert.match(await slash('subscriptions resume'), /1 undelivered alert queued again/);
      api.recover('conversations.history');
      tick(60_000);
      await poller.deliverDue();
      assert.equal(roots().length, 1, 'found by its key in the history: not posted again');
      const row = (await pb.alerts.rows())[0]!;
      assert.deepEqual([row.state, row.messageRef], ['sent', roots()[0]!.result!.ts]);
      assert.equal(
        api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === row.messageRef).length,
        1,
        'its thread posted once',
      );
    } finally {
      await close();
    }
  },
);

test(
  'GIVEN an alert Discord refuses (400) THEN it is a dead letter shown by /paperboy subscriptions in Discord syntax; ' +
    'action:resume re-queues it and it is delivered once',
  async () => {
    const pb = await openTestPaperboy(join(temp.dir, 'discord.db'));
    const harness = await startHarness({ dispatcher: pb.dispatcher });
    try {
      const channel = harness.world.channelId;
      const { poller } = createAlertSystem({
        core: pb,
        config: alertsConfig(sources.url, { sources: ['huggingface'] }),
        deliveries: [createDiscordDelivery({ client: harness.bot.client })],
        logger: silentLogger,
        now: () => new Date('2025-03-18T12:00:00Z'),
        sourceDeps: FAST_SOURCES,
        outbox: { sleep: async () => {} },
      });
      await pb.dispatcher.runText('subscribe adapters', invoker(channel, 'discord'));
      const posts = new RegExp(`^/channels/${channel}/messages$`);
      harness.fake.failNext('POST', posts, { status: 400, code: 50035, message: 'Invalid Form Body' });
      await poller.pollOnce();
      assert.deepEqual(
        (await pb.alerts.rows()).map((r) => [r.state, r.lastError]),
        [['dead', 'the platform refused the message (50035)']],
      );
      const subscriptions = (action?: string) =>
        harness.interact(
          chatInput(harness.world, {
            name: 'paperboy',
            subcommand: 'subscriptions',
            ...(action ? { options: { action } } : {}),
          }),
        );
      const listed = JSON.stringify((await subscriptions()).body.data);
      assert.match(
        listed,
        /1 alert could not be delivered: the platform refused the message \(50035\)\. To try again, run \/paperboy subscriptions action:resume/,
      );
      assert.match(JSON.stringify((await subscriptions('resume')).body.data), /1 undelivered alert queued again/);
      await poller.deliverDue();
      const sent = harness.fake.requests.filter((r) => r.method === 'POST' && posts.test(r.path));
      assert.equal(sent.length, 2, 'the refused post and the one that went through');
      assert.equal((await pb.alerts.rows())[0]!.state, 'sent');
    } finally {
      await harness.close();
      await pb.close();
    }
  },
);

test(
  'GIVEN a channel the bot is not in, then a token without chat:write, then an archived channel ' +
    'THEN /paper subscriptions says each in words with what fixes it and how many alerts wait, never the code',
  async () => {
    const { api, pb, poller, slash, roots, tick, close } = await setup('paused');
    try {
      api.failNext('chat.postMessage', 'not_in_channel');
      await poller.pollOnce();
      const here = { platform: 'slack', workspaceId: TEAM, channelId: CHANNEL };
      assert.equal((await pb.alerts.channelPause(here))?.reason, 'not_in_channel');
      const notIn = await slash('subscriptions');
      assert.match(
        notIn,
        /Alerts here are paused since 2025-03-18 12:00 UTC: I am not in this channel\. Invite me with `\/invite @paperboy`, then run `?\/paper subscriptions resume`?\. 1 alert is waiting to be sent\./,
      );
      assert.doesNotMatch(notIn, /not_in_channel/);
      const told = api.callsTo('chat.postMessage').find((c) => c.args.channel === USER);
      assert.match(
        String(told?.args.text),
        new RegExp(`alerts in channel ${CHANNEL}, so they are paused: I am not in this channel\\. Invite me with`),
        'the subscriber is told in the same words',
      );

      assert.match(await slash('subscriptions resume'), /resumed/);
      api.failNext('chat.postMessage', 'missing_scope', 0, { needed: 'chat:write', provided: 'commands' });
      tick(60_000);
      await poller.deliverDue();
      assert.equal((await pb.alerts.channelPause(here))?.reason, 'missing_scope: chat:write');
      assert.match(
        await slash('subscriptions'),
        /paused since 2025-03-18 12:01 UTC: my token lacks the `chat:write` permission\. An admin can install paperboy again \(from `slack\/manifest\.json`, or its install link\) to grant it, then run .*resume.*\. 1 alert is waiting to be sent\./,
      );

      assert.match(await slash('subscriptions resume'), /resumed/);
      api.failNext('chat.postMessage', 'is_archived');
      tick(60_000);
      await poller.deliverDue();
      assert.match(
        await slash('subscriptions'),
        /paused since 2025-03-18 12:02 UTC: the channel was archived\. Unarchive it, then run .*resume.*\. 1 alert is waiting/,
      );

      assert.match(await slash('subscriptions resume'), /resumed/);
      tick(60_000);
      await poller.deliverDue();
      assert.equal(roots().filter((c) => c.result?.ok).length, 1, 'delivered once resumed');
      assert.match(await slash('subscriptions'), /Nothing is paused/);
    } finally {
      await close();
    }
  },
);
