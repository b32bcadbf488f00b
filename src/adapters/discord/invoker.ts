/** Who asked and where, in the neutral Invoker shape commands understand. */
import { type BaseInteraction, type Message, PermissionFlagsBits } from 'discord.js';
import type { Invoker } from '../../core/command.ts';
import { discordUsage } from './definitions.ts';
import { discordThreadReader } from './thread-reader.ts';

export function invokerFromInteraction(interaction: BaseInteraction): Invoker {
  return {
    platform: 'discord',
    userId: interaction.user.id,
    userName: interaction.user.globalName ?? interaction.user.username,
    channelId: interaction.channelId ?? '',
    ...(interaction.guildId ? { workspaceId: interaction.guildId } : {}),
    // Sub-commands share one top-level permission on Discord, so channel settings are checked here,
    // at run time, from the member's permissions in this channel.
    canManageChannel: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    syntax: discordUsage,
    // `/paperboy digest` typed in a thread digests it.
    ...(interaction.channel?.isThread()
      ? { thread: discordThreadReader(interaction.channel, interaction.client.user.id) }
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
