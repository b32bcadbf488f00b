/**
 * The adapters' turn scheduler (src/adapters/turns.ts): jobs overlap while they wait, up to a cap, in arrival order;
 * a slow or failing job holds up or breaks no other; jobs still start one per event-loop turn; and a full queue turns
 * new jobs away at once with a "busy" answer instead of growing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUSY, MAX_IN_FLIGHT, replyInTurn, Turns, WorkQueueFull } from '../../src/adapters/turns.ts';
import { textReply } from '../../src/core/reply.ts';

/** A promise settled from outside: a network wait the test ends when it wants. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Lets every job that can start do so (a few event-loop turns). */
async function turnsPass(n = 30): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

test('GIVEN a slow job WHEN a fast one is started after it THEN the fast one finishes first', async () => {
  const turns = new Turns();
  const slowWait = gate<string>();
  let slowDone = false;
  const slow = turns.run(async () => {
    const value = await slowWait.promise;
    slowDone = true;
    return value;
  });
  let fast: string | undefined;
  void turns
    .run(async () => 'fast')
    .then((value) => {
      fast = value;
    });
  await turnsPass();
  assert.equal(fast, 'fast');
  assert.equal(slowDone, false, 'the slow job is still waiting');
  assert.equal(turns.queued, 1);
  slowWait.open('slow');
  assert.equal(await slow, 'slow');
  assert.equal(turns.queued, 0);
});

test('GIVEN more jobs than the cap THEN no more than the cap run at once, and the rest start in arrival order', async () => {
  const cap = 3;
  const turns = new Turns({ maxInFlight: cap });
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const waits = Array.from({ length: 10 }, () => gate());
  const jobs = waits.map((wait, i) =>
    turns.run(async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await wait.promise;
      running--;
      return i;
    }),
  );
  await turnsPass();
  assert.deepEqual(started, [0, 1, 2], 'the first three run, the others wait');
  assert.equal(turns.queued, 10);
  // Ending a later job first frees a slot for the oldest waiting one.
  waits[1]!.open();
  await turnsPass();
  assert.deepEqual(started, [0, 1, 2, 3]);
  for (const wait of waits) wait.open();
  assert.deepEqual(await Promise.all(jobs), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(most, cap);
  assert.equal(turns.queued, 0);
});

test('GIVEN turns with the default cap THEN up to MAX_IN_FLIGHT jobs wait on the network together', async () => {
  const turns = new Turns();
  const wait = gate();
  let running = 0;
  let most = 0;
  const jobs = Array.from({ length: MAX_IN_FLIGHT + 4 }, () =>
    turns.run(async () => {
      running++;
      most = Math.max(most, running);
      await wait.promise;
      running--;
    }),
  );
  await turnsPass();
  assert.equal(running, MAX_IN_FLIGHT);
  wait.open();
  await Promise.all(jobs);
  assert.equal(most, MAX_IN_FLIGHT);
  assert.ok(MAX_IN_FLIGHT > 1, 'jobs overlap');
});

test('GIVEN a job that throws or rejects THEN only its caller sees the error; the others and later ones run', async () => {
  const turns = new Turns({ maxInFlight: 2 });
  const slow = gate<string>();
  const settled = Promise.allSettled([
    turns.run(() => {
      throw new Error('thrown');
    }),
    turns.run(async () => slow.promise),
    turns.run(async () => {
      await Promise.resolve();
      throw new Error('rejected');
    }),
    turns.run(() => 'plain value'),
  ]);
  await turnsPass();
  slow.open('slow value');
  assert.deepEqual(
    (await settled).map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
    ['thrown', 'slow value', 'rejected', 'plain value'],
  );
  assert.equal(await turns.run(() => 'after'), 'after');
  assert.equal(turns.queued, 0);
});

test('GIVEN a burst of CPU-bound jobs THEN a timer due meanwhile runs between two job starts, not after all', async () => {
  const turns = new Turns();
  const events: string[] = [];
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // Synchronous work, as a search over a large corpus is.
    }
  };
  const jobs = Array.from({ length: 5 }, (_, i) =>
    turns.run(() => {
      events.push(`job ${i}`);
      // A request arriving while the burst is worked on: its acknowledgement is due at once.
      if (i === 0) setTimeout(() => events.push('ack'), 0);
      busy(20);
    }),
  );
  await Promise.all(jobs);
  const ack = events.indexOf('ack');
  assert.ok(ack !== -1 && ack < events.indexOf('job 2'), events.join(', '));
});

test('GIVEN a full queue WHEN another job comes THEN it is turned away at once, and the queue takes jobs again once it has room', async () => {
  let shed = 0;
  const turns = new Turns({ maxInFlight: 1, maxWaiting: 2, onShed: () => shed++ });
  const wait = gate();
  const ran: number[] = [];
  const job = (i: number) => async () => {
    ran.push(i);
    await wait.promise;
    return i;
  };
  const first = turns.run(job(1));
  await turnsPass();
  const waiting = [turns.run(job(2)), turns.run(job(3))];
  await assert.rejects(turns.run(job(4)), WorkQueueFull);
  assert.equal(shed, 1);
  const busy = await replyInTurn(turns, async () => textReply('never'));
  assert.equal(busy.fallback, BUSY);
  assert.equal(busy.visibility, 'ephemeral', 'only the person who asked sees it');
  assert.equal(shed, 2);
  wait.open();
  assert.deepEqual(await Promise.all([first, ...waiting]), [1, 2, 3]);
  assert.deepEqual(ran, [1, 2, 3], 'the jobs turned away never ran');
  assert.equal((await replyInTurn(turns, async () => textReply('later'))).fallback, 'later');
  assert.equal(turns.queued, 0);
});
