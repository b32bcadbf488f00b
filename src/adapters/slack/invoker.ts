/** Who did something in Slack, in the platform-neutral shape the dispatcher expects. */
import type { Invoker } from '../../core/command.ts';

export function slackInvoker(
  userId: string | undefined,
  channelId: string | undefined,
  teamId: string | undefined,
  userName?: string,
): Invoker {
  return {
    platform: 'slack',
    userId: userId ?? '',
    ...(userName ? { userName } : {}),
    channelId: channelId ?? '',
    ...(teamId ? { workspaceId: teamId } : {}),
  };
}
