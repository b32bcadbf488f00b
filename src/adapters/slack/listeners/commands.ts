/**
 * `/paper <text>`: ack at once (Slack allows 3 seconds), then run the text through the dispatcher and
 * answer with respond(): ephemeral or in-channel as the reply asks. A reply with a thread (a summary)
 * is posted with chat.postMessage so its thread can follow under it; one with files uploads them to the channel.
 */
import type { App } from '@slack/bolt';
import { replyInTurn } from '../../turns.ts';
import { ackTimed } from '../ack-timer.ts';
import { failureReply, postPublicOrExplain, respondReply } from '../deliver.ts';
import { slackInvoker } from '../invoker.ts';
import { logSlackFailure } from '../slack-errors.ts';
import { commandText } from '../slack-text.ts';
import type { ListenerDeps } from './deps.ts';

export const SLASH_COMMAND = '/paper';

export function register(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond, client, context }) => {
    await ackTimed(ack, context, deps.metrics, 'command');
    const ctx = { client, logger: deps.logger, sleep: deps.sleep };
    try {
      const invoker = slackInvoker(
        command.user_id,
        command.channel_id,
        command.team_id,
        command.user_name,
        deps.access(client, command.user_id, context),
      );
      const reply = await replyInTurn(deps.turns, () =>
        deps.dispatcher.runText(commandText(command.text ?? ''), invoker),
      );
      // A thread, or files (a library export), need the message posted in the channel by the bot.
      if (reply.thread?.length || reply.files?.length) {
        await postPublicOrExplain(ctx, respond, command.channel_id, reply);
      } else {
        await respondReply(ctx, respond, reply);
      }
    } catch (error) {
      logSlackFailure(deps.logger, 'slash command', error);
      await respondReply(ctx, respond, failureReply(error));
    }
  });
}
