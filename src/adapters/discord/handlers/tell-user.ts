/**
 * Failure reporting shared by the interaction handlers: one log line always, and an ephemeral message
 * for the user whenever the interaction can still be answered.
 */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.ts';
import { describeError } from '../../../core/logger.ts';
import { classifyError } from '../errors.ts';
import { NO_MENTIONS } from '../render.ts';

export async function reportFailure(
  interaction: RepliableInteraction | undefined,
  error: unknown,
  logger: Logger,
  what: string,
): Promise<void> {
  const problem = classifyError(error);
  const level = problem.kind === 'internal' ? 'error' : 'warn';
  logger[level](`discord: ${what} failed`, { kind: problem.kind, code: problem.code, detail: problem.detail });
  if (!interaction || !problem.userMessage || problem.kind === 'expired-interaction') return;
  await tellUser(interaction, `⚠️ ${problem.userMessage}`, logger);
}

/** Interactions acknowledged with deferUpdate: editing "the reply" would overwrite the clicked message. */
const deferredUpdates = new WeakSet<RepliableInteraction>();
export function markDeferredUpdate(interaction: RepliableInteraction): void {
  deferredUpdates.add(interaction);
}

/**
 * An ephemeral notice: a reply when nothing was sent yet, the deferred "thinking…" message turned into
 * the notice, or a follow-up after that. Never throws.
 */
export async function tellUser(interaction: RepliableInteraction, text: string, logger: Logger): Promise<void> {
  const payload = { content: text, flags: MessageFlags.Ephemeral as const, allowedMentions: NO_MENTIONS };
  try {
    if (interaction.deferred && !interaction.replied && !deferredUpdates.has(interaction)) {
      await interaction.editReply({ content: text, embeds: [], components: [], allowedMentions: NO_MENTIONS });
    } else if (interaction.deferred || interaction.replied) await interaction.followUp(payload);
    else await interaction.reply(payload);
  } catch (error) {
    logger.warn('discord: could not tell the user about a failure', {
      kind: classifyError(error).kind,
      error: describeError(error),
    });
  }
}
