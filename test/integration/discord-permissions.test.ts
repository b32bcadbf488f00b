/**
 * Who may change a channel's alerts and library on Discord, through the real discord.js Client against the fake
 * Discord and the project's real commands: the alert changes need Manage Channels in the channel (checked when they
 * run, whatever the command's default_member_permissions); a library paper may be removed by the member who saved it
 * or by a member with Manage Channels, and each removal is said in the channel by name, never as a mention.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Paperboy } from '../../src/paperboy.ts';
import { buttonsIn, type FakeDiscord, type RecordedRequest } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { buttonClick, chatInput, defaultWorld, type FakeWorld } from '../fakes/discord-payloads.ts';
import { testPaperboy } from '../support/paperboy.ts';

const EPHEMERAL = 64;
/** View Channel + Send Messages: a plain member, without Manage Channels. */
const PLAIN = { permissions: String(1024 | 2048) };
const PAPERS = ['2502.00021', '2502.00022'] as const;
const world = defaultWorld();
const HERE = { platform: 'discord', workspaceId: world.guildId, channelId: world.channelId };
let harness: DiscordHarness;
let fake: FakeDiscord;
let pb: Paperboy;

/** Another member of the guild, in the same channel. */
function member(id: string, name: string): FakeWorld {
  return { ...world, userId: id, user: { ...world.user, id, username: name.toLowerCase(), global_name: name } };
}
const alice = member('1400000000000000001', 'Alice');
const bruno = member('1400000000000000002', 'Bruno');

before(async () => {
  pb = await testPaperboy({
    builtin: false,
    papers: PAPERS.map((arxivId, i) => ({
      arxivId,
      title: `Sparse Adapters, part ${i + 1}`,
      abstract: 'We study sparse low-rank adapters for language models.',
      authors: ['Ada Lovelace'],
      published: '2025-02-03',
      categories: ['cs.CL'],
    })),
  });
  harness = await startHarness({ world, dispatcher: pb.dispatcher });
  ({ fake } = harness);
});

after(async () => {
  await harness?.close();
  await pb?.close();
});

type Options = Record<string, string>;
const answer = (callback: RecordedRequest) => callback.body.data ?? {};
const run = (who: FakeWorld, name: string, subcommand: string, options: Options, plain = true) =>
  harness.interact(chatInput(who, { name, subcommand, options }, plain ? PLAIN : {}));

test('GIVEN a member without Manage Channels WHEN they subscribe or resume THEN refused, naming who may', async () => {
  for (const [name, subcommand, options] of [
    ['paperboy-alerts', 'subscribe', { query: 'sparse adapters' }],
    ['paperboy-alerts', 'subscribe', { query: '--like-library' }],
    ['paperboy-alerts', 'unsubscribe', { id: '1' }],
    ['paperboy', 'subscriptions', { action: 'resume' }],
  ] as const) {
    const refused = answer(await run(alice, name, subcommand, options));
    assert.equal(refused.flags, EPHEMERAL, subcommand);
    assert.match(
      refused.content ?? '',
      /Only members with the Manage Channels permission may change this channel's alerts\./,
      `${subcommand} ${JSON.stringify(options)}`,
    );
  }
  assert.deepEqual(await pb.alerts.channelSubscriptions(HERE), []);
  const listed = answer(await run(alice, 'paperboy', 'subscriptions', {}));
  assert.match(listed.content ?? '', /no subscriptions/, 'anyone may see what the channel follows');
  const allowed = answer(await run(world, 'paperboy-alerts', 'subscribe', { query: 'sparse adapters' }, false));
  assert.match(allowed.content ?? '', /^Subscribed this channel/);
});

test(
  'GIVEN papers Alice saved WHEN Bruno removes one THEN refused; Alice may, and so may a manager (with the button); ' +
    'each removal is posted in the channel by name',
  async () => {
    for (const paper of PAPERS)
      assert.match(answer(await run(alice, 'paperboy', 'save', { paper })).content ?? '', /⭐ Saved/);
    const refused = answer(await run(bruno, 'paperboy', 'library', { action: 'remove', paper: PAPERS[0] }));
    assert.equal(refused.flags, EPHEMERAL);
    assert.match(
      refused.content ?? '',
      /Only the member who saved "Sparse Adapters, part 1" \(Alice\), or members with the Manage Channels permission, may remove it from this channel's library\./,
    );
    assert.equal(await pb.store.library.count(HERE), 2, 'nothing removed');

    const own = answer(await run(alice, 'paperboy', 'library', { action: 'remove', paper: PAPERS[0] }));
    assert.equal(own.flags ?? 0, 0, 'for the whole channel, not whispered');
    assert.equal(own.content, 'Alice removed "Sparse Adapters, part 1" from this channel\'s library.');

    // The manager removes Alice's other paper with the button on the library list.
    const list = chatInput(world, { name: 'paperboy', subcommand: 'library', options: {} });
    await harness.interact(list);
    const listed = fake.originalOf(list.token)!;
    const remove = buttonsIn(listed).find((b) => b.label === 'Remove from library');
    assert.ok(remove, 'a Remove from library button');
    const from = fake.requests.length;
    await harness.interact(buttonClick(world, remove.custom_id, listed));
    const post = await fake.next(
      from,
      (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages`,
    );
    assert.equal(
      post.body.content,
      'Test User removed "Sparse Adapters, part 2" from this channel\'s library (saved by Alice).',
    );
    assert.deepEqual(post.body.allowed_mentions, { parse: [] });
    assert.equal(await pb.store.library.count(HERE), 0);
    for (const said of [own.content, post.body.content])
      assert.doesNotMatch(String(said), /<@/, 'names, never a mention');
  },
);
