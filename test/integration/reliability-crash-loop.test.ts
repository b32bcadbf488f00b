/**
 * The crash loop, small: a poll + delivery process SIGKILLed at 3 seeded random points (a card accepted but not
 * answered, a summary accepted, just after an answer, or a random moment of the round), restarted each time with new
 * papers arriving: 0 lost, 0 duplicate alerts. `npm run loadtest -- --crash-loop 20` runs it with 20 kills.
 * Generalizes test/integration/alerts-crash.test.ts.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrashLoop } from '../../bench/loadtest/crash-loop.ts';

test(
  'GIVEN a poll process killed at 3 random points and restarted ' +
    'THEN every alert is posted exactly once, with at most one summary',
  async (t) => {
    const result = await runCrashLoop({ kills: 3, seed: 7, log: (line) => t.diagnostic(line) });
    t.diagnostic(JSON.stringify(result));
    assert.ok(result.kills >= 1, 'at least one run was killed');
    assert.equal(result.lost, 0, 'lost alerts');
    assert.equal(result.duplicates, 0, 'duplicate alerts');
    assert.equal(result.posted, result.expected);
    assert.equal(result.extraSummaries, 0, 'a Slack thread summary is never posted twice');
  },
);
