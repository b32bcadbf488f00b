/**
 * Where a channel's data lives: platform, workspace (Slack team, Discord guild) and channel. A Slack Connect channel
 * has one id in every workspace that shares it, and each of those workspaces keeps its own subscriptions, library and
 * paused state there. Platforms without workspaces (the console) use `NO_WORKSPACE`, the empty string rather than
 * NULL, so that unique keys compare equal.
 */
export interface ChannelKey {
  platform: string;
  workspaceId: string;
  channelId: string;
}

export const NO_WORKSPACE = '';

/** The key of the channel someone acts in (an `Invoker`, a subscription, an outbox row). */
export function channelKey(where: { platform: string; workspaceId?: string; channelId: string }): ChannelKey {
  return { platform: where.platform, workspaceId: where.workspaceId ?? NO_WORKSPACE, channelId: where.channelId };
}

/** How the command line names a channel (`--channel slack:T0123:C0123`, `console:CHANNEL`; see src/cli/channel-flag.ts). */
export function channelFlag(channel: ChannelKey): string {
  return [channel.platform, ...(channel.workspaceId ? [channel.workspaceId] : []), channel.channelId].join(':');
}
