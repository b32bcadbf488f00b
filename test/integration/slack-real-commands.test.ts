/**
 * End to end through the real stack: the real paperboy core (in-memory SQLite, Lunr, the real /paper
 * commands) behind the real Bolt App, driven the way a user would: run /paper, then click the buttons
 * found in the message Slack received, mention the bot under a posted card, share links.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { types } from '@slack/bolt';
import type { SlackHandle } from '../../src/adapters/slack/app.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.ts';
import { blockIds, blockText } from '../fakes/slack-blocks.ts';
import {
  appMentionEvent,
  blockActionBody,
  blockActionPayload,
  linkSharedEvent,
  postSigned,
  slashCommandBody,
} from '../fakes/slack-requests.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'real-commands-secret';
const BOT = 'UBOT';
const STUDY_RESULTS = 'with results on standard benchmarks.';

const PAPERS: PaperInput[] = [
  HOSTILE_PAPER,
  {
    arxivId: '2502.00002',
    title: 'Low-Rank Adaptation for Diffusion Transformers',
    abstract:
      'We propose low-rank adapters for diffusion transformers. Our adapters cut fine-tuning ' +
      'memory by 70% while matching full fine-tuning on image generation benchmarks.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    published: '2025-02-03',
    categories: ['cs.CV'],
  },
  ...Array.from({ length: 12 }, (_, i) => ({
    arxivId: `2502.1${String(i).padStart(4, '0')}`,
    title: `Diffusion Transformers Study ${i + 1}`,
    abstract: `We present study ${i + 1} of diffusion transformers for image synthesis, ${STUDY_RESULTS}`,
    authors: ['Grace Hopper'],
    published: '2025-02-10',
    categories: ['cs.CV'],
  })),
];

let pb: Paperboy;
let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;

before(async () => {
  pb = await testPaperboy({ papers: PAPERS, builtin: false });
  api = await new FakeSlackApi({ botUserId: BOT }).start();
  ({ handle, eventsUrl } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-real',
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

async function slash(text: string): Promise<RecordedCall> {
  await postSigned(
    eventsUrl,
    SECRET,
    slashCommandBody(text, api.responseUrl(text)),
    'application/x-www-form-urlencoded',
  );
  const [call] = await api.waitFor('response_url');
  api.calls.length = 0;
  return call!;
}

/** The action_id of the button labelled `label` (under the card of `paperId`, when given). */
function buttonId(blocks: readonly types.KnownBlock[] | undefined, label: string, paperId?: string): string {
  const all = blocks ?? [];
  let start = 0;
  if (paperId) start = all.findIndex((block) => block.block_id === `paper:${paperId}`);
  assert.ok(start >= 0, `card ${paperId} is in the message`);
  for (const block of all.slice(start)) {
    if (block.type !== 'actions') continue;
    const found = block.elements.find((element) => element.type === 'button' && element.text.text === label);
    if (found?.action_id) return found.action_id;
  }
  assert.fail(`no "${label}" button`);
}

function click(actionId: string, ephemeral = true) {
  return postSigned(
    eventsUrl,
    SECRET,
    blockActionBody(blockActionPayload(actionId, api.responseUrl('click'), { ephemeral })),
    'application/x-www-form-urlencoded',
  );
}

const paperIds = (call: RecordedCall) => blockIds(call.args.blocks).filter((id) => id.startsWith('paper:'));
const allText = (calls: RecordedCall[]) => JSON.stringify(calls.map((call) => call.args.blocks));

