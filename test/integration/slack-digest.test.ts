/**
 * The thread digest on Slack, end to end: the real Bolt App and the real paperboy core against the fake Web API.
 * `@paperboy summarize` in a thread reads the whole thread (`conversations.replies`, several pages), finds the papers
 * people shared (links in several forms, unfurls, bare ids, our own cards), names who shared each (`users.info`)
 * and posts one digest in the thread within Block Kit's limits; refusals and empty threads get a private answer.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { types } from '@slack/bolt';
import type { SlackHandle } from '../../src/adapters/slack/app.ts';
import { SLACK_LIMITS } from '../../src/adapters/slack/limits.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.ts';
import { blockIds, blockText } from '../fakes/slack-blocks.ts';
import { appMentionEvent, postSigned } from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'digest-secret';
const BOT = 'UBOT';
const CHANNEL = 'C0DIGEST01';

const PAPERS: PaperInput[] = Array.from({ length: 45 }, (_, i) => ({
  arxivId: `2502.1${String(i).padStart(4, '0')}`,
  title: `Adapters for Diffusion Transformers, study ${i + 1}`,
  abstract:
    `We propose adapter variant ${i + 1} for diffusion transformers. ` +
    'Adapters cut fine-tuning memory by 70% on image generation benchmarks.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  published: '2025-02-10',
  categories: ['cs.CV'],
}));
const id = (i: number) => PAPERS[i]!.arxivId!;

let pb: Paperboy;
let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;
let eventNo = 0;
let tsNo = 0;

before(async () => {
  pb = await testPaperboy({ papers: PAPERS, builtin: false });
  api = await new FakeSlackApi({ botUserId: BOT }).start();
  api.putUser('U0ADA', { name: 'ada', profile: { display_name: 'Ada', real_name: 'Ada Lovelace' } });
  api.putUser('U0ALAN', { name: 'alan', profile: { display_name: '', real_name: 'Alan Turing' } });
  ({ handle, eventsUrl } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-digest',
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

/** A new thread in the fake: its root and replies, each `[user, text, extra]`, one second apart. */
function thread(messages: [string, string, Partial<Parameters<FakeSlackApi['putMessage']>[1]>?][]): string {
  const base = 1_767_000_000 + 10_000 * ++tsNo;
  const rootTs = `${base}.000000`;
  messages.forEach(([user, text, extra], i) => {
    const ts = i === 0 ? rootTs : `${base + i}.000000`;
    api.putMessage(CHANNEL, { ts, type: 'message', user, text, ...(i ? { thread_ts: rootTs } : {}), ...extra });
  });
  return rootTs;
}

async function mention(text: string, threadTs: string): Promise<void> {
  const event = appMentionEvent(text, { threadTs, eventId: `EvDIGEST${++eventNo}`, botUserId: BOT, channel: CHANNEL });
  await postSigned(eventsUrl, SECRET, JSON.stringify(event), 'application/json');
}

const sections = (call: RecordedCall) =>
  (call.args.blocks ?? []).filter((block) => block.type === 'section').map((block) => blockText(block) ?? '');

