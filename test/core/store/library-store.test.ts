/** The library repository, one suite run against every engine (SQLite and a real PostgreSQL). */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ChannelKey, LibraryItem, Store } from '../../../src/core/store/store.ts';
import { storeEngines } from '../../support/stores.ts';

const engines = await storeEngines();
after(() => Promise.all(engines.map((engine) => engine.stop())));

const C1: ChannelKey = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const C2: ChannelKey = { ...C1, channelId: 'C2' };

function item(paperId: string, savedBy: string, savedAt: string, channel: ChannelKey = C1): LibraryItem {
  return { ...channel, paperId, savedBy, savedAt };
}

for (const engine of engines) {
  describe(`GIVEN a library on ${engine.name}`, () => {
    async function fresh(t: { after(fn: () => Promise<void>): void }): Promise<Store> {
      const store = await engine.open();
      t.after(() => store.close());
      return store;
    }

    test('WHEN a paper is saved twice THEN the first save (who, when) is kept and the second says so', async (t) => {
      const { library } = await fresh(t);
      const saved = { ...item('2503.00001', 'U1', '2025-03-01T10:00:00.000Z'), savedByName: 'ada' };
      assert.deepEqual(await library.save(saved), { added: true, item: saved });
      const again = await library.save(item('2503.00001', 'U2', '2025-03-02T10:00:00.000Z'));
      assert.deepEqual(again, { added: false, item: saved });
      assert.equal(await library.count(C1), 1);
    });

    test('WHEN papers are listed THEN newest first, per channel, filtered by who saved them, paged', async (t) => {
      const { library } = await fresh(t);
      await library.save(item('p1', 'U1', '2025-03-01T10:00:00.000Z'));
      await library.save(item('p2', 'U2', '2025-03-03T10:00:00.000Z'));
      await library.save(item('p3', 'U1', '2025-03-02T10:00:00.000Z'));
      // Saved in the same instant: the later save lists first.
      await library.save(item('p4', 'U1', '2025-03-03T10:00:00.000Z'));
      await library.save(item('other', 'U1', '2025-03-05T10:00:00.000Z', C2));
      const ids = (items: LibraryItem[]) => items.map((i) => i.paperId);
      assert.deepEqual(ids(await library.items(C1)), ['p4', 'p2', 'p3', 'p1']);
      assert.deepEqual(ids(await library.items(C1, { savedBy: 'U1' })), ['p4', 'p3', 'p1']);
      assert.deepEqual(ids(await library.items(C1, { limit: 2, offset: 1 })), ['p2', 'p3']);
      assert.equal(await library.count(C1, 'U1'), 3);
      assert.equal(await library.count(C2), 1);
      assert.equal(await library.count({ ...C1, platform: 'discord' }), 0);
      assert.deepEqual(await library.channels(), [C1, C2]);
    });

    test('WHEN a paper is removed THEN only that channel loses it, and removing again says false', async (t) => {
      const { library } = await fresh(t);
      await library.save(item('p1', 'U1', '2025-03-01T10:00:00.000Z'));
      await library.save(item('p1', 'U1', '2025-03-01T10:00:00.000Z', C2));
      assert.equal(await library.remove(C1, 'p1'), true);
      assert.equal(await library.remove(C1, 'p1'), false);
      assert.equal(await library.item(C1, 'p1'), undefined);
      assert.ok(await library.item(C2, 'p1'));
    });

    test(
      'GIVEN one channel shared by two workspaces WHEN each saves and removes ' +
        "THEN each sees only its own library, and one's removal leaves the other's copy",
      async (t) => {
        const { library } = await fresh(t);
        const other: ChannelKey = { ...C1, workspaceId: 'T2' };
        await library.save(item('p1', 'U1', '2025-03-01T10:00:00.000Z'));
        await library.save(item('p2', 'U1', '2025-03-02T10:00:00.000Z'));
        const theirs = await library.save(item('p1', 'V9', '2025-03-03T10:00:00.000Z', other));
        assert.equal(theirs.added, true, 'the same paper is new to the other workspace');
        assert.deepEqual(
          (await library.items(C1)).map((i) => [i.paperId, i.savedBy]),
          [
            ['p2', 'U1'],
            ['p1', 'U1'],
          ],
        );
        assert.deepEqual(
          (await library.items(other)).map((i) => [i.paperId, i.savedBy]),
          [['p1', 'V9']],
        );
        assert.equal(await library.remove(other, 'p2'), false, "the other workspace cannot remove this one's paper");
        assert.equal(await library.remove(other, 'p1'), true);
        assert.ok(await library.item(C1, 'p1'));
        assert.deepEqual(await library.channels(), [C1]);
      },
    );

    test('WHEN saves run in a transaction that fails THEN none of them is kept', async (t) => {
      const store = await fresh(t);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.library.save(item('p1', 'U1', '2025-03-01T10:00:00.000Z'));
          await tx.library.save(item('p2', 'U1', '2025-03-01T10:00:00.000Z'));
          throw new Error('import failed');
        }),
        /import failed/,
      );
      assert.equal(await store.library.count(C1), 0);
    });
  });
}
