/** `--channel PLATFORM:CHANNEL`, as the command line's channel-scoped commands take it (`slack:C0123ABCD`). */

export const CHANNEL_PLATFORMS = ['slack', 'discord', 'console'] as const;

/** The channel a `--channel` value names, or undefined when it is not `PLATFORM:CHANNEL` with a known platform. */
export function parseChannelFlag(value: string | undefined): { platform: string; channelId: string } | undefined {
  const match = /^([a-z]+):(\S+)$/.exec(value ?? '');
  if (!match || !(CHANNEL_PLATFORMS as readonly string[]).includes(match[1]!)) return undefined;
  return { platform: match[1]!, channelId: match[2]! };
}
