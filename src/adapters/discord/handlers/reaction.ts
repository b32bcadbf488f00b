/**
 * The ⭐ reaction on one of our paper cards saves its paper to the channel's library, as the Save button does. The
 * card may be older than the client's cache: the client receives partial reactions and messages (client.ts) and the
 * message is fetched here. A new save is acknowledged with a short reply to the card (never a ping); a paper already
 * saved, other emoji, other people's messages and bots' reactions change nothing.
 */
import type { MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import { paperIdFromMessage } from '../paper-ref.ts';
import { NO_MENTIONS, renderReply } from '../render.ts';
import type { HandlerDeps } from './context.ts';

export const SAVE_EMOJI = '⭐';

export async function handleReaction(
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  deps: HandlerDeps,
): Promise<void> {
  if (reaction.emoji.name !== SAVE_EMOJI || user.bot) return;
  const botId = deps.client.user?.id;
  const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
  if (!botId || message.author?.id !== botId) return;
  const paperId = await paperIdFromMessage(message, botId, (id) => deps.dispatcher.buttons.paperOf(id));
  if (!paperId) return;
  const invoker = {
    platform: 'discord' as const,
    userId: user.id,
    ...(user.globalName || user.username ? { userName: (user.globalName ?? user.username)! } : {}),
    channelId: message.channelId,
    ...(message.guildId ? { workspaceId: message.guildId } : {}),
  };
  const reply = await deps.dispatcher.run('save', { paper: paperId }, invoker);
  const saved = reply.blocks.some((block) => block.kind === 'text' && block.text.startsWith('⭐ Saved'));
  if (!saved) return;
  await message.reply({ ...renderReply(reply), allowedMentions: NO_MENTIONS });
}
