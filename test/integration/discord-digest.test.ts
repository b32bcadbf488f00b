/**
 * The thread digest on Discord, end to end: the real discord.js Client and the real paperboy core against the fake
 * Discord REST API and gateway. A mention in a thread reads the message it was started on and every message in it
 * (100 at a time, `before` paging), and posts one digest within Discord's embed limits; a refusal and text withheld
 * without the Message Content intent are explained.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { APIEmbed, APIUser } from 'discord.js';
import { LIMITS } from '../../src/adapters/discord/limits.ts';
import { embedLength } from '../../src/adapters/discord/render.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import type { FakeDiscord, RecordedRequest } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld, type FakeChannel, threadChannel, userMessage } from '../fakes/discord-payloads.ts';
import { testPaperboy } from '../support/paperboy.ts';

const PAPERS: PaperInput[] = Array.from({ length: 40 }, (_, i) => ({
  arxivId: `2503.2${String(i).padStart(4, '0')}`,
  title: `Speculative Decoding with Draft Models, part ${i + 1}`,
  abstract: `We propose draft model ${i + 1} for speculative decoding. Speculative decoding runs 2x faster with it.`,
  authors: ['Grace Hopper'],
  published: '2025-03-01',
  categories: ['cs.CL'],
}));
const id = (i: number) => PAPERS[i]!.arxivId!;

const world = defaultWorld();
let harness: DiscordHarness;
let fake: FakeDiscord;
let pb: Paperboy;

before(async () => {
  pb = await testPaperboy({ papers: PAPERS, builtin: false });
  harness = await startHarness({ world, dispatcher: pb.dispatcher });
  ({ fake } = harness);
});

after(async () => {
  await harness?.close();
  await pb?.close();
});

let people = 0;
const person = (name: string): APIUser => ({
  ...world.user,
  id: `30000000000000000${++people}`,
  username: name.toLowerCase(),
  global_name: name,
});
const ADA = person('Ada');
const ALAN = person('Alan');

/** A thread on one of our cards (`paperIndex`), holding `messages` from people, in order. */
function cardThread(paperIndex: number, messages: [APIUser, string][]): string {
  const card = fake.storeMessage(
    world.channelId,
    { embeds: [{ title: 'card', footer: { text: `paper ${id(paperIndex)}` } }] },
    false,
  );
  const thread = threadChannel(world, card.id, 'papers');
  fake.channels.set(card.id, thread as unknown as FakeChannel);
  fake.dispatch('THREAD_CREATE', thread);
  for (const [author, content] of messages) fake.storeMessage(card.id, { content }, false).author = author;
  return card.id;
}

async function mention(threadId: string, words: string): Promise<RecordedRequest> {
  const from = fake.requests.length;
  fake.dispatch(
    'MESSAGE_CREATE',
    userMessage(world, `<@${world.botId}> ${words}`, { channelId: threadId, channelType: 11 }),
  );
  return fake.next(from, (r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`);
}

const total = (embeds: APIEmbed[]) => embeds.reduce((sum, embed) => sum + embedLength(embed), 0);

describe('GIVEN a Discord thread on a card where people share papers', () => {
  let threadId: string;
  let post: RecordedRequest;
  let from: number;

  before(async () => {
    const chatter = Array.from({ length: 130 }, (_, i): [APIUser, string] => [i % 2 ? ADA : ALAN, `hm ${i}`]);
    threadId = cardThread(0, [
      [ADA, `compare https://arxiv.org/abs/${id(1)}v1 with <https://huggingface.co/papers/${id(2)}>`],
      ...chatter,
      [ALAN, `and ${id(3)}, and the card's paper again: ${id(0)}`],
    ]);
    from = fake.requests.length;
    post = await mention(threadId, 'summarize');
  });

  test('THEN the starter message and every thread message are read, 100 at a time', () => {
    const reads = fake.since(from).filter((r) => r.method === 'GET');
    assert.ok(
      reads.some((r) => r.path === `/channels/${world.channelId}/messages/${threadId}`),
      'the card',
    );
    const pages = reads.filter((r) => r.path === `/channels/${threadId}/messages`);
    assert.equal(pages.length, 2);
    assert.equal(pages[0]!.query.get('limit'), '100');
    assert.ok(pages[1]!.query.get('before'), 'the second page is older than the first');
  });

  test(
    '' + 'THEN one digest in the thread: cards in order of first mention with who shared them, then common ground',
    () => {
      const embeds = post.body.embeds ?? [];
      assert.deepEqual(
        embeds.map((embed) => embed.footer?.text),
        [0, 1, 2, 3].map((i) => `paper ${id(i)}`),
      );
      const botName = world.botUser.global_name ?? world.botUser.username;
      assert.ok((embeds[0]!.description ?? '').includes(`shared by ${botName}`), 'our card: shared by the bot');
      assert.match(embeds[1]!.description ?? '', /shared by Ada/);
      assert.match(embeds[3]!.description ?? '', /shared by Alan/);
      assert.match(embeds[1]!.description ?? '', /We propose draft model 2 for speculative decoding\./);
      assert.equal(embeds[1]!.url, `https://arxiv.org/abs/${id(1)}`);
      assert.match(post.body.content ?? '', /Thread digest: 4 papers/);
      assert.match(post.body.content ?? '', /\*\*Common ground\*\*\ndecoding \(4 papers\) · speculative \(4 papers\)/);
      assert.deepEqual(post.body.allowed_mentions, { parse: [] });
    },
  );
});

