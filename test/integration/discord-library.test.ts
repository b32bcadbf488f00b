/**
 * Libraries through the real discord.js Client against the fake Discord: `/paperboy save`, the generated
 * `/paperboy library action:export` answering with the BibTeX as a multipart attachment, and the ⭐ reaction on one
 * of the bot's cards saving its paper (a partial, uncached message fetched over REST).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Paperboy } from '../../src/paperboy.ts';
import type { FakeDiscord } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld, type FakeWorld } from '../fakes/discord-payloads.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';

const world = defaultWorld();
let harness: DiscordHarness;
let fake: FakeDiscord;
let pb: Paperboy;

before(async () => {
  pb = await testPaperboy({ papers: [HOSTILE_PAPER] });
  harness = await startHarness({ world, dispatcher: pb.dispatcher });
  ({ fake } = harness);
});

after(async () => {
  await harness?.close();
  await pb?.close();
});

/** The test channel as its server sees it. */
function channelOf(world: FakeWorld) {
  return { platform: 'discord', workspaceId: world.guildId, channelId: world.channelId };
}

test('GIVEN a saved paper WHEN library export runs THEN the BibTeX comes as an attachment, no ping', async () => {
  const save = await harness.interact(
    chatInput(world, { name: 'paperboy', subcommand: 'save', options: { paper: HOSTILE_PAPER.arxivId! } }),
  );
  assert.ok(save, 'save answered');
  const saved = await pb.store.library.items(channelOf(world));
  assert.deepEqual(
    saved.map((item) => item.paperId),
    [HOSTILE_PAPER.arxivId],
  );
  harness.interact(chatInput(world, { name: 'paperboy', subcommand: 'library', options: { action: 'export' } }));
  const withFile = await fake.waitFor((r) => (r.files?.length ?? 0) > 0);
  const file = withFile.files![0]!;
  assert.equal(file.name, 'library.bib');
  assert.match(file.content, /eprint = \{2501\.00001\}/);
  const data = (withFile.body.data ?? withFile.body) as { content?: string; allowed_mentions?: { parse: unknown[] } };
  assert.match(data.content ?? '', /BibTeX of this channel's library: 1 paper/);
  assert.deepEqual(data.allowed_mentions?.parse, []);
});

test('GIVEN a card posted earlier WHEN someone reacts ⭐ THEN its paper is saved and the card gets a reply, no ping', async () => {
  const share = await harness.interact(
    chatInput(world, { name: 'paperboy', subcommand: 'share', options: { paper: HOSTILE_PAPER.arxivId! } }),
  );
  assert.equal(share.body.type, 4);
  // The card, as the fake stored the interaction's public answer: not in the client's cache.
  const messageId = await cardMessageId();
  await pb.store.library.remove(channelOf(world), HOSTILE_PAPER.arxivId!);
  const react = (emoji: string, userId: string, user = world.user) =>
    fake.dispatch('MESSAGE_REACTION_ADD', {
      user_id: userId,
      channel_id: world.channelId,
      message_id: messageId,
      guild_id: world.guildId,
      emoji: { id: null, name: emoji },
      member: { user, roles: [], joined_at: '2025-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
      burst: false,
      type: 0,
    });
  react('👍', world.userId);
  react('⭐', world.userId);
  const reply = await fake.waitFor(
    (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages` && !!r.body.message_reference,
  );
  assert.match(String(reply.body.content ?? ''), /⭐ Saved/);
  assert.deepEqual((reply.body.allowed_mentions as { parse: unknown[] } | undefined)?.parse, []);
  assert.equal((reply.body.message_reference as { message_id?: string }).message_id, messageId);
  const items = await pb.store.library.items(channelOf(world));
  assert.deepEqual(
    items.map((i) => [i.paperId, i.savedBy]),
    [[HOSTILE_PAPER.arxivId, world.userId]],
  );
});

/** The id of the last message the fake stored for the channel (the shared card). */
async function cardMessageId(): Promise<string> {
  const response = await fetch(`${fake.apiUrl}/v10/channels/${world.channelId}/messages?limit=1`, {
    headers: { authorization: 'Bot test' },
  });
  const messages = (await response.json()) as { id: string }[];
  assert.ok(messages[0], 'a stored card');
  return messages[0].id;
}
