/** Who asked and where, in the neutral Invoker shape commands understand. */
import { type BaseInteraction, GuildMember, type Message, PermissionFlagsBits } from 'discord.js';
import type { ChannelMembership, Invoker } from '../../core/command.ts';
import { discordUsage } from './definitions.ts';
import type { ButtonPaper } from './paper-ref.ts';
import { explainDiscordPause } from './pause-explanations.ts';
import { discordThreadReader } from './thread-reader.ts';

/** Who may change a channel's alerts on Discord, as refusals name them. */
export const DISCORD_MANAGERS = 'members with the Manage Channels permission';
/** Who may change what a channel keeps (its library, its 👎s) on Discord, as refusals name them. */
export const DISCORD_MEMBERS = 'members of this server';

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
    // Whoever can use a channel is a member of its server, or the other side of a DM: Discord has no guests, and
    // bots cannot run application commands.
    isMember: !interaction.user.bot,
    members: DISCORD_MEMBERS,
    explainPause: explainDiscordPause,
    syntax: discordUsage,
    channelsOf: async (candidates) => channelsOf(interaction, candidates),
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
    isMember: !message.author.bot,
    members: DISCORD_MEMBERS,
    explainPause: explainDiscordPause,
    syntax: discordUsage,
  };
}

/**
 * Of these channels, those of this guild the member can see, named, with whether they may manage each (Manage
 * Channels there): from the guild the client has cached, without a call to Discord.
 */
function channelsOf(interaction: BaseInteraction, candidates: readonly string[]): ChannelMembership[] {
  const member = interaction.member;
  const guild = interaction.guild;
  if (!guild || !(member instanceof GuildMember)) return [];
  return candidates.flatMap((id) => {
    const channel = guild.channels.cache.get(id);
    // Where the member is asking, Discord said their permissions; elsewhere they follow from the cached roles.
    const permissions = id === interaction.channelId ? interaction.memberPermissions : channel?.permissionsFor(member);
    if (!channel || !permissions?.has(PermissionFlagsBits.ViewChannel)) return [];
    return [{ id, name: channel.name, manages: permissions.has(PermissionFlagsBits.ManageChannels) }];
  });
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
