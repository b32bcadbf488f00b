/**
 * Gateway payloads for the fake Discord, built from real captured payloads (test/fixtures/discord):
 * the READY frame, a guild, and INTERACTION_CREATE / MESSAGE_CREATE / THREAD_CREATE data. Only ids,
 * tokens, custom ids, option values and message text are changed, so discord.js sees the field sets
 * Discord really sends (entitlements, authorizing_integration_owners, channel, app_permissions...).
 */
import { readFileSync } from 'node:fs';
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIChatInputApplicationCommandInteraction,
  APIMessageComponentGuildInteraction,
  APITextChannel,
  APIThreadChannel,
  APIUser,
  ChannelFlags,
  GatewayHello,
  GatewayMessageCreateDispatchData,
  GatewayReadyDispatch,
  GatewayThreadCreateDispatchData,
} from 'discord.js';
import type { StoredMessage } from './discord-api.ts';

/** A captured payload, typed as what the caller knows it to be. */
const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/discord/${name}`, import.meta.url), 'utf8'));

const vercel = fixture<{
  metadata: { botId: string; guildId: string; channelId: string; userId: string };
  buttonClickHello: APIMessageComponentGuildInteraction & { channel: { permissions: string } };
  gatewayMention: { data: GatewayMessageCreateDispatchData };
  gatewayThreadCreate: { data: GatewayThreadCreateDispatchData };
}>('vercel-chat_discord-trimmed.json');
const docs = fixture<{
  slash_command_interaction_example: { payload: APIChatInputApplicationCommandInteraction };
  autocomplete_interaction_example: {
    payload: APIApplicationCommandAutocompleteInteraction & { data: { version: string } };
  };
}>('discord-api-docs_interaction_examples.json');
const [, readyFixture] = fixture<[GatewayHello, GatewayReadyDispatch]>('discordbm_gateway_hello_ready.json');

const clone = <T>(value: T): T => structuredClone(value);

/** A channel of the fake guild: a text channel or a thread. */
export type FakeChannel = APITextChannel | APIThreadChannel;

/** A gateway dispatch's data as JSON; the fake reads an interaction's token and message. */
export interface DispatchData {
  id?: string;
  token?: string;
  message?: { id: string };
  [field: string]: unknown;
}

/** An INTERACTION_CREATE payload (Discord's JSON; tests use its id and token). */
export interface InteractionPayload extends DispatchData {
  id: string;
  token: string;
}

/** A MESSAGE_CREATE payload (Discord's JSON; tests use its id). */
export interface MessagePayload extends DispatchData {
  id: string;
}

export interface FakeWorld {
  appId: string;
  botId: string;
  botUser: APIUser;
  guildId: string;
  /** The text channel where everything happens unless a test says otherwise. */
  channelId: string;
  userId: string;
  user: APIUser;
  channels: FakeChannel[];
}

/** The ids of the recorded vercel/chat bot: app, bot user, guild, channel and user. */
export function defaultWorld(): FakeWorld {
  const meta = vercel.metadata;
  const botUser = { ...clone(vercel.buttonClickHello.message.author) };
  const user = clone(vercel.buttonClickHello.member.user);
  return {
    appId: vercel.buttonClickHello.application_id,
    botId: meta.botId,
    botUser,
    guildId: meta.guildId,
    channelId: meta.channelId,
    userId: meta.userId,
    user,
    channels: [
      {
        id: meta.channelId,
        type: 0,
        guild_id: meta.guildId,
        name: 'papers',
        position: 0,
        permission_overwrites: [],
        parent_id: null,
        nsfw: false,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
        flags: 0 as ChannelFlags, // none
      },
    ],
  };
}

export function readyFrame(world: FakeWorld, gatewayUrl: string): DispatchData {
  const ready = clone(readyFixture.d);
  return {
    ...ready,
    user: {
      ...ready.user,
      id: world.botId,
      username: world.botUser.username,
      discriminator: world.botUser.discriminator,
    },
    application: { id: world.appId, flags: ready.application.flags },
    guilds: [{ id: world.guildId, unavailable: true }],
    resume_gateway_url: gatewayUrl,
    shard: [0, 1],
  };
}

export function guildCreatePayload(world: FakeWorld, channels: FakeChannel[]): DispatchData {
  const isThread = (c: FakeChannel) => [10, 11, 12].includes(c.type);
  return {
    id: world.guildId,
    name: 'Paper Lab',
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: '1000000000000000001',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      // @everyone (id = guild id): view channels, send messages, embed links, read history, threads.
      {
        id: world.guildId,
        name: '@everyone',
        permissions: String(0x400 | 0x800 | 0x4000 | 0x10000 | 0x800000000 | 0x4000000000),
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: '2026-01-04T20:39:45.451000+00:00',
    large: false,
    unavailable: false,
    member_count: 2,
    members: [{ ...clone(vercel.gatewayMention.data.mentions[0]!.member), user: clone(world.botUser) }],
    channels: channels.filter((c) => !isThread(c)),
    threads: channels.filter(isThread),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

let counter = 0;
function nextId(): string {
  return String(1600000000000000000n + BigInt(++counter));
}

export function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:fake-token`).toString('base64url');
}

export interface InteractionOptions {
  /** Member permissions in the channel (a bitfield string); all permissions when omitted. */
  permissions?: string;
  channelId?: string;
}

