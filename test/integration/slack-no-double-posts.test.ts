/**
 * No double posts from buttons: the real Bolt app (HTTP mode, default Web API options) against a fake Slack that
 * carries out a chat.postMessage and then drops the connection before answering. Slack has the card; a blind retry
 * would post it again. The client retries only what never reached Slack (a refused connection), shown with the
 * same options against a Slack that is down for the first attempt.
 */

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import { postMessage } from '../../src/adapters/slack/deliver.ts';
import { slackWebClientOptions } from '../../src/adapters/slack/web-client.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { BUTTONS, testDispatcher } from '../fakes/slack-commands.ts';
import { blockActionBody, blockActionPayload, postSigned } from '../fakes/slack-requests.ts';

const SECRET = 'no-double-posts-secret';
/** Longer than the client's retry backoff (500 ms, then 1 s): a retry would have come by then. */
const RETRY_WINDOW_MS = 2_000;

let api: FakeSlackApi;
let handle: SlackHandle;

before(async () => {
  api = await new FakeSlackApi({ botUserId: 'UBOT', botId: 'BBOT' }).start();
  handle = await startSlack(
    {
      botToken: 'xoxb-no-double-posts',
      signingSecret: SECRET,
      port: 0,
      host: '127.0.0.1',
      apiUrl: api.apiUrl,
      botUserId: 'UBOT',
      botId: 'BBOT',
      // `retries` left at its default: the production setting is what is under test.
    },
    { dispatcher: testDispatcher(), logger: silentLogger, sleep: async () => {} },
  );
});
after(async () => {
  await handle.stop();
  await api.close();
});
beforeEach(() => {
  api.calls.length = 0;
});

function click(actionId: string) {
  return postSigned(
    `http://127.0.0.1:${handle.port}/slack/events`,
    SECRET,
    blockActionBody(blockActionPayload(actionId, api.responseUrl('button'))),
    'application/x-www-form-urlencoded',
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GIVEN Slack posts a card and the connection drops before its answer', () => {
  for (const verb of ['share', 'summary'] as const) {
    test(`WHEN ${verb} is clicked THEN the card is posted once and the user is told it may be there`, async () => {
      api.dropAnswerNext('chat.postMessage');
      assert.equal((await click(BUTTONS.id({ verb, arg: '2401.00001' }))).status, 200);
      const [notice] = await api.waitFor('response_url');
      await pause(RETRY_WINDOW_MS);
      const cards = api.callsTo('chat.postMessage').filter((call) => !call.args.thread_ts);
      assert.equal(cards.length, 1, 'no blind retry of a post Slack carried out');
      assert.equal(cards[0]!.args.text, 'Diffusion Models Beat GANs on Image Synthesis');
      assert.equal(notice!.args.response_type, 'ephemeral');
      assert.match(JSON.stringify(notice!.args.blocks), /may have gone through/);
    });
  }
});

test('GIVEN Slack refuses the first connection THEN the post is retried and lands exactly once', async () => {
  const fake = new FakeSlackApi();
  // Learn a free port, leave it closed for the first attempt, and open it before the retry.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const client = new webApi.WebClient(
    'xoxb-refused',
    slackWebClientOptions({ apiUrl: `http://127.0.0.1:${port}/api` }),
  );
  const posting = postMessage({ client, logger: silentLogger }, 'C1', { text: 'hello', blocks: [] });
  await pause(100);
  await fake.start(port);
  try {
    assert.match((await posting) ?? '', /^1700000000\./);
    assert.equal(fake.callsTo('chat.postMessage').length, 1);
  } finally {
    await fake.close();
  }
});
