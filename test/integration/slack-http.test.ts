/**
 * The Slack adapter in HTTP mode: the real Bolt App receives signed requests (built from captured
 * Slack payloads) and talks to a fake Web API; every assertion is on what reached "Slack".
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import { explainSlackPause } from '../../src/adapters/slack/pause-explanations.ts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.ts';
import { blockIds, blockText, textOf } from '../fakes/slack-blocks.ts';
import { BUTTONS, SEEN_INVOKERS, testDispatcher } from '../fakes/slack-commands.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import {
  appMentionEvent,
  blockActionBody,
  blockActionPayload,
  fixture,
  linkSharedEvent,
  postSigned,
  slashCommandBody,
} from '../fakes/slack-requests.ts';

/**
 * The last invoker the commands saw; its lazy questions to Slack (the manager check asking users.info, the channels
 * the user is in, the Home refresh) only as "there".
 */
function lastInvoker() {
  const { canManageChannel, isMember, channelsOf, libraryChanged, explainPause, ...seen } = SEEN_INVOKERS.at(-1)!;
  assert.equal(typeof canManageChannel, 'function', 'the adapter asks Slack only when a command needs to know');
  assert.equal(typeof isMember, 'function', 'likewise whether they are a member');
  assert.equal(explainPause, explainSlackPause, "Slack's pause codes in words, for /paper subscriptions");
  assert.equal(typeof channelsOf, 'function');
  assert.equal(typeof libraryChanged, 'function');
  return seen;
}

const SECRET = 'test-signing-secret-123';
const BOT = 'UBOT';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;
let logger: CaptureLogger;
const sleeps: number[] = [];

