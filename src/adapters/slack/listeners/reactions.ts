/**
 * Reactions on the bot's paper cards: ⭐ (`star`) saves the card's paper to the channel's library, as the Save button
 * does; 👎 (`-1`, `thumbsdown`) says "Not for us", as the 👎 button does, and removing the 👎 takes it back. The person
 * who reacted is told, privately. Other reactions, and reactions on other people's messages, are ignored; a 👎 on a
 * message showing several papers (a digest) asks for the card's button instead. Needs the `reactions:read` scope and
 * the `reaction_added` and `reaction_removed` events (slack/manifest.json).
 */
import type { App, webApi } from '@slack/bolt';
import type { OptionValues } from '../../../core/command.ts';
import { textReply } from '../../../core/reply.ts';
import { replyInTurn } from '../../turns.ts';
import { slackInvoker } from '../invoker.ts';
import { paperIdFromBlockId, renderReply } from '../render.ts';
import { logSlackFailure, withRateLimitRetry } from '../slack-errors.ts';
import { findThreadPaper } from '../thread-paper.ts';
import type { ListenerDeps } from './deps.ts';

export const SAVE_REACTION = 'star';
/** Slack's names for 👎 (`-1` is the canonical one); a skin tone comes after `::`. */
export const NOT_FOR_US_REACTIONS: readonly string[] = ['-1', 'thumbsdown'];

export function isNotForUs(reaction: string): boolean {
  return NOT_FOR_US_REACTIONS.includes(reaction.split('::')[0]!);
}

export function register(app: App, deps: ListenerDeps): void {
  // The workspace whose installation handles the event keys the library and feedback (in a shared channel, not the
  // reacting member's own workspace).
  app.event('reaction_added', async ({ event, body, context, client }) => {
    if (event.item.type !== 'message') return;
    if (context.botUserId && event.item_user !== context.botUserId) return;
    const teamId = context.teamId ?? body.team_id;
    if (event.reaction === SAVE_REACTION) return save(deps, client, context, teamId, event);
    if (isNotForUs(event.reaction)) return notForUs(deps, client, context, teamId, event, 'add');
  });
  app.event('reaction_removed', async ({ event, body, context, client }) => {
    if (event.item.type !== 'message' || !isNotForUs(event.reaction)) return;
    if (context.botUserId && event.item_user !== context.botUserId) return;
    return notForUs(deps, client, context, context.teamId ?? body.team_id, event, 'undo');
  });
}

interface ReactionEvent {
  user: string;
  item: { channel: string; ts: string };
}

type Context = Parameters<ListenerDeps['access']>[2];

async function save(
  deps: ListenerDeps,
  client: webApi.WebClient,
  context: Context,
  teamId: string,
  event: ReactionEvent,
): Promise<void> {
  const { channel, ts } = event.item;
  try {
    const paperId = await findThreadPaper(client, deps.logger, channel, ts, deps.sleep);
    if (!paperId) return;
    await runAndTell(deps, client, context, teamId, event, 'save', { paper: paperId });
  } catch (error) {
    logSlackFailure(deps.logger, 'save on star reaction', error, { channel });
  }
}

async function notForUs(
  deps: ListenerDeps,
  client: webApi.WebClient,
  context: Context,
  teamId: string,
  event: ReactionEvent,
  action: 'add' | 'undo',
): Promise<void> {
  const { channel } = event.item;
  try {
    const papers = await cardPapers(deps, client, event.item);
    if (papers.length === 0) return;
    if (papers.length > 1) {
      if (action === 'add')
        await tell(
          deps,
          client,
          event,
          'That message shows several papers: press 👎 Not for us under the one you mean.',
        );
      return;
    }
    await runAndTell(deps, client, context, teamId, event, 'feedback', { action, paper: papers[0]! });
  } catch (error) {
    logSlackFailure(deps.logger, `👎 reaction ${action === 'add' ? 'added' : 'removed'}`, error, { channel });
  }
}

/** The papers of the cards in the reacted message itself (not its thread's root). */
async function cardPapers(
  deps: ListenerDeps,
  client: webApi.WebClient,
  item: { channel: string; ts: string },
): Promise<string[]> {
  const result = await withRateLimitRetry(
    () => client.conversations.replies({ channel: item.channel, ts: item.ts, limit: 1, inclusive: true }),
    { logger: deps.logger, what: 'conversations.replies', sleep: deps.sleep },
  );
  const message = result.messages?.find((m) => m.ts === item.ts) as { blocks?: { block_id?: string }[] } | undefined;
  const ids = (message?.blocks ?? []).flatMap((block) => {
    const id = paperIdFromBlockId(block.block_id);
    return id ? [id] : [];
  });
  return [...new Set(ids)];
}

async function runAndTell(
  deps: ListenerDeps,
  client: webApi.WebClient,
  context: Context,
  teamId: string,
  event: ReactionEvent,
  command: string,
  options: OptionValues,
): Promise<void> {
  const access = deps.access(client, event.user, context);
  const invoker = slackInvoker(event.user, event.item.channel, teamId, undefined, access);
  const reply = await replyInTurn(deps.turns, () => deps.dispatcher.run(command, options, invoker));
  const message = renderReply(reply);
  await withRateLimitRetry(
    () =>
      client.chat.postEphemeral({
        channel: event.item.channel,
        user: event.user,
        text: message.text,
        blocks: message.blocks,
      }),
    { logger: deps.logger, what: 'chat.postEphemeral', sleep: deps.sleep },
  );
}

async function tell(deps: ListenerDeps, client: webApi.WebClient, event: ReactionEvent, text: string): Promise<void> {
  const message = renderReply(textReply(text));
  await withRateLimitRetry(
    () =>
      client.chat.postEphemeral({
        channel: event.item.channel,
        user: event.user,
        text: message.text,
        blocks: message.blocks,
      }),
    { logger: deps.logger, what: 'chat.postEphemeral', sleep: deps.sleep },
  );
}