describe('GIVEN a long Slack thread where several people share papers in several forms', () => {
  let rootTs: string;
  let digest: RecordedCall;
  // What reached Slack while the digest was made (the calls list is cleared before each test).
  let calls: RecordedCall[];
  const callsTo = (method: string) => calls.filter((call) => call.method === method);

  before(async () => {
    const chatter = Array.from({ length: 230 }, (_, i): [string, string] => [i % 2 ? 'U0ADA' : 'U0ALAN', `ok ${i}`]);
    rootTs = thread([
      ['U0ADA', `Reading group! <https://arxiv.org/abs/${id(0)}v2|the LoRA one>`],
      ['U0ALAN', `and <https://huggingface.co/papers/${id(1)}>`],
      ...chatter.slice(0, 150),
      ['U0GRACE', `plain id ${id(2)} and an old one cs/0112017`],
      ['U0ADA', 'an unfurled alphaXiv page', { attachments: [{ from_url: `https://www.alphaxiv.org/abs/${id(3)}` }] }],
      ...chatter.slice(150),
      [
        BOT,
        'card',
        {
          bot_id: 'BBOT',
          blocks: [{ type: 'section', block_id: `paper:${id(4)}`, text: { type: 'mrkdwn', text: 'a card' } }],
        },
      ],
      ['U0ALAN', `again <https://arxiv.org/pdf/${id(0)}> and ${id(1)}`],
    ]);
    await mention('<@BOT> summarize', rootTs);
    digest = (await api.waitFor('chat.postMessage'))[0]!;
    calls = [...api.calls];
  });

  test('THEN the whole thread is read, page by page', () => {
    const pages = callsTo('conversations.replies').filter((call) => call.args.limit !== '1');
    assert.ok(pages.length >= 2, `${pages.length} pages`);
    assert.equal(pages[0]!.args.cursor, undefined);
    for (const page of pages.slice(1)) assert.ok(page.args.cursor, 'later pages follow the cursor');
    assert.ok(pages.every((page) => page.args.ts === rootTs && page.args.channel === CHANNEL));
  });

  test('THEN one digest goes into the thread: the papers in order of first mention, each with who shared it', () => {
    assert.equal(digest.args.thread_ts, rootTs);
    assert.equal(digest.args.channel, CHANNEL);
    assert.equal(callsTo('chat.postMessage').length, 1);
    assert.deepEqual(
      blockIds(digest.args.blocks).filter((b) => b.startsWith('paper:')),
      [`paper:${id(0)}`, `paper:${id(1)}`, `paper:${id(2)}`, 'paper:cs/0112017', `paper:${id(3)}`, `paper:${id(4)}`],
    );
    const texts = sections(digest);
    assert.match(
      texts[0]!,
      new RegExp(`\\*<https://arxiv.org/abs/${id(0)}\\|Adapters for Diffusion Transformers, study 1>\\*`),
    );
    assert.match(texts[0]!, /shared by Ada/);
    assert.match(texts[1]!, /shared by Alan Turing/, 'the real name when there is no display name');
    assert.match(texts[2]!, /shared by U0GRACE/, 'the user id when Slack has no profile');
    assert.match(texts[4]!, /shared by Ada/, 'an unfurl counts as a link');
    assert.match(texts[5]!, /shared by paperboy/);
    assert.match(texts[0]!, /_We propose adapter variant 1 for diffusion transformers\._/, 'the TL;DR');
    assert.match(texts[3]!, /\*<https:\/\/arxiv.org\/abs\/cs\/0112017\|arXiv:cs\/0112017>\*[\s\S]*Not in the corpus/);
    assert.ok(
      texts.some((text) => /^\*Common ground\*\nadapters \(5 papers\) · diffusion \(5 papers\)/.test(text)),
      texts.join('\n---\n'),
    );
    const header = digest.args.blocks?.[0] as types.HeaderBlock;
    assert.equal(header.text.text, 'Thread digest: 6 papers, in the order first shared');
  });

  test('THEN the names were looked up once per person', () => {
    const lookups = callsTo('users.info').map((call) => call.args.user);
    assert.deepEqual([...lookups].sort(), ['U0ADA', 'U0ALAN', 'U0GRACE']);
  });
});

describe('GIVEN a sharer whose display name tries to ping', () => {
  test('THEN the name is shown as text: no <!channel>, no user mention', async () => {
    api.putUser('U0EVE', { profile: { display_name: '<!channel> Eve <@U0ADA> *bold*' } });
    const rootTs = thread([['U0EVE', `look: ${id(9)}`]]);
    await mention('<@BOT> digest', rootTs);
    const [post] = await api.waitFor('chat.postMessage');
    const text = sections(post!).join('\n');
    assert.match(text, /shared by &lt;!channel&gt; Eve &lt;@U0ADA&gt;/);
    assert.ok(!/<!channel>|<@U0ADA>/.test(JSON.stringify(post!.args.blocks)));
  });
});

