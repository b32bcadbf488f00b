/** Who asked and where, in the neutral Invoker shape commands understand. */
import { type BaseInteraction, type Message, PermissionFlagsBits } from 'discord.js';
import type { Invoker } from '../../core/command.ts';
import { discordUsage } from './definitions.ts';
import type { ButtonPaper } from './paper-ref.ts';
import { discordThreadReader } from './thread-reader.ts';

/** Who may change a channel's alerts on Discord, as refusals name them. */
export const DISCORD_MANAGERS = 'members with the Manage Channels permission';

/** `paperOf` reads the paper of a card from its buttons (the dispatcher's `buttons.paperOf`), for thread digests. */
export function invokerFromInteraction(interaction: BaseInteraction, paperOf?: ButtonPaper): Invoker {
  return {
    platform: 'discord',
    userId: interaction.user.id,
    userName: interaction.user.globalName ?? interaction.user.username,
    channelId: interaction.channelId ?? '',
    ...(interaction.guildId ? { workspaceId: interaction.guildId } : {}),
    // Checked at run time from the member's permissions in this channel, whatever the command's registered
    // default_member_permissions (server admins may override those per role in the Integrations settings).
    canManageChannel: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    managers: DISCORD_MANAGERS,
    syntax: discordUsage,
    // `/paperboy digest` typed in a thread digests it.
    ...(interaction.channel?.isThread()
      ? { thread: discordThreadReader(interaction.channel, interaction.client.user.id, paperOf) }
      : {}),
  };
}

export function invokerFromMessage(message: Message): Invoker {
  return {
    platform: 'discord',
    userId: message.author.id,
    userName: message.author.globalName ?? message.author.username,
    channelId: message.channelId,
    ...(message.guildId ? { workspaceId: message.guildId } : {}),
    canManageChannel: canManage(message),
    managers: DISCORD_MANAGERS,
    syntax: discordUsage,
  };
}

function canManage(message: Message): boolean {
  try {
    if (!message.member || !message.guild) return false;
    const channel = message.channel;
    if (!('permissionsFor' in channel)) return false;
    return channel.permissionsFor(message.member)?.has(PermissionFlagsBits.ManageChannels) ?? false;
  } catch {
    return false;
  }
}
