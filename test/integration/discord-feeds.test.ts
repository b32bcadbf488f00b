/**
 * Issue 23 through the real discord.js Client against the fake Discord: the 👎 button on `/paperboy recommend`
 * changes the next recommendations and the paper never comes back; a 👎 reaction on a card (a partial, uncached
 * message) says no and removing it takes it back; a trending alert polled from Hugging Face's captured daily_papers
 * answer and `/paperboy trending` say why in an embed field; nothing pings.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { APIEmbed } from 'discord.js';
import { createDiscordDelivery } from '../../src/adapters/discord/alert-delivery.ts';
import { WHY_FIELD } from '../../src/adapters/discord/render.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openPaperboy, type Paperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, invoker, tempDir } from '../core/alerts/support.ts';
import type { FakeDiscord, StoredMessage } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { buttonClick, chatInput, defaultWorld } from '../fakes/discord-payloads.ts';
import { type PaperSourceServer, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { HOSTILE_PAPER } from '../support/paperboy.ts';

const FIXTURE = readFileSync(
  new URL('../fixtures/hf/daily_papers_2024-10-25_first3_trimmed.json', import.meta.url),
  'utf8',
);
const world = defaultWorld();
const HERE = { platform: 'discord', workspaceId: world.guildId, channelId: world.channelId };
let temp: ReturnType<typeof tempDir>;
let harness: DiscordHarness;
let fake: FakeDiscord;
let pb: Paperboy;
let sources: PaperSourceServer;

before(async () => {
  temp = tempDir('paperboy-discord-feeds-');
  pb = await openPaperboy({
    dbPath: join(temp.dir, 'pb.db'),
    logger: silentLogger,
    builtinCorpus: true,
    useWorker: false,
    random: () => 0.42,
  });
  await pb.importer.importInputs([HOSTILE_PAPER], 'test');
  await pb.index.refresh();
  harness = await startHarness({ world, dispatcher: pb.dispatcher });
  ({ fake } = harness);
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', { body: FIXTURE, contentType: 'application/json' });
  for (const paper of ['skip-tuning diffusion', 'lisa layerwise importance sampling', 'lora', HOSTILE_PAPER.arxivId])
    await pb.dispatcher.runText(`save ${paper}`, { ...invoker(world.channelId, 'discord'), userName: 'ada @everyone' });
});

after(async () => {
  await harness?.close();
  await sources?.close();
  await pb?.close();
  temp?.cleanup();
});

const paperOf = (embed: APIEmbed) => embed.footer?.text.replace(/^paper /, '').split(' · ')[0];
type Buttons = { components?: { custom_id?: string; label?: string }[] }[];
const buttonsOf = (message: StoredMessage) =>
  (JSON.parse(JSON.stringify(message.components ?? [])) as Buttons).flatMap((row) => row.components ?? []);

/** The papers of a message's cards, in order, from their 👎 buttons: built-in papers show no id in the footer. */
async function cardPapers(message: StoredMessage): Promise<string[]> {
  const ids = buttonsOf(message)
    .map((button) => button.custom_id ?? '')
    .filter((id) => id.startsWith('pb:n:'));
  return Promise.all(ids.map(async (id) => (await pb.dispatcher.buttons.paperOf(id))!));
}
const whyOf = (embed: APIEmbed) => embed.fields?.find((f) => f.name === WHY_FIELD)?.value;

async function recommend(count: number): Promise<StoredMessage> {
  const payload = chatInput(world, { name: 'paperboy', subcommand: 'recommend', options: { count } });
  await harness.interact(payload);
  return fake.originalOf(payload.token)!;
}

test('GIVEN /paperboy recommend WHEN 👎 is pressed THEN the next recommendations change and the paper never comes back', async () => {
  const first = await recommend(5);
  const embeds = first.embeds ?? [];
  assert.equal(embeds.length, 5);
  for (const embed of embeds) assert.match(whyOf(embed) ?? '', /^Like ".+" \(saved by ada @\u200beveryone\)/);
  const [disliked] = await cardPapers(first);
  assert.ok(disliked);
  const button = buttonsOf(first).find((c) => c.custom_id?.startsWith('pb:n:'));
  assert.match(button?.label ?? '', /^1 · 👎 Not for us$/, 'a numbered 👎 button');
  const click = await harness.interact(buttonClick(world, button!.custom_id!, first));
  const data = click.body.data as { content?: string; flags?: number; embeds?: APIEmbed[] };
  assert.equal(data.flags, 64, 'said privately');
  assert.match(JSON.stringify(data), /👎 Noted/);
  const next = await recommend(20);
  const title = (await pb.store.papers.get(disliked))!.title;
  assert.ok((next.embeds ?? []).length > 0);
  assert.ok(!(next.embeds ?? []).some((e) => e.title?.includes(title.slice(0, 40))), 'never comes back');
  assert.ok(!(await cardPapers(next)).includes(disliked));
  assert.deepEqual(
    (await pb.store.feedback.items(HERE)).map((i) => [i.paperId, i.givenBy]),
    [[disliked, world.userId]],
  );
  await pb.store.feedback.remove(HERE, disliked);
});

