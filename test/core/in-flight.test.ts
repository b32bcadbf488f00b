import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InFlight } from '../../src/core/in-flight.ts';

test('GIVEN requests in flight WHEN closed THEN it stops admitting and settles once they finish', async () => {
  const inFlight = new InFlight();
  let finish: () => void = () => {};
  const slow = inFlight.run(() => new Promise<string>((resolve) => (finish = () => resolve('answered'))));
  const failing = inFlight.run(async () => {
    throw new Error('boom');
  });
  await assert.rejects(failing, /boom/);
  assert.equal(inFlight.size, 1);
  inFlight.close();
  assert.equal(inFlight.accepting, false);
  const settled = inFlight.settle(5_000);
  setTimeout(finish, 50);
  assert.equal(await settled, 0);
  assert.equal(await slow, 'answered');
});

test('GIVEN a request that never finishes THEN settle gives up after its timeout and says how many are left', async () => {
  const inFlight = new InFlight();
  void inFlight.run(() => new Promise(() => {}));
  const started = Date.now();
  assert.equal(await inFlight.settle(100), 1);
  assert.ok(Date.now() - started < 2_000);
});
