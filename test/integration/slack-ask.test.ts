/**
 * Questions in a paper's thread on Slack, end to end: the real Bolt App and the real paperboy core against the fake
 * Web API. Under a paper's card, `@paperboy <question>` answers with the abstract's sentence that answers it, quoted;
 * a question the abstract does not answer is told so; a thread naming several papers asks which one, with buttons,
 * and the button answers in the thread; the thread words that meant something before ("related") still do.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { types } from '@slack/bolt';
import type { SlackHandle } from '../../src/adapters/slack/app.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { appMentionEvent, blockActionBody, blockActionPayload, postSigned } from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'ask-secret';
const BOT = 'UBOT';
const CHANNEL = 'C0ASK0001';

export const ADAPTERS: PaperInput = {
  arxivId: '2502.00002',
  title: 'Low-Rank Adapters for Diffusion Transformers',
  abstract:
    'Fine-tuning diffusion transformers is costly. We propose low-rank adapters for diffusion transformers. ' +
    'We evaluate on ImageNet and MS-COCO. Our 2B model beats full fine-tuning while training 3% of the weights. ' +
    'Code is available at https://github.com/example/adapters.',
  authors: ['Ada Lovelace'],
  published: '2025-02-03',
  categories: ['cs.CV'],
};
const QUOKKAS: PaperInput = {
  arxivId: '2502.00003',
  title: 'Quokka Burrow Networks',
  abstract: 'Quokkas dig burrows. We map the burrow networks of 40 colonies. Burrows share tunnels.',
  authors: ['Alan Turing'],
  published: '2025-02-04',
  categories: ['q-bio.PE'],
};

const MORE_ADAPTERS: PaperInput = {
  arxivId: '2502.00004',
  title: 'Adapters for Diffusion Transformers at Scale',
  abstract: 'We scale low-rank adapters for diffusion transformers to video.',
  authors: ['Grace Hopper'],
  published: '2025-02-05',
  categories: ['cs.CV'],
};

let pb: Paperboy;
let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;
let eventNo = 0;
let tsNo = 0;

before(async () => {
  pb = await testPaperboy({ papers: [ADAPTERS, QUOKKAS, MORE_ADAPTERS], builtin: false });
  api = await new FakeSlackApi({ botUserId: BOT }).start();
  ({ handle, eventsUrl } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-ask',
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

/** A thread whose root is the bot's card of `paperId` (block id `paper:<id>`), or a message with `text` and replies. */
function threadOn(root: { paperId: string } | { text: string; replies?: string[] }): string {
  const ts = `${1_767_100_000 + 100 * ++tsNo}.000000`;
  if ('paperId' in root)
    api.putMessage(CHANNEL, {
      ts,
      user: BOT,
      bot_id: 'BBOT',
      text: 'card',
      blocks: [{ type: 'section', block_id: `paper:${root.paperId}`, text: { type: 'mrkdwn', text: 'card' } }],
    });
  else {
    api.putMessage(CHANNEL, { ts, user: 'U0ADA', text: root.text });
    for (const [i, reply] of (root.replies ?? []).entries()) {
      const replyTs = `${Number.parseInt(ts, 10) + i + 1}.000000`;
      api.putMessage(CHANNEL, { ts: replyTs, thread_ts: ts, user: 'U0ADA', text: reply });
    }
  }
  return ts;
}

async function mention(text: string, threadTs: string): Promise<void> {
  const event = appMentionEvent(`<@BOT> ${text}`, {
    threadTs,
    eventId: `EvASK${++eventNo}`,
    botUserId: BOT,
    channel: CHANNEL,
  });
  await postSigned(eventsUrl, SECRET, JSON.stringify(event), 'application/json');
}

const text = (blocks: readonly types.KnownBlock[] | undefined) => JSON.stringify(blocks ?? []);

test('GIVEN a paper card WHEN someone asks in its thread THEN the answering sentence is quoted, in the thread', async () => {
  const ts = threadOn({ paperId: ADAPTERS.arxivId! });
  await mention('which datasets do they use?', ts);
  const [post] = await api.waitFor('chat.postMessage');
  assert.equal(post!.args.thread_ts, ts, 'answered in the thread');
  const blocks = post!.args.blocks ?? [];
  const quotes = blocks.filter((b) => b.type === 'section' && b.text?.text.startsWith('>'));
  assert.equal(quotes.length >= 1, true, 'a block quote');
  assert.match(
    quotes[0]!.type === 'section' ? String(quotes[0]!.text?.text) : '',
    /We evaluate on ImageNet and MS-COCO\./,
  );
  assert.match(text(blocks), /in its own words/);
});

test('GIVEN a paper card WHEN the abstract does not answer THEN the bot says so rather than guess', async () => {
  const ts = threadOn({ paperId: ADAPTERS.arxivId! });
  await mention('which hospital recruited the patients?', ts);
  const [post] = await api.waitFor('chat.postMessage');
  assert.match(text(post!.args.blocks), /doesn't say: no sentence of it answers/);
  assert.doesNotMatch(text(post!.args.blocks), /&gt;|"text":">/, 'nothing quoted');
});

test('GIVEN a card thread THEN "related" still lists related papers, not an answer', async () => {
  const ts = threadOn({ paperId: ADAPTERS.arxivId! });
  await mention('related', ts);
  const [post] = await api.waitFor('chat.postMessage');
  assert.match(text(post!.args.blocks), /Related to/);
  assert.match(text(post!.args.blocks), /Adapters for Diffusion Transformers at Scale/);
});

test('GIVEN a thread naming two papers WHEN asked THEN buttons say which AND a click answers in the thread', async () => {
  const ts = threadOn({
    text: 'Two papers for Friday',
    replies: ['<https://arxiv.org/abs/2502.00002>', 'and <https://arxiv.org/abs/2502.00003|the quokka one>'],
  });
  await mention('how many colonies?', ts);
  const [post] = await api.waitFor('chat.postMessage');
  assert.match(text(post!.args.blocks), /names 2 papers\. Which one/);
  const buttons = (post!.args.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.elements : []));
  const quokka = buttons.find((b) => b.type === 'button' && b.text.text === 'Quokka Burrow Networks');
  assert.ok(quokka && 'action_id' in quokka && quokka.action_id, 'a button per paper, titled');
  api.calls.length = 0;
  const payload = blockActionPayload(quokka.action_id!, api.responseUrl('which'), { ephemeral: false, threadTs: ts });
  payload.channel = { id: CHANNEL, name: 'papers' };
  await postSigned(eventsUrl, SECRET, blockActionBody(payload), 'application/x-www-form-urlencoded');
  const [answer] = await api.waitFor('chat.postMessage');
  assert.equal(answer!.args.thread_ts, ts);
  assert.match(text(answer!.args.blocks), /We map the burrow networks of 40 colonies\./);
});
