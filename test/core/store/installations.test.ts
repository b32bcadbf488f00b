/**
 * Installations in the store, on every engine: saved sealed, replaced on reinstall, removed; and removing a workspace
 * deletes its credentials and pauses exactly its channels' alerts.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Store } from '../../../src/core/store/store.ts';
import { removeWorkspace } from '../../../src/core/workspaces.ts';
import { storeEngines } from '../../support/stores.ts';

const engines = await storeEngines();
after(() => Promise.all(engines.map((engine) => engine.stop())));

for (const engine of engines) {
  describe(`GIVEN installations on ${engine.name}`, () => {
    async function fresh(t: { after(fn: () => Promise<void>): void }): Promise<Store> {
      const store = await engine.open();
      t.after(() => store.close());
      return store;
    }

    test('WHEN a workspace installs, reinstalls and is removed THEN the record follows', async (t) => {
      const { installations } = await fresh(t);
      assert.equal(await installations.get('slack', 'T1'), undefined);
      await installations.save(
        { platform: 'slack', workspaceId: 'T1', orgWide: false, sealed: 'pb1.k.first', installedBy: 'U1' },
        '2026-01-01T00:00:00.000Z',
      );
      await installations.save(
        { platform: 'slack', workspaceId: 'E1', enterpriseId: 'E1', orgWide: true, sealed: 'pb1.k.org' },
        '2026-01-01T00:00:00.000Z',
      );
      assert.deepEqual(await installations.get('slack', 'T1'), {
        platform: 'slack',
        workspaceId: 'T1',
        enterpriseId: undefined,
        orgWide: false,
        sealed: 'pb1.k.first',
        installedBy: 'U1',
        installedAt: '2026-01-01T00:00:00.000Z',
      });
      await installations.save(
        { platform: 'slack', workspaceId: 'T1', orgWide: false, sealed: 'pb1.k.second', installedBy: 'U2' },
        '2026-02-01T00:00:00.000Z',
      );
      const again = await installations.get('slack', 'T1');
      assert.equal(again?.sealed, 'pb1.k.second');
      assert.equal(again?.installedBy, 'U2');
      assert.equal(again?.installedAt, '2026-02-01T00:00:00.000Z');
      assert.equal((await installations.get('slack', 'E1'))?.orgWide, true);
      assert.equal(await installations.get('discord', 'T1'), undefined);
      assert.equal((await installations.latest('slack'))?.workspaceId, 'T1', 'the one installed last');
      assert.equal(await installations.latest('discord'), undefined);
      assert.equal(await installations.remove('slack', 'T1'), true);
      assert.equal(await installations.remove('slack', 'T1'), false);
      assert.equal(await installations.get('slack', 'T1'), undefined);
      assert.ok(await installations.get('slack', 'E1'));
    });

    test('WHEN a workspace is removed THEN its credentials go and only its channels are paused', async (t) => {
      const store = await fresh(t);
      await store.installations.save({ platform: 'slack', workspaceId: 'T1', orgWide: false, sealed: 'x' });
      await store.installations.save({ platform: 'slack', workspaceId: 'T2', orgWide: false, sealed: 'y' });
      const sub = (channelId: string, workspaceId: string, platform = 'slack') =>
        store.alerts.addSubscription({ platform, channelId, workspaceId, query: 'lora', mode: 'instant' });
      await sub('C1', 'T1');
      await sub('C1', 'T1');
      await sub('C2', 'T1');
      await sub('C3', 'T2');
      await sub('D1', 'T1', 'discord');
      const removal = await removeWorkspace(store, 'slack', 'T1', 'app_uninstalled', '2026-03-01T10:00:00.000Z');
      assert.deepEqual(removal, { removed: true, pausedChannels: ['C1', 'C2'] });
      assert.equal(await store.installations.get('slack', 'T1'), undefined);
      assert.ok(await store.installations.get('slack', 'T2'));
      const key = (channelId: string, workspaceId = 'T1', platform = 'slack') => ({ platform, workspaceId, channelId });
      assert.deepEqual(await store.alerts.channelPause(key('C1')), {
        pausedAt: '2026-03-01T10:00:00.000Z',
        reason: 'app_uninstalled',
      });
      assert.ok(await store.alerts.channelPause(key('C2')));
      assert.equal(await store.alerts.channelPause(key('C3', 'T2')), undefined);
      assert.equal(await store.alerts.channelPause(key('D1', 'T1', 'discord')), undefined);
      assert.deepEqual(await store.workspaces.removal('slack', 'T1'), {
        platform: 'slack',
        workspaceId: 'T1',
        removedAt: '2026-03-01T10:00:00.000Z',
        reason: 'app_uninstalled',
      });
      assert.equal(await store.workspaces.removal('slack', 'T2'), undefined);
      assert.equal((await removeWorkspace(store, 'slack', 'T1', 'tokens_revoked')).removed, false);
      assert.equal((await store.workspaces.removal('slack', 'T1'))?.reason, 'app_uninstalled', 'the first removal');
    });
  });
}