test('GIVEN a card posted earlier WHEN someone reacts 👎 THEN it is out of recommendations; removing the 👎 takes it back', async () => {
  const first = await recommend(3);
  const [target] = await cardPapers(first);
  assert.ok(target);
  const share = await harness.interact(
    chatInput(world, { name: 'paperboy', subcommand: 'share', options: { paper: target } }),
  );
  assert.equal(share.body.type, 4);
  const response = await fetch(`${fake.apiUrl}/v10/channels/${world.channelId}/messages?limit=1`, {
    headers: { authorization: 'Bot test' },
  });
  const [card] = (await response.json()) as { id: string }[];
  assert.ok(card, 'the shared card');
  const react = (type: 'MESSAGE_REACTION_ADD' | 'MESSAGE_REACTION_REMOVE', emoji: string) =>
    fake.dispatch(type, {
      user_id: world.userId,
      channel_id: world.channelId,
      message_id: card.id,
      guild_id: world.guildId,
      emoji: { id: null, name: emoji },
      ...(type === 'MESSAGE_REACTION_ADD'
        ? {
            member: {
              user: world.user,
              roles: [],
              joined_at: '2025-01-01T00:00:00.000Z',
              deaf: false,
              mute: false,
              flags: 0,
            },
            burst: false,
            type: 0,
          }
        : {}),
    });
  const from = fake.requests.length;
  react('MESSAGE_REACTION_ADD', '👎🏽');
  const noted = await fake.next(
    from,
    (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages` && !!r.body.message_reference,
  );
  assert.match(String(noted.body.content ?? ''), /👎 Noted/);
  assert.deepEqual((noted.body.allowed_mentions as { parse: unknown[] } | undefined)?.parse, []);
  assert.deepEqual(
    (await pb.store.feedback.items(HERE)).map((i) => i.paperId),
    [target],
  );
  const after = await pb.services.library!.recommend(HERE, 20);
  assert.ok(!after.some((r) => r.paper.id === target));

  const again = fake.requests.length;
  react('MESSAGE_REACTION_REMOVE', '👎🏽');
  const back = await fake.next(
    again,
    (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages` && !!r.body.message_reference,
  );
  assert.match(String(back.body.content ?? ''), /Took back your 👎/);
  assert.equal((await pb.store.feedback.items(HERE)).length, 0);
});

test('GIVEN a trending subscription WHEN Hugging Face is polled THEN its alert and /paperboy trending say why in a field', async () => {
  const system = createAlertSystem({
    core: pb,
    config: alertsConfig(sources.url, { sources: ['huggingface'] }),
    deliveries: [createDiscordDelivery({ client: harness.bot.client })],
    logger: silentLogger,
    now: () => new Date('2030-01-02T12:00:00Z'),
    sourceDeps: FAST_SOURCES,
    outbox: { sleep: async () => {} },
  });
  await pb.dispatcher.runText('subscribe --trending --min-upvotes 70', invoker(world.channelId, 'discord'));
  const from = fake.requests.length;
  await system.poller.pollOnce();
  const sends = fake
    .since(from)
    .filter((r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages` && !!r.body.nonce);
  assert.equal(sends.length, 1, 'only the paper with 74 upvotes passes 70');
  const [embed] = sends[0]!.body.embeds as APIEmbed[];
  assert.equal(paperOf(embed!), '2410.17243');
  assert.equal(whyOf(embed!), "Trending: 74 upvotes, 3 comments (on Hugging Face's list of 2024-10-25); passed 70");
  assert.deepEqual(sends[0]!.body.allowed_mentions, { parse: [] });

  const payload = chatInput(world, { name: 'paperboy', subcommand: 'trending', options: { period: 'week' } });
  await harness.interact(payload);
  const list = fake.originalOf(payload.token)!;
  assert.match(list.content ?? '', /Trending on Hugging Face this week \(2024-10-19 to 2024-10-25\)/);
  assert.deepEqual(
    (list.embeds ?? []).map((e) => [paperOf(e), whyOf(e)?.split(' (')[0]]),
    [
      ['2410.17243', 'Trending: 74 upvotes, 3 comments'],
      ['2410.16251', 'Trending: 45 upvotes, 2 comments'],
      ['2410.18533', 'Trending: 40 upvotes, 2 comments'],
    ],
  );
});
