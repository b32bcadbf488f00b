/**
 * One Slack thread poster for interactive answers and alerts (`postThreadReplies`): nested threads are flattened into
 * the one Slack thread, in order; alerts tag every reply with their key and keep Slack's pace; a reply that fails
 * part-way says what was not posted.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { createSlackDelivery, SLACK_ALERT_EVENT } from '../../../src/adapters/slack/alert-delivery.ts';
import { type DeliveryContext, postReply } from '../../../src/adapters/slack/deliver.ts';
import { ThreadPostError } from '../../../src/adapters/slack/slack-errors.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { type Reply, textReply } from '../../../src/core/reply.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';

/** A card whose thread holds a reply that has a thread of its own: A, then A's replies A1 and A2, then B. */
const NESTED: Reply = {
  ...textReply('root card', 'public'),
  thread: [
    { ...textReply('A', 'public'), thread: [textReply('A1', 'public'), textReply('A2', 'public')] },
    textReply('B'),
  ],
};

let slack: FakeSlackApi;
let ctx: DeliveryContext;
before(async () => {
  slack = await new FakeSlackApi().start();
  const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  ctx = { client, logger: silentLogger, sleep: async () => {} };
});
beforeEach(() => {
  slack.calls.length = 0;
});
after(() => slack.close());

const posts = () => slack.callsTo('chat.postMessage').filter((call) => call.result?.ok);

describe('postThreadReplies, through postReply and the alert delivery', () => {
  test('an interactive answer: the card, then every nested reply in its one thread, in order', async () => {
    const ts = await postReply(ctx, 'C1', NESTED);
    const [root, ...thread] = posts();
    assert.equal(root?.args.text, 'root card');
    assert.equal(root?.result?.ts, ts);
    assert.deepEqual(
      thread.map((call) => [call.args.text, call.args.thread_ts]),
      ['A', 'A1', 'A2', 'B'].map((text) => [text, ts]),
    );
    assert.ok(
      thread.every((call) => call.args.metadata === undefined),
      'interactive replies carry no metadata',
    );
  });

  test('an alert: the same flattened thread, every reply tagged with the key, paced like channel posts', async () => {
    const pauses: number[] = [];
    const delivery = createSlackDelivery({
      client: ctx.client,
      logger: silentLogger,
      sleep: async (ms) => void pauses.push(ms),
      minIntervalMs: 1100,
    });
    const channel = { platform: 'slack', workspaceId: 'T1', channelId: 'C2' };
    const ref = await delivery.post(channel, NESTED, 'pbkey');
    await delivery.postThread(channel, ref, NESTED, 'pbkeyt');
    const [root, ...thread] = posts();
    assert.deepEqual(root?.args.metadata, { event_type: SLACK_ALERT_EVENT, event_payload: { key: 'pbkey' } });
    assert.deepEqual(
      thread.map((call) => [call.args.text, call.args.thread_ts, call.args.metadata?.event_payload.key]),
      ['A', 'A1', 'A2', 'B'].map((text) => [text, ref, 'pbkeyt']),
    );
    assert.deepEqual(pauses, [1100, 1100, 1100], 'a pause before each reply after the first');
  });

  test("a thread failing part-way: postReply names the unposted replies, the alert gets Slack's own error", async () => {
    slack.failNext('chat.postMessage', 'is_archived', 3);
    const partial = await postReply(ctx, 'C3', NESTED).catch((error: unknown) => error);
    assert.ok(partial instanceof ThreadPostError, 'a ThreadPostError');
    assert.deepEqual(
      partial.unposted.map((reply) => reply.fallback),
      ['A2', 'B'],
    );

    const delivery = createSlackDelivery({ client: ctx.client, logger: silentLogger, sleep: async () => {} });
    slack.failNext('chat.postMessage', 'is_archived', 1);
    const failed = await delivery
      .postThread({ platform: 'slack', workspaceId: 'T1', channelId: 'C3' }, '1700000000.000001', NESTED, 'k')
      .catch((error: unknown) => error);
    assert.ok(!(failed instanceof ThreadPostError), "the outbox sees Slack's error, not our wrapper");
    assert.deepEqual(delivery.classify(failed), { kind: 'channel', code: 'is_archived' });
  });
});
