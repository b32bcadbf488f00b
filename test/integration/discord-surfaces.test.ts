/**
 * Discord's other surfaces through the real discord.js Client against the fake Discord: the message context menus
 * "Save to library" and "Summarize papers" (type 3 commands, registered with the slash commands), `/paperboy me`, and
 * a question asked in a paper card's thread answered by the model configured (the fake OpenAI-compatible endpoint)
 * from the quoted sentences.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { registerCommands } from '../../src/adapters/discord/register.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import type { FakeDiscord } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness, TEST_TOKEN } from '../fakes/discord-harness.ts';
import {
  chatInput,
  defaultWorld,
  type FakeChannel,
  messageContextMenu,
  threadChannel,
  userMessage,
} from '../fakes/discord-payloads.ts';
import { FakeOpenAi } from '../fakes/openai-server.ts';
import { testPaperboy } from '../support/paperboy.ts';

const MODEL = 'fake-answers-1';
const PAPERS: PaperInput[] = [
  {
    arxivId: '2504.00001',
    title: 'Low-Rank Adapters for Diffusion',
    abstract:
      'Fine-tuning diffusion models is costly. We propose low-rank adapters for diffusion models. ' +
      'We evaluate on ImageNet and MS-COCO. Our 2B model beats full fine-tuning.',
    authors: ['Ada Lovelace'],
    published: '2025-04-01',
    categories: ['cs.CV'],
  },
  {
    arxivId: '2504.00002',
    title: 'Quantized Adapters',
    abstract: 'We quantize adapters to four bits.',
    authors: ['Alan Turing'],
    published: '2025-04-02',
    categories: ['cs.LG'],
  },
];

const world = defaultWorld();
let harness: DiscordHarness;
let fake: FakeDiscord;
let pb: Paperboy;
let llm: FakeOpenAi;

before(async () => {
  llm = await FakeOpenAi.start();
  llm.answerWith({ text: 'They evaluate on ImageNet and MS-COCO.' });
  pb = await testPaperboy({
    papers: PAPERS,
    builtin: false,
    open: { llm: { baseUrl: llm.baseUrl, model: MODEL, timeoutMs: 2000 } },
  });
  harness = await startHarness({ world, dispatcher: pb.dispatcher });
  ({ fake } = harness);
});

after(async () => {
  await harness?.close();
  await pb?.close();
  await llm?.close();
});

/** A message someone posted in the channel. */
function postedByUser(content: string) {
  const message = fake.storeMessage(world.channelId, { content }, false);
  message.author = world.user;
  return message;
}

/** The private answer of a deferred interaction: its last edit. */
async function editedAnswer(token: string, from: number): Promise<string> {
  const edit = await fake.next(from, (r) => r.method === 'PATCH' && r.path.includes(`/${token}/messages/@original`));
  return `${edit.body.content ?? ''} ${JSON.stringify(edit.body.embeds ?? [])}`;
}

test('GIVEN the commands registered THEN the two message context menus are among them (type 3, no description)', async () => {
  await registerCommands(
    { token: TEST_TOKEN, appId: world.appId, guildId: world.guildId, apiUrl: fake.apiUrl },
    pb.dispatcher.commands,
    silentLogger,
  );
  const registered = fake.registered.get(`/applications/${world.appId}/guilds/${world.guildId}/commands`) ?? [];
  const menus = registered.filter((c) => c.type === 3).map((c) => [c.name, c.description ?? '']);
  assert.deepEqual(menus, [
    ['Summarize papers', ''],
    ['Save to library', ''],
  ]);
});

test('GIVEN a message linking two papers WHEN "Save to library" THEN both are saved, said privately', async () => {
  const message = postedByUser('read https://arxiv.org/abs/2504.00001 and https://huggingface.co/papers/2504.00002');
  const from = fake.requests.length;
  const payload = messageContextMenu(world, 'Save to library', message);
  const deferred = await harness.interact(payload);
  assert.equal(deferred.body.type, 5, 'deferred');
  assert.equal((deferred.body.data?.flags ?? 0) & 64, 64, 'privately');
  const answer = await editedAnswer(payload.token, from);
  assert.match(answer, /⭐ Saved "Low-Rank Adapters for Diffusion"/);
  assert.match(answer, /⭐ Saved "Quantized Adapters"/);
  const saved = await pb.store.library.items({
    platform: 'discord',
    workspaceId: world.guildId,
    channelId: world.channelId,
  });
  assert.deepEqual(saved.map((i) => i.paperId).sort(), ['2504.00001', '2504.00002']);
});

