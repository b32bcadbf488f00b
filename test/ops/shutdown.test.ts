import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/core/logger.ts';
import { createShutdown, type ShutdownPlan } from '../../src/ops/shutdown.ts';

function harness(plan: Partial<ShutdownPlan>, timing: { graceMs: number; stepMs: number; hardExitMs: number }) {
  const lines: Record<string, unknown>[] = [];
  const exits: { code: number; at: number }[] = [];
  const started = Date.now();
  let exited: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const shutdown = createShutdown(
    { stopIntake() {}, drain: [], close: [], ...plan },
    {
      logger: createLogger({ write: (line) => lines.push(JSON.parse(line)) }),
      ...timing,
      exit: (code) => {
        exits.push({ code, at: Date.now() - started });
        exited(code);
      },
    },
  );
  return { shutdown, lines, exits, exit };
}

test('GIVEN work that finishes THEN intake stops first, steps run in order, and it exits 0 once', async () => {
  const order: string[] = [];
  const { shutdown, exits, lines } = harness(
    {
      stopIntake: () => order.push('intake'),
      drain: [async () => order.push('drained')],
      close: [
        { name: 'platforms', run: () => void order.push('platforms') },
        { name: 'database', run: async () => void order.push('database') },
      ],
    },
    { graceMs: 1_000, stepMs: 1_000, hardExitMs: 5_000 },
  );
  await Promise.all([shutdown.run('received SIGTERM'), shutdown.run('received SIGINT')]);
  assert.deepEqual(order, ['intake', 'drained', 'platforms', 'database']);
  assert.deepEqual(
    exits.map((e) => e.code),
    [0],
  );
  assert.ok(lines.some((l) => l.msg === 'shutdown complete'));
});

test('GIVEN in-flight work and a step that hang THEN each is cut at its bound and the process still exits 0', async () => {
  const never = () => new Promise<void>(() => {});
  const { shutdown, exits, lines } = harness(
    {
      drain: [never],
      close: [
        { name: 'platforms', run: never },
        { name: 'database', run: () => {} },
      ],
    },
    { graceMs: 100, stepMs: 100, hardExitMs: 5_000 },
  );
  await shutdown.run('received SIGTERM');
  assert.equal(exits[0]?.code, 0);
  assert.ok(exits[0]!.at < 1_000, `took ${exits[0]!.at} ms`);
  assert.ok(lines.some((l) => l.msg === 'shutdown: a step did not finish in time' && l.step === 'platforms'));
});

test('GIVEN a shutdown still running at the hard deadline THEN it exits 1 with an error logged', async () => {
  const never = () => new Promise<void>(() => {});
  // The step's bound (1 s) lies well past the hard deadline; a longer one would only keep this file's process alive.
  const { shutdown, exit, lines } = harness(
    { close: [{ name: 'database', run: never }] },
    { graceMs: 10, stepMs: 1_000, hardExitMs: 150 },
  );
  void shutdown.run('received SIGTERM');
  assert.equal(await exit, 1);
  const error = lines.find((l) => l.level === 'error');
  assert.equal(error?.msg, 'shutdown did not finish in time; exiting anyway');
});
