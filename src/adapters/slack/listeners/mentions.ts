/**
 * `@paperboy ...` mentions. In a thread whose root is one of our paper cards or a paper link, a bare
 * mention gets that paper's summary; words get the natural answer (related, random about X, a search);
 * in any thread, "summarize" or "digest" reads the thread for its digest. The answer goes in the thread.
 * Error replies are shown only to the person who asked.
 */
import type { App } from '@slack/bolt';
import type { Reply } from '../../../core/reply.ts';
import { replyInTurn } from '../../turns.ts';
import { type DeliveryContext, failureReply, postReply } from '../deliver.ts';
import { slackInvoker } from '../invoker.ts';
import { renderReply } from '../render.ts';
import { logSlackFailure, withRateLimitRetry } from '../slack-errors.ts';
import { parseMentionText } from '../slack-text.ts';
import { findThreadPaper } from '../thread-paper.ts';
import { slackThreadReader } from '../thread-reader.ts';
import type { ListenerDeps } from './deps.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.event('app_mention', async ({ event, body, context, client }) => {
    const ctx: DeliveryContext = { client, logger: deps.logger, sleep: deps.sleep };
    const channel = event.channel;
    const threadTs = event.thread_ts ?? event.ts;
    const user = event.user;
    try {
      const { words, linkedIds } = parseMentionText(event.text ?? '', context.botUserId);
      let paperId = linkedIds[0];
      if (!paperId && event.thread_ts) {
        paperId = await findThreadPaper(client, deps.logger, channel, event.thread_ts, deps.sleep);
      }
      const access = deps.access(client, user, context);
      // The workspace whose installation handles the event keys the data (in a shared channel, not the sender's).
      const invoker = slackInvoker(user, channel, context.teamId ?? body.team_id ?? event.team, undefined, access);
      // A mention naming a paper is about that paper; otherwise the thread is there to be read (the digest).
      if (event.thread_ts && !linkedIds.length) {
        const where = { channel, threadTs: event.thread_ts, botUserId: context.botUserId };
        invoker.thread = slackThreadReader({ client, logger: deps.logger, sleep: deps.sleep, ...where });
      }
      const reply = await replyInTurn(deps.turns, () => deps.dispatcher.runMention(words, invoker, paperId));
      if (isErrorOnly(reply) && user) {
        await postEphemeral(ctx, channel, user, reply, threadTs);
      } else {
        await postReply(ctx, channel, reply, threadTs);
      }
    } catch (error) {
      const failure = logSlackFailure(deps.logger, 'answer mention', error, { channel });
      // Tell the person, when Slack still lets us talk in this channel at all.
      if (user && failure.kind !== 'channel-unusable') {
        await postEphemeral(ctx, channel, user, failureReply(error), threadTs).catch((explainError) =>
          logSlackFailure(deps.logger, 'explain mention failure', explainError, { channel }),
        );
      }
    }
  });
}

function isErrorOnly(reply: Reply): boolean {
  return reply.blocks.length > 0 && reply.blocks.every((block) => block.kind === 'text' && block.style === 'error');
}

async function postEphemeral(
  ctx: DeliveryContext,
  channel: string,
  user: string,
  reply: Reply,
  threadTs: string,
): Promise<void> {
  const message = renderReply(reply);
  await withRateLimitRetry(
    () =>
      ctx.client.chat.postEphemeral({ channel, user, thread_ts: threadTs, text: message.text, blocks: message.blocks }),
    { logger: ctx.logger, what: 'chat.postEphemeral', sleep: ctx.sleep },
  );
}
