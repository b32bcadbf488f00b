/**
 * Servers as workspaces, with the real discord.js client against the fake gateway: the bot removed from a server
 * (GUILD_DELETE) pauses that server's alerts at once and its data is deleted after the grace period, unless the bot is
 * added back first (GUILD_CREATE, or found in the server when it connects); an outage (GUILD_DELETE with
 * `unavailable`) changes nothing. Housekeeping runs at injected times: nothing waits for days.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GUILD_REMOVED_REASON } from '../../src/adapters/discord/client.ts';
import type { ChannelKey } from '../../src/core/channel-key.ts';
import { DEFAULT_RETENTION, Housekeeping } from '../../src/core/housekeeping.ts';
import { workspaceEvents } from '../../src/core/workspaces.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import type { FakeDiscord } from '../fakes/discord-api.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld } from '../fakes/discord-payloads.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';

const DAY = 86_400_000;
const world = defaultWorld();
const channel: ChannelKey = { platform: 'discord', workspaceId: world.guildId, channelId: world.channelId };
const logger = new CaptureLogger();
let harness: DiscordHarness;
let fake: FakeDiscord;
let pb: Paperboy;

before(async () => {
  pb = await testPaperboy({ papers: [HOSTILE_PAPER] });
  // Removed while the bot was offline, and added back before it connected: no GUILD_CREATE event will say so.
  await pb.store.workspaces.markRemoved('discord', world.guildId, GUILD_REMOVED_REASON);
  harness = await startHarness({
    world,
    dispatcher: pb.dispatcher,
    logger,
    workspaces: workspaceEvents(pb.store, 'discord'),
  });
  ({ fake } = harness);
});

after(async () => {
  await harness?.close();
  await pb?.close();
});

/** Housekeeping as it would run `days` from now. */
function housekeepingIn(days: number): Housekeeping {
  const now = new Date(Date.now() + days * DAY);
  return new Housekeeping({ store: pb.store, retention: DEFAULT_RETENTION, logger, now: () => now, intervalMs: 1 });
}

test('GIVEN a server the bot is in when it connects THEN a removal recorded for it is forgotten', async () => {
  await logger.waitFor('discord: back in servers within their grace period');
  assert.equal(await pb.store.workspaces.removal('discord', world.guildId), undefined);
});

test('GIVEN a subscription and a library WHEN the server has an outage THEN nothing is paused', async () => {
  const subscribed = await harness.interact(
    chatInput(world, { name: 'paperboy', subcommand: 'subscribe', options: { query: 'lora' } }),
  );
  assert.match(JSON.stringify(subscribed.body.data), /Subscribed this channel to: lora/);
  await harness.interact(
    chatInput(world, { name: 'paperboy', subcommand: 'save', options: { paper: HOSTILE_PAPER.arxivId! } }),
  );
  assert.equal((await pb.alerts.channelSubscriptions(channel)).length, 1, "kept under the server's id");
  assert.equal(await pb.store.library.count(channel), 1);

  fake.leaveGuild({ unavailable: true });
  // Gateway events are handled in order: once this interaction is answered, the outage has been seen.
  await harness.interact(chatInput(world, { name: 'paperboy', subcommand: 'help' }));
  assert.equal(await pb.alerts.channelPause(channel), undefined);
  assert.equal(await pb.store.workspaces.removal('discord', world.guildId), undefined);
  fake.joinGuild();
});

test('WHEN the bot is removed from the server THEN its alerts pause at once, and its data outlives the grace period only if the bot is added back', async () => {
  fake.leaveGuild();
  await logger.waitFor('discord: removed from a server');
  assert.equal((await pb.alerts.channelPause(channel))?.reason, GUILD_REMOVED_REASON);
  assert.equal((await pb.store.workspaces.removal('discord', world.guildId))?.reason, GUILD_REMOVED_REASON);

  assert.deepEqual((await housekeepingIn(29).runOnce())?.workspaces, [], 'within the grace period');
  fake.joinGuild();
  await logger.waitFor('discord: back in a server within its grace period');
  assert.equal(await pb.store.workspaces.removal('discord', world.guildId), undefined);
  assert.deepEqual((await housekeepingIn(31).runOnce())?.workspaces, [], 'back in time: kept');
  assert.equal((await pb.alerts.channelSubscriptions(channel)).length, 1);
  assert.equal(await pb.store.library.count(channel), 1);
  assert.ok(await pb.alerts.channelPause(channel), 'still paused until someone resumes');

  fake.leaveGuild();
  await until(async () => (await pb.store.workspaces.removal('discord', world.guildId)) !== undefined);
  const [deleted] = (await housekeepingIn(31).runOnce())?.workspaces ?? [];
  assert.deepEqual(
    deleted && [deleted.workspaceId, deleted.subscriptions, deleted.libraryItems, deleted.pausedChannels],
    [world.guildId, 1, 1, 1],
  );
  assert.deepEqual(await pb.alerts.channelSubscriptions(channel), []);
  assert.equal(await pb.store.library.count(channel), 0);
  assert.equal(await pb.alerts.channelPause(channel), undefined);
});

/** Waits for a condition the client reaches on its own (a gateway event handled), checking on each turn. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
