/**
 * Channel notices (quiet-day notes, a source down and back) are posted once: queued once by key, looked for by their
 * message key after an answer was lost, retried a few times when refused, dropped (and logged) when they never can
 * be, when stale, and held while the channel's alerts are paused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertDelivery, DeliveryFailure } from '../../../src/core/alerts/delivery.ts';
import { deliverNotices, noticeKey } from '../../../src/core/alerts/notices.ts';
import type { ChannelKey } from '../../../src/core/channel-key.ts';
import { openStore } from '../../../src/core/store/open.ts';
import type { Store } from '../../../src/core/store/store.ts';
import { CaptureLogger } from '../../fakes/slack-logger.ts';

class ScriptedDelivery implements AlertDelivery {
  readonly platform = 'slack';
  readonly minIntervalMs = 0;
  readonly posted = new Map<string, string>();
  /** What the next posts do: undefined posts, else throws this failure. */
  script: (DeliveryFailure['kind'] | 'lose-answer' | undefined)[] = [];
  findFails = false;

  async post({ channelId }: ChannelKey, _reply: unknown, key: string): Promise<string> {
    const next = this.script.shift();
    if (next === 'lose-answer') {
      this.posted.set(key, channelId);
      throw Object.assign(new Error('timeout'), { kind: 'unknown' });
    }
    if (next) throw Object.assign(new Error(next), { kind: next });
    this.posted.set(key, channelId);
    return key;
  }
  async postThread(): Promise<void> {}
  async find(_channel: ChannelKey, key: string): Promise<string | undefined> {
    if (this.findFails) throw Object.assign(new Error('history unavailable'), { kind: 'unknown' });
    return this.posted.has(key) ? key : undefined;
  }
  classify(error: unknown): DeliveryFailure {
    const kind = (error as { kind?: DeliveryFailure['kind'] }).kind ?? 'rejected';
    return { kind, code: kind };
  }
}

async function setup(): Promise<{
  store: Store;
  delivery: ScriptedDelivery;
  logger: CaptureLogger;
  run: () => Promise<number>;
}> {
  const store = await openStore({ engine: 'sqlite', path: ':memory:' });
  const delivery = new ScriptedDelivery();
  const logger = new CaptureLogger();
  const now = new Date('2030-01-03T09:00:00Z');
  const run = () =>
    deliverNotices(
      { notices: store.notices, repo: store.alerts, deliveries: [delivery], logger },
      new AbortController().signal,
      now,
    );
  return { store, delivery, logger, run };
}

const notice = (channelId: string, key = 'quiet:1:2030-01-03') => ({
  platform: 'slack',
  workspaceId: 'T1',
  channelId,
  key,
  text: 'Quiet.',
});

test('GIVEN a notice whose answer was lost THEN the next round finds it by key and does not post it again', async (t) => {
  const { store, delivery, run } = await setup();
  t.after(() => store.close());
  await store.notices.queue(notice('C1'), '2030-01-03T09:00:00.000Z');
  delivery.script = ['lose-answer'];
  assert.equal(await run(), 0);
  assert.equal((await store.notices.open('slack'))[0]?.state, 'sending');
  delivery.findFails = true;
  await run();
  assert.equal((await store.notices.open('slack'))[0]?.state, 'sending', 'cannot tell: still waiting, not resent');
  delivery.findFails = false;
  await run();
  assert.equal((await store.notices.open('slack')).length, 0);
  assert.deepEqual(
    [...delivery.posted.keys()],
    [noticeKey({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', key: 'quiet:1:2030-01-03' })],
  );
  assert.match(noticeKey(notice('C1')), /^pn[0-9a-f]{22}$/);
});

test('GIVEN refusals THEN a notice is retried, given up after 5 tries or at once when it can never be posted', async (t) => {
  const { store, delivery, logger, run } = await setup();
  t.after(() => store.close());
  await store.notices.queue(notice('C1'), '2030-01-03T09:00:00.000Z');
  await store.notices.queue(notice('C2'), '2030-01-03T09:00:00.000Z');
  delivery.script = ['rejected', 'channel'];
  await run();
  assert.deepEqual(
    (await store.notices.channel({ platform: 'slack', workspaceId: 'T1', channelId: 'C2' })).map((n) => [
      n.state,
      n.lastError,
    ]),
    [['dropped', 'channel']],
  );
  for (let i = 0; i < 4; i++) {
    delivery.script = ['rejected'];
    await run();
  }
  const [given] = await store.notices.channel({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' });
  assert.deepEqual([given?.state, given?.attempts], ['dropped', 5]);
  assert.equal(logger.lines.filter((l) => l.includes('giving up on a channel notice')).length, 2);
});

test('GIVEN a paused channel or a stale notice THEN it waits, or is dropped as stale', async (t) => {
  const { store, delivery, run } = await setup();
  t.after(() => store.close());
  await store.notices.queue(notice('C1'), '2030-01-03T08:00:00.000Z');
  await store.notices.queue(notice('C2'), '2029-12-30T08:00:00.000Z');
  await store.alerts.pauseChannel({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' }, 'not_in_channel');
  await run();
  assert.equal(delivery.posted.size, 0);
  assert.equal(
    (await store.notices.channel({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' }))[0]?.state,
    'pending',
  );
  assert.deepEqual(
    (await store.notices.channel({ platform: 'slack', workspaceId: 'T1', channelId: 'C2' })).map((n) => [
      n.state,
      n.lastError,
    ]),
    [['dropped', 'expired']],
  );
  await store.alerts.resumeChannel({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' });
  assert.equal(await run(), 1);
});
