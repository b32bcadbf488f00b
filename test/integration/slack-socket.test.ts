/**
 * The Slack adapter in Socket Mode: the real Bolt App opens a connection through the fake
 * apps.connections.open, receives envelopes over a local WebSocket and acks each one.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { blockIds, textOf } from '../fakes/slack-blocks.ts';
import { BUTTONS, testDispatcher } from '../fakes/slack-commands.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { appMentionEvent, blockActionPayload, linkSharedEvent, slashCommandFields } from '../fakes/slack-requests.ts';
import { FakeSlackSocket } from '../fakes/slack-socket.ts';

const BOT = 'U00FAKEBOT01';
let api: FakeSlackApi;
let socket: FakeSlackSocket;
let handle: SlackHandle;
let logger: CaptureLogger;

before(async () => {
  api = await new FakeSlackApi({ botUserId: BOT }).start();
  socket = await new FakeSlackSocket().start();
  api.socketUrl = socket.url;
  logger = new CaptureLogger();
  handle = await startSlack(
    {
      botToken: 'xoxb-socket-test',
      appToken: 'xapp-1-socket-test',
      port: 0,
      apiUrl: api.apiUrl,
      botUserId: BOT,
      botId: 'B00FAKEBOT01',
      retries: 0,
    },
    { dispatcher: testDispatcher(), logger },
  );
});

after(async () => {
  await handle.stop();
  await socket.close();
  await api.close();
});

beforeEach(() => {
  api.calls.length = 0;
});

describe('GIVEN a start without known bot ids', () => {
  test('WHEN the token is wrong THEN startSlack fails with a clear message and no token', async () => {
    const bad = await new FakeSlackApi().start();
    try {
      bad.failNext('auth.test', 'invalid_auth');
      await assert.rejects(
        startSlack(
          { botToken: 'xoxb-wrong-token', appToken: 'xapp-1-x', port: 0, apiUrl: bad.apiUrl, retries: 0 },
          { dispatcher: testDispatcher(), logger: new CaptureLogger() },
        ),
        (error: Error) => error.message === 'Slack did not accept the bot token (invalid_auth); check SLACK_BOT_TOKEN.',
      );
      assert.equal(bad.callsTo('apps.connections.open').length, 0, 'no connection is attempted');
    } finally {
      await bad.close();
    }
  });

  test('WHEN the token is right THEN auth.test supplies the bot ids once and events are answered', async () => {
    const own = await new FakeSlackApi({ botUserId: 'UAUTHBOT' }).start();
    const ownSocket = await new FakeSlackSocket().start();
    own.socketUrl = ownSocket.url;
    const started = await startSlack(
      { botToken: 'xoxb-ok', appToken: 'xapp-1-ok', port: 0, apiUrl: own.apiUrl, retries: 0 },
      { dispatcher: testDispatcher(), logger: new CaptureLogger() },
    );
    try {
      assert.equal(own.callsTo('auth.test').length, 1);
      const body = appMentionEvent('<@BOT> lora', { eventId: 'EvAUTH1', botUserId: 'UAUTHBOT' });
      await ownSocket.send('events_api', body);
      const [post] = await own.waitFor('chat.postMessage');
      assert.equal(textOf(post!.args.blocks?.[0]), 'Papers about "lora"');
    } finally {
      await started.stop();
      await ownSocket.close();
      await own.close();
    }
  });
});

test('GIVEN Socket Mode WHEN the socket opens and later closes THEN connected() follows it (readiness)', async () => {
  const own = await new FakeSlackApi({ botUserId: 'UREADYBOT' }).start();
  const ownSocket = await new FakeSlackSocket().start();
  own.socketUrl = ownSocket.url;
  try {
    const started = await startSlack(
      { botToken: 'xoxb-ready', appToken: 'xapp-1-ready', port: 0, apiUrl: own.apiUrl, botUserId: 'UREADYBOT' },
      { dispatcher: testDispatcher(), logger: new CaptureLogger() },
    );
    assert.equal(started.connected(), true);
    await started.stop();
    assert.equal(started.connected(), false);
  } finally {
    await ownSocket.close();
    await own.close();
  }
});

describe('GIVEN Slack in Socket Mode', () => {
  test('THEN the app connected in Socket Mode (to the URL only apps.connections.open gives)', () => {
    assert.equal(handle.mode, 'socket');
    assert.equal(handle.port, undefined);
    assert.ok(logger.lines.some((line) => line.includes('slack adapter connected (Socket Mode)')));
  });

  test('WHEN a slash_commands envelope arrives THEN it is acked and the answer goes to response_url', async () => {
    const captured = slashCommandFields();
    const ack = await socket.send('slash_commands', {
      ...captured,
      command: '/paper',
      text: 'lora',
      response_url: api.responseUrl('socket-search'),
    });
    assert.ok(ack.envelope_id);
    const [call] = await api.waitFor('response_url');
    assert.equal(call!.target, 'socket-search');
    assert.equal(call!.args.response_type, 'ephemeral');
    assert.deepEqual(blockIds(call!.args.blocks), ['paper:2401.00003']);
  });

  test('WHEN an interactive envelope clicks Share THEN it is acked and the card is posted', async () => {
    const payload = blockActionPayload(
      BUTTONS.id({ verb: 'share', arg: '2401.00002' }),
      api.responseUrl('socket-button'),
    );
    const ack = await socket.send('interactive', payload);
    assert.ok(ack.envelope_id);
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(post!.args.channel, 'C08REALCHAN1');
    assert.equal(post!.args.blocks?.[0]?.block_id, 'paper:2401.00002');
    assert.equal(
      textOf(post!.args.blocks?.[0]).split('\n')[0],
      '*<https://arxiv.org/abs/2401.00002|&lt;!channel&gt; Attention &amp; ' +
        '&lt;https://evil.example|click me&gt; &lt;@U123&gt; is all you need &gt; @everyone>*',
    );
    assert.equal(
      post!.args.text,
      '&lt;!channel&gt; Attention &amp; &lt;https://evil.example|click me&gt; ' +
        '&lt;@U123&gt; is all you need &gt; @everyone',
    );
  });

  test('WHEN an events_api app_mention arrives THEN it is acked and answered in its thread', async () => {
    const body = appMentionEvent('<@BOT> related https://arxiv.org/abs/2401.00001', {
      eventId: 'EvSOCK1',
      botUserId: BOT,
    });
    body.event.text = `<@${BOT}> related <https://arxiv.org/abs/2401.00001>`;
    const ack = await socket.send('events_api', body);
    assert.ok(ack.envelope_id);
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(post!.args.thread_ts, body.event.ts);
    assert.equal(textOf(post!.args.blocks?.[0]), 'Related to 2401.00001');
  });

  test('WHEN Slack re-sends an event with retry_attempt THEN it is acked and not posted again', async () => {
    const body = appMentionEvent('<@BOT> lora', { eventId: 'EvSOCK2', botUserId: BOT });
    await socket.send('events_api', body);
    await api.waitFor('chat.postMessage');
    const ack = await socket.send('events_api', body, { retry_attempt: 1, retry_reason: 'timeout' });
    assert.ok(ack.envelope_id);
    await logger.waitFor('"eventId":"EvSOCK2"');
    assert.equal(api.callsTo('chat.postMessage').length, 1);
  });

  test('WHEN a link_shared event arrives THEN the paper link unfurls', async () => {
    await socket.send(
      'events_api',
      linkSharedEvent(['https://huggingface.co/papers/2401.00001'], { eventId: 'EvSOCK3' }),
    );
    const [call] = await api.waitFor('chat.unfurl');
    assert.equal(
      call!.args.unfurls?.['https://huggingface.co/papers/2401.00001']?.blocks[0]?.block_id,
      'paper:2401.00001',
    );
  });
});
