/**
 * A workspace's life with the app, as data. When a workspace removes it (Slack: `app_uninstalled`, or its bot token
 * revoked; Discord: the bot leaves or is removed from the server), its credentials are deleted, every channel
 * subscribed from it is paused at once (the reason shows in `/paper subscriptions`) and the removal time is recorded,
 * in one transaction. The rest of its data (subscriptions, library, outbox rows, pauses) is kept through a grace
 * period, then deleted by the scheduled housekeeping (housekeeping.ts) unless the app came back first: reinstalling
 * (or the bot re-joining) keeps everything, still paused until someone runs `/paper subscriptions resume`.
 */
import { type ChannelKey, channelKey } from './channel-key.ts';
import { describeError, type Logger } from './logger.ts';
import type { Store, WorkspaceStore } from './store/store.ts';

export interface WorkspaceRemoval {
  /** Whether an installation was on record (a second event for the same removal finds none). */
  removed: boolean;
  /** The channels whose alerts are now paused. */
  pausedChannels: string[];
}

export async function removeWorkspace(
  store: Pick<Store, 'transaction'>,
  platform: string,
  workspaceId: string,
  reason: string,
  now = new Date().toISOString(),
): Promise<WorkspaceRemoval> {
  return store.transaction(async (tx) => {
    const removed = await tx.installations.remove(platform, workspaceId);
    await tx.workspaces.markRemoved(platform, workspaceId, reason, now);
    const channels = new Set(
      (await tx.alerts.subscriptions())
        .filter((s) => s.platform === platform && s.workspaceId === workspaceId)
        .map((s) => s.channelId),
    );
    for (const channelId of channels) await tx.alerts.pauseChannel({ platform, workspaceId, channelId }, reason, now);
    return { removed, pausedChannels: [...channels] };
  });
}

/** What an adapter tells the core about the workspaces it is in (its platform's, bound by `workspaceEvents`). */
export interface WorkspaceEvents {
  /** The app was removed there: pause now, delete the data after the grace period. */
  removed(workspaceId: string, reason: string): Promise<WorkspaceRemoval>;
  /** The app is back (reinstalled, or the bot re-joined): the data stays, and so do the pauses. True if it had gone. */
  returned(workspaceId: string): Promise<boolean>;
  /**
   * The app is in these workspaces now (the bot connected; it may have re-joined while offline): those recorded as
   * removed come back. Resolves to them.
   */
  present(workspaceIds: Iterable<string>): Promise<string[]>;
}

export function workspaceEvents(store: Pick<Store, 'transaction' | 'workspaces'>, platform: string): WorkspaceEvents {
  return {
    removed: (workspaceId, reason) => removeWorkspace(store, platform, workspaceId, reason),
    returned: (workspaceId) => store.workspaces.markReturned(platform, workspaceId),
    async present(workspaceIds) {
      const here = new Set(workspaceIds);
      const back: string[] = [];
      for (const removed of await store.workspaces.removedBefore(FOREVER)) {
        if (removed.platform !== platform || !here.has(removed.workspaceId)) continue;
        if (await store.workspaces.markReturned(platform, removed.workspaceId)) back.push(removed.workspaceId);
      }
      return back;
    },
  };
}

/** Later than any removal. */
const FOREVER = '9999-12-31T23:59:59.999Z';

/** Channels remembered as adopted are forgotten past this many (then each is checked once more: harmless). */
const ADOPTED_MEMORY = 50_000;

/**
 * Before a command runs in a channel, rows kept there without a workspace (written before data was keyed by
 * workspace, where the migration could not tell whose they were) move to the invoker's workspace. Checked once per
 * channel per process: after that the channel has nothing left to adopt.
 */
export class ChannelAdoption {
  private readonly checked = new Set<string>();

  constructor(
    private readonly store: Pick<WorkspaceStore, 'adopt'>,
    private readonly logger: Logger,
  ) {}

  async adopt(where: { platform: string; workspaceId?: string; channelId: string }): Promise<void> {
    if (!where.workspaceId) return;
    const channel: ChannelKey = channelKey(where);
    const id = `${channel.platform}\u0000${channel.workspaceId}\u0000${channel.channelId}`;
    if (this.checked.has(id)) return;
    try {
      const moved = await this.store.adopt(channel);
      if (moved)
        this.logger.info("workspaces: rows kept without a workspace now belong to the channel's", {
          ...channel,
          rows: moved,
        });
    } catch (error) {
      // The command goes on without them; the next command in the channel tries again.
      this.logger.warn('workspaces: could not adopt the rows of a channel', {
        ...channel,
        error: describeError(error),
      });
      return;
    }
    if (this.checked.size >= ADOPTED_MEMORY) this.checked.clear();
    this.checked.add(id);
  }
}