describe('GIVEN a Discord thread of 40 papers', () => {
  test('THEN ten cards, the other thirty counted, within the embed limits', async () => {
    const threadId = cardThread(
      0,
      PAPERS.slice(1).map((p, i): [APIUser, string] => [i % 2 ? ADA : ALAN, `https://arxiv.org/abs/${p.arxivId}`]),
    );
    const post = await mention(threadId, 'digest');
    const embeds = post.body.embeds ?? [];
    assert.equal(embeds.length, LIMITS.embedsPerMessage);
    assert.ok(total(embeds) <= LIMITS.embedTotal, `${total(embeds)} characters`);
    assert.ok((post.body.content ?? '').length <= LIMITS.content);
    assert.match(post.body.content ?? '', /…and 30 more papers/);
    assert.match(post.body.content ?? '', /Thread digest: 40 papers/);
  });
});

describe('GIVEN a thread paperboy cannot fully read', () => {
  test('WHEN Discord refuses (Missing Access) THEN the thread is told which permission is missing', async () => {
    const threadId = cardThread(4, [[ADA, `see ${id(5)}`]]);
    fake.failNext('GET', new RegExp(`^/channels/${threadId}/messages$`), {
      status: 403,
      code: 50001,
      message: 'Missing Access',
    });
    const post = await mention(threadId, 'digest');
    assert.match(post.body.content ?? '', /Read Message History/);
    assert.equal(post.body.embeds?.length ?? 0, 0);
  });

  test("WHEN people's text is withheld (no Message Content intent) THEN the digest says so", async () => {
    const threadId = cardThread(6, [
      [ADA, ''],
      [ALAN, ''],
    ]);
    const post = await mention(threadId, 'digest');
    assert.equal(post.body.embeds?.[0]?.footer?.text, `paper ${id(6)}`, "the card's paper is still there");
    assert.match(post.body.content ?? '', /Message Content intent/);
  });
});

describe('GIVEN /paperboy digest typed in a thread', () => {
  test('THEN the digest of that thread is the answer', async () => {
    const threadId = cardThread(7, [[ALAN, `vs https://arxiv.org/abs/${id(8)}`]]);
    const callback = await harness.interact(
      chatInput(world, { name: 'paperboy', subcommand: 'digest' }, { channelId: threadId }),
    );
    assert.deepEqual(
      callback.body.data?.embeds?.map((embed) => embed.footer?.text),
      [`paper ${id(7)}`, `paper ${id(8)}`],
    );
    assert.match(callback.body.data?.content ?? '', /Thread digest: 2 papers/);
  });
});

describe('GIVEN a thread longer than the digest reads (500 messages)', () => {
  test('THEN the latest 500 are read, paging stops there, and the digest says so', async () => {
    const talk = Array.from({ length: 520 }, (_, i): [APIUser, string] => [ADA, `note ${i}`]);
    talk[0] = [ADA, `the oldest: ${id(5)}`];
    talk[519] = [ALAN, `the newest: ${id(6)}`];
    const threadId = cardThread(4, talk);
    const from = fake.requests.length;
    const post = await mention(threadId, 'digest');
    const pages = fake.since(from).filter((r) => r.method === 'GET' && r.path === `/channels/${threadId}/messages`);
    assert.deepEqual(
      pages.map((page) => page.query.get('limit')),
      ['100', '100', '100', '100', '99'],
      'the message it was started on and 499 of the thread',
    );
    assert.deepEqual(
      (post.body.embeds ?? []).map((embed) => embed.footer?.text),
      [`paper ${id(4)}`, `paper ${id(6)}`],
    );
    assert.match(post.body.content ?? '', /This thread is long: I read its latest 500 messages\./);
  });
});
