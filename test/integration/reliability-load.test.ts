/**
 * The quick variant of `npm run loadtest` (bench/loadtest): 20 concurrent signed `/paper` slash commands at the real
 * Slack adapter in HTTP mode and 20 concurrent Discord interactions through the fake gateway; every one is
 * acknowledged and answered. No timing assertions (the figures are in docs/reliability.md).
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadDiscord, loadSlack } from '../../bench/loadtest/load.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { testPaperboy } from '../support/paperboy.ts';

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy();
});
after(() => pb.close());

test(
  'GIVEN 20 concurrent /paper slash commands at Slack in HTTP mode ' + 'THEN every one is acknowledged and answered',
  async () => {
    const result = await loadSlack({ dispatcher: pb.dispatcher, concurrency: 20, timeoutMs: 20_000 });
    assert.deepEqual(result.errors, []);
    assert.equal(result.acked, 20);
    assert.equal(result.answered, 20);
  },
);

test('GIVEN 20 concurrent Discord interactions THEN every one gets its callback', async () => {
  const result = await loadDiscord({ dispatcher: pb.dispatcher, concurrency: 20, timeoutMs: 20_000 });
  assert.deepEqual(result.errors, []);
  assert.equal(result.acked, 20);
  assert.equal(result.answered, 20);
});
