/**
 * Runs every Slack request through the process's InFlight, so shutdown can wait for the answers in hand; once
 * shutdown began, new requests are acked and turned away (a slash command with a note saying so) instead of being
 * started and cut off.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { InFlight } from '../../core/in-flight.ts';
import type { Logger } from '../../core/logger.ts';

export const RESTARTING = 'paperboy is restarting right now. Please try again in a few seconds.';

export function admitWhileOpen(inFlight: InFlight, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    if (inFlight.accepting) {
      await inFlight.run(() => args.next());
      return;
    }
    logger.info('slack: turned a request away while shutting down', { type: args.body.type });
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (!ack) return;
    await ack('command' in args ? { response_type: 'ephemeral', text: RESTARTING } : undefined);
  };
}
