/**
 * Reactions on the bot's paper cards: ⭐ saves the card's paper to the channel's library, as the Save button does; 👎
 * says "Not for us", as the 👎 button does, and removing the 👎 takes it back. The card may be older than the client's
 * cache: the client receives partial reactions and messages (client.ts) and the message is fetched here. A new save
 * or 👎 is acknowledged with a short reply to the card (never a ping); a paper already saved, other emoji, other
 * people's messages and bots' reactions change nothing. A 👎 on a message listing several papers (a digest) is
 * answered with where to press instead.
 */
import type { Message, MessageReaction, PartialMessage, PartialMessageReaction, PartialUser, User } from 'discord.js';
import type { Invoker } from '../../../core/command.ts';
import { DISCORD_MEMBERS } from '../invoker.ts';
import { type ButtonPaper, cardPaperIds, paperIdFromMessage } from '../paper-ref.ts';
import { NO_MENTIONS, renderReply } from '../render.ts';
import type { HandlerDeps } from './context.ts';

export const SAVE_EMOJI = '⭐';
export const NOT_FOR_US_EMOJI = '👎';

/** 👎 with or without a skin tone. */
export function isNotForUs(name: string | null): boolean {
  return name?.replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '') === NOT_FOR_US_EMOJI;
}

export async function handleReaction(
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  deps: HandlerDeps,
): Promise<void> {
  const name = reaction.emoji.name;
  if (user.bot || (name !== SAVE_EMOJI && !isNotForUs(name))) return;
  const message = await ourMessage(reaction, deps);
  if (!message) return;
  const botId = deps.client.user!.id;
  if (name === SAVE_EMOJI) {
    const paperId = await paperIdFromMessage(message, botId, paperOf(deps));
    if (!paperId) return;
    const reply = await deps.dispatcher.run('save', { paper: paperId }, invokerOf(user, message));
    const saved = reply.blocks.some((block) => block.kind === 'text' && block.text.startsWith('⭐ Saved'));
    if (saved) await message.reply({ ...renderReply(reply), allowedMentions: NO_MENTIONS });
    return;
  }
  const papers = await cardPaperIds(message, botId, paperOf(deps));
  if (papers.length > 1) {
    await message.reply({
      content: 'That message lists several papers: press 👎 Not for us under the one you mean.',
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  if (papers.length === 0) return;
  const reply = await deps.dispatcher.run('feedback', { action: 'add', paper: papers[0]! }, invokerOf(user, message));
  if (reply.blocks.some((block) => block.kind === 'text' && block.text.startsWith('👎 Noted')))
    await message.reply({ ...renderReply(reply), allowedMentions: NO_MENTIONS });
}

/** Removing a 👎 from one of our cards takes that person's 👎 back. */
export async function handleReactionRemove(
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  deps: HandlerDeps,
): Promise<void> {
  if (user.bot || !isNotForUs(reaction.emoji.name)) return;
  const message = await ourMessage(reaction, deps);
  if (!message) return;
  const papers = await cardPaperIds(message, deps.client.user!.id, paperOf(deps));
  if (papers.length !== 1) return;
  const reply = await deps.dispatcher.run('feedback', { action: 'undo', paper: papers[0]! }, invokerOf(user, message));
  if (reply.blocks.some((block) => block.kind === 'text' && block.text.startsWith('Took back')))
    await message.reply({ ...renderReply(reply), allowedMentions: NO_MENTIONS });
}

/** A card's paper, read from its buttons when its footer shows no id (stashed ids included). */
function paperOf(deps: HandlerDeps): ButtonPaper {
  return (customId) => deps.dispatcher.buttons.paperOf(customId);
}

/** The reacted message, fetched when partial, if it is one of ours. */
async function ourMessage(
  reaction: MessageReaction | PartialMessageReaction,
  deps: HandlerDeps,
): Promise<Message | undefined> {
  const botId = deps.client.user?.id;
  const message: Message | PartialMessage = reaction.message.partial
    ? await reaction.message.fetch()
    : reaction.message;
  if (!botId || message.author?.id !== botId) return undefined;
  return message as Message;
}

function invokerOf(user: User | PartialUser, message: Message): Invoker {
  return {
    platform: 'discord' as const,
    userId: user.id,
    ...(user.globalName || user.username ? { userName: (user.globalName ?? user.username)! } : {}),
    channelId: message.channelId,
    ...(message.guildId ? { workspaceId: message.guildId } : {}),
    // A person who can react in a channel is a member of its server (bots' reactions never get here).
    isMember: !user.bot,
    members: DISCORD_MEMBERS,
  };
}
