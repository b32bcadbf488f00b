/**
 * The Discord adapter's entry point: a discord.js client wired to the dispatcher. Intents are the two
 * non-privileged ones (Guilds, Guild Messages; mentions of the bot arrive with their text), plus the
 * privileged Message Content only when link replies are on. Every handler is wrapped so a failure is
 * a log line and, where possible, a private message to the user; never a crash.
 */
import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  Partials,
  type RepliableInteraction,
} from 'discord.js';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { InFlight } from '../../core/in-flight.ts';
import type { Logger } from '../../core/logger.ts';
import { describeError } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';
import type { WorkspaceEvents } from '../../core/workspaces.ts';
import { Turns } from '../turns.ts';
import { postPublic } from './deliver.ts';
import { handleAutocomplete } from './handlers/autocomplete.ts';
import { handleButton } from './handlers/button.ts';
import { handleChatInput } from './handlers/chat-input.ts';
import type { HandlerDeps } from './handlers/context.ts';
import { handleMessage } from './handlers/message.ts';
import { handleMessageAction } from './handlers/message-action.ts';
import { handleReaction, handleReactionRemove } from './handlers/reaction.ts';
import { reportFailure, tellUser } from './handlers/tell-user.ts';

export interface DiscordConfig {
  token: string;
  appId: string;
  /** Development guild (used by registration; the client itself serves every guild it is in). */
  guildId?: string;
  /** REST base, e.g. `http://127.0.0.1:4000/api` (tests); defaults to Discord's. */
  apiUrl?: string;
  /** Answer arXiv / Hugging Face links with a card (needs the privileged Message Content intent). */
  linkReplies?: boolean;
  /** Defer interactions whose command takes longer than this (ms). Default 1500; 0 always defers. */
  deferAfterMs?: number;
  /**
   * Gateway sharding (DISCORD_SHARDS, DISCORD_SHARD_IDS): the bot's shard count (`auto`: Discord's recommendation) and
   * the shards this instance runs (default: all of them). Guilds are split across shards by Discord; several
   * instances each running some of the shards split the guilds between them.
   */
  shards?: { count: number | 'auto'; ids?: number[] };
}

export interface DiscordDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  /** Tracks requests being answered; once closed (shutdown), new ones are turned away. */
  inFlight?: InFlight;
  /** Told when the bot leaves a server or joins one (a server is a workspace: its data is kept per server). */
  workspaces?: WorkspaceEvents;
  /** The bounded queue command work waits in (shared with the other platforms); default: one of its own. */
  turns?: Turns;
}

/** Why a server's alerts are paused when the bot is no longer in it (`/paperboy subscriptions` shows it there). */
export const GUILD_REMOVED_REASON = 'guild_removed: paperboy was removed from this server; add it again';

const RESTARTING = 'paperboy is restarting right now. Please try again in a few seconds.';

export interface RunningDiscord {
  client: Client;
  /**
   * Posts a public reply (e.g. a subscription alert) in a channel, its `thread` replies in a thread on
   * it. Rejects with Discord's error (see errors.ts classifyError) so an outbox can retry or give up.
   */
  post(channelId: string, reply: Reply): Promise<{ messageId: string; threadId?: string }>;
  stop(): Promise<void>;
}

/** Rate limits longer than this are reported to the user instead of silently waited out. */
const MAX_RATE_LIMIT_WAIT_MS = 5000;

