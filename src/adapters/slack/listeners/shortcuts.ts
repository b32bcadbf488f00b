/**
 * Message shortcuts (slack/manifest.json `features.shortcuts`, type message): "Summarize papers" posts the digest of
 * the papers a message links to (the paper's summary when it links one) in that message's thread; "Save to library"
 * saves each of them to the channel's library, as `/paper save` does, and says so privately. A message with no paper
 * gets a short private answer.
 */
import type { App, MessageShortcut } from '@slack/bolt';
import type { MessageAction } from '../../../core/message-actions.ts';
import { replyInTurn } from '../../turns.ts';
import { ackTimed } from '../ack-timer.ts';
import { failureReply, postPublicOrExplain, respondReply } from '../deliver.ts';
import { slackInvoker } from '../invoker.ts';
import { logSlackFailure } from '../slack-errors.ts';
import { type SlackMessage, slackThreadMessage } from '../thread-reader.ts';
import type { ListenerDeps } from './deps.ts';

/** The shortcuts' callback ids, as slack/manifest.json declares them. */
export const SHORTCUTS: Record<string, MessageAction> = {
  pb_summarize_papers: 'summarize',
  pb_save_papers: 'save',
};

export function register(app: App, deps: ListenerDeps): void {
  for (const [callbackId, action] of Object.entries(SHORTCUTS)) {
    app.shortcut<MessageShortcut>(
      { callback_id: callbackId, type: 'message_action' },
      async ({ ack, shortcut, respond, client, context }) => {
        await ackTimed(ack, context, deps.metrics, 'shortcut');
        const ctx = { client, logger: deps.logger, sleep: deps.sleep };
        const channel = shortcut.channel.id;
        try {
          const invoker = slackInvoker(
            shortcut.user.id,
            channel,
            shortcut.team?.id ?? shortcut.user.team_id,
            shortcut.user.name,
            deps.access(client, shortcut.user.id, context),
          );
          const message = slackThreadMessage(shortcut.message as SlackMessage, shortcut.message.user ?? 'someone');
          const reply = await replyInTurn(deps.turns, () => deps.dispatcher.runMessageAction(action, message, invoker));
          if (reply.visibility === 'public') {
            // In the message's thread: its own, or the one it sits in.
            const threadTs = shortcut.message.thread_ts ?? shortcut.message.ts;
            await postPublicOrExplain(ctx, respond, channel, reply, threadTs);
          } else {
            await respondReply(ctx, respond, reply);
          }
        } catch (error) {
          logSlackFailure(deps.logger, `message shortcut ${callbackId}`, error, { channel });
          await respondReply(ctx, respond, failureReply(error));
        }
      },
    );
  }
}
