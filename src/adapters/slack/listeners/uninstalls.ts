/**
 * A distributed app's workspaces leaving: `app_uninstalled` (the app was removed) and `tokens_revoked` with bot
 * tokens (the bot's token was revoked) delete that workspace's installation, pause the alerts of its channels and
 * record the removal: the rest of its data is deleted after UNINSTALL_GRACE_DAYS unless it installs paperboy again
 * (src/core/workspaces.ts). Bolt runs these two events without authorizing them (the token is already gone). Revoked
 * user tokens alone change nothing: paperboy asks for no user scopes.
 */
import type { App } from '@slack/bolt';
import { describeError } from '../../../core/logger.ts';
import type { SlackInstallations } from '../installations.ts';
import type { ListenerDeps } from './deps.ts';

export const UNINSTALL_REASONS = {
  app_uninstalled: 'app_uninstalled: paperboy was removed from this workspace; install it again',
  tokens_revoked: "tokens_revoked: paperboy's access to this workspace was revoked; install it again",
} as const;

export function register(app: App, deps: ListenerDeps, installations: SlackInstallations): void {
  const forget = async (event: keyof typeof UNINSTALL_REASONS, workspaceId: string | undefined) => {
    if (!workspaceId) {
      deps.logger.warn(`slack: ${event} without a workspace id; nothing to remove`);
      return;
    }
    try {
      const { removed, pausedChannels } = await installations.removeWorkspace(workspaceId, UNINSTALL_REASONS[event]);
      deps.logger.info(`slack: ${event}: the workspace's token is deleted, its alerts paused, its data kept for now`, {
        workspaceId,
        hadInstallation: removed,
        pausedChannels: pausedChannels.length,
      });
    } catch (error) {
      deps.logger.error(`slack: ${event}: could not remove the workspace`, {
        workspaceId,
        error: describeError(error),
      });
    }
  };
  app.event('app_uninstalled', async ({ context }) => {
    await forget('app_uninstalled', context.isEnterpriseInstall ? context.enterpriseId : context.teamId);
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    if (!event.tokens.bot?.length) return;
    await forget('tokens_revoked', context.isEnterpriseInstall ? context.enterpriseId : context.teamId);
  });
}
