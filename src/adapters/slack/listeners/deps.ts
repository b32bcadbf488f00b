/** What every Slack listener module gets: the dispatcher (all product behaviour), a logger, the work queue. */
import type { Dispatcher } from '../../../core/dispatcher.ts';
import type { Logger } from '../../../core/logger.ts';
import type { Metrics } from '../../../core/metrics.ts';
import type { Turns } from '../../turns.ts';
import type { SlackChannelManagers } from '../channel-managers.ts';

export interface ListenerDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  /** Who may change a channel's alerts: the invokers' answer. */
  channelManagers: SlackChannelManagers;
  /** Where command work waits its turn (shared by every platform of the process). */
  turns: Turns;
  /** Waits out Slack's Retry-After; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Records how long commands and clicks waited for their ack. */
  metrics?: Metrics;
}
