/** What every Slack listener module gets: the dispatcher (all product behaviour), a logger, the work queue. */
import type { Context, webApi } from '@slack/bolt';
import type { Invoker } from '../../../core/command.ts';
import type { Dispatcher } from '../../../core/dispatcher.ts';
import type { Logger } from '../../../core/logger.ts';
import type { Metrics } from '../../../core/metrics.ts';
import type { Turns } from '../../turns.ts';
import type { SlackChannelManagers } from '../channel-managers.ts';
import type { SlackHome } from '../home.ts';

/** What the invoker may do and see, asked of Slack only when a command needs it (see app.ts). */
export type SlackAccess = Pick<
  Invoker,
  'canManageChannel' | 'managers' | 'isMember' | 'members' | 'channelsOf' | 'libraryChanged'
>;

export interface ListenerDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  /** Who may change what a channel keeps and receives: the invokers' answers. */
  channelManagers: SlackChannelManagers;
  /** Where command work waits its turn (shared by every platform of the process). */
  turns: Turns;
  /** The user's access: may they manage channels, which channels they are in, and a Home refresh on library changes. */
  access(
    client: webApi.WebClient,
    userId: string | undefined,
    context: Pick<Context, 'teamId' | 'enterpriseId'>,
  ): SlackAccess;
  home: SlackHome;
  /** Waits out Slack's Retry-After; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Records how long commands and clicks waited for their ack. */
  metrics?: Metrics;
}