/** Fields every interaction carries, taken from the recorded button interaction. */
function interactionBase(world: FakeWorld, options: InteractionOptions): InteractionPayload {
  const recorded = clone(vercel.buttonClickHello);
  const id = nextId();
  const channelId = options.channelId ?? world.channelId;
  const channel = world.channels.find((c) => c.id === channelId);
  return {
    id,
    token: interactionToken(id),
    application_id: world.appId,
    app_permissions: recorded.app_permissions,
    authorizing_integration_owners: { 0: world.guildId },
    attachment_size_limit: recorded.attachment_size_limit,
    channel: {
      id: channelId,
      guild_id: world.guildId,
      type: channel?.type ?? 0,
      name: channel?.name ?? 'papers',
      flags: 0,
      permissions: recorded.channel.permissions,
      ...(channel?.parent_id ? { parent_id: channel.parent_id } : {}),
    },
    channel_id: channelId,
    context: recorded.context,
    entitlements: [],
    entitlement_sku_ids: [],
    guild: { ...recorded.guild, id: world.guildId },
    guild_id: world.guildId,
    guild_locale: recorded.guild_locale,
    locale: recorded.locale,
    member: {
      ...recorded.member,
      user: clone(world.user),
      permissions: options.permissions ?? recorded.member.permissions,
    },
    version: 1,
  };
}

export type OptionValue = string | number | boolean;

function toOptions(values: Record<string, OptionValue>, focused?: string): DispatchData[] {
  return Object.entries(values).map(([name, value]) => ({
    name,
    type: typeof value === 'string' ? 3 : typeof value === 'number' ? 4 : 5,
    value,
    ...(name === focused ? { focused: true } : {}),
  }));
}

/** A type 2 chat-input interaction shaped like Discord's documented example. */
export function chatInput(
  world: FakeWorld,
  command: { name: string; subcommand?: string; options?: Record<string, OptionValue> },
  options: InteractionOptions = {},
): InteractionPayload {
  const example = clone(docs.slash_command_interaction_example.payload);
  const leaf = toOptions(command.options ?? {});
  return {
    ...interactionBase(world, options),
    type: example.type,
    data: {
      id: example.data.id,
      name: command.name,
      type: example.data.type,
      options: command.subcommand ? [{ type: 1, name: command.subcommand, options: leaf }] : leaf,
    },
  };
}

/** A type 4 autocomplete interaction shaped like Discord's documented example. */
export function autocomplete(
  world: FakeWorld,
  command: { name: string; subcommand?: string; focused: string; options: Record<string, OptionValue> },
  options: InteractionOptions = {},
): InteractionPayload {
  const example = clone(docs.autocomplete_interaction_example.payload);
  const leaf = toOptions(command.options, command.focused);
  return {
    ...interactionBase(world, options),
    type: example.type,
    data: {
      id: example.data.id,
      name: command.name,
      type: example.data.type,
      version: example.data.version,
      options: command.subcommand ? [{ type: 1, name: command.subcommand, options: leaf }] : leaf,
    },
  };
}

/** A type 3 button interaction on `message` (a message object the fake stored). */
export function buttonClick(
  world: FakeWorld,
  customId: string,
  message: StoredMessage,
  options: InteractionOptions = {},
): InteractionPayload {
  const recorded = clone(vercel.buttonClickHello);
  return {
    ...interactionBase(world, { channelId: message.channel_id, ...options }),
    type: recorded.type,
    data: { ...recorded.data, custom_id: customId },
    message: clone(message),
  };
}

/** A MESSAGE_CREATE from the user, shaped like the recorded mention. */
export function userMessage(
  world: FakeWorld,
  content: string,
  options: { channelId?: string; channelType?: number; mentionBot?: boolean; bot?: boolean } = {},
): MessagePayload {
  const recorded = clone(vercel.gatewayMention.data);
  const channelId = options.channelId ?? world.channelId;
  const channel = world.channels.find((c) => c.id === channelId);
  return {
    ...recorded,
    id: nextId(),
    nonce: nextId(),
    channel_id: channelId,
    channel_type: options.channelType ?? channel?.type ?? 0,
    guild_id: world.guildId,
    content,
    timestamp: new Date().toISOString(),
    author: options.bot ? { ...clone(world.user), id: nextId(), username: 'otherbot', bot: true } : clone(world.user),
    mentions: options.mentionBot === false ? [] : [{ ...recorded.mentions[0], id: world.botId }],
  };
}

/** A public thread channel, shaped like the recorded THREAD_CREATE. */
export function threadChannel(world: FakeWorld, id: string, name: string): DispatchData {
  const recorded = clone(vercel.gatewayThreadCreate.data);
  return {
    ...recorded,
    id,
    name,
    guild_id: world.guildId,
    parent_id: world.channelId,
    owner_id: world.botId,
    newly_created: true,
  };
}

/**
 * A message context-menu interaction (type 2, data.type 3) on `message`, shaped like Discord's documented one:
 * `data.target_id` names the message, `data.resolved.messages` carries it (its text included, intent or not).
 */
export function messageContextMenu(
  world: FakeWorld,
  name: string,
  message: StoredMessage,
  options: InteractionOptions = {},
): InteractionPayload {
  const example = clone(docs.slash_command_interaction_example.payload);
  return {
    ...interactionBase(world, { channelId: message.channel_id, ...options }),
    type: example.type,
    data: {
      id: example.data.id,
      name,
      type: 3,
      target_id: message.id,
      resolved: { messages: { [message.id]: clone(message) } },
    },
  };
}
