/**
 * `paperboy alerts dead|retry [--channel PLATFORM:WORKSPACE:CHANNEL]`: the alerts given up after their retries (dead letters),
 * per channel and reason, and re-queuing them. Re-queued alerts go out with the next delivery round of whichever
 * process delivers (the bot's schedule, or `paperboy poll`); one whose fate was unknown is first looked up on the
 * platform by its key, so re-queuing never posts a card twice where the platform can tell.
 */

import { channelFlag } from '../core/channel-key.ts';
import type { DeadLetterFilter } from '../core/store/store.ts';
import type { Paperboy } from '../paperboy.ts';
import { CHANNEL_FLAG_USAGE, parseChannelFlag } from './channel-flag.ts';

export interface AlertsCliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage: paperboy alerts dead|retry [--channel ${CHANNEL_FLAG_USAGE}]`;

export async function alertsCommand(
  pb: Pick<Paperboy, 'alerts'>,
  args: string[],
  options: { channel?: string },
  io: AlertsCliOutput,
): Promise<number> {
  const [action, ...extra] = args;
  if ((action !== 'dead' && action !== 'retry') || extra.length) {
    io.err(USAGE);
    return 2;
  }
  let filter: DeadLetterFilter = {};
  if (options.channel !== undefined) {
    const channel = parseChannelFlag(options.channel);
    if ('error' in channel) {
      io.err(`paperboy alerts ${action}: ${channel.error}`);
      return 2;
    }
    filter = channel;
  }
  const where = options.channel !== undefined ? ` in ${options.channel}` : '';
  if (action === 'dead') {
    const letters = await pb.alerts.deadLetters(filter);
    if (!letters.length) io.out(`no dead letters${where}`);
    for (const d of letters)
      io.out(`${channelFlag(d)}: ${d.count} not delivered: ${d.reason} (last ${d.lastAt.slice(0, 16)}Z)`);
    return 0;
  }
  const requeued = await pb.alerts.requeueDead(filter);
  io.out(
    requeued
      ? `re-queued ${requeued} alert${requeued === 1 ? '' : 's'}${where}; they go out with the next delivery round ` +
          '(the running bot checks every minute; or run paperboy poll)'
      : `no dead letters${where}`,
  );
  return 0;
}
