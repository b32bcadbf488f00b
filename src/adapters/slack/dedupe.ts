/**
 * Slack re-delivers an event when it thinks our ack was late (X-Slack-Retry-Num over HTTP, retry_attempt
 * in Socket Mode). Bolt acks every delivery; this middleware lets each event_id through once, so a
 * retry never causes a second post. Retries of events we never saw (e.g. after a restart) still run.
 * Several instances share what they saw through the store (`EventLog`, a table with a time to live on
 * PostgreSQL), since a retry may reach another instance than the first delivery.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { describeError, type Logger } from '../../core/logger.ts';

/** Whether an event id is offered for the first time (within some time to live). */
export interface SeenCheck {
  firstTime(id: string): boolean | Promise<boolean>;
}

export class SeenEvents implements SeenCheck {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly capacity = 2000,
    private readonly ttlMs = 60 * 60 * 1000,
  ) {}

  /** True the first time an id is offered (within the TTL), false afterwards. */
  firstTime(id: string, now = Date.now()): boolean {
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.ttlMs) return false;
    this.seen.delete(id);
    this.seen.set(id, now);
    while (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return true;
  }
}

export function dedupeEvents(logger: Logger, seen: SeenCheck = new SeenEvents()): Middleware<AnyMiddlewareArgs> {
  const firstTime = async (id: string): Promise<boolean> => {
    try {
      return await seen.firstTime(id);
    } catch (error) {
      // Better a rare double answer than a lost event while the database is unreachable.
      logger.warn('could not check whether a Slack event was seen before; handling it', {
        error: describeError(error),
      });
      return true;
    }
  };
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && eventId) {
      if (!(await firstTime(eventId))) {
        logger.info('dropped a repeated Slack event', {
          eventId,
          retryNum: context.retryNum,
          retryReason: context.retryReason,
        });
        return;
      }
    } else if ((body as { type?: unknown }).type === 'event_callback' && (context.retryNum ?? 0) > 0) {
      logger.info('dropped a retried Slack event without event_id', { retryNum: context.retryNum });
      return;
    }
    await next();
  };
}
