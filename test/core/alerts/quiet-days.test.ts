/** The pieces of quiet-day notes: the digest time just past, the note's words, the channels a failing source affects. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { affectedChannels, lastDigestAt, quietNote } from '../../../src/core/alerts/quiet-days.ts';
import type { Subscription } from '../../../src/core/store/store.ts';

const iso = (ms: number) => new Date(ms).toISOString();

test('GIVEN a digest time and zone THEN the last digest is the latest one at or before now, DST included', () => {
  assert.equal(iso(lastDigestAt('09:00', 'UTC', new Date('2030-01-03T09:00:00Z'))), '2030-01-03T09:00:00.000Z');
  assert.equal(iso(lastDigestAt('09:00', 'UTC', new Date('2030-01-03T08:59:59Z'))), '2030-01-02T09:00:00.000Z');
  // Berlin moves from UTC+1 to UTC+2 on 2030-03-31.
  assert.equal(
    iso(lastDigestAt('09:00', 'Europe/Berlin', new Date('2030-03-31T12:00:00Z'))),
    '2030-03-31T07:00:00.000Z',
  );
  assert.equal(
    iso(lastDigestAt('09:00', 'Europe/Berlin', new Date('2030-03-31T06:00:00Z'))),
    '2030-03-30T08:00:00.000Z',
  );
});

test('GIVEN a quiet day THEN the note names what was followed, what was checked, and a source failing', () => {
  assert.equal(
    quietNote({ query: 'lora' }, [{ added: 200 }, { added: 12 }], '2030-01-03T08:00:00Z', []),
    'No new papers matched "lora" today (212 new papers checked).',
  );
  assert.equal(
    quietNote({ query: 'trending 50+ upvotes' }, [{ added: 1 }], undefined, []),
    'No paper reached 50 upvotes on Hugging Face today (1 new paper checked).',
  );
  assert.equal(
    quietNote({ query: 'like-library 5/day' }, [], '2030-01-01T07:30:00Z', [
      {
        name: 'arxiv-rss',
        lastPolledAt: '2030-01-03T08:00:00Z',
        ok: false,
        error: 'HTTP 503',
        failingSince: '2030-01-02T08:00:00Z',
        fetched: 0,
        added: 0,
      },
    ]),
    "No new papers were close enough to this channel's library today: no source was polled since 2030-01-01 07:30 " +
      'UTC. arXiv has not answered since 2030-01-02 08:00 UTC.',
  );
});

test('GIVEN subscriptions THEN a failing source affects each channel once, trending-only channels only for Hugging Face', () => {
  const sub = (channelId: string, query: string): Subscription => ({
    id: 1,
    platform: 'slack',
    workspaceId: 'T1',
    channelId,
    query,
    mode: 'instant',
    createdAt: '',
  });
  const subs = [sub('C1', 'lora'), sub('C1', 'gan'), sub('C2', 'trending 50+ upvotes')];
  assert.deepEqual(
    affectedChannels('huggingface', subs).map((c) => c.channelId),
    ['C1', 'C2'],
  );
  assert.deepEqual(
    affectedChannels('arxiv-rss', subs).map((c) => c.channelId),
    ['C1'],
  );
});
