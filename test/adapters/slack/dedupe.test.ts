/**
 * The Slack event dedupe middleware over a store's event log: a retry of an event one instance handled is dropped on
 * another instance sharing the log; an event log that cannot be reached lets the event through (a rare double answer
 * beats a lost one) and says so in the log.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { dedupeEvents, type SeenCheck } from '../../../src/adapters/slack/dedupe.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { MemoryEvents } from '../../../src/core/store/memory-events.ts';

/** Runs the middleware on an event delivery; true when it called next() (the event is handled). */
async function deliver(middleware: Middleware<AnyMiddlewareArgs>, eventId: string, retryNum = 0): Promise<boolean> {
  let handled = false;
  const args = {
    body: { type: 'event_callback', event_id: eventId },
    context: { retryNum },
    next: async () => {
      handled = true;
    },
  };
  await middleware(args as unknown as Parameters<Middleware<AnyMiddlewareArgs>>[0]);
  return handled;
}

test('GIVEN two instances sharing an event log WHEN Slack retries an event on the other THEN it is dropped', async () => {
  const shared = new MemoryEvents();
  const check: SeenCheck = { firstTime: (id) => shared.firstSeen(`slack:${id}`, 60_000) };
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
  const a = dedupeEvents(logger, check);
  const b = dedupeEvents(logger, check);
  assert.equal(await deliver(a, 'Ev1'), true, 'first delivery handled');
  assert.equal(await deliver(b, 'Ev1', 1), false, 'the retry on the other instance is dropped');
  assert.equal(await deliver(b, 'Ev2'), true, 'another event is handled');
  assert.ok(lines.some((line) => line.includes('dropped a repeated Slack event')));
});

test('GIVEN an event log that cannot be reached THEN the event is handled and a warning logged', async () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
  const broken = dedupeEvents(logger, {
    firstTime: async () => {
      throw new Error('connection refused');
    },
  });
  assert.equal(await deliver(broken, 'Ev3'), true);
  assert.ok(lines.some((line) => line.includes('could not check whether a Slack event was seen before')));
});
