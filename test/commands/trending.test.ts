/**
 * `/paper trending` and the options of issue 23's subscriptions, through the dispatcher: no upvote data is said so;
 * the period and topic are read from what was typed; `--trending`, `--min-upvotes` and `--quiet-note` are checked.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseTrendingOptions } from '../../commands/trending.ts';
import type { Invoker } from '../../src/core/command.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { testPaperboy } from '../support/paperboy.ts';

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy();
});
after(() => pb.close());

const MANAGER: Invoker = { platform: 'slack', userId: 'U1', userName: 'ada', channelId: 'C1', canManageChannel: true };

test('GIVEN a corpus without Hugging Face upvotes THEN /paper trending says there is no upvote data and why', async () => {
  const reply = await pb.dispatcher.runText('trending week lora', MANAGER);
  assert.match(reply.fallback, /^I have no upvote data: trending papers come from Hugging Face's daily papers/);
  assert.match(reply.fallback, /polled when SOURCES includes huggingface/);
});

test('GIVEN what people type after /paper trending THEN the period comes first and the rest is the topic', () => {
  assert.deepEqual(parseTrendingOptions({}), { period: 'today' });
  assert.deepEqual(parseTrendingOptions({ period: 'week' }), { period: 'week' });
  assert.deepEqual(parseTrendingOptions({ period: 'WEEK lora adapter' }), { period: 'week', topic: 'lora adapter' });
  assert.deepEqual(parseTrendingOptions({ period: 'diffusion' }), { period: 'today', topic: 'diffusion' });
  assert.deepEqual(parseTrendingOptions({ period: 'today', topic: 'lora' }), { period: 'today', topic: 'lora' });
});

test('GIVEN --trending, --min-upvotes and --quiet-note THEN they are checked and listed in words', async () => {
  const ok = await pb.dispatcher.runText('subscribe --trending --min-upvotes 120', MANAGER);
  assert.match(
    ok.fallback,
    /Subscribed this channel to: papers reaching 120 upvotes on Hugging Face \(subscription #\d+\)/,
  );
  assert.match(ok.fallback, /once, when it reaches that many upvotes/);
  assert.match(ok.fallback, /I have no Hugging Face upvote data yet: alerts start once that source is polled/);
  assert.match((await pb.dispatcher.runText('subscribe --trending lora', MANAGER)).fallback, /give no other words/);
  assert.match(
    (await pb.dispatcher.runText('subscribe --trending --min-upvotes 0', MANAGER)).fallback,
    /--min-upvotes takes a whole number from 1/,
  );
  assert.match(
    (await pb.dispatcher.runText('subscribe lora --quiet-note', MANAGER)).fallback,
    /--quiet-note goes with a daily digest: add --daily/,
  );
  assert.match(
    (await pb.dispatcher.runText('subscribe trending 5+ upvotes', MANAGER)).fallback,
    /use those options/,
    'the stored form of a trending subscription is not a query',
  );
  const daily = await pb.dispatcher.runText('subscribe diffusion --daily 08:30 --quiet-note', MANAGER);
  assert.match(
    daily.fallback,
    /daily digest at 08:30 \(UTC\) of new papers matching it, and one line on a day there are none/,
  );
  const list = await pb.dispatcher.runText('subscriptions', MANAGER);
  assert.match(list.fallback, /papers reaching 120 upvotes on Hugging Face {2}\(instant\)/);
  assert.match(list.fallback, /diffusion {2}\(daily digest at 08:30 UTC, quiet-day note\)/);
  assert.match(list.fallback, /Sources: not polled yet/);
  // Deny by default: the flags change what the channel receives.
  const guest = await pb.dispatcher.runText('subscribe --trending', { ...MANAGER, canManageChannel: false });
  assert.match(guest.fallback, /^Only channel managers may change this channel's alerts\./);
});
