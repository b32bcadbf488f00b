/**
 * Link replies (DISCORD_LINK_REPLIES): with the Message Content intent, a message with an arXiv or
 * Hugging Face link to a known paper gets a card reply; unknown papers and other bots get nothing.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Paperboy } from '../../src/paperboy.ts';
import type { FakeDiscord, RecordedRequest } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { defaultWorld, userMessage } from '../fakes/discord-payloads.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';

const world = defaultWorld();
let harness: DiscordHarness;
let fake: FakeDiscord;
let pb: Paperboy;

before(async () => {
  pb = await testPaperboy({ papers: [HOSTILE_PAPER] });
  harness = await startHarness({ world, dispatcher: pb.dispatcher, config: { linkReplies: true } });
  ({ fake } = harness);
});

after(async () => {
  await harness?.close();
  await pb?.close();
});

const channelPost = (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages`;

test('GIVEN link replies are on THEN the client also asks for the Message Content intent', () => {
  const identify = fake.gatewayFrames.find((frame) => frame.op === 2);
  assert.equal(identify?.d.intents, 1 | 512 | 1024 | 32768);
});

test('GIVEN a message linking a known paper THEN its card is posted as a reply', async () => {
  const from = fake.requests.length;
  const message = userMessage(world, `have you seen https://huggingface.co/papers/${HOSTILE_PAPER.arxivId}?`, {
    mentionBot: false,
  });
  fake.dispatch('MESSAGE_CREATE', message);
  const post = await fake.next(from, channelPost);
  assert.equal(post.body.message_reference?.message_id, message.id);
  assert.equal(post.body.embeds?.[0]?.footer?.text.split(' · ')[0], `paper ${HOSTILE_PAPER.arxivId}`);
  assert.deepEqual(post.body.allowed_mentions, { parse: [] });
});

test('GIVEN links to unknown papers or from bots THEN nothing is posted', async () => {
  const from = fake.requests.length;
  fake.dispatch('MESSAGE_CREATE', userMessage(world, 'https://arxiv.org/abs/2312.99999', { mentionBot: false }));
  fake.dispatch(
    'MESSAGE_CREATE',
    userMessage(world, `https://arxiv.org/abs/${HOSTILE_PAPER.arxivId}`, { mentionBot: false, bot: true }),
  );
  const marker = userMessage(world, `https://arxiv.org/abs/${HOSTILE_PAPER.arxivId}`, { mentionBot: false });
  fake.dispatch('MESSAGE_CREATE', marker);
  await fake.next(from, (r) => channelPost(r) && r.body.message_reference?.message_id === marker.id);
  const answered = fake
    .since(from)
    .filter(channelPost)
    .map((r) => r.body.message_reference?.message_id);
  assert.deepEqual(answered, [marker.id]);
});
