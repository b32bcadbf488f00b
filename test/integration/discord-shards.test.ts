/**
 * Discord sharding across instances: the fake gateway splits guilds by Discord's rule ((guild_id >> 22) % count), two
 * real clients each run one of two shards (DISCORD_SHARDS=2, DISCORD_SHARD_IDS=0 / 1), so each guild's interactions
 * reach exactly one instance; an alert for a guild reaches it over REST from either instance; `auto` follows the
 * count Discord recommends. The configuration is parsed into those options, and bad values are refused clearly.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type RunningDiscord, startDiscord } from '../../src/adapters/discord/client.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { textReply } from '../../src/core/reply.ts';
import { FakeDiscord } from '../fakes/discord-api.ts';
import { createTestDispatcher, type Seen } from '../fakes/discord-dispatcher.ts';
import { TEST_TOKEN } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld } from '../fakes/discord-payloads.ts';

const world = defaultWorld();
const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function startFake(): Promise<FakeDiscord> {
  const fake = await new FakeDiscord(world).start();
  cleanup.push(() => fake.close());
  return fake;
}

async function instance(fake: FakeDiscord, shards: { count: number | 'auto'; ids?: number[] }, seen: Seen[]) {
  const bot = await startDiscord(
    { token: TEST_TOKEN, appId: world.appId, apiUrl: fake.apiUrl, shards },
    { dispatcher: createTestDispatcher({ seen }), logger: silentLogger },
  );
  cleanup.push(() => bot.stop());
  return bot;
}

test('GIVEN two instances running shard 0 and shard 1 of 2 THEN each guild is served by exactly one of them', async () => {
  const fake = await startFake();
  const seenA: Seen[] = [];
  const seenB: Seen[] = [];
  const a = await instance(fake, { count: 2, ids: [0] }, seenA);
  const b = await instance(fake, { count: 2, ids: [1] }, seenB);
  assert.deepEqual(
    fake.identifiedShards.map((s) => s.join('/')).sort(),
    ['0/2', '1/2'],
    'each instance identified with its own shard',
  );
  const home = FakeDiscord.shardForGuild(world.guildId, 2);
  const [owner, other] = home === 0 ? [a, b] : [b, a];
  assert.ok(owner.client.guilds.cache.has(world.guildId), "the guild is on its shard's instance");
  assert.equal(other.client.guilds.cache.size, 0, 'and not on the other');

  for (let i = 0; i < 4; i++) {
    const payload = chatInput(world, { name: 'paperboy', subcommand: 'help' });
    fake.dispatch('INTERACTION_CREATE', payload);
    await fake.waitFor((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
  }
  const [ownerSeen, otherSeen] = home === 0 ? [seenA, seenB] : [seenB, seenA];
  assert.equal(ownerSeen.length, 4, "every command ran on the guild's instance");
  assert.equal(otherSeen.length, 0, 'and none on the other');
  const callbacks = fake.requests.filter((r) => r.path.endsWith('/callback'));
  assert.equal(callbacks.length, 4, 'each answered once');

  // Alerts go over REST: the instance without the guild on its shards posts in its channel all the same.
  const posted = await other.post(world.channelId, textReply('A new paper for this channel'));
  assert.ok(posted.messageId);
  assert.ok(
    fake.requests.some((r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages`),
    'posted through the REST API',
  );
});

test('GIVEN DISCORD_SHARDS=auto THEN the client runs the number of shards Discord recommends', async () => {
  const fake = await startFake();
  fake.recommendedShards = 3;
  fake.maxConcurrency = 16; // as for large bots: the shards identify together instead of 5 s apart
  const bot: RunningDiscord = await instance(fake, { count: 'auto' }, []);
  assert.deepEqual(fake.identifiedShards.map((s) => s.join('/')).sort(), ['0/3', '1/3', '2/3']);
  assert.equal(bot.client.ws.shards.size, 3);
});

test('GIVEN the sharding variables THEN they are parsed, and bad values refused with a clear message', () => {
  const base = { DISCORD_TOKEN: TEST_TOKEN, DISCORD_APP_ID: world.appId };
  assert.equal(loadConfig(base).discord?.shards, undefined, 'no sharding by default');
  assert.deepEqual(loadConfig({ ...base, DISCORD_SHARDS: 'auto' }).discord?.shards, { count: 'auto' });
  assert.deepEqual(loadConfig({ ...base, DISCORD_SHARDS: '4' }).discord?.shards, { count: 4 });
  assert.deepEqual(loadConfig({ ...base, DISCORD_SHARDS: '8', DISCORD_SHARD_IDS: '6, 0-2' }).discord?.shards, {
    count: 8,
    ids: [0, 1, 2, 6],
  });
  const refused: [Record<string, string>, RegExp][] = [
    [{ DISCORD_SHARDS: 'many' }, /DISCORD_SHARDS must be auto or a number of shards/],
    [{ DISCORD_SHARDS: '0' }, /DISCORD_SHARDS must be auto or a number/],
    [{ DISCORD_SHARD_IDS: '1' }, /DISCORD_SHARD_IDS needs DISCORD_SHARDS/],
    [{ DISCORD_SHARDS: 'auto', DISCORD_SHARD_IDS: '1' }, /needs a number in DISCORD_SHARDS, not auto/],
    [{ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '2' }, /DISCORD_SHARD_IDS must list shard ids from 0 to 1/],
    [{ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: 'x' }, /DISCORD_SHARD_IDS must list shard ids/],
  ];
  for (const [env, message] of refused) assert.throws(() => loadConfig({ ...base, ...env }), message);
});