test('GIVEN a message linking papers WHEN "Summarize papers" THEN the digest goes in a thread on it', async () => {
  const message = postedByUser('https://arxiv.org/abs/2504.00001 vs https://arxiv.org/abs/2504.00002');
  const from = fake.requests.length;
  const payload = messageContextMenu(world, 'Summarize papers', message);
  await harness.interact(payload);
  const started = await fake.next(
    from,
    (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages/${message.id}/threads`,
  );
  assert.ok(started);
  const digest = await fake.next(from, (r) => r.method === 'POST' && r.path === `/channels/${message.id}/messages`);
  assert.match(String(digest.body.content), /Thread digest: 2 papers/);
  assert.match(await editedAnswer(payload.token, from), /Posted in the thread/);
});

test('GIVEN a message with no paper WHEN a context menu is used THEN a short private answer', async () => {
  const message = postedByUser('lunch at noon?');
  const from = fake.requests.length;
  const payload = messageContextMenu(world, 'Summarize papers', message);
  await harness.interact(payload);
  assert.match(await editedAnswer(payload.token, from), /names no paper I can read/);
  assert.equal(
    fake.since(from).filter((r) => r.method === 'POST' && r.path.endsWith('/threads')).length,
    0,
    'no thread started',
  );
});

test('WHEN /paperboy me runs THEN the saved papers and the alerts of channels the member manages are shown', async () => {
  await harness.interact(
    chatInput(world, { name: 'paperboy-alerts', subcommand: 'subscribe', options: { query: 'adapters' } }),
  );
  const answer = await harness.interact(chatInput(world, { name: 'paperboy', subcommand: 'me' }));
  const data = answer.body.data ?? {};
  const text = `${data.content ?? ''} ${JSON.stringify(data.embeds ?? [])}`;
  assert.equal((data.flags ?? 0) & 64, 64, 'privately');
  assert.match(text, /Papers you saved, newest first/);
  assert.match(text, /Quantized Adapters/);
  assert.match(text, /Saved in #papers on/);
  assert.match(text, /\*\*\\#papers\*\*\n\\#\d+ {2}adapters/);
  assert.ok(
    (data.components ?? []).some((row) => row.components.some((b) => b.label === 'Export #papers')),
    'an export button',
  );
});

test('GIVEN a model WHEN someone asks under a card THEN its answer is labelled, grounded in the quotes shown', async () => {
  const card = fake.storeMessage(
    world.channelId,
    { embeds: [{ title: 'card', footer: { text: 'paper 2504.00001' } }] },
    false,
  );
  const thread = threadChannel(world, card.id, 'Low-Rank Adapters for Diffusion');
  fake.channels.set(card.id, thread as unknown as FakeChannel);
  fake.dispatch('THREAD_CREATE', thread);
  const from = fake.requests.length;
  fake.dispatch(
    'MESSAGE_CREATE',
    userMessage(world, `<@${world.botId}> which datasets do they use?`, { channelId: card.id, channelType: 11 }),
  );
  const post = await fake.next(from, (r) => r.method === 'POST' && r.path === `/channels/${card.id}/messages`);
  const content = String(post.body.content);
  assert.match(
    content,
    new RegExp(
      `\\*\\*Answer generated by ${MODEL} from the quoted sentences\\*\\*\\nThey evaluate on ImageNet and MS-COCO\\.`,
    ),
  );
  assert.match(content, /^> We evaluate on ImageNet and MS-COCO\.$/m, 'the quote it used, as a quote');
  const asked = llm.requests
    .at(-1)!
    .body.messages!.map((m) => m.content)
    .join('\n');
  assert.match(asked, /Question: which datasets do they use\?/);
  assert.match(asked, /1\. We evaluate on ImageNet and MS-COCO\./);
  assert.doesNotMatch(asked, /Fine-tuning diffusion models is costly/, 'only the quotes, not the whole abstract');
});
