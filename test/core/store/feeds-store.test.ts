/**
 * The repositories of issue 23 (👎 feedback, Hugging Face signals, alert reasons, channel notices and quiet-day
 * settings), one suite run against every engine (SQLite and a real PostgreSQL).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { FeedbackItem, Store } from '../../../src/core/store/store.ts';
import { storeEngines } from '../../support/stores.ts';

const engines = await storeEngines();
after(() => Promise.all(engines.map((engine) => engine.stop())));

/** Channel `channelId` as workspace T1 sees it. */
const at = (channelId: string) => ({ platform: 'slack', workspaceId: 'T1', channelId });

function feedback(paperId: string, givenBy: string, givenAt: string, channelId = 'C1'): FeedbackItem {
  return { platform: 'slack', workspaceId: 'T1', channelId, paperId, givenBy, givenAt };
}

for (const engine of engines) {
  describe(`GIVEN the feeds repositories on ${engine.name}`, () => {
    async function fresh(t: { after(fn: () => Promise<void>): void }): Promise<Store> {
      const store = await engine.open();
      t.after(() => store.close());
      return store;
    }

    test('WHEN people say 👎 THEN one per person and paper is kept, listed newest first, taken back alone or all', async (t) => {
      const { feedback: store } = await fresh(t);
      assert.equal(await store.add({ ...feedback('p1', 'U1', '2025-03-01T10:00:00.000Z'), givenByName: 'ada' }), true);
      assert.equal(await store.add(feedback('p1', 'U1', '2025-03-02T10:00:00.000Z')), false, 'twice counts once');
      await store.add(feedback('p1', 'U2', '2025-03-03T10:00:00.000Z'));
      await store.add(feedback('p2', 'U1', '2025-03-02T10:00:00.000Z'));
      await store.add(feedback('p1', 'U1', '2025-03-04T10:00:00.000Z', 'C2'));
      const all = await store.items(at('C1'));
      assert.deepEqual(
        all.map((i) => [i.paperId, i.givenBy]),
        [
          ['p1', 'U2'],
          ['p2', 'U1'],
          ['p1', 'U1'],
        ],
      );
      assert.equal(all[2]!.givenByName, 'ada');
      assert.equal(all[2]!.givenAt, '2025-03-01T10:00:00.000Z');
      assert.deepEqual(
        (await store.items(at('C1'), { paperId: 'p1', givenBy: 'U1' })).map((i) => i.givenAt),
        ['2025-03-01T10:00:00.000Z'],
      );
      assert.equal(await store.remove(at('C1'), 'p1', 'U1'), 1);
      assert.equal(await store.remove(at('C1'), 'p1', 'U1'), 0);
      assert.equal(await store.remove(at('C1'), 'p1'), 1, "everyone's: U2's is left");
      assert.deepEqual(
        (await store.items(at('C1'))).map((i) => i.paperId),
        ['p2'],
      );
      assert.equal((await store.items(at('C2'))).length, 1, 'another channel keeps its own');
    });

    test('WHEN a paper is polled again THEN its counts are updated in place, the day featured stays the first', async (t) => {
      const { signals } = await fresh(t);
      assert.equal(await signals.latest('huggingface'), undefined);
      await signals.record({
        paperId: 'p1',
        source: 'huggingface',
        featuredOn: '2025-03-02',
        upvotes: 10,
        comments: 1,
        asOf: '2025-03-02T08:00:00.000Z',
      });
      await signals.record({
        paperId: 'p1',
        source: 'huggingface',
        featuredOn: '2025-03-03',
        upvotes: 74,
        asOf: '2025-03-03T08:00:00.000Z',
      });
      await signals.record({
        paperId: 'p2',
        source: 'huggingface',
        featuredOn: '2025-03-03',
        upvotes: 74,
        comments: 5,
        asOf: '2025-03-03T08:00:00.000Z',
      });
      await signals.record({
        paperId: 'p3',
        source: 'huggingface',
        featuredOn: '2025-02-20',
        upvotes: 500,
        asOf: '2025-03-03T08:00:00.000Z',
      });
      const week = await signals.featured('huggingface', '2025-02-25', '2025-03-03', 10);
      assert.deepEqual(
        week.map((s) => [s.paperId, s.featuredOn, s.upvotes, s.comments]),
        [
          ['p2', '2025-03-03', 74, 5],
          ['p1', '2025-03-02', 74, 1],
        ],
        'one row per paper; most upvotes first, then most comments; comments kept when a poll has none',
      );
      assert.equal(week[1]!.firstSeenAt, '2025-03-02T08:00:00.000Z');
      assert.equal(week[1]!.asOf, '2025-03-03T08:00:00.000Z');
      assert.deepEqual(await signals.latest('huggingface'), { day: '2025-03-03', asOf: '2025-03-03T08:00:00.000Z' });
    });

    test('WHEN a reason is kept for an alert THEN it is read back by channel and paper, replaced when kept again', async (t) => {
      const { alertReasons } = await fresh(t);
      const reason = JSON.stringify({ kind: 'query', query: 'lora', terms: ['lora'] });
      await alertReasons.put({ platform: 'slack', channelId: 'C1', paperId: 'p1', reason });
      await alertReasons.put({
        platform: 'slack',
        channelId: 'C2',
        paperId: 'p1',
        reason: '{"kind":"trending","upvotes":3}',
      });
      const found = await alertReasons.get('slack', 'C1', ['p1', 'p2']);
      assert.deepEqual([...found.keys()], ['p1']);
      assert.deepEqual(JSON.parse(found.get('p1')!), JSON.parse(reason));
    });

    test('WHEN a notice is queued twice THEN it is kept once and moves pending → sending → sent', async (t) => {
      const store = await fresh(t);
      const { notices } = store;
      const notice = { ...at('C1'), key: 'quiet:1:2025-03-03', text: 'No new papers' };
      assert.equal(await notices.queue(notice, '2025-03-03T09:00:00.000Z'), true);
      assert.equal(await notices.queue(notice, '2025-03-03T09:05:00.000Z'), false);
      const [open] = await notices.open('slack');
      assert.equal(open?.state, 'pending');
      await notices.mark(open!.id, 'sending');
      assert.deepEqual(
        (await notices.open('slack')).map((n) => [n.state, n.attempts]),
        [['sending', 1]],
      );
      await notices.mark(open!.id, 'sent', { at: '2025-03-03T09:01:00.000Z' });
      assert.equal((await notices.open('slack')).length, 0);
      const [sent] = await notices.channel(at('C1'));
      assert.equal(sent?.sentAt, '2025-03-03T09:01:00.000Z');
      assert.equal((await notices.open('discord')).length, 0);
    });

    test('WHEN a subscription wants quiet-day notes THEN that is kept until it is turned off or the subscription goes', async (t) => {
      const store = await fresh(t);
      const sub = await store.alerts.addSubscription({
        ...at('C1'),
        query: 'lora',
        mode: 'daily',
      });
      const other = await store.alerts.addSubscription({
        ...at('C1'),
        query: 'gan',
        mode: 'daily',
      });
      await store.notices.setQuietNote(sub.id, true);
      await store.notices.setQuietNote(sub.id, true);
      assert.deepEqual([...(await store.notices.quietNotes([sub.id, other.id]))], [sub.id]);
      await store.notices.setQuietNote(sub.id, false);
      assert.equal((await store.notices.quietNotes([sub.id])).size, 0);
      await store.notices.setQuietNote(other.id, true);
      await store.alerts.removeSubscription(other.id, at('C1'));
      assert.equal((await store.notices.quietNotes([other.id])).size, 0, 'gone with its subscription');
    });
  });
}
