/**
 * Button clicks: the custom_id is a self-contained action id (core/actions.ts), so buttons keep working
 * after a restart. Paging replaces the clicked message; private answers come as ephemeral replies;
 * public ones (Share, Summary) are posted in the channel, with a thread for the summary.
 */
import { type ButtonInteraction, MessageFlags } from 'discord.js';
import type { Reply } from '../../../core/reply.ts';
import { replyInTurn } from '../../turns.ts';
import { postPublic, postThread } from '../deliver.ts';
import { invokerFromInteraction } from '../invoker.ts';
import { paperIdFromMessage } from '../paper-ref.ts';
import { interactionPayload, renderReply, soleCard } from '../render.ts';
import type { HandlerDeps } from './context.ts';
import { settleOrDefer } from './in-time.ts';
import { markDeferredUpdate } from './tell-user.ts';
import { threadFallback } from './thread-fallback.ts';

export async function handleButton(interaction: ButtonInteraction, deps: HandlerDeps): Promise<void> {
  const invoker = invokerFromInteraction(interaction, (id) => deps.dispatcher.buttons.paperOf(id));
  const work = replyInTurn(deps.turns, () => deps.dispatcher.runAction(interaction.customId, invoker));
  const deferUpdate = async () => {
    markDeferredUpdate(interaction);
    await interaction.deferUpdate();
  };
  const { value: reply, deferred } = await settleOrDefer(
    work,
    deps.turns.queued > 1 ? 0 : deps.deferAfterMs,
    deferUpdate,
  );

  if (reply.visibility === 'public') {
    // Posting (and threading) takes several calls: acknowledge the click first.
    if (!deferred) await deferUpdate();
    await postFromButton(interaction, reply, deps);
    return;
  }
  if (reply.replace) {
    if (deferred) await interaction.editReply(renderReply(reply));
    else await interaction.update(renderReply(reply));
    return;
  }
  if (deferred) await interaction.followUp(interactionPayload(reply));
  else await interaction.reply(interactionPayload(reply));
}

async function postFromButton(interaction: ButtonInteraction, reply: Reply, deps: HandlerDeps): Promise<void> {
  const source = interaction.message;
  const card = soleCard(reply);
  const botId = deps.client.user?.id;
  const sourceIsOurPublicCard =
    !source.flags.has(MessageFlags.Ephemeral) &&
    source.author?.id === botId &&
    card !== undefined &&
    (await paperIdFromMessage(source, botId, (id) => deps.dispatcher.buttons.paperOf(id))) === card.paperId;

  // Summary on a card already in the channel: thread on that card rather than posting it twice.
  if (sourceIsOurPublicCard && reply.thread?.length) {
    const outcome = await postThread(deps.client, interaction.channelId, source.id, reply);
    if (outcome.error) await threadFallback(interaction, reply, outcome.error, deps.logger);
    return;
  }
  const { thread } = await postPublic(
    deps.client,
    interaction.channelId,
    reply,
    reply.attributed ? {} : { prefix: `-# Shared by <@${interaction.user.id}>` },
  );
  if (thread.error) await threadFallback(interaction, reply, thread.error, deps.logger);
}