describe('GIVEN a thread of 40 papers', () => {
  test('THEN ten are listed, thirty counted, within Block Kit limits', async () => {
    const rootTs = thread(
      PAPERS.slice(0, 40).map((p, i): [string, string] => [i % 2 ? 'U0ADA' : 'U0ALAN', `see ${p.arxivId}`]),
    );
    await mention('<@BOT> digest', rootTs);
    const [post] = await api.waitFor('chat.postMessage');
    const blocks = post!.args.blocks ?? [];
    assert.ok(blocks.length <= SLACK_LIMITS.blocksPerMessage);
    assert.equal(blockIds(blocks).filter((b) => b.startsWith('paper:')).length, 10);
    const texts = sections(post!);
    assert.ok(texts.every((text) => text.length <= SLACK_LIMITS.sectionText));
    assert.ok(texts.join('').length <= SLACK_LIMITS.messageText);
    assert.ok(JSON.stringify(blocks).includes('…and 30 more papers'));
    assert.ok(!JSON.stringify(blocks).includes('not shown (too long'), 'nothing had to be cut');
  });
});

describe('GIVEN a thread longer than the digest reads (500 messages)', () => {
  test('THEN its first 500 are read, paging stops there, and the digest says so', async () => {
    const talk = Array.from({ length: 520 }, (_, i): [string, string] => ['U0ADA', `note ${i}`]);
    talk[1] = ['U0ADA', `an early one: ${id(5)}`];
    talk[519] = ['U0ALAN', `a late one: ${id(6)}`];
    const rootTs = thread(talk);
    await mention('<@BOT> digest', rootTs);
    const [post] = await api.waitFor('chat.postMessage');
    const pages = api
      .callsTo('conversations.replies')
      .filter((call) => call.args.ts === rootTs && call.args.limit !== '1');
    assert.deepEqual(
      pages.map((page) => page.args.limit),
      ['200', '200', '100'],
    );
    assert.deepEqual(
      blockIds(post!.args.blocks).filter((b) => b.startsWith('paper:')),
      [`paper:${id(5)}`],
    );
    assert.match(JSON.stringify(post!.args.blocks), /This thread is long: I read its first 500 messages\./);
  });
});

describe('GIVEN a thread Slack will not show, or one without papers', () => {
  test('WHEN the scope is missing THEN the person who asked is told, privately, what to fix', async () => {
    const rootTs = thread([['U0ADA', `about ${id(5)}`]]);
    api.failNext('conversations.replies', 'missing_scope');
    api.failNext('conversations.replies', 'missing_scope');
    await mention('<@BOT> digest', rootTs);
    const [ephemeral] = await api.waitFor('chat.postEphemeral');
    assert.equal(ephemeral!.args.thread_ts, rootTs);
    assert.match(ephemeral!.args.text ?? '', /channels:history/);
    assert.equal(api.callsTo('chat.postMessage').length, 0);
  });

  test('WHEN no paper is mentioned THEN a short private answer says so', async () => {
    const rootTs = thread([
      ['U0ADA', 'lunch?'],
      ['U0ALAN', 'sure, <https://example.com/menu|menu>'],
    ]);
    await mention('<@BOT> tl;dr', rootTs);
    const [ephemeral] = await api.waitFor('chat.postEphemeral');
    assert.match(ephemeral!.args.text ?? '', /I found no papers in this thread/);
    assert.equal(api.callsTo('chat.postMessage').length, 0);
  });

  test('WHEN "summarize" in a card thread with no other paper THEN that paper\'s summary, as before', async () => {
    const rootTs = thread([
      [
        BOT,
        'card',
        {
          bot_id: 'BBOT',
          blocks: [{ type: 'section', block_id: `paper:${id(6)}`, text: { type: 'mrkdwn', text: 'c' } }],
        },
      ],
      ['U0ADA', 'interesting'],
    ]);
    await mention('<@BOT> summarize', rootTs);
    const [post] = await api.waitFor('chat.postMessage');
    assert.match(sections(post!).join('\n'), /^\*TL;DR\*\nWe propose adapter variant 7/);
  });
});
