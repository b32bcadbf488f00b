/** What every Slack listener module gets: the dispatcher (all product behaviour) and a logger. */
import type { Dispatcher } from '../../../core/dispatcher.ts';
import type { Logger } from '../../../core/logger.ts';
import type { Metrics } from '../../../core/metrics.ts';
import type { SlackChannelManagers } from '../channel-managers.ts';

export interface ListenerDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  /** Who may change a channel's alerts: the invokers' answer. */
  channelManagers: SlackChannelManagers;
  /** Waits out Slack's Retry-After; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Records how long commands and clicks waited for their ack. */
  metrics?: Metrics;
}
