/**
 * The message context menus ("Apps → Summarize papers", "Apps → Save to library"): the targeted message (its text
 * comes with the interaction, Message Content intent or not) read as the core reads thread messages. The digest is
 * posted in the message's thread (started on it, or the thread it is in) and the user told where, privately; saving
 * and "no paper here" are private answers.
 */
import { type MessageContextMenuCommandInteraction, MessageFlags } from 'discord.js';
import { replyInTurn } from '../../turns.ts';
import { messageActionFor } from '../definitions.ts';
import { postThread } from '../deliver.ts';
import { invokerFromInteraction } from '../invoker.ts';
import { NO_MENTIONS, renderReply } from '../render.ts';
import { threadMessage } from '../thread-reader.ts';
import type { HandlerDeps } from './context.ts';
import { tellUser } from './tell-user.ts';
import { threadFallback } from './thread-fallback.ts';

export async function handleMessageAction(
  interaction: MessageContextMenuCommandInteraction,
  deps: HandlerDeps,
): Promise<void> {
  const action = messageActionFor(interaction.commandName);
  if (!action) {
    await tellUser(interaction, 'I do not know that command. Try `/paperboy help`.', deps.logger);
    return;
  }
  // Reading the message and looking papers up may take a moment: answer privately at once, then fill it in.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const paperOf = (id: string) => deps.dispatcher.buttons.paperOf(id);
  const invoker = invokerFromInteraction(interaction, paperOf);
  const botId = deps.client.user?.id ?? '';
  const target = interaction.targetMessage;
  const message = await threadMessage(target, botId, paperOf);
  const reply = await replyInTurn(deps.turns, () => deps.dispatcher.runMessageAction(action, message, invoker));
  if (reply.visibility !== 'public') {
    await interaction.editReply(renderReply(reply));
    return;
  }
  const outcome = await postThread(deps.client, interaction.channelId, target.id, { ...reply, thread: [reply] });
  if (outcome.error) {
    await threadFallback(interaction, { ...reply, thread: [reply] }, outcome.error, deps.logger);
    return;
  }
  await interaction.editReply({
    content: `Posted in the thread: <#${outcome.threadId}>`,
    embeds: [],
    components: [],
    allowedMentions: NO_MENTIONS,
  });
}
