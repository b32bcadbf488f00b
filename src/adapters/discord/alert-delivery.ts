/**
 * Alerts to Discord (the core's AlertDelivery) through this adapter's rendering and thread posting. Each message is
 * sent with `nonce` = the alert key and `enforce_nonce: true`: resending after a crash within Discord's nonce window
 * returns the message already created instead of a second one; beyond it, `find` looks for the bot's own message with
 * the same card among the channel's recent messages.
 */
import {
  type APIUser,
  Client,
  type Collection,
  DiscordAPIError,
  type Message,
  Routes,
  type Snowflake,
} from 'discord.js';
import type { AlertDelivery, DeliveryFailure } from '../../core/alerts/delivery.ts';
import type { Reply } from '../../core/reply.ts';
import type { DiscordConfig } from './client.ts';
import { postThread, sendableChannel } from './deliver.ts';
import { classifyError } from './errors.ts';
import { explainDiscordPause } from './pause-explanations.ts';
import { renderReply } from './render.ts';

/**
 * A REST-only client for a one-shot alert round (`paperboy poll`): no gateway connection, so nothing to wait for and
 * nothing to close but its timers. The running bot passes its own gateway client instead. Without a login it has no
 * `client.user`: the delivery learns the bot's id from `GET /users/@me` when it needs it (see `botUserId`).
 */
export function discordRestClient(config: Pick<DiscordConfig, 'token' | 'apiUrl'>): Client {
  const client = new Client({
    intents: [],
    allowedMentions: { parse: [] },
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
  });
  client.rest.setToken(config.token);
  client.token = config.token;
  return client;
}

/** Discord snowflake for an instant (messages `after` it were created later). */
function snowflakeAt(date: Date): string {
  return ((BigInt(Math.max(date.getTime(), 1420070400000)) - 1420070400000n) << 22n).toString();
}

function fingerprint(payload: {
  content?: string | null;
  embeds?: { title?: string | null; url?: string | null }[];
}): string {
  return JSON.stringify([payload.content ?? '', (payload.embeds ?? []).map((e) => [e.title ?? '', e.url ?? ''])]);
}

/**
 * The bot's own user id, so the after-crash check recognises its messages: the gateway client knows it from its
 * login; a REST-only client asks `GET /users/@me` once (a failure is not remembered: the next call asks again).
 */
function botUserId(client: Client): () => Promise<string> {
  let known: string | undefined;
  return async () => {
    known ??= client.user?.id ?? ((await client.rest.get(Routes.user('@me'))) as APIUser).id;
    return known;
  };
}

export interface DiscordDeliveryOptions {
  client: Client;
  minIntervalMs?: number;
  /** Command lines in Discord's syntax (`/paperboy subscriptions action:resume`), for the notices it sends. */
  commandLine?: (text: string) => string;
}

export function createDiscordDelivery(options: DiscordDeliveryOptions): AlertDelivery {
  const { client } = options;
  const self = botUserId(client);
  return {
    platform: 'discord',
    ...(options.commandLine ? { commandLine: options.commandLine } : {}),
    minIntervalMs: options.minIntervalMs ?? 0,
    async post({ channelId }, reply, key) {
      const channel = await sendableChannel(client, channelId);
      const message = await channel.send({ ...renderReply(reply), nonce: key, enforceNonce: true });
      return message.id;
    },
    async postThread({ channelId }, ref, root) {
      const outcome = await postThread(client, channelId, ref, root);
      if (outcome.error) throw outcome.error;
    },
    async find({ channelId }, _key, since, root: Reply) {
      const channel = await sendableChannel(client, channelId);
      if (!('messages' in channel)) return undefined;
      let recent: Collection<Snowflake, Message>;
      try {
        recent = await channel.messages.fetch({ after: snowflakeAt(since), limit: 100 });
      } catch (error) {
        // Without Read Message History: resend, and let the nonce make Discord return the message if it exists.
        if (classifyError(error).kind === 'missing-access' || classifyError(error).kind === 'missing-permissions')
          return undefined;
        throw error;
      }
      const want = fingerprint(renderReply(root));
      const me = await self();
      const mine = [...recent.values()].find(
        (m) =>
          m.author?.id === me &&
          fingerprint({ content: m.content, embeds: m.embeds.map((e) => ({ title: e.title, url: e.url })) }) === want,
      );
      return mine?.id;
    },
    classify(error): DeliveryFailure {
      if (error instanceof Error && /does not accept messages/.test(error.message))
        return { kind: 'channel', code: 'not-sendable' };
      const problem = classifyError(error);
      const code = String(problem.code ?? problem.kind);
      switch (problem.kind) {
        case 'missing-permissions':
        case 'missing-access':
        case 'unknown-channel':
          return { kind: 'channel', code };
        case 'rate-limited':
          return { kind: 'rejected', code, retryAfterMs: 60_000, rateLimited: true };
        case 'rejected':
          if (error instanceof DiscordAPIError && error.status >= 500) return { kind: 'unknown', code };
          if (error instanceof DiscordAPIError && error.status === 400) return { kind: 'message', code };
          return { kind: 'rejected', code };
        default:
          // Network errors, timeouts, 5xx without a code: Discord may have created it.
          return { kind: 'unknown', code };
      }
    },
    async notifyUser(userId, text) {
      const user = await client.users.fetch(userId);
      await user.send({ content: text, allowedMentions: { parse: [] } });
    },
    explainPause: explainDiscordPause,
  };
}
