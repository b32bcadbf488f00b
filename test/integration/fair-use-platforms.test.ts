/**
 * Fair use as people see it on each platform, through the real Bolt App (HTTP mode) and the real discord.js Client
 * against the fakes: a full work queue answers "paperboy is busy right now" at once, privately, while the work in
 * hand is still answered; a spent budget answers "You're going a bit fast — try again in N s", privately. Every
 * request is still acknowledged in time, and nothing crashes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import { BUSY, Turns } from '../../src/adapters/turns.ts';
import type { Command } from '../../src/core/command.ts';
import { FairUse } from '../../src/core/fair-use/fair-use.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { textReply } from '../../src/core/reply.ts';
import { PrometheusMetrics } from '../../src/ops/metrics.ts';
import type { RecordedRequest } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld } from '../fakes/discord-payloads.ts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.ts';
import { testDispatcher } from '../fakes/slack-commands.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { postSigned, slashCommandFields } from '../fakes/slack-requests.ts';

const SECRET = 'fair-use-signing-secret';
const EPHEMERAL = 64;
const GOING_FAST = /^You're going a bit fast — try again in \d+ s\. \(Up to 2 commands a minute each\.\)$/;

/** A command that works until the test lets it finish: the work in hand while the queue fills up. */
function holdCommand() {
  let started!: () => void;
  let release!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const command: Command = {
    name: 'hold',
    description: 'waits',
    usage: '/paper hold',
    examples: [],
    options: [],
    async run() {
      started();
      await released;
      return textReply('held');
    },
  };
  return { command, running, release };
}

/** Lets the event loop turn until `ready()` (a queued job is queued): waiting on the work, never on the clock. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(ready(), 'the condition never came true');
}

describe('GIVEN the real Slack app with a work queue of one running job and one waiting', () => {
  let api: FakeSlackApi;
  let handle: SlackHandle;
  let events: string;
  const hold = holdCommand();
  const metrics = new PrometheusMetrics();
  const turns = new Turns({ maxInFlight: 1, maxWaiting: 1, onShed: () => metrics.count('shed', {}) });
  const logger = new CaptureLogger();

  before(async () => {
    api = await new FakeSlackApi().start();
    const fairUse = await FairUse.open({
      limits: { commands: { user: { points: 2, seconds: 60 } }, digests: {}, llm: {} },
      logger: silentLogger,
      metrics,
    });
    handle = await startSlack(
      {
        botToken: 'xoxb-fair-use',
        signingSecret: SECRET,
        port: 0,
        host: '127.0.0.1',
        apiUrl: api.apiUrl,
        botUserId: 'UBOT',
        botId: 'BBOT',
        retries: 0,
      },
      { dispatcher: testDispatcher(silentLogger, { extra: [hold.command], fairUse }), logger, turns, metrics },
    );
    events = `http://127.0.0.1:${handle.port}/slack/events`;
  });
  after(async () => {
    hold.release();
    await handle.stop();
    await api.close();
    metrics.close();
  });

  /** A signed `/paper <text>` from `user`: Slack's ack (the HTTP answer), then the answer at its response_url. */
  const command = async (text: string, user: string, name: string) => {
    const body = new URLSearchParams({
      ...slashCommandFields(),
      command: '/paper',
      text,
      user_id: user,
      response_url: api.responseUrl(name),
    }).toString();
    return postSigned(events, SECRET, body, 'application/x-www-form-urlencoded');
  };
  const answerTo = async (name: string): Promise<RecordedCall> => {
    for (let count = 1; ; count++) {
      const found = (await api.waitFor('response_url', count)).find((call) => call.target === name);
      if (found) return found;
    }
  };

  test(
    'WHEN a third command comes THEN it is acked and answered at once, privately, "busy", ' +
      'and the two in hand are answered once the work moves on',
    async () => {
      assert.equal((await command('hold', 'U0ADA', 'ada')).status, 200);
      await hold.running;
      assert.equal((await command('lora', 'U0BOB', 'bob')).status, 200);
      await until(() => turns.queued === 2);

      const carol = await command('lora', 'U0CAROL', 'carol');
      assert.equal(carol.status, 200, 'acknowledged');
      const busy = await answerTo('carol');
      assert.equal(busy.args.text, BUSY);
      assert.equal(busy.args.response_type, 'ephemeral');
      assert.equal(api.callsTo('response_url').length, 1, 'nothing else was answered yet');

      hold.release();
      assert.equal((await answerTo('ada')).args.text, 'held');
      assert.ok((await answerTo('bob')).args.blocks?.length, 'the waiting command was answered');
      assert.match((await metrics.exposition()).body, /^paperboy_work_shed_total 1$/m);
    },
  );

  test('WHEN a person runs a third command within the minute THEN only they are told to try again in N s', async () => {
    for (const n of [1, 2]) {
      assert.equal((await command('lora', 'U0DAN', `dan-${n}`)).status, 200);
      assert.doesNotMatch((await answerTo(`dan-${n}`)).args.text ?? '', /going a bit fast/);
    }
    assert.equal((await command('lora', 'U0DAN', 'dan-3')).status, 200, 'acknowledged all the same');
    const refused = await answerTo('dan-3');
    assert.match(refused.args.text ?? '', GOING_FAST);
    assert.equal(refused.args.response_type, 'ephemeral');
    assert.ok(!logger.lines.some((line) => line.startsWith('error')), logger.lines.join('\n'));
  });
});

