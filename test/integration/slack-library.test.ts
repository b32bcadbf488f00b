/**
 * Libraries through the real Bolt App against the fake Slack Web API: the ⭐ Save button on a search card saves the
 * paper; `/paper library export` uploads the BibTeX the files.uploadV2 way (getUploadURLExternal, the upload, then
 * completeUploadExternal in the channel).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { types } from '@slack/bolt';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { blockActionBody, blockActionPayload, postSigned, slashCommandBody } from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';

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
  handle = await startSlack(
    {
      botToken: 'xoxb-library',
      signingSecret: SECRET,
      port: 0,
      host: '127.0.0.1',
      apiUrl: api.apiUrl,
      botUserId: 'UBOT',
      botId: 'BBOT',
      retries: 0,
    },
    { dispatcher: pb.dispatcher, logger: new CaptureLogger() },
  );
  eventsUrl = `http://127.0.0.1:${handle.port}/slack/events`;
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
  const channel = payload.channel?.id ?? payload.container.channel_id;
  assert.equal((await pb.store.library.items('slack', channel!)).length, 1);
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
