/**
 * Housekeeping on both engines: retention deletes only what is old (stash entries, sent alerts, expired event ids),
 * a removed workspace's data goes only after its grace period and only if it did not come back, one instance at a
 * time, at most once per interval, and every run says in the log what it deleted. Time is injected: nothing sleeps.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DEFAULT_RETENTION, Housekeeping } from '../../src/core/housekeeping.ts';
import type { ChannelKey, Store } from '../../src/core/store/store.ts';
import { removeWorkspace, workspaceEvents } from '../../src/core/workspaces.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { storeEngines } from '../support/stores.ts';

const engines = await storeEngines();
after(() => Promise.all(engines.map((engine) => engine.stop())));

const DAY = 86_400_000;
const START = Date.parse('2025-03-01T00:00:00.000Z');
const at = (days: number) => new Date(START + days * DAY);
const iso = (days: number) => at(days).toISOString();

/** A subscription with a pending alert, and a saved paper, in `channel`. */
async function seed(store: Store, channel: ChannelKey, paperId: string): Promise<void> {
  const sub = await store.alerts.addSubscription({ ...channel, query: 'lora', mode: 'instant' }, iso(0));
  await store.alerts.enqueue(
    { ...channel, paperId, subscriptionId: sub.id, matched: ['lora'], score: 1, digest: false, dueAt: iso(0) },
    iso(0),
  );
  await store.library.save({ ...channel, paperId, savedBy: 'U1', savedAt: iso(0) });
}

for (const engine of engines) {
  describe(`GIVEN housekeeping on ${engine.name}`, () => {
    async function fresh(t: { after(fn: () => Promise<void>): void }): Promise<Store> {
      const store = await engine.open();
      t.after(() => store.close());
      return store;
    }

    test('WHEN it runs THEN only stash entries, sent alerts and event ids older than their retention go', async (t) => {
      const store = await fresh(t);
      await store.stash.put('old', 'an old query', iso(0));
      await store.stash.put('fresh', 'a fresh query', iso(80));
      const channel: ChannelKey = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
      for (const paperId of ['sent-long-ago', 'sent-lately', 'pending']) await seed(store, channel, paperId);
      const [old, lately] = await store.alerts.rows();
      await store.alerts.markSending([old!.id], 'k1', iso(1));
      await store.alerts.markSent('k1', iso(1));
      await store.alerts.markSending([lately!.id], 'k2', iso(70));
      await store.alerts.markSent('k2', iso(70));
      // (PostgreSQL's event log also purges on its own every few minutes of `firstSeen` time: these two come together.)
      await store.events.firstSeen('slack:Ev-new', 60 * DAY, at(80).getTime());
      await store.events.firstSeen('slack:Ev-old', DAY, at(80).getTime() + 1000);

      const logger = new CaptureLogger();
      const housekeeping = new Housekeeping({ store, retention: DEFAULT_RETENTION, logger, now: () => at(91) });
      const report = await housekeeping.runOnce();
      assert.deepEqual(report, { stash: 1, sentAlerts: 1, seenEvents: 1, workspaces: [] });
      assert.equal(await store.stash.get('old'), undefined, 'its buttons now say they are no longer valid');
      assert.equal(await store.stash.get('fresh'), 'a fresh query');
      assert.deepEqual(
        (await store.alerts.rows()).map((r) => [r.paperId, r.state]),
        [
          ['sent-lately', 'sent'],
          ['pending', 'pending'],
        ],
      );
      assert.equal(await store.events.firstSeen('slack:Ev-new', 60_000, at(91).getTime()), false, 'still known');
      assert.match(
        logger.lines.join('\n'),
        /info housekeeping: deleted what retention keeps no longer \{"stashEntries":1,"sentAlerts":1,"seenEvents":1,/,
      );
    });

    test(
      'WHEN a workspace removed the app THEN its channels pause at once and its data goes after the grace period, ' +
        'unless it came back',
      async (t) => {
        const store = await fresh(t);
        const gone: ChannelKey = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
        const sharing: ChannelKey = { ...gone, workspaceId: 'T2' };
        const returning: ChannelKey = { platform: 'discord', workspaceId: 'G1', channelId: 'D1' };
        await seed(store, gone, 'p1');
        await seed(store, sharing, 'p2');
        await seed(store, returning, 'p3');
        await store.installations.save({ platform: 'slack', workspaceId: 'T1', orgWide: false, sealed: 'pb1.x' });

        const removal = await removeWorkspace(store, 'slack', 'T1', 'app_uninstalled', iso(0));
        assert.deepEqual(removal, { removed: true, pausedChannels: ['C1'] });
        assert.equal((await store.alerts.channelPause(gone))?.reason, 'app_uninstalled', 'paused at once');
        assert.equal(await store.alerts.channelPause(sharing), undefined, 'the workspace sharing the channel is not');
        const discord = workspaceEvents(store, 'discord');
        await discord.removed('G1', 'guild_removed');
        assert.equal(await discord.returned('G1'), true, 'the bot was added back');

        const logger = new CaptureLogger();
        let now = at(29);
        const housekeeping = new Housekeeping({
          store,
          retention: DEFAULT_RETENTION,
          logger,
          now: () => now,
          intervalMs: DAY,
        });
        assert.deepEqual((await housekeeping.runOnce())?.workspaces, [], 'within the grace period: kept');
        assert.equal((await store.alerts.channelSubscriptions(gone)).length, 1);

        now = at(31);
        const report = await housekeeping.runOnce();
        assert.deepEqual(report?.workspaces, [
          {
            platform: 'slack',
            workspaceId: 'T1',
            removedAt: iso(0),
            reason: 'app_uninstalled',
            subscriptions: 1,
            libraryItems: 1,
            alerts: 1,
            pausedChannels: 1,
            feedback: 0,
            notices: 0,
            installations: 0,
          },
        ]);
        assert.deepEqual(await store.alerts.channelSubscriptions(gone), []);
        assert.equal(await store.library.count(gone), 0);
        assert.equal(await store.alerts.channelPause(gone), undefined);
        assert.equal(await store.workspaces.removal('slack', 'T1'), undefined);
        for (const kept of [sharing, returning]) {
          assert.equal((await store.alerts.channelSubscriptions(kept)).length, 1, `${kept.workspaceId} kept`);
          assert.equal(await store.library.count(kept), 1);
        }
        assert.deepEqual(
          (await store.alerts.rows()).map((r) => r.workspaceId),
          ['T2', 'G1'],
        );
        assert.match(
          logger.lines.join('\n'),
          /info housekeeping: deleted a removed workspace's data after its grace period \{"platform":"slack","workspaceId":"T1"/,
        );
      },
    );

    test('WHEN several instances keep the schedule THEN one runs it per interval, the others skip', async (t) => {
      const store = await fresh(t);
      const now = at(10);
      const make = () =>
        new Housekeeping({ store, retention: DEFAULT_RETENTION, logger: new CaptureLogger(), now: () => now });
      const [first, second] = await Promise.all([make().runOnce(), make().runOnce()]);
      assert.equal([first, second].filter(Boolean).length, 1, 'one of two at once');
      assert.equal(await make().runOnce(), undefined, 'and not again within the interval');
      const holder = store.pollLock({ name: 'housekeeping' });
      assert.ok(await holder.acquire());
      const later = new Housekeeping({
        store,
        retention: DEFAULT_RETENTION,
        logger: new CaptureLogger(),
        now: () => at(20),
      });
      assert.equal(await later.runOnce(), undefined, 'not while another instance holds the housekeeping lock');
      await holder.release();
      assert.ok(await later.runOnce(), 'and once it is free');
    });
  });
}