describe('GIVEN the real commands behind Slack', () => {
  test(
    'WHEN /paper searches ' +
      'THEN results are ephemeral cards with Summary, Related, Random related and Share buttons',
    async () => {
      const call = await slash('low-rank adapters');
      assert.equal(call.args.response_type, 'ephemeral');
      assert.equal(paperIds(call)[0], 'paper:2502.00002');
      for (const label of ['Summary', 'Related', '🎲 Random related', 'Share'])
        assert.ok(buttonId(call.args.blocks, label, '2502.00002'));
    },
  );

  test('WHEN /paper random, related and help run THEN each answers ephemerally through response_url', async () => {
    const random = await slash('random diffusion');
    assert.equal(random.args.response_type, 'ephemeral');
    assert.ok(paperIds(random).length >= 1);
    const related = await slash('related 2502.00002');
    assert.equal(related.args.response_type, 'ephemeral');
    assert.ok(paperIds(related).length >= 1);
    assert.ok(!paperIds(related).includes('paper:2502.00002'));
    const help = await slash('help');
    assert.equal(help.args.response_type, 'ephemeral');
    assert.match(allText([help]), /\/paper/);
    const empty = await slash('');
    assert.equal(empty.args.response_type, 'ephemeral', 'a bare /paper shows help');
  });

  test('WHEN Summary is clicked THEN the card is posted and the summary follows in its thread', async () => {
    const results = await slash('low-rank adapters');
    await click(buttonId(results.args.blocks, 'Summary', '2502.00002'));
    const [cardPost, summaryPost] = await api.waitFor('chat.postMessage', 2);
    assert.equal(paperIds(cardPost!)[0], 'paper:2502.00002');
    assert.equal(summaryPost!.args.thread_ts, cardPost!.result!.ts);
    assert.match(allText([summaryPost!]), /TL;DR/);
  });

  test('WHEN Related and Random related are clicked THEN other papers arrive ephemerally', async () => {
    const results = await slash('low-rank adapters');
    await click(buttonId(results.args.blocks, 'Related', '2502.00002'));
    const [related] = await api.waitFor('response_url');
    assert.equal(related!.args.response_type, 'ephemeral');
    assert.ok(paperIds(related!).length > 0);
    assert.ok(!paperIds(related!).includes('paper:2502.00002'), 'a paper is not related to itself');
    api.calls.length = 0;
    await click(buttonId(results.args.blocks, '🎲 Random related', '2502.00002'));
    const [random] = await api.waitFor('response_url');
    assert.equal(random!.args.response_type, 'ephemeral');
    assert.ok(paperIds(random!).length > 0);
  });

  test('WHEN More results is clicked THEN the next page replaces the ephemeral results', async () => {
    const first = await slash('diffusion transformers');
    await click(buttonId(first.args.blocks, 'More results'));
    const [next] = await api.waitFor('response_url');
    assert.equal(next!.args.replace_original, true);
    assert.ok(paperIds(next!).length > 0);
    assert.notDeepEqual(paperIds(next!), paperIds(first));
  });

  test('WHEN Share is clicked THEN the card is posted for the channel', async () => {
    const results = await slash('low-rank adapters');
    await click(buttonId(results.args.blocks, 'Share', '2502.00002'));
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(paperIds(post!)[0], 'paper:2502.00002');
    assert.equal(post!.args.thread_ts, undefined);
  });

  test('WHEN the bot is mentioned under a posted card THEN only the summary is posted in that thread', async () => {
    await postSigned(
      eventsUrl,
      SECRET,
      slashCommandBody('share 2502.00002', api.responseUrl('share')),
      'application/x-www-form-urlencoded',
    );
    const [respond] = await api.waitFor('response_url');
    assert.equal(respond!.args.response_type, 'in_channel', 'a public reply without a thread goes through respond()');
    api.putMessage('C00FAKECHAN1', {
      ts: '1766458200.000001',
      type: 'message',
      text: respond!.args.text,
      blocks: respond!.args.blocks,
    });
    api.calls.length = 0;
    await postSigned(
      eventsUrl,
      SECRET,
      JSON.stringify(appMentionEvent('<@BOT>', { threadTs: '1766458200.000001', eventId: 'EvReal1', botUserId: BOT })),
      'application/json',
    );
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(post!.args.thread_ts, '1766458200.000001');
    assert.match(allText([post!]), /TL;DR/);
    assert.deepEqual(paperIds(post!), [], 'the card is not posted again');
  });

  test('WHEN the bot is asked for something random about a topic THEN a paper comes back in the thread', async () => {
    const event = appMentionEvent('<@BOT> something random about diffusion', { eventId: 'EvReal2', botUserId: BOT });
    await postSigned(eventsUrl, SECRET, JSON.stringify(event), 'application/json');
    const [post] = await api.waitFor('chat.postMessage');
    assert.equal(post!.args.thread_ts, event.event.ts);
    assert.ok(paperIds(post!).length >= 1);
  });

  test('WHEN /paper summary gets a Slack-formatted link THEN the linked paper is summarized', async () => {
    await postSigned(
      eventsUrl,
      SECRET,
      slashCommandBody('summary <https://arxiv.org/abs/2502.00002v1|arxiv.org/abs/2502.00002v1>', api.responseUrl('s')),
      'application/x-www-form-urlencoded',
    );
    const [cardPost, summaryPost] = await api.waitFor('chat.postMessage', 2);
    assert.equal(paperIds(cardPost!)[0], 'paper:2502.00002');
    assert.equal(summaryPost!.args.thread_ts, cardPost!.result!.ts);
  });

  test('WHEN arXiv links are shared THEN papers in the corpus unfurl, others do not', async () => {
    const urls = ['https://arxiv.org/abs/2502.00002v2', 'https://arxiv.org/abs/2502.99999'];
    await postSigned(
      eventsUrl,
      SECRET,
      JSON.stringify(linkSharedEvent(urls, { eventId: 'EvReal3' })),
      'application/json',
    );
    const [call] = await api.waitFor('chat.unfurl');
    assert.deepEqual(Object.keys(call!.args.unfurls ?? {}), [urls[0]]);
    assert.equal(call!.args.unfurls?.[urls[0]!]?.blocks[0]?.block_id, 'paper:2502.00002');
  });

  test('WHEN the hostile paper is shared THEN nothing in it pings or links', async () => {
    await click('pb:h:2501.00001');
    const [post] = await api.waitFor('chat.postMessage');
    const mrkdwn = (post!.args.blocks ?? []).map((b) => blockText(b) ?? '').join('\n');
    const withoutOurLink = mrkdwn.replace('<https://arxiv.org/abs/2501.00001|', '');
    assert.doesNotMatch(withoutOurLink, /<[!@#]|<https?:/);
    assert.match(mrkdwn, /&lt;!channel&gt;/);
    assert.doesNotMatch(post!.args.text!, /<[!@#]|<https?:/);
  });
});
