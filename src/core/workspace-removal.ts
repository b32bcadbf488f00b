/**
 * A workspace removed the app (Slack: `app_uninstalled`, or its bot token revoked): its credentials are deleted and
 * the alerts of every channel subscribed from it are paused, with the reason `/paper subscriptions` shows, in one
 * transaction. Reinstalling does not resume them by itself: someone in each channel sees why they stopped and runs
 * `/paper subscriptions resume` (waiting alerts then go out with the next round).
 */
import type { Store } from './store/store.ts';

export interface WorkspaceRemoval {
  /** Whether an installation was on record (a second event for the same removal finds none). */
  removed: boolean;
  /** The channels whose alerts are now paused. */
  pausedChannels: string[];
}

export async function removeWorkspace(
  store: Store,
  platform: string,
  workspaceId: string,
  reason: string,
  now = new Date().toISOString(),
): Promise<WorkspaceRemoval> {
  return store.transaction(async (tx) => {
    const removed = await tx.installations.remove(platform, workspaceId);
    const channels = new Set(
      (await tx.alerts.subscriptions())
        .filter((s) => s.platform === platform && s.workspaceId === workspaceId)
        .map((s) => s.channelId),
    );
    for (const channelId of channels) await tx.alerts.pauseChannel(platform, channelId, reason, now);
    return { removed, pausedChannels: [...channels] };
  });
}
