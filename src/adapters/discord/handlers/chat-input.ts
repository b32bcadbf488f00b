/**
 * Slash commands: `/paper query:…` runs search (or, like Slack's `/paper`, the command its first word
 * names: `/paper random diffusion`), `/paperboy <sub> …` runs the named command. Fast
 * answers go out directly with the visibility the command chose; slow ones are deferred (privately)
 * and then edited, or posted in the channel when the answer turned out to be public.
 */
import { ApplicationCommandOptionType, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { OptionValues } from '../../../core/command.ts';
import { DEFAULT_COMMAND } from '../../../core/dispatcher.ts';
import { replyInTurn } from '../../turns.ts';
import { commandNameFor } from '../definitions.ts';
import { postPublic, postThread } from '../deliver.ts';
import { invokerFromInteraction } from '../invoker.ts';
import { interactionPayload, NO_MENTIONS, renderReply } from '../render.ts';
import type { HandlerDeps } from './context.ts';
import { settleOrDefer } from './in-time.ts';
import { tellUser } from './tell-user.ts';
import { threadFallback } from './thread-fallback.ts';

export async function handleChatInput(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const name = commandNameFor(interaction.commandName, interaction.options.getSubcommand(false));
  if (!name) {
    await tellUser(interaction, 'I do not know that command. Try `/paperboy help`.', deps.logger);
    return;
  }
  const invoker = invokerFromInteraction(interaction, (id) => deps.dispatcher.buttons.paperOf(id));
  const options = optionValues(interaction);
  // `/paper random diffusion` typed into the query works as on Slack: a command's name first runs it.
  const query = name === DEFAULT_COMMAND && typeof options.query === 'string' ? options.query : undefined;
  const work =
    query !== undefined && deps.dispatcher.parseText(query).command.name !== DEFAULT_COMMAND
      ? replyInTurn(deps.turns, () => deps.dispatcher.runText(query, invoker))
      : replyInTurn(deps.turns, () => deps.dispatcher.run(name, options, invoker));
  const { value: reply, deferred } = await settleOrDefer(work, deps.turns.queued > 1 ? 0 : deps.deferAfterMs, () =>
    interaction.deferReply({ flags: MessageFlags.Ephemeral }),
  );

  if (reply.visibility === 'ephemeral') {
    if (deferred) await interaction.editReply(renderReply(reply));
    else await interaction.reply(interactionPayload(reply));
    return;
  }

  if (!deferred) {
    const response = await interaction.reply({ ...renderReply(reply), withResponse: true });
    const messageId = response.resource?.message?.id;
    if (reply.thread?.length && messageId && interaction.channelId) {
      const outcome = await postThread(deps.client, interaction.channelId, messageId, reply);
      if (outcome.error) await threadFallback(interaction, reply, outcome.error, deps.logger);
    }
    return;
  }

  // Deferred privately, but the answer is for everyone: post it in the channel and say where.
  const { message, thread } = await postPublic(
    deps.client,
    interaction.channelId,
    reply,
    reply.attributed ? {} : { prefix: `-# Requested by <@${interaction.user.id}>` },
  );
  await interaction.editReply({
    content: `Posted: ${message.url}`,
    embeds: [],
    components: [],
    allowedMentions: NO_MENTIONS,
  });
  if (thread.error) await threadFallback(interaction, reply, thread.error, deps.logger);
}

/** The options the user gave, flattened out of the sub-command when there is one. */
export function optionValues(interaction: ChatInputCommandInteraction): OptionValues {
  let data = interaction.options.data;
  const sub = data[0];
  if (sub && sub.type === ApplicationCommandOptionType.Subcommand) data = sub.options ?? [];
  const values: OptionValues = {};
  for (const option of data) {
    if (option.value !== undefined && option.value !== null) values[option.name] = option.value;
  }
  return values;
}
