/**
 * End to end: the project's real commands over a real paperboy core (in-memory SQLite, the built-in
 * corpus plus a hostile paper), driven through the real discord.js Client and the fake Discord.
 * Every command, autocomplete, every card button and the thread flow, with no ping ever possible.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Paperboy } from '../../src/paperboy.ts';
import { buttonsIn, type FakeDiscord, type RecordedRequest } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import {
  autocomplete,
  buttonClick,
  chatInput,
  defaultWorld,
  threadChannel,
  userMessage,
} from '../fakes/discord-payloads.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';

const EPHEMERAL = 64;
const HOSTILE_ID = HOSTILE_PAPER.arxivId!;
const world = defaultWorld();
let harness: DiscordHarness;
let fake: FakeDiscord;
let interact: DiscordHarness['interact'];
let pb: Paperboy;

before(async () => {
  pb = await testPaperboy({ papers: [HOSTILE_PAPER] });
  harness = await startHarness({ world, dispatcher: pb.dispatcher });
  ({ fake, interact } = harness);
});

after(async () => {
  await harness?.close();
  await pb?.close();
});

const channelPost = (channelId: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/channels/${channelId}/messages`;

test('GIVEN /paper attention THEN ranked cards come back privately, the hostile one escaped', async () => {
  const payload = chatInput(world, { name: 'paper', options: { query: 'attention is all you need' } });
  const callback = await interact(payload);
  assert.equal(callback.body.type, 4);
  assert.equal(callback.body.data?.flags, EPHEMERAL);
  const embeds = callback.body.data?.embeds ?? [];
  assert.ok(embeds.length >= 1 && embeds.length <= 5, 'embeds.length >= 1 && embeds.length <= 5');
  const hostile = embeds.find((e) => e.footer?.text.startsWith(`paper ${HOSTILE_ID}`));
  assert.ok(hostile, 'the hostile paper matches');
  const title = hostile.title ?? '';
  assert.ok(title.includes('\\<@U123>') && title.includes('@\u200beveryone'), title);
  const labels = buttonsIn(callback.body.data).map((b) => b.label ?? '');
  assert.ok(
    labels.some((l) => l.endsWith('Share')),
    "labels.some((l) => l.endsWith('Share'))",
  );
});

test('GIVEN /paperboy random, related, share and help THEN each answers with the right visibility', async () => {
  const random = await interact(chatInput(world, { name: 'paperboy', subcommand: 'random' }));
  assert.equal(random.body.type, 4);
  assert.ok((random.body.data?.embeds?.length ?? 0) >= 1, 'random.body.data.embeds.length >= 1');

  const related = await interact(
    chatInput(world, { name: 'paperboy', subcommand: 'related', options: { paper: HOSTILE_ID } }),
  );
  assert.equal(related.body.data?.flags, EPHEMERAL);
  assert.ok((related.body.data?.embeds?.length ?? 0) >= 1, 'related.body.data.embeds.length >= 1');

  const share = await interact(
    chatInput(world, { name: 'paperboy', subcommand: 'share', options: { paper: HOSTILE_ID } }),
  );
  assert.equal(share.body.data?.flags ?? 0, 0, 'a shared card is for everyone');
  assert.equal(share.body.data?.embeds?.[0]?.footer?.text.split(' · ')[0], `paper ${HOSTILE_ID}`);

  const help = await interact(chatInput(world, { name: 'paperboy', subcommand: 'help' }));
  assert.equal(help.body.data?.flags, EPHEMERAL);
  assert.match(JSON.stringify(help.body.data), /paperboy help/);
});

test('GIVEN help and a subscription on Discord THEN they name commands as Discord types them', async () => {
  const help = await interact(chatInput(world, { name: 'paperboy', subcommand: 'help' }));
  // Without the backslashes that escape Discord markdown ([ and ] here).
  const helpText = JSON.stringify(help.body.data).replaceAll('\\\\', '');
  for (const line of [
    '/paper query:…',
    '/paperboy related paper:… [random:…] [page:…]',
    '/paperboy related paper:2503',
  ])
    assert.ok(helpText.includes(line), line);
  assert.doesNotMatch(helpText, /\/paper (related|summary|random|subscribe)\b/, 'no Slack syntax');

  assert.ok(helpText.includes('/paperboy-alerts subscribe query:…'), 'the alert changes under their own command');

  const subscribed = await interact(
    chatInput(world, { name: 'paperboy-alerts', subcommand: 'subscribe', options: { query: 'lora' } }),
  );
  const text = JSON.stringify(subscribed.body.data);
  const id = /subscription #(\d+)/.exec(text)?.[1];
  assert.ok(id, text);
  assert.ok(text.includes(`Remove it with /paperboy-alerts unsubscribe id:${id}.`), text);
  const removed = await interact(
    chatInput(world, { name: 'paperboy-alerts', subcommand: 'unsubscribe', options: { id: 'x' } }),
  );
  assert.match(
    JSON.stringify(removed.body.data),
    /e\.g\. \/paperboy-alerts unsubscribe id:3 \(see \/paperboy subscriptions\)/,
  );
});

test('GIVEN /paperboy summary THEN card in the channel, a thread on it, the summary inside', async () => {
  const from = fake.requests.length;
  const payload = chatInput(world, { name: 'paperboy', subcommand: 'summary', options: { paper: HOSTILE_ID } });
  await interact(payload);
  const card = fake.originalOf(payload.token)!;
  const thread = await fake.next(
    from,
    (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages/${card.id}/threads`,
  );
  assert.ok(thread.body.name!.length <= 100, 'thread.body.name.length <= 100');
  const summary = await fake.next(from, channelPost(card.id));
  assert.match(JSON.stringify(summary.body), /TL;DR/);
});

test('GIVEN typing a title in a paper option THEN autocomplete offers matching papers', async () => {
  const callback = await interact(
    autocomplete(world, { name: 'paperboy', subcommand: 'summary', focused: 'paper', options: { paper: 'atten' } }),
  );
  assert.equal(callback.body.type, 8);
  const choices = (callback.body.data?.choices ?? []) as { name: string; value: string }[];
  assert.ok(choices.length >= 1 && choices.length <= 25, `${choices.length} choices`);
  assert.ok(
    choices.every((c) => c.name.length <= 100 && c.value.length <= 100),
    'choice lengths',
  );
});

test('GIVEN the buttons on search results THEN each one works through the real dispatcher', async () => {
  const payload = chatInput(world, { name: 'paper', options: { query: 'attention is all you need' } });
  await interact(payload);
  const results = fake.originalOf(payload.token)!;
  const buttons = buttonsIn(results);
  const find = (label: string) => buttons.find((b) => b.label?.endsWith(label))!;

  const related = await interact(buttonClick(world, find('· Related').custom_id, results));
  assert.equal(related.body.data?.flags, EPHEMERAL);

  const randomRelated = await interact(buttonClick(world, find('Random related').custom_id, results));
  assert.ok(
    [4, 6, 7].some((type) => type === randomRelated.body.type),
    '[4, 6, 7].some((type) => type === randomRelated.body.type)',
  );

  let from = fake.requests.length;
  const share = await interact(buttonClick(world, find('Share').custom_id, results));
  assert.equal(share.body.type, 6);
  await fake.next(from, channelPost(world.channelId));

  from = fake.requests.length;
  await interact(buttonClick(world, find('Summary').custom_id, results));
  await fake.next(from, (r) => r.method === 'POST' && r.path.endsWith('/threads'));

  const more = buttons.find((b) => b.label === 'More results');
  if (more) {
    const page = await interact(buttonClick(world, more.custom_id, results));
    assert.equal(page.body.type, 7, 'paging replaces the results');
  }
});

test('GIVEN a bare mention in a thread on a card THEN its summary is posted in the thread', async () => {
  const share = chatInput(world, { name: 'paperboy', subcommand: 'share', options: { paper: HOSTILE_ID } });
  await interact(share);
  const card = fake.originalOf(share.token)!;
  fake.dispatch('THREAD_CREATE', threadChannel(world, card.id, 'hostile'));
  const from = fake.requests.length;
  fake.dispatch('MESSAGE_CREATE', userMessage(world, `<@${world.botId}>`, { channelId: card.id, channelType: 11 }));
  const post = await fake.next(from, channelPost(card.id));
  assert.match(JSON.stringify(post.body), /TL;DR/);
});

test('GIVEN "@paperboy random related" in a thread on a card THEN a related paper is posted there', async () => {
  const share = chatInput(world, { name: 'paperboy', subcommand: 'share', options: { paper: HOSTILE_ID } });
  await interact(share);
  const card = fake.originalOf(share.token)!;
  fake.dispatch('THREAD_CREATE', threadChannel(world, card.id, 'hostile'));
  const from = fake.requests.length;
  fake.dispatch(
    'MESSAGE_CREATE',
    userMessage(world, `<@${world.botId}> random related`, { channelId: card.id, channelType: 11 }),
  );
  const post = await fake.next(from, channelPost(card.id));
  assert.match(post.body.content ?? '', /random paper related to/i);
  assert.equal(post.body.embeds?.length, 1);
  // A card shows its id only when it is an arXiv id or a DOI: another paper's card has another footer, or none.
  assert.notEqual(post.body.embeds![0]!.footer?.text.split(' · ')[0], `paper ${HOSTILE_ID}`, 'another paper');
});

test('GIVEN everything sent in this file THEN nothing could ping and hostile text never appears raw', () => {
  const sends = fake.messageSends();
  assert.ok(sends.length >= 10, 'sends.length >= 10');
  for (const send of sends) {
    const data = send.path.endsWith('/callback') ? send.body.data : send.body;
    assert.deepEqual(data?.allowed_mentions, { parse: [] });
    const text = JSON.stringify({ content: data?.content, embeds: data?.embeds });
    assert.ok(!/(?<!\\\\)<@U123>/.test(text), `raw user mention in ${send.path}: ${text.slice(0, 300)}`);
    assert.ok(!/@(everyone|here)/.test(text), `raw @everyone/@here in ${send.path}`);
  }
});
