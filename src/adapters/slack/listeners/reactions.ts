/**
 * The ⭐ (`star`) reaction on one of our paper cards saves its paper to the channel's library, as the Save button
 * does; the person who reacted is told, privately. Other reactions, and stars on other people's messages, are
 * ignored. Needs the `reactions:read` scope and the `reaction_added` event (slack/manifest.json).
 */
import type { App } from '@slack/bolt';
import { inTurn } from '../../turns.ts';
import { slackInvoker } from '../invoker.ts';
import { renderReply } from '../render.ts';
import { logSlackFailure, withRateLimitRetry } from '../slack-errors.ts';
import { findThreadPaper } from '../thread-paper.ts';
import type { ListenerDeps } from './deps.ts';

export const SAVE_REACTION = 'star';

export function register(app: App, deps: ListenerDeps): void {
  app.event('reaction_added', async ({ event, body, context, client }) => {
    if (event.reaction !== SAVE_REACTION || event.item.type !== 'message') return;
    if (context.botUserId && event.item_user !== context.botUserId) return;
    const { channel, ts } = event.item;
    try {
      const paperId = await findThreadPaper(client, deps.logger, channel, ts, deps.sleep);
      if (!paperId) return;
      const access = deps.access(client, event.user, context);
      const invoker = slackInvoker(event.user, channel, body.team_id, undefined, access);
      const reply = await inTurn(() => deps.dispatcher.run('save', { paper: paperId }, invoker));
      const message = renderReply(reply);
      await withRateLimitRetry(
        () => client.chat.postEphemeral({ channel, user: event.user, text: message.text, blocks: message.blocks }),
        { logger: deps.logger, what: 'chat.postEphemeral', sleep: deps.sleep },
      );
    } catch (error) {
      logSlackFailure(deps.logger, 'save on star reaction', error, { channel });
    }
  });
}
