/**
 * Button clicks (block_actions): ack, then run the button's action id through the dispatcher. Public
 * replies (Summary, Share) are posted in the channel, their thread items under them; ephemeral ones
 * (Related, Random related, More results) answer through respond(), replacing the ephemeral message
 * that held the button when the reply asks for it (paging).
 */
import type { App, BlockAction } from '@slack/bolt';
import { replyInTurn } from '../../turns.ts';
import { ackTimed } from '../ack-timer.ts';
import { failureReply, postPublicOrExplain, respondReply } from '../deliver.ts';
import { isHomeAction } from '../home.ts';
import { slackInvoker } from '../invoker.ts';
import { logSlackFailure } from '../slack-errors.ts';
import type { ListenerDeps } from './deps.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction>({ type: 'block_actions' }, async ({ ack, body, action, respond, client, context }) => {
    await ackTimed(ack, context, deps.metrics, 'action');
    const ctx = { client, logger: deps.logger, sleep: deps.sleep };
    try {
      const actionId = 'action_id' in action ? action.action_id : '';
      const channel = body.channel?.id ?? body.container?.channel_id;
      const invoker = slackInvoker(
        body.user.id,
        channel,
        body.team?.id ?? body.user.team_id,
        body.user.name,
        deps.access(client, body.user.id, context),
      );
      // The Home tab and modals: no channel to answer in; the answer opens in a modal (home.ts).
      const view = (body as { view?: { type?: string } }).view;
      if (view && (view.type === 'home' || view.type === 'modal')) {
        const value = 'value' in action && typeof action.value === 'string' ? action.value : undefined;
        if (isHomeAction(actionId)) await deps.home.homeAction(client, actionId, value, body.trigger_id, invoker);
        else {
          const reply = await replyInTurn(deps.turns, () => deps.dispatcher.runAction(actionId, invoker));
          await deps.home.showInModal(client, body.trigger_id, reply, invoker, { push: view.type === 'modal' });
        }
        return;
      }
      const reply = await replyInTurn(deps.turns, () => deps.dispatcher.runAction(actionId, invoker));
      const fromEphemeral = body.container?.is_ephemeral === true;
      if (reply.visibility === 'public' && channel) {
        // A card clicked inside a thread keeps the conversation in that thread.
        const threadTs: string | undefined = body.container?.thread_ts ?? body.message?.thread_ts;
        await postPublicOrExplain(ctx, respond, channel, reply, threadTs);
      } else {
        // Only ever replace an ephemeral message: a public one belongs to the whole channel.
        await respondReply(ctx, respond, reply, reply.replace === true && fromEphemeral);
      }
    } catch (error) {
      logSlackFailure(deps.logger, 'button', error);
      await respondReply(ctx, respond, failureReply(error));
    }
  });
}
