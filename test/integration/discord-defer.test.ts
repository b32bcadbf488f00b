/**
 * Slow answers: with `deferAfterMs: 0` every interaction is deferred first, as it would be when a
 * command takes longer than Discord's 3 seconds; the answer then arrives as an edit or a follow-up.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FakeDiscord, RecordedRequest } from '../fakes/discord-api.ts';
import { createTestDispatcher } from '../fakes/discord-dispatcher.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { buttonClick, chatInput, defaultWorld } from '../fakes/discord-payloads.ts';

const EPHEMERAL = 64;
const world = defaultWorld();
let harness: DiscordHarness;
let fake: FakeDiscord;
let interact: DiscordHarness['interact'];

before(async () => {
  harness = await startHarness({ world, dispatcher: createTestDispatcher(), config: { deferAfterMs: 0 } });
  ({ fake, interact } = harness);
});

after(async () => {
  await harness?.close();
});

const editOriginal = (token: string) => (r: RecordedRequest) =>
  r.method === 'PATCH' && r.path === `/webhooks/${world.appId}/${token}/messages/@original`;

test('GIVEN a slow /paper search THEN it is deferred privately and the results edit the placeholder', async () => {
  const payload = chatInput(world, { name: 'paper', options: { query: 'lora' } });
  const from = fake.requests.length;
  const callback = await interact(payload);
  assert.equal(callback.body.type, 5, 'DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE');
  assert.equal(callback.body.data?.flags, EPHEMERAL);
  const edit = await fake.next(from, editOriginal(payload.token));
  assert.equal(edit.body.embeds?.length, 3);
  assert.deepEqual(edit.body.allowed_mentions, { parse: [] });
});

test('GIVEN a slow public answer THEN the card is posted in the channel and the placeholder says where', async () => {
  const payload = chatInput(world, { name: 'paperboy', subcommand: 'summary', options: { paper: '2006.11239' } });
  const from = fake.requests.length;
  await interact(payload);
  const post = await fake.next(from, (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages`);
  assert.match(post.body.content ?? '', new RegExp(`Requested by <@${world.userId}>`));
  assert.deepEqual(post.body.allowed_mentions, { parse: [] });
  await fake.next(from, (r) => r.method === 'POST' && r.path.endsWith('/threads'));
  const edit = await fake.next(from, editOriginal(payload.token));
  assert.match(edit.body.content ?? '', /^Posted: https:\/\/discord\.com\/channels\//);
});

test('GIVEN a slow paging click THEN the click is deferred and the results message is edited', async () => {
  const search = chatInput(world, { name: 'paper', options: { query: 'lora' } });
  const from0 = fake.requests.length;
  await interact(search);
  await fake.next(from0, editOriginal(search.token));
  const results = fake.originalOf(search.token)!;
  const click = buttonClick(world, 'pb:q2:lora', results);
  const from = fake.requests.length;
  const callback = await interact(click);
  assert.equal(callback.body.type, 6, 'DEFERRED_UPDATE_MESSAGE');
  const edit = await fake.next(from, editOriginal(click.token));
  assert.equal(edit.body.content, '**Results for lora (page 2)**');
});

test('GIVEN a slow private answer to a click THEN it arrives as an ephemeral follow-up', async () => {
  const search = chatInput(world, { name: 'paper', options: { query: 'lora' } });
  const from0 = fake.requests.length;
  await interact(search);
  await fake.next(from0, editOriginal(search.token));
  const click = buttonClick(world, 'pb:r:2106.09685', fake.originalOf(search.token)!);
  const from = fake.requests.length;
  await interact(click);
  const followUp = await fake.next(
    from,
    (r) => r.method === 'POST' && r.path === `/webhooks/${world.appId}/${click.token}`,
  );
  assert.equal(followUp.body.flags, EPHEMERAL);
  assert.equal(followUp.body.embeds?.length, 2);
});

test('GIVEN a failure after a deferral THEN the placeholder itself becomes the explanation', async () => {
  const payload = chatInput(world, { name: 'paperboy', subcommand: 'random' });
  fake.failNext('POST', new RegExp(`^/channels/${world.channelId}/messages$`), {
    status: 403,
    code: 50013,
    message: 'Missing Permissions',
  });
  const from = fake.requests.length;
  await interact(payload);
  const edit = await fake.next(from, editOriginal(payload.token));
  assert.match(edit.body.content ?? '', /missing a permission/);
  assert.deepEqual(edit.body.embeds, []);
});
