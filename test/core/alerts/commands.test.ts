import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { parseSubscribeText } from '../../../src/core/alerts/service.ts';
import type { Paperboy } from '../../../src/paperboy.ts';
import { invoker, openTestPaperboy, tempDir } from './support.ts';

let temp: ReturnType<typeof tempDir>;
let pb: Paperboy;
beforeEach(async () => {
  temp = tempDir();
  pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
});
afterEach(async () => {
  await pb.close();
  temp.cleanup();
});

const slack = (channel: string, user = 'U1', workspaceId = 'T1') => ({
  ...invoker(channel, 'slack', user),
  workspaceId,
});
const key = (channelId: string, workspaceId = 'T1') => ({ platform: 'slack', workspaceId, channelId });

test('GIVEN /paper subscribe, subscriptions and unsubscribe THEN a channel manages its own subscriptions', async () => {
  const added = await pb.dispatcher.runText('subscribe lora -diffusion author:"Tri Dao"', slack('C1'));
  assert.equal(added.visibility, 'public');
  assert.match(added.fallback, /Subscribed this channel to: lora -diffusion author:"Tri Dao" \(subscription #1\)/);
  assert.match(added.fallback, /Remove it with \/paper unsubscribe 1\.$/, 'Slack syntax on Slack');
  await pb.dispatcher.runText('subscribe speculative decoding --daily 7:45 --tz America/New_York', slack('C1'));
  const list = await pb.dispatcher.runText('subscriptions', slack('C1'));
  assert.match(list.fallback, /#1 {2}lora -diffusion author:"Tri Dao" {2}\(instant\) {2}last match: none yet/);
  assert.match(list.fallback, /#2 {2}speculative decoding {2}\(daily digest at 07:45 America\/New_York\)/);
  assert.match((await pb.dispatcher.runText('subscriptions', slack('C2'))).fallback, /no subscriptions/);
  const removed = await pb.dispatcher.runText('unsubscribe 1', slack('C1'));
  assert.match(removed.fallback, /Unsubscribed this channel from #1/);
  assert.doesNotMatch((await pb.dispatcher.runText('subscriptions', slack('C1'))).fallback, /#1 /);
});

test('GIVEN an id from another channel (typed or forged into a button) THEN nothing is removed', async () => {
  await pb.dispatcher.runText('subscribe lora', slack('C1'));
  const typed = await pb.dispatcher.runText('unsubscribe 1', slack('C2'));
  assert.match(typed.fallback, /no subscription #1/);
  const forged = await pb.dispatcher.runAction(
    pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: '1' }),
    slack('C2'),
  );
  assert.match(forged.fallback, /no subscription #1/);
  const otherPlatform = await pb.dispatcher.runAction(
    pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: '1' }),
    invoker('C1', 'discord'),
  );
  assert.match(otherPlatform.fallback, /no subscription #1/);
  assert.equal((await pb.alerts.channelSubscriptions(key('C1'))).length, 1);
  const button = await pb.dispatcher.runAction(
    pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: '1' }),
    slack('C1'),
  );
  assert.match(button.fallback, /Unsubscribed/);
  assert.equal((await pb.alerts.channelSubscriptions(key('C1'))).length, 0);
});

test('GIVEN a channel shared by two workspaces THEN each lists, unsubscribes and resumes only its own subscriptions', async () => {
  const ours = slack('C1', 'U1', 'T1');
  const theirs = slack('C1', 'V1', 'T2');
  await pb.dispatcher.runText('subscribe lora', ours);
  await pb.dispatcher.runText('subscribe diffusion', theirs);
  assert.match((await pb.dispatcher.runText('subscriptions', ours)).fallback, /follows 1 query:\n#1 {2}lora/);
  assert.match((await pb.dispatcher.runText('subscriptions', theirs)).fallback, /follows 1 query:\n#2 {2}diffusion/);
  assert.match((await pb.dispatcher.runText('unsubscribe 1', theirs)).fallback, /no subscription #1/);
  assert.equal((await pb.alerts.channelSubscriptions(key('C1', 'T1'))).length, 1, 'still there');

  await pb.alerts.pauseChannel(key('C1', 'T2'), 'app_uninstalled');
  assert.doesNotMatch((await pb.dispatcher.runText('subscriptions', ours)).fallback, /Alerts here are paused/);
  assert.match((await pb.dispatcher.runText('subscriptions', theirs)).fallback, /paused since .*app_uninstalled/);
  assert.match((await pb.dispatcher.runText('subscriptions resume', ours)).fallback, /were not paused/);
  assert.ok(await pb.alerts.channelPause(key('C1', 'T2')), "resuming one workspace's alerts is not the other's");
  assert.match((await pb.dispatcher.runText('subscriptions resume', theirs)).fallback, /are resumed/);
  assert.equal(await pb.alerts.channelPause(key('C1', 'T2')), undefined);
});

test('GIVEN a user without Manage Channels THEN subscription commands are refused', async () => {
  const denied = { ...invoker('D1', 'discord'), canManageChannel: false };
  for (const text of ['subscribe lora', 'subscribe --like-library', 'unsubscribe 1', 'subscriptions resume']) {
    assert.match((await pb.dispatcher.runText(text, denied)).fallback, /^Only channel managers may change/, text);
  }
  assert.equal((await pb.alerts.subscriptions()).length, 0);
  // Listing changes nothing: anyone in the channel may see what it follows.
  assert.match((await pb.dispatcher.runText('subscriptions', denied)).fallback, /no subscriptions/);
});

test('GIVEN no explicit yes (absent, a check saying no, a check that fails) THEN changes are refused', async () => {
  const unsure = [
    { ...invoker('S1', 'slack'), canManageChannel: undefined },
    { ...invoker('S1', 'slack'), canManageChannel: async () => ({ allowed: false, reason: 'Guest accounts cannot.' }) },
    {
      ...invoker('S1', 'slack'),
      canManageChannel: async () => {
        throw new Error('Slack is down');
      },
    },
  ];
  const refusals = [];
  for (const who of unsure) refusals.push((await pb.dispatcher.runText('subscribe lora', who)).fallback);
  assert.match(refusals[0]!, /^Only channel managers may change this channel's alerts\.$/);
  assert.match(refusals[1]!, /alerts\. Guest accounts cannot\.$/);
  assert.match(refusals[2]!, /could not check your permissions/);
  const unsubscribeButton = pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: '1' });
  assert.match((await pb.dispatcher.runAction(unsubscribeButton, unsure[0]!)).fallback, /^Only channel managers/);
  assert.equal((await pb.alerts.subscriptions()).length, 0);
  let asked = 0;
  const yes = {
    ...invoker('S1', 'slack'),
    managers: 'full members',
    canManageChannel: async () => {
      asked++;
      return { allowed: true };
    },
  };
  assert.match((await pb.dispatcher.runText('lora', yes)).fallback, /lora/i);
  assert.match((await pb.dispatcher.runText('subscriptions', yes)).fallback, /no subscriptions/);
  assert.equal(asked, 0, 'a search or a list never asks the platform');
  assert.match((await pb.dispatcher.runText('subscribe lora', yes)).fallback, /Subscribed/);
  assert.equal(asked, 1);
});

test('GIVEN bad input THEN one clear message and no subscription', async () => {
  const cases: [string, RegExp][] = [
    ['subscribe', /Say what to follow/],
    ['subscribe -lora', /no words/],
    ['subscribe lora --daily --tz Mars/Olympus', /not a time zone/],
    ['subscribe lora --weekly', /Unknown option/],
    [`subscribe ${'x '.repeat(200)}`, /under 300/],
    ['unsubscribe one', /Give the number/],
    ['subscriptions later', /Usage/],
  ];
  for (const [text, message] of cases)
    assert.match((await pb.dispatcher.runText(text, slack('C1'))).fallback, message, text);
  assert.equal((await pb.alerts.subscriptions()).length, 0);
  await pb.dispatcher.runText('subscribe lora', slack('C1'));
  assert.match((await pb.dispatcher.runText('subscribe LoRA', slack('C1'))).fallback, /already follows/);
});

test('GIVEN Discord typed options THEN mode, time and time zone are used', async () => {
  const reply = await pb.dispatcher.run(
    'subscribe',
    { query: 'diffusion', mode: 'daily', time: '18:00', timezone: 'Asia/Tokyo' },
    invoker('D1', 'discord'),
  );
  assert.match(reply.fallback, /daily digest at 18:00 \(Asia\/Tokyo\)/);
  const bad = await pb.dispatcher.run('subscribe', { query: 'diffusion', time: '25:00' }, invoker('D1', 'discord'));
  assert.match(bad.fallback, /not a time of day/);
});

test('GIVEN subscribe text with flags THEN they are taken out of the query', () => {
  assert.deepEqual(parseSubscribeText('lora --daily 08:30 --tz Europe/Paris'), {
    query: 'lora',
    options: { mode: 'daily', time: '08:30', timeZone: 'Europe/Paris' },
  });
  assert.deepEqual(parseSubscribeText('"state space" -mamba --instant'), {
    query: '"state space" -mamba',
    options: { mode: 'instant' },
  });
  assert.deepEqual(parseSubscribeText('lora --digest'), { query: 'lora', options: { mode: 'daily' } });
});
