/**
 * The App Home tab (`app_home_opened`, needs `features.app_home.home_tab_enabled` in slack/manifest.json): published
 * for the user who opens it (home.ts builds it). Clicks inside it arrive as block_actions (listeners/actions.ts).
 */
import type { App } from '@slack/bolt';
import { slackInvoker } from '../invoker.ts';
import type { ListenerDeps } from './deps.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, client, context }) => {
    if (event.tab !== 'home') return;
    const invoker = slackInvoker(
      event.user,
      undefined,
      body.team_id,
      undefined,
      deps.access(client, event.user, context),
    );
    await deps.home.publish(client, invoker);
  });
}
