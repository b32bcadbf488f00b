/**
 * `--channel`, as the command line's channel-scoped commands take it: `slack:T0123:C0123`, `discord:<server id>:<channel
 * id>`, `console:CHANNEL`. A channel's data belongs to it as one workspace sees it (a Slack Connect channel has one
 * id in every workspace sharing it), so Slack and Discord name the workspace (team id, server id) too.
 */
import { type ChannelKey, channelKey } from '../core/channel-key.ts';

export const CHANNEL_PLATFORMS = ['slack', 'discord', 'console'] as const;

export const CHANNEL_FLAG_USAGE = 'PLATFORM:WORKSPACE:CHANNEL (console:CHANNEL)';

/** The channel a `--channel` value names, or why it names none. */
export function parseChannelFlag(value: string | undefined): ChannelKey | { error: string } {
  const [platform = '', ...rest] = (value ?? '').split(':');
  if (!(CHANNEL_PLATFORMS as readonly string[]).includes(platform) || rest.some((part) => !/^\S+$/.test(part)))
    return {
      error: `--channel must be PLATFORM:WORKSPACE:CHANNEL, PLATFORM one of ${CHANNEL_PLATFORMS.join(', ')}`,
    };
  if (platform === 'console') {
    if (rest.length !== 1) return { error: '--channel for the console is console:CHANNEL' };
    return channelKey({ platform, channelId: rest[0]! });
  }
  if (rest.length !== 2)
    return {
      error:
        `--channel for ${platform} names the workspace too: ${platform}:WORKSPACE:CHANNEL ` +
        `(${platform === 'slack' ? 'the team id, e.g. slack:T0123ABCD:C0123ABCD' : 'the server id, then the channel id'})`,
    };
  return { platform, workspaceId: rest[0]!, channelId: rest[1]! };
}