describe('GIVEN the real Discord client', () => {
  const world = defaultWorld();
  const harnesses: DiscordHarness[] = [];
  after(async () => {
    for (const harness of harnesses) await harness.close();
  });

  const editOriginal = (token: string) => (r: RecordedRequest) =>
    r.method === 'PATCH' && r.path === `/webhooks/${world.appId}/${token}/messages/@original`;

  test(
    'WHEN the work queue is full THEN a new command is deferred privately and told "busy" at once, ' +
      'and the work in hand is answered',
    async () => {
      const hold = holdCommand();
      const turns = new Turns({ maxInFlight: 1, maxWaiting: 1 });
      const harness = await startHarness({
        world,
        dispatcher: testDispatcher(silentLogger, { extra: [hold.command] }),
        turns,
        config: { deferAfterMs: 50 },
      });
      harnesses.push(harness);
      const { fake, interact } = harness;
      const held = chatInput(world, { name: 'paper', options: { query: 'hold' } });
      const waiting = chatInput(world, { name: 'paper', options: { query: 'lora' } });
      const shed = chatInput(world, { name: 'paper', options: { query: 'lora' } });
      assert.equal((await interact(held)).body.type, 5, 'the held command is deferred after its timer');
      await hold.running;
      assert.equal((await interact(waiting)).body.type, 5, 'with work queued ahead, deferred at once');
      const from = fake.requests.length;
      const callback = await interact(shed);
      assert.equal(callback.body.type, 5, 'acknowledged at once');
      assert.equal(callback.body.data?.flags, EPHEMERAL);
      const busy = await fake.next(from, editOriginal(shed.token));
      assert.equal(busy.body.content, `⚠️ ${BUSY}`, 'shown as Discord replies show problems');
      hold.release();
      assert.equal((await fake.next(from, editOriginal(held.token))).body.content, 'held');
      assert.ok((await fake.next(from, editOriginal(waiting.token))).body.embeds?.length, 'answered');
    },
  );

  test('WHEN a person runs a third command within the minute THEN they alone are told to try again in N s', async () => {
    const fairUse = await FairUse.open({
      limits: { commands: { user: { points: 2, seconds: 60 } }, digests: {}, llm: {} },
      logger: silentLogger,
    });
    const harness = await startHarness({ world, dispatcher: testDispatcher(silentLogger, { fairUse }) });
    harnesses.push(harness);
    for (let i = 0; i < 2; i++) {
      const ok = await harness.interact(chatInput(world, { name: 'paper', options: { query: 'lora' } }));
      assert.equal(ok.body.type, 4);
      assert.doesNotMatch(ok.body.data?.content ?? '', /going a bit fast/);
    }
    const refused = await harness.interact(chatInput(world, { name: 'paper', options: { query: 'lora' } }));
    assert.equal(refused.body.type, 4, 'answered at once');
    assert.equal(refused.body.data?.flags, EPHEMERAL, 'privately');
    assert.match(refused.body.data?.content ?? '', new RegExp(`^⚠️ ${GOING_FAST.source.slice(1)}`));
  });
});
