/**
 * When the card went out but its thread could not be started (no Create Public Threads permission,
 * channel gone...), the person who asked still gets the thread's content, privately, with the reason.
 */
import type { RepliableInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.ts';
import type { Reply } from '../../../core/reply.ts';
import { classifyError } from '../errors.ts';
import { interactionPayload } from '../render.ts';
import { reportFailure } from './tell-user.ts';

export async function threadFallback(
  interaction: RepliableInteraction,
  reply: Reply,
  error: unknown,
  logger: Logger,
): Promise<void> {
  await reportFailure(interaction, error, logger, 'starting a thread');
  if (classifyError(error).kind === 'expired-interaction') return;
  for (const threadReply of (reply.thread ?? []).slice(0, 3)) {
    try {
      await interaction.followUp(interactionPayload({ ...threadReply, visibility: 'ephemeral' }));
    } catch (followUpError) {
      await reportFailure(undefined, followUpError, logger, 'sending the thread content privately');
      return;
    }
  }
}
