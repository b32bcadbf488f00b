/**
 * Slack's other surfaces through the real Bolt App against the fake Web API: the message shortcuts "Save to library"
 * and "Summarize papers" (message_action payloads), the App Home tab (published on app_home_opened, refreshed after a
 * save, its search box answering in a modal), and `/paper me`'s data behind it.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { types } from '@slack/bolt';
import type { SlackHandle } from '../../src/adapters/slack/app.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import {
  appHomeOpenedEvent,
  interactivityBody,
  messageShortcutPayload,
  postSigned,
  slashCommandBody,
  slashCommandFields,
  viewActionPayload,
} from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'surfaces-secret';
const BOT = 'UBOT';
const CHANNEL = 'C0SURFACE';
const ADA = 'U0ADA';

const paper = (n: number, title: string, abstract: string): PaperInput => ({
  arxivId: `2503.0000${n}`,
  title,
  abstract,
  authors: ['Ada Lovelace'],
  published: `2025-03-0${n}`,
  categories: ['cs.LG'],
});
const PAPERS = [
  paper(1, 'Low-Rank Adapters for Diffusion', 'We propose low-rank adapters for diffusion models.'),
  paper(2, 'Quantized Adapters', 'We quantize adapters to four bits.'),
];

let pb: Paperboy;
let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;
let eventNo = 0;

before(async () => {
  pb = await testPaperboy({ papers: PAPERS, builtin: false });
  api = await new FakeSlackApi({ botUserId: BOT }).start();
  api.putUser(ADA, { name: 'ada', team_id: slashCommandFields().team_id, profile: { display_name: 'Ada' } });
  api.putMembership(ADA, [{ id: CHANNEL, name: 'papers' }]);
  ({ handle, eventsUrl } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-surfaces',
    signingSecret: SECRET,
    botUserId: BOT,
  }));
});

after(async () => {
  await handle.stop();
  await api.close();
  await pb.close();
});

beforeEach(() => {
  api.calls.length = 0;
});

const json = (value: unknown) => JSON.stringify(value ?? null);

async function shortcut(callbackId: string, message: { ts: string; text: string; thread_ts?: string }) {
  const payload = messageShortcutPayload(callbackId, message, {
    channel: CHANNEL,
    user: ADA,
    responseUrl: api.responseUrl(callbackId),
  });
  await postSigned(eventsUrl, SECRET, interactivityBody(payload), 'application/x-www-form-urlencoded');
}

test('GIVEN a message linking two papers WHEN "Save to library" THEN both are saved and the user told privately', async () => {
  await shortcut('pb_save_papers', {
    ts: '1767200000.000100',
    text: 'Read <https://arxiv.org/abs/2503.00001> and <https://huggingface.co/papers/2503.00002|this one>',
  });
  const [told] = await api.waitFor('response_url');
  assert.equal(told!.args.response_type, 'ephemeral');
  assert.match(json(told!.args.blocks), /⭐ Saved \\"Low-Rank Adapters for Diffusion\\"/);
  assert.match(json(told!.args.blocks), /⭐ Saved \\"Quantized Adapters\\"/);
  const saved = await pb.store.library.items({
    platform: 'slack',
    workspaceId: slashCommandFields().team_id!,
    channelId: CHANNEL,
  });
  assert.deepEqual(saved.map((i) => i.paperId).sort(), ['2503.00001', '2503.00002']);
  // The saver's Home tab shows the new papers at once.
  await api.waitFor('views.publish');
  assert.match(json(api.homeViews(ADA).at(-1)?.blocks), /Quantized Adapters/);
});

test('GIVEN a message linking papers WHEN "Summarize papers" THEN the digest is posted in its thread', async () => {
  await shortcut('pb_summarize_papers', {
    ts: '1767200000.000200',
    text: '<https://arxiv.org/abs/2503.00001> vs <https://arxiv.org/abs/2503.00002>',
  });
  const [post] = await api.waitFor('chat.postMessage');
  assert.equal(post!.args.thread_ts, '1767200000.000200', "in the message's thread");
  assert.match(json(post!.args.blocks), /Thread digest: 2 papers/);
});

test('GIVEN a message with no paper WHEN a shortcut is used THEN a short private answer, nothing posted', async () => {
  await shortcut('pb_summarize_papers', { ts: '1767200000.000300', text: 'lunch at noon?' });
  const [told] = await api.waitFor('response_url');
  assert.equal(told!.args.response_type, 'ephemeral');
  assert.match(json(told!.args.blocks), /names no paper I can read/);
  assert.equal(api.callsTo('chat.postMessage').length, 0);
});

test('WHEN the Home tab opens THEN it shows saved papers, alerts of managed channels, search, help, exports', async () => {
  await postSigned(
    eventsUrl,
    SECRET,
    slashCommandBody('subscribe diffusion adapters', api.responseUrl('subscribe'))
      .replace(/channel_id=[^&]+/, `channel_id=${CHANNEL}`)
      .replace(/user_id=[^&]+/, `user_id=${ADA}`),
    'application/x-www-form-urlencoded',
  );
  const [subscribed] = await api.waitFor('response_url');
  assert.match(json(subscribed!.args.blocks), /Subscribed this channel/);
  api.calls.length = 0;
  await postSigned(
    eventsUrl,
    SECRET,
    JSON.stringify(appHomeOpenedEvent(ADA, { eventId: `EvHOME${++eventNo}`, teamId: slashCommandFields().team_id })),
    'application/json',
  );
  const [published] = await api.waitFor('views.publish');
  const view = published!.args.view!;
  assert.equal(view.type, 'home');
  const blocks = view.blocks ?? [];
  assert.ok(blocks.length <= 100, "within Slack's 100 blocks");
  const text = json(blocks);
  assert.match(text, /Papers you saved, newest first/);
  assert.match(text, /Saved in #papers on/);
  assert.match(text, /Alerts in the channels you manage/);
  assert.match(text, /\*#papers\*\\n#1 {2}diffusion adapters/);
  assert.ok(
    blocks.some((b) => b.type === 'input' && (b as types.InputBlock).dispatch_action === true),
    'a search box',
  );
  assert.match(text, /"Help"/);
  assert.match(text, /Export #papers/);
});

test('GIVEN the Home tab WHEN a search is entered THEN the results open in a modal', async () => {
  const payload = viewActionPayload(
    { action_id: 'pb-home:search', type: 'plain_text_input', value: 'quantized adapters' },
    { user: ADA, view: 'home' },
  );
  await postSigned(eventsUrl, SECRET, interactivityBody(payload), 'application/x-www-form-urlencoded');
  const [opened] = await api.waitFor('views.open');
  assert.equal(opened!.args.trigger_id, '1766458600.fake-trigger');
  assert.equal(opened!.args.view?.type, 'modal');
  assert.match(json(opened!.args.view?.blocks), /Quantized Adapters/);
});

test('GIVEN the Home tab WHEN a library export is clicked THEN the BibTeX goes to the user in a direct message', async () => {
  const exportId = pb.dispatcher.buttons.id({ verb: 'library-export', arg: CHANNEL });
  const payload = viewActionPayload(
    { action_id: exportId, type: 'button', value: exportId },
    { user: ADA, view: 'home' },
  );
  await postSigned(eventsUrl, SECRET, interactivityBody(payload), 'application/x-www-form-urlencoded');
  const [complete] = await api.waitFor('files.completeUploadExternal');
  assert.equal(complete!.args.channel_id, 'D0ADA', 'in their direct messages');
  const [opened] = await api.waitFor('views.open');
  assert.match(json(opened!.args.view?.blocks), /in your direct messages/);
});