export async function startDiscord(config: DiscordConfig, deps: DiscordDeps): Promise<RunningDiscord> {
  const { logger } = deps;
  // Reactions: the ⭐ on a card saves its paper, the 👎 says "Not for us" (handlers/reaction.ts).
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions];
  if (config.linkReplies) intents.push(GatewayIntentBits.MessageContent);

  const client = new Client({
    intents,
    ...shardOptions(config.shards),
    // Reactions on messages sent before the client started (or evicted from its cache) arrive as partials.
    partials: [Partials.Message, Partials.Channel, Partials.Reaction],
    // The default for every send; each payload also sets it explicitly (render.ts).
    allowedMentions: { parse: [] },
    rest: {
      ...(config.apiUrl ? { api: config.apiUrl } : {}),
      rejectOnRateLimit: (data) => Math.max(data.retryAfter, data.timeToReset) > MAX_RATE_LIMIT_WAIT_MS,
    },
  });
  const handlerDeps: HandlerDeps = {
    client,
    dispatcher: deps.dispatcher,
    logger,
    turns: deps.turns ?? new Turns(),
    deferAfterMs: config.deferAfterMs ?? 1500,
    linkReplies: config.linkReplies ?? false,
  };

  client.on(Events.Error, (error) => logger.error('discord: client error', { error: describeError(error) }));
  client.on(Events.Warn, (message) => logger.warn('discord: client warning', { message }));
  client.on(Events.ShardError, (error, shardId) =>
    logger.error('discord: gateway error', { shardId, error: describeError(error) }),
  );
  client.rest.on('rateLimited', (info) =>
    logger.warn('discord: rate limited', { route: info.route, retryAfterMs: info.retryAfter, global: info.global }),
  );
  const { inFlight } = deps;
  client.on(Events.InteractionCreate, (interaction) => {
    if (!inFlight) return void onInteraction(interaction, handlerDeps);
    if (inFlight.accepting) return void inFlight.run(() => onInteraction(interaction, handlerDeps));
    // Shutting down: say so rather than start an answer the restart would cut off.
    if (interaction.isRepliable()) void tellUser(interaction, RESTARTING, logger);
  });
  client.on(Events.MessageCreate, (message) => {
    if (inFlight && !inFlight.accepting) return;
    const handle = () =>
      handleMessage(message, handlerDeps).catch((error) =>
        reportFailure(undefined, error, logger, 'handling a message'),
      );
    void (inFlight ? inFlight.run(handle) : handle());
  });

  client.on(Events.MessageReactionAdd, (reaction, user) => {
    if (inFlight && !inFlight.accepting) return;
    const handle = () =>
      handleReaction(reaction, user, handlerDeps).catch((error) =>
        reportFailure(undefined, error, logger, 'a ⭐ or 👎 reaction on a card'),
      );
    void (inFlight ? inFlight.run(handle) : handle());
  });
  client.on(Events.MessageReactionRemove, (reaction, user) => {
    if (inFlight && !inFlight.accepting) return;
    const handle = () =>
      handleReactionRemove(reaction, user, handlerDeps).catch((error) =>
        reportFailure(undefined, error, logger, 'a 👎 removed from a card'),
      );
    void (inFlight ? inFlight.run(handle) : handle());
  });

  if (deps.workspaces) watchGuilds(client, deps.workspaces, logger);

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.token);
    await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  }
  logger.info('discord: connected', {
    user: client.user?.tag,
    guilds: client.guilds.cache.size,
    shards: client.ws.shards.map((shard) => shard.id),
    shardCount: client.options.shardCount,
    linkReplies: handlerDeps.linkReplies,
  });

  return {
    client,
    async post(channelId, reply) {
      const { message, thread } = await postPublic(client, channelId, reply);
      if (thread.error) await reportFailure(undefined, thread.error, logger, 'starting a thread for a post');
      return { messageId: message.id, ...(thread.threadId ? { threadId: thread.threadId } : {}) };
    },
    async stop() {
      await client.destroy();
    },
  };
}

/**
 * Servers as workspaces: leaving one (kicked, or the server deleted; not an outage, which discord.js reports as
 * `guildUnavailable`) pauses its alerts at once and starts its data's grace period; joining one again within it keeps
 * the data. Servers the bot is in when it connects count as joined (it may have been added back while offline).
 */
function watchGuilds(client: Client, workspaces: WorkspaceEvents, logger: Logger): void {
  const report = (what: string, work: () => Promise<unknown>) =>
    void work().catch((error: unknown) => logger.error(`discord: ${what}`, { error: describeError(error) }));
  client.on(Events.GuildDelete, (guild) =>
    report('could not record leaving a server', async () => {
      const { pausedChannels } = await workspaces.removed(guild.id, GUILD_REMOVED_REASON);
      logger.info('discord: removed from a server; its alerts are paused and its data deleted after the grace period', {
        guildId: guild.id,
        pausedChannels: pausedChannels.length,
      });
    }),
  );
  client.on(Events.GuildCreate, (guild) =>
    report('could not record joining a server', async () => {
      if (await workspaces.returned(guild.id))
        logger.info('discord: back in a server within its grace period; its data is kept (alerts stay paused)', {
          guildId: guild.id,
        });
    }),
  );
  client.once(Events.ClientReady, () =>
    report('could not check the servers the bot is in', async () => {
      const back = await workspaces.present(client.guilds.cache.keys());
      if (back.length)
        logger.info('discord: back in servers within their grace period; their data is kept (alerts stay paused)', {
          guildIds: back,
        });
    }),
  );
}

/** discord.js's options for the configured shards (none: one shard, as Discord expects of small bots). */
function shardOptions(shards: DiscordConfig['shards']): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!shards) return {};
  if (shards.count === 'auto') return { shards: 'auto' };
  return { shardCount: shards.count, ...(shards.ids ? { shards: shards.ids } : {}) };
}

async function onInteraction(interaction: Interaction, deps: HandlerDeps): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await handleChatInput(interaction, deps);
    else if (interaction.isAutocomplete()) await handleAutocomplete(interaction, deps);
    else if (interaction.isButton()) await handleButton(interaction, deps);
    else if (interaction.isMessageContextMenuCommand()) await handleMessageAction(interaction, deps);
  } catch (error) {
    const repliable: RepliableInteraction | undefined = interaction.isRepliable() ? interaction : undefined;
    await reportFailure(repliable, error, deps.logger, describeInteraction(interaction));
  }
}

function describeInteraction(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) return `/${interaction.commandName}`;
  if (interaction.isAutocomplete()) return `autocomplete for /${interaction.commandName}`;
  if (interaction.isButton()) return 'a button';
  if (interaction.isMessageContextMenuCommand()) return `"${interaction.commandName}" on a message`;
  return 'an interaction';
}