before(async () => {
  api = await new FakeSlackApi({ botUserId: BOT, botId: 'BBOT' }).start();
  logger = new CaptureLogger();
  handle = await startSlack(
    {
      botToken: 'xoxb-test-token',
      signingSecret: SECRET,
      port: 0,
      host: '127.0.0.1',
      apiUrl: api.apiUrl,
      botUserId: BOT,
      botId: 'BBOT',
      retries: 0,
    },
    {
      dispatcher: testDispatcher(),
      logger,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
  eventsUrl = `http://127.0.0.1:${handle.port}/slack/events`;
});

after(async () => {
  await handle.stop();
  await api.close();
});

beforeEach(() => {
  api.calls.length = 0;
  sleeps.length = 0;
});

const button = (label: string, id: string) => ({
  type: 'button',
  text: { type: 'plain_text', text: label, emoji: true },
  action_id: id,
  value: id,
});

/** The exact card blocks for paper 2401.00001 with the given buttons. */
function card1(buttons: Array<[string, string]>) {
  return [
    {
      type: 'section',
      block_id: 'paper:2401.00001',
      text: {
        type: 'mrkdwn',
        text:
          '*<https://arxiv.org/abs/2401.00001|Diffusion Models Beat GANs on Image Synthesis>*\n' +
          'Ada Lovelace, Alan Turing · 2024-01-01\n_We show diffusion models reach better sample quality._',
      },
    },
    { type: 'actions', elements: buttons.map(([label, verb]) => button(label, `pb:${verb}:2401.00001`)) },
  ];
}

function click(actionId: string, options: { ephemeral?: boolean; threadTs?: string } = {}) {
  return postSigned(
    eventsUrl,
    SECRET,
    blockActionBody(blockActionPayload(actionId, api.responseUrl('button'), options)),
    FORM,
  );
}

function sendEvent(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postSigned(eventsUrl, SECRET, JSON.stringify(body), JSON_TYPE, { headers });
}

function sectionTexts(call: RecordedCall): string {
  return (call.args.blocks ?? []).map((block) => blockText(block) ?? '').join('\n');
}

describe('GIVEN Slack in HTTP mode', () => {
  test('THEN the url_verification challenge from the captured body is echoed', async () => {
    const body = fixture<{ challenge: string }>('bolt-js_url_verification_body.json');
    const response = await postSigned(eventsUrl, SECRET, JSON.stringify(body), JSON_TYPE);
    assert.equal(response.status, 200);
    assert.match(response.text, new RegExp(body.challenge));
  });

  test('WHEN a request has a bad signature THEN it is rejected and nothing runs', async () => {
    const body = slashCommandBody('diffusion', api.responseUrl('bad'));
    const response = await postSigned(eventsUrl, SECRET, body, FORM, { signature: `v0=${'0'.repeat(64)}` });
    assert.equal(response.status, 401);
    const wrongSecret = await postSigned(eventsUrl, 'another-secret', body, FORM);
    assert.equal(wrongSecret.status, 401);
    assert.equal(api.callsTo('response_url').length, 0);
  });

  test('WHEN a request has a stale timestamp THEN it is rejected', async () => {
    const body = slashCommandBody('diffusion', api.responseUrl('stale'));
    const response = await postSigned(eventsUrl, SECRET, body, FORM, {
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    assert.equal(response.status, 401);
    assert.equal(api.callsTo('response_url').length, 0);
  });

  test(
    'WHEN /paper diffusion ' + 'THEN it is acked empty and the results come ephemerally through response_url',
    async () => {
      const response = await postSigned(
        eventsUrl,
        SECRET,
        slashCommandBody('diffusion', api.responseUrl('search')),
        FORM,
      );
      assert.equal(response.status, 200);
      assert.equal(response.text, '');
      const [call] = await api.waitFor('response_url');
      assert.equal(call!.target, 'search');
      assert.equal(call!.args.response_type, 'ephemeral');
      assert.equal(call!.args.replace_original, false);
      assert.equal(call!.args.text, 'Papers about "diffusion"');
      const blocks = call!.args.blocks!;
      assert.deepEqual(blocks[0], {
        type: 'header',
        text: { type: 'plain_text', text: 'Papers about "diffusion"', emoji: true },
      });
      assert.deepEqual(
        blocks.slice(1, 3),
        card1([
          ['Summary', 's'],
          ['Related', 'r'],
          ['🎲 Random related', 'x'],
          ['Share', 'h'],
        ]),
      );
      assert.equal(blocks[3]?.block_id, 'paper:2401.00003');
      assert.deepEqual(blocks.at(-1), { type: 'actions', elements: [button('More results', 'pb:q2:diffusion')] });
      assert.deepEqual(lastInvoker(), {
        platform: 'slack',
        managers: 'full members of this workspace',
        members: 'full members of this workspace',
        userId: 'U00FAKEUSER2',
        userName: 'testuser',
        channelId: 'C00FAKECHAN3',
        workspaceId: 'T00FAKE00BB',
      });
    },
  );

  test('WHEN /paper summary <id> THEN the card is posted in the channel and the summary in its thread', async () => {
    await postSigned(eventsUrl, SECRET, slashCommandBody('summary 2401.00001', api.responseUrl('summary')), FORM);
    const [cardPost, summaryPost] = await api.waitFor('chat.postMessage', 2);
    assert.equal(cardPost!.args.channel, 'C00FAKECHAN3');
    assert.equal(cardPost!.args.thread_ts, undefined);
    assert.deepEqual(
      cardPost!.args.blocks,
      card1([
        ['Related', 'r'],
        ['🎲 Random related', 'x'],
      ]),
    );
    assert.equal(summaryPost!.args.channel, 'C00FAKECHAN3');
    assert.equal(summaryPost!.args.thread_ts, cardPost!.result!.ts);
    assert.deepEqual(summaryPost!.args.blocks, [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*TL;DR*\nWe show diffusion models reach better sample quality.' },
      },
    ]);
    assert.equal(api.callsTo('response_url').length, 0);
  });

  test(
    'WHEN the Summary button is clicked ' + 'THEN the card goes to the channel and the summary into its thread',
    async () => {
      const response = await click(BUTTONS.id({ verb: 'summary', arg: '2401.00001' }));
      assert.equal(response.status, 200);
      const [cardPost, summaryPost] = await api.waitFor('chat.postMessage', 2);
      assert.equal(cardPost!.args.channel, 'C08REALCHAN1');
      assert.deepEqual(
        cardPost!.args.blocks,
        card1([
          ['Related', 'r'],
          ['🎲 Random related', 'x'],
        ]),
      );
      const posted = api.callsTo('chat.postMessage');
      assert.equal(posted.length, 2);
      assert.equal(summaryPost!.args.thread_ts, cardPost!.result!.ts);
      assert.match(sectionTexts(summaryPost!), /TL;DR/);
    },
  );

  test('WHEN the Share button is clicked THEN exactly the card is posted publicly', async () => {
    await click(BUTTONS.id({ verb: 'share', arg: '2401.00001' }));
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(post!.args.channel, 'C08REALCHAN1');
    assert.equal(post!.args.text, 'Diffusion Models Beat GANs on Image Synthesis');
    assert.equal(post!.args.unfurl_links, 'false', 'sent as a form field');
    assert.deepEqual(
      post!.args.blocks,
      card1([
        ['Summary', 's'],
        ['Related', 'r'],
        ['🎲 Random related', 'x'],
      ]),
    );
    assert.deepEqual(lastInvoker(), {
      platform: 'slack',
      managers: 'full members of this workspace',
      members: 'full members of this workspace',
      userId: 'U08REALUSER1',
      userName: 'testuser',
      channelId: 'C08REALCHAN1',
      workspaceId: 'T08REALTEAM1',
    });
  });

  test('WHEN Related is clicked THEN related papers arrive ephemerally, as a new message', async () => {
    await click(BUTTONS.id({ verb: 'related', arg: '2401.00001' }));
    const [call] = await api.waitFor('response_url');
    assert.equal(call!.args.response_type, 'ephemeral');
    assert.equal(call!.args.replace_original, false);
    assert.equal(textOf(call!.args.blocks?.[0]), 'Related to 2401.00001');
    assert.deepEqual(blockIds(call!.args.blocks), ['paper:2401.00002', 'paper:2401.00003']);
  });

  test('WHEN Random related is clicked THEN one related paper arrives ephemerally', async () => {
    await click(BUTTONS.id({ verb: 'random-related', arg: '2401.00001' }));
    const [call] = await api.waitFor('response_url');
    assert.equal(call!.args.response_type, 'ephemeral');
    assert.deepEqual(blockIds(call!.args.blocks), ['paper:2401.00004']);
  });

  test('WHEN More results is clicked on ephemeral results THEN the next page replaces them', async () => {
    await click(BUTTONS.id({ verb: 'search', arg: 'diffusion', page: 2 }), { ephemeral: true });
    const [call] = await api.waitFor('response_url');
    assert.equal(call!.args.replace_original, true);
    assert.deepEqual(blockIds(call!.args.blocks), ['paper:2401.00004']);
  });

  test('WHEN a paging reply comes from a public message THEN it never replaces the public message', async () => {
    await click(BUTTONS.id({ verb: 'search', arg: 'diffusion', page: 2 }), { ephemeral: false });
    const [call] = await api.waitFor('response_url');
    assert.equal(call!.args.replace_original, false);
    assert.equal(call!.args.response_type, 'ephemeral');
  });

  test('WHEN a forged button id arrives THEN the user gets a clear ephemeral message', async () => {
    await click('pb:z:nonsense');
    const [call] = await api.waitFor('response_url');
    assert.equal(call!.args.response_type, 'ephemeral');
    assert.match(textOf(call!.args.blocks?.[0]), /^:warning: That button is no longer valid/);
    assert.equal(api.callsTo('chat.postMessage').length, 0);
  });
});

describe('GIVEN mentions of the bot', () => {
  test('WHEN @paperboy is mentioned in the thread of a paper card THEN the summary goes into that thread', async () => {
    await click(BUTTONS.id({ verb: 'share', arg: '2401.00003' }));
    const [cardPost] = await api.waitFor('chat.postMessage');
    const rootTs = cardPost!.result!.ts as string;
    api.calls.length = 0;
    await sendEvent(
      appMentionEvent('<@BOT>', { threadTs: rootTs, eventId: 'EvCARD1', botUserId: BOT, channel: 'C08REALCHAN1' }),
    );
    const [replies] = await api.waitFor('conversations.replies');
    assert.equal(replies!.args.ts, rootTs);
    assert.equal(replies!.args.channel, 'C08REALCHAN1');
    const posts = await api.waitFor('chat.postMessage');
    assert.equal(posts[0]!.args.thread_ts, rootTs);
    assert.equal(posts[0]!.args.channel, 'C08REALCHAN1');
    assert.match(posts.map(sectionTexts).join('\n'), /TL;DR\*\nLow-rank adapters/);
  });

  test(
    'WHEN @paperboy is mentioned under a message with an arXiv link ' + 'THEN that paper is summarized in the thread',
    async () => {
      api.putMessage('C00FAKECHAN1', {
        ts: '1766458000.000001',
        type: 'message',
        user: 'U00FAKEUSER1',
        text: 'worth a read <https://arxiv.org/pdf/2401.00003v2>',
      });
      await sendEvent(
        appMentionEvent('<@BOT> ', { threadTs: '1766458000.000001', eventId: 'EvLINK1', botUserId: BOT }),
      );
      const posts = await api.waitFor('chat.postMessage');
      assert.equal(posts[0]!.args.thread_ts, '1766458000.000001');
      assert.equal(posts[0]!.args.channel, 'C00FAKECHAN1');
      assert.match(posts.map(sectionTexts).join('\n'), /Low-rank adapters/);
    },
  );

  test('WHEN the mention says "related" in a card thread THEN related papers are posted in the thread', async () => {
    api.putMessage('C00FAKECHAN1', {
      ts: '1766458000.000002',
      type: 'message',
      text: 'x',
      blocks: [{ type: 'section', block_id: 'paper:2401.00001', text: { type: 'mrkdwn', text: 'card' } }],
    });
    await sendEvent(
      appMentionEvent('<@BOT> related', { threadTs: '1766458000.000002', eventId: 'EvREL1', botUserId: BOT }),
    );
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(post!.args.thread_ts, '1766458000.000002');
    assert.equal(textOf(post!.args.blocks?.[0]), 'Related to 2401.00001');
  });

  test('WHEN a mention outside a thread has words THEN the answer starts a thread under the mention', async () => {
    const event = appMentionEvent('<@BOT> lora', { eventId: 'EvWORDS1', botUserId: BOT });
    await sendEvent(event);
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(post!.args.thread_ts, event.event.ts);
    assert.equal(textOf(post!.args.blocks?.[0]), 'Papers about "lora"');
    assert.equal(api.callsTo('conversations.replies').length, 0);
    assert.deepEqual(lastInvoker(), {
      platform: 'slack',
      managers: 'full members of this workspace',
      members: 'full members of this workspace',
      userId: 'U00FAKEUSER1',
      channelId: 'C00FAKECHAN1',
      workspaceId: 'T00FAKE00AA',
    });
  });

  test('WHEN Slack retries an event (X-Slack-Retry-Num) THEN it is acked and never posted twice', async () => {
    const event = appMentionEvent('<@BOT> lora', { eventId: 'EvRETRY1', botUserId: BOT });
    await sendEvent(event);
    await api.waitFor('chat.postMessage');
    const retry = await sendEvent(event, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    assert.equal(retry.status, 200);
    await logger.waitFor('"eventId":"EvRETRY1"');
    assert.equal(api.callsTo('chat.postMessage').length, 1);
  });

  test('WHEN a mention has hostile words THEN nothing of it is echoed as markup', async () => {
    await sendEvent(
      appMentionEvent('<@BOT> zzz-no-match <!channel> &lt;script&gt;', { eventId: 'EvHOSTILE', botUserId: BOT }),
    );
    const [post] = await api.waitFor('chat.postMessage');
    const text = JSON.stringify(post!.args.blocks);
    assert.doesNotMatch(text, /<!channel>|<script>/);
    assert.match(text, /&lt;script&gt;/);
  });
});

describe('GIVEN links to papers', () => {
  test(
    'WHEN arXiv and Hugging Face links are shared ' +
      'THEN the known papers unfurl into cards and unknown ones are skipped',
    async () => {
      const urls = [
        'https://arxiv.org/abs/2401.00001v3',
        'https://huggingface.co/papers/2401.00003',
        'https://arxiv.org/abs/2501.99999',
        'https://huggingface.co/models',
      ];
      await sendEvent(linkSharedEvent(urls, { eventId: 'EvUNF1' }));
      const [call] = await api.waitFor('chat.unfurl');
      assert.equal(call!.args.channel, 'C00FAKECHAN1');
      assert.equal(call!.args.ts, '1766458099.000100');
      assert.deepEqual(Object.keys(call!.args.unfurls ?? {}), [urls[0], urls[1]]);
      assert.deepEqual(
        call!.args.unfurls?.[urls[0]!]?.blocks,
        card1([
          ['Summary', 's'],
          ['Related', 'r'],
          ['🎲 Random related', 'x'],
        ]),
      );
      assert.equal(call!.args.unfurls?.[urls[1]!]?.blocks[0]?.block_id, 'paper:2401.00003');
    },
  );

  test('WHEN a link is typed in the composer THEN the unfurl targets unfurl_id and source', async () => {
    const body = linkSharedEvent(['https://arxiv.org/abs/2401.00003'], {
      eventId: 'EvUNFC',
      messageTs: 'U00FAKEUSER1-909b5454-75f8-4ac4-b325-1b40e230bbd8',
    });
    body.event.source = 'composer';
    body.event.unfurl_id = 'U00FAKEUSER1-909b5454-75f8-4ac4-b325-1b40e230bbd8';
    await sendEvent(body);
    const [call] = await api.waitFor('chat.unfurl');
    assert.equal(call!.args.source, 'composer');
    assert.equal(call!.args.unfurl_id, body.event.unfurl_id);
    assert.equal(call!.args.channel, undefined);
    assert.equal(call!.args.unfurls?.['https://arxiv.org/abs/2401.00003']?.blocks[0]?.block_id, 'paper:2401.00003');
  });

  test('WHEN only unknown papers are linked THEN chat.unfurl is not called', async () => {
    await sendEvent(linkSharedEvent(['https://arxiv.org/abs/2501.99999'], { eventId: 'EvUNF2' }));
    await sendEvent(
      linkSharedEvent(['https://arxiv.org/abs/2401.00004'], { eventId: 'EvUNF3', messageTs: '1766458111.000100' }),
    );
    const calls = await api.waitFor('chat.unfurl');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.args.ts, '1766458111.000100');
  });
});

describe('GIVEN Slack API errors', () => {
  test(
    'WHEN posting a shared card fails with not_in_channel ' + 'THEN the user is told how to fix it and sees the card',
    async () => {
      api.failNext('chat.postMessage', 'not_in_channel');
      await click(BUTTONS.id({ verb: 'share', arg: '2401.00001' }));
      const [call] = await api.waitFor('response_url');
      assert.equal(call!.args.response_type, 'ephemeral');
      assert.equal(
        textOf(call!.args.blocks?.[0]),
        ":warning: I can't post in this channel because I'm not a member. " +
          'Invite me with `/invite @paperboy` and try again.',
      );
      assert.equal(call!.args.blocks?.[1]?.block_id, 'paper:2401.00001');
      assert.ok(logger.lines.some((line) => line.includes('slack call failed') && line.includes('not_in_channel')));
      assert.ok(!logger.lines.some((line) => /xoxb-test-token/.test(line)), 'the token never reaches the log');
    },
  );

  test('WHEN /paper summary hits channel_not_found THEN the user gets an ephemeral explanation', async () => {
    api.failNext('chat.postMessage', 'channel_not_found');
    await postSigned(eventsUrl, SECRET, slashCommandBody('summary 2401.00001', api.responseUrl('cnf')), FORM);
    const [call] = await api.waitFor('response_url');
    assert.equal(call!.args.response_type, 'ephemeral');
    assert.match(textOf(call!.args.blocks?.[0]), /I can't see this channel/);
    assert.match(JSON.stringify(call!.args.blocks), /TL;DR/, 'the summary is still shown to the user');
  });

  test('WHEN the card posts but its summary does not THEN the user sees the missing summary ephemerally', async () => {
    api.failNext('chat.postMessage', 'internal_error', 1);
    await click(BUTTONS.id({ verb: 'summary', arg: '2401.00001' }));
    const [call] = await api.waitFor('response_url');
    assert.equal(api.callsTo('chat.postMessage').length, 2);
    assert.equal(call!.args.response_type, 'ephemeral');
    assert.deepEqual(call!.args.blocks, [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: ':warning: Slack did not accept my answer (internal_error). Please try again.' },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*TL;DR*\nWe show diffusion models reach better sample quality.' },
      },
    ]);
    await logger.waitFor('"what":"post thread reply","code":"internal_error"');
  });

  test('WHEN Slack answers ratelimited with Retry-After THEN the post is retried after that long', async () => {
    api.rateLimitNext('chat.postMessage', 3);
    await click(BUTTONS.id({ verb: 'share', arg: '2401.00001' }));
    const posts = await api.waitFor('chat.postMessage', 2);
    assert.deepEqual(sleeps, [3000]);
    assert.deepEqual(posts[0]!.args.blocks, posts[1]!.args.blocks);
    assert.equal(api.callsTo('response_url').length, 0);
  });

  test('WHEN Slack keeps rate-limiting THEN the user is asked to try again later', async () => {
    for (let i = 0; i < 3; i++) api.rateLimitNext('chat.postMessage', 1);
    await click(BUTTONS.id({ verb: 'share', arg: '2401.00001' }));
    const [call] = await api.waitFor('response_url');
    assert.match(textOf(call!.args.blocks?.[0]), /rate-limiting me/);
    assert.equal(api.callsTo('chat.postMessage').length, 3);
  });

  test('WHEN answering a mention fails with not_in_channel THEN it is logged and nothing crashes', async () => {
    api.failNext('chat.postMessage', 'not_in_channel');
    await sendEvent(appMentionEvent('<@BOT> lora', { eventId: 'EvNIC1', botUserId: BOT }));
    await logger.waitFor('"what":"answer mention","code":"not_in_channel"');
    assert.equal(api.callsTo('chat.postEphemeral').length, 0, 'no explanation where the bot cannot talk');
    await sendEvent(appMentionEvent('<@BOT> lora', { eventId: 'EvNIC2', botUserId: BOT }));
    const posts = await api.waitFor('chat.postMessage', 2);
    assert.equal(posts[1]!.result!.ok, true);
  });

  test('WHEN a mention answer hits msg_too_long THEN the person is told ephemerally in the thread', async () => {
    api.failNext('chat.postMessage', 'msg_too_long');
    const event = appMentionEvent('<@BOT> lora', { eventId: 'EvMTL1', botUserId: BOT });
    await sendEvent(event);
    const [ephemeral] = await api.waitFor('chat.postEphemeral');
    assert.equal(ephemeral!.args.user, 'U00FAKEUSER1');
    assert.equal(ephemeral!.args.thread_ts, event.event.ts);
    assert.equal(
      textOf(ephemeral!.args.blocks?.[0]),
      ':warning: That answer was too long for Slack to show. Try a narrower request.',
    );
  });

  test('WHEN the response_url has expired THEN it is logged and the app keeps working', async () => {
    api.failNextResponse(404);
    await postSigned(eventsUrl, SECRET, slashCommandBody('lora', api.responseUrl('expired')), FORM);
    await logger.waitFor('respond_failed');
    await postSigned(eventsUrl, SECRET, slashCommandBody('lora', api.responseUrl('after')), FORM);
    const calls = await api.waitFor('response_url', 2);
    assert.equal(calls[1]!.target, 'after');
  });
});
