/**
 * Which channels a Slack user is in, for the Home tab and `/paper me` (Invoker.channelsOf): one `users.conversations`
 * listing (needs `channels:read` and `groups:read`) rather than a `conversations.members` call per channel, since a
 * user's channel list is one or two pages whatever the number of channels with alerts or libraries, while a channel's
 * members may be thousands. A private channel is listed only when the bot is in it too (Slack's rule), which is where
 * its alerts and library live anyway. Each answer is kept a few minutes (bounded), so opening the Home tab again costs
 * nothing. Whether the user may manage those channels is the channel managers' answer (channel-managers.ts).
 */
import type { webApi } from '@slack/bolt';
import type { ChannelMembership, RightAnswer } from '../../core/command.ts';
import type { Logger } from '../../core/logger.ts';
import { logSlackFailure, withRateLimitRetry } from './slack-errors.ts';

const TTL_MS = 5 * 60_000;
const MAX_USERS = 5_000;
/** Pages read at most (1,000 channels a page). */
const MAX_PAGES = 5;

export interface SlackChannelMembershipOptions {
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  ttlMs?: number;
  now?: () => number;
}

export class SlackChannelMembership {
  private readonly known = new Map<string, { channels: Map<string, string>; until: number }>();

  constructor(private readonly options: SlackChannelMembershipOptions) {}

  /** Invoker.channelsOf for this user: of the candidates, those they are in, named, with the manager answer. */
  forUser(
    client: webApi.WebClient,
    userId: string | undefined,
    teamId: string | undefined,
    manages: () => Promise<RightAnswer>,
  ): (candidates: readonly string[]) => Promise<ChannelMembership[]> {
    return async (candidates) => {
      if (!userId || !candidates.length) return [];
      let channels: Map<string, string>;
      try {
        channels = await this.channelsOf(client, userId, teamId);
      } catch (error) {
        // Deny by default: a user whose channels cannot be read is in none of them, for now.
        logSlackFailure(this.options.logger, "list a user's channels", error);
        return [];
      }
      const inThem = candidates.filter((id) => channels.has(id));
      if (!inThem.length) return [];
      const allowed = (await manages().catch(() => ({ allowed: false }))).allowed === true;
      return inThem.map((id) => ({ id, name: channels.get(id)!, manages: allowed }));
    };
  }

  /** Forgets what was kept of a user (their channels changed, or a test wants a fresh look). */
  forget(userId: string, teamId?: string): void {
    this.known.delete(`${teamId ?? ''}/${userId}`);
  }

  private async channelsOf(client: webApi.WebClient, userId: string, teamId?: string): Promise<Map<string, string>> {
    const key = `${teamId ?? ''}/${userId}`;
    const now = (this.options.now ?? Date.now)();
    const hit = this.known.get(key);
    if (hit && hit.until > now) return hit.channels;
    const channels = new Map<string, string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await withRateLimitRetry(
        () =>
          client.users.conversations({
            user: userId,
            types: 'public_channel,private_channel',
            exclude_archived: true,
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          }),
        { logger: this.options.logger, what: 'users.conversations', sleep: this.options.sleep, attempts: 2 },
      );
      for (const channel of result.channels ?? []) if (channel.id) channels.set(channel.id, channel.name ?? channel.id);
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    this.known.set(key, { channels, until: now + (this.options.ttlMs ?? TTL_MS) });
    for (const oldest of this.known.keys()) {
      if (this.known.size <= MAX_USERS) break;
      this.known.delete(oldest);
    }
    return channels;
  }
}
