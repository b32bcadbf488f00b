/** Who did something in Slack, in the platform-neutral shape the dispatcher expects. */
import type { Invoker } from '../../core/command.ts';
import type { SlackAccess } from './listeners/deps.ts';
import { explainSlackPause } from './pause-explanations.ts';

export function slackInvoker(
  userId: string | undefined,
  channelId: string | undefined,
  teamId: string | undefined,
  userName?: string,
  /** May the user change what the channel keeps or receives, which channels are they in (ListenerDeps.access)? Absent: no, none. */
  access?: SlackAccess,
): Invoker {
  return {
    ...access,
    platform: 'slack',
    userId: userId ?? '',
    ...(userName ? { userName } : {}),
    channelId: channelId ?? '',
    ...(teamId ? { workspaceId: teamId } : {}),
    explainPause: explainSlackPause,
  };
}
