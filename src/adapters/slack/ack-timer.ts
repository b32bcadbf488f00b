/**
 * How long a slash command or button click waits for its ack: from Bolt handing the request to our middleware
 * until ack() completes. Slack gives up after 3 seconds, so this is the Slack latency an operator watches
 * (paperboy_slack_ack_duration_seconds). The middleware stamps the arrival on the request's context (the one object
 * Bolt shares between middleware and listeners); the listeners ack through `ackTimed`. Events are acked by Bolt
 * itself before any middleware runs.
 */
import type { AckFn, AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import { type Metrics, secondsSince } from '../../core/metrics.ts';

const ARRIVED = 'paperboyArrivedAt';

export function stampArrival(): Middleware<AnyMiddlewareArgs> {
  return async ({ context, next }) => {
    context[ARRIVED] = performance.now();
    await next();
  };
}

/** Acks, then records how long the request waited for it. */
export async function ackTimed(
  ack: AckFn<void> | (() => Promise<void>),
  context: Context,
  metrics: Metrics | undefined,
  kind: 'command' | 'action' | 'shortcut',
): Promise<void> {
  await ack();
  const arrived = context[ARRIVED];
  if (metrics && typeof arrived === 'number') metrics.observe('slackAckSeconds', { kind }, secondsSince(arrived));
}
