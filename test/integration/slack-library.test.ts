/**
 * Libraries through the real Bolt App against the fake Slack Web API: the ⭐ Save button on a search card saves the
 * paper; `/paper library export` uploads the BibTeX the files.uploadV2 way (getUploadURLExternal, the upload, then
 * completeUploadExternal in the channel); the star reaction on one of the bot's cards saves its paper.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { types } from '@slack/bolt';
import type { SlackHandle } from '../../src/adapters/slack/app.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import {
  blockActionBody,
  blockActionPayload,
  linkSharedEvent,
  postSigned,
  reactionEvent,
  slashCommandBody,
} from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'library-secret';
let pb: Paperboy;
let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;

before(async () => {
  pb = await testPaperboy({
    builtin: false,
    papers: [
      {
        arxivId: '2502.00002',
        title: 'Low-Rank Adaptation for Diffusion Transformers',
        abstract: 'We propose low-rank adapters for diffusion transformers.',
        authors: ['Ada Lovelace'],
        published: '2025-02-03',
        categories: ['cs.CV'],
      },
    ],
  });
  api = await new FakeSlackApi({ botUserId: 'UBOT' }).start();
  // The people of the captured payloads are full members of their workspaces (users.info says so): they may save.
  const members: [user: string, team: string][] = [
    ['U00FAKEUSER2', 'T00FAKE00BB'],
    ['U08REALUSER1', 'T08REALTEAM1'],
    ['U0REACTOR', 'T00FAKE00AA'],
  ];
  for (const [user, team] of members) api.putUser(user, { team_id: team });
  ({ handle, eventsUrl } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-library',
    signingSecret: SECRET,
    botUserId: 'UBOT',
  }));
});

after(async () => {
  await handle.stop();
  await api.close();
  await pb.close();
});

async function slash(text: string) {
  api.calls.length = 0;
  await postSigned(
    eventsUrl,
    SECRET,
    slashCommandBody(text, api.responseUrl(text)),
    'application/x-www-form-urlencoded',
  );
}

function buttonId(blocks: readonly types.KnownBlock[] | undefined, label: string): string {
  for (const block of blocks ?? []) {
    if (block.type !== 'actions') continue;
    const found = block.elements.find((e) => e.type === 'button' && e.text.text === label);
    if (found?.action_id) return found.action_id;
  }
  assert.fail(`no "${label}" button`);
}

test('WHEN ⭐ Save is clicked on a search card THEN the paper is in the channel library', async () => {
  await slash('low-rank adapters');
  const [results] = await api.waitFor('response_url');
  api.calls.length = 0;
  const payload = blockActionPayload(buttonId(results!.args.blocks, '⭐ Save'), api.responseUrl('click'), {
    ephemeral: true,
  });
  await postSigned(eventsUrl, SECRET, blockActionBody(payload), 'application/x-www-form-urlencoded');
  const [answer] = await api.waitFor('response_url');
  assert.equal(answer!.args.response_type, 'ephemeral');
  assert.match(JSON.stringify(answer!.args.blocks), /⭐ Saved/);
  const channelId = payload.channel?.id ?? payload.container.channel_id;
  const workspaceId = payload.team?.id ?? payload.user.team_id ?? '';
  assert.equal((await pb.store.library.items({ platform: 'slack', workspaceId, channelId: channelId! })).length, 1);
});

test('WHEN /paper library export runs THEN the BibTeX is uploaded to the channel with files.uploadV2', async () => {
  await slash('save 2502.00002');
  await api.waitFor('response_url');
  await slash('library export');
  const [complete] = await api.waitFor('files.completeUploadExternal');
  const [getUrl] = api.callsTo('files.getUploadURLExternal');
  assert.equal(getUrl!.args.filename, 'library.bib');
  assert.equal(complete!.result?.ok, true);
  assert.ok(complete!.args.channel_id, 'shared in the channel');
  const fileId = complete!.args.files?.[0]?.id;
  const content = api.uploads.get(fileId!);
  assert.match(content ?? '', /^@misc\{lovelace2025lowrank,/);
  assert.match(content ?? '', /eprint = \{2502\.00002\}/);
  const [post] = api.callsTo('chat.postMessage');
  assert.match(JSON.stringify(post!.args.blocks), /BibTeX of this channel's library: 1 paper\./);
});

/** A reaction by U0REACTOR, in the captured events' workspace. */
function reaction(name: string, channel: string, ts: string, itemUser: string, eventId: string) {
  return reactionEvent('reaction_added', { reaction: name, user: 'U0REACTOR', channel, ts, itemUser, eventId });
}

test("WHEN a star reaction lands on one of the bot's cards THEN its paper is saved and the reactor told", async () => {
  const channel = 'C0STARS';
  api.putMessage(channel, {
    ts: '1766458200.000001',
    user: 'UBOT',
    blocks: [{ type: 'section', block_id: 'paper:2502.00002', text: { type: 'mrkdwn', text: 'card' } }],
  });
  api.putMessage(channel, {
    ts: '1766458200.000002',
    user: 'U0OTHER',
    blocks: [{ type: 'section', block_id: 'paper:2502.00002', text: { type: 'mrkdwn', text: 'quoted card' } }],
  });
  api.calls.length = 0;
  // Not a star, and a star on someone else's message: nothing happens.
  for (const [name, ts, itemUser, id] of [
    ['thumbsup', '1766458200.000001', 'UBOT', 'EvR1'],
    ['star', '1766458200.000002', 'U0OTHER', 'EvR2'],
  ] as const)
    await postSigned(eventsUrl, SECRET, JSON.stringify(reaction(name, channel, ts, itemUser, id)), 'application/json');
  await postSigned(
    eventsUrl,
    SECRET,
    JSON.stringify(reaction('star', channel, '1766458200.000001', 'UBOT', 'EvR3')),
    'application/json',
  );
  const [told] = await api.waitFor('chat.postEphemeral');
  assert.equal(told!.args.user, 'U0REACTOR');
  assert.match(JSON.stringify(told!.args.blocks), /⭐ Saved/);
  const workspaceId = linkSharedEvent([], { eventId: 'x' }).team_id;
  const items = await pb.store.library.items({ platform: 'slack', workspaceId, channelId: channel });
  assert.deepEqual(
    items.map((i) => [i.paperId, i.savedBy]),
    [['2502.00002', 'U0REACTOR']],
  );
  assert.equal(api.callsTo('chat.postEphemeral').length, 1, 'the other two reactions were ignored');
});
