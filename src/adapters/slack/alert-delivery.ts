/**
 * Alerts to Slack (the core's AlertDelivery) through this adapter's Block Kit rendering, message and thread posting,
 * and error classifier. Each message carries `metadata {event_type: paperboy_alert, event_payload: {key}}`, so after a
 * crash `conversations.history` with `include_all_metadata` tells whether it was posted (needs the `channels:history`
 * / `groups:history` scopes; without them the outbox keeps asking rather than risk a duplicate).
 */
import { webApi } from '@slack/bolt';
import type { AlertDelivery, DeliveryFailure, FailureKind } from '../../core/alerts/delivery.ts';
import type { ChannelKey } from '../../core/channel-key.ts';
import type { Logger } from '../../core/logger.ts';
import type { SlackConfig } from './app.ts';
import { type DeliveryContext, type MessageMetadata, postMessage, postThreadReplies } from './deliver.ts';
import type { SlackInstallations } from './installations.ts';
import { explainSlackPause } from './pause-explanations.ts';
import { renderReply } from './render.ts';
import { classifySlackError, type SlackFailureKind, ThreadPostError, withRateLimitRetry } from './slack-errors.ts';
import { slackWebClientOptions } from './web-client.ts';

export const SLACK_ALERT_EVENT = 'paperboy_alert';

/** How the outbox treats each kind of Slack failure. */
const OUTBOX_KIND: Record<SlackFailureKind, FailureKind> = {
  'rate-limited': 'rejected',
  'channel-unusable': 'channel',
  'message-invalid': 'message',
  'maybe-posted': 'unknown',
  rejected: 'rejected',
};

/** The Web API client to post in a channel with (a distributed app: with the token of the alert's workspace). */
export type SlackClientFor = (channel: ChannelKey) => Promise<webApi.WebClient>;

/**
 * Web API clients for alerts: the one bot token's, or, for a distributed app, the token of the workspace whose
 * subscription the alert came from (in a channel shared by two workspaces, each one's alerts go out with its own
 * token; a workspace that removed paperboy fails with `not_installed`, and the outbox pauses it there). Like every client of ours they retry only calls that never reached Slack (web-client.ts): a
 * blind retry of a chat.postMessage whose answer was lost would post twice. The outbox retries the rest, after asking
 * Slack (by metadata key) what it already has.
 */
export function slackAlertClients(
  config: Pick<SlackConfig, 'botToken' | 'oauth' | 'apiUrl' | 'retries'>,
  installations?: SlackInstallations,
): SlackClientFor {
  const options = slackWebClientOptions(config);
  if (config.oauth) {
    if (!installations) throw new Error('a distributed Slack app needs the installations store for its alerts');
    return async (channel) => new webApi.WebClient(await installations.botTokenFor(channel.workspaceId), options);
  }
  const client = new webApi.WebClient(config.botToken, options);
  return async () => client;
}

export interface SlackDeliveryOptions {
  /** One client for every channel, or the client for each channel. */
  client: webApi.WebClient | SlackClientFor;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Least time between two posts in one channel (default 1100 ms: Slack allows about one per second). */
  minIntervalMs?: number;
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown; part?: unknown; parts?: unknown } };
}

export function createSlackDelivery(options: SlackDeliveryOptions): AlertDelivery {
  const { logger } = options;
  const given = options.client;
  const clientFor: SlackClientFor = typeof given === 'function' ? given : async () => given;
  const context = async (channel: ChannelKey): Promise<DeliveryContext> => ({
    client: await clientFor(channel),
    logger,
    sleep: options.sleep,
  });
  const retry = <T>(what: string, call: () => Promise<T>) =>
    withRateLimitRetry(call, { logger, what, sleep: options.sleep });
  const minIntervalMs = options.minIntervalMs ?? 1100;
  const tag = (key: string): MessageMetadata => ({ event_type: SLACK_ALERT_EVENT, event_payload: { key } });
  // Each reply of an alert's thread says which it is, so a thread cut short (a crash, a failure part-way) is
  // finished with only the replies it lacks.
  const partTag = (key: string, index: number, count: number): MessageMetadata => ({
    event_type: SLACK_ALERT_EVENT,
    event_payload: { key, part: String(index + 1), parts: String(count) },
  });

  const hasKey = (message: HistoryMessage, key: string) =>
    message.metadata?.event_type === SLACK_ALERT_EVENT && message.metadata.event_payload?.key === key;

  /**
   * The replies tagged `key` already in the thread of `ref` (their indexes), and whether they are all there. A reply
   * without a part number (tagged before threads were numbered) stands for the whole thread.
   */
  const threadParts = async (channel: ChannelKey, ref: string, key: string) => {
    const client = await clientFor(channel);
    const result = await retry('conversations.replies', () =>
      client.conversations.replies({ channel: channel.channelId, ts: ref, include_all_metadata: true, limit: 200 }),
    );
    const tagged = ((result.messages as HistoryMessage[] | undefined) ?? []).filter((m) => hasKey(m, key));
    const present = new Set<number>();
    let parts: number | undefined;
    for (const message of tagged) {
      const payload = message.metadata?.event_payload;
      const part = Number(payload?.part);
      if (!Number.isInteger(part)) return { present, complete: true };
      present.add(part - 1);
      parts = Number(payload?.parts);
    }
    return { present, complete: parts !== undefined && present.size >= parts };
  };

  return {
    platform: 'slack',
    minIntervalMs,
    async post(channel, reply, key) {
      const ts = await postMessage(await context(channel), channel.channelId, renderReply(reply), undefined, tag(key));
      if (!ts) throw new Error('chat.postMessage answered without a ts');
      return ts;
    },
    async postThread(channel, ref, root, key, options) {
      try {
        const skip = options?.resume ? (await threadParts(channel, ref, key)).present : undefined;
        // Thread replies count against the channel's ~1 message per second too.
        await postThreadReplies(await context(channel), channel.channelId, ref, root, {
          metadata: (index, count) => partTag(key, index, count),
          ...(skip ? { skip } : {}),
          pauseMs: minIntervalMs,
        });
      } catch (error) {
        // The outbox asks `threadPosted` what is missing; it wants Slack's own error.
        throw error instanceof ThreadPostError ? error.cause : error;
      }
    },
    async find(channel, key, since) {
      const client = await clientFor(channel);
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await retry('conversations.history', () =>
          client.conversations.history({
            channel: channel.channelId,
            oldest: (since.getTime() / 1000).toFixed(6),
            include_all_metadata: true,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          }),
        );
        const found = (result.messages as HistoryMessage[] | undefined)?.find((m) => hasKey(m, key));
        if (found?.ts) return found.ts;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!result.has_more || !cursor) return undefined;
      }
      throw new Error('conversations.history: too many messages to search');
    },
    async threadPosted(channel, ref, key) {
      return (await threadParts(channel, ref, key)).complete;
    },
    classify(error): DeliveryFailure {
      const { code, kind, retryAfter } = classifySlackError(error);
      // Slack names the scope a `missing_scope` call needed: kept with the pause, so people are told which.
      const needed = code === 'missing_scope' ? neededScope(error) : undefined;
      return {
        kind: OUTBOX_KIND[kind],
        code,
        ...(needed ? { detail: needed } : {}),
        ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
        ...(kind === 'rate-limited' ? { rateLimited: true } : {}),
      };
    },
    async notifyUser(userId, text, channel) {
      await (await clientFor(channel)).chat.postMessage({ channel: userId, text });
    },
    explainPause: explainSlackPause,
  };
}

/** The scope Slack said a call needed (`chat:write`), when it is one scope's name. */
function neededScope(error: unknown): string | undefined {
  const needed = (error as { data?: { needed?: unknown } }).data?.needed;
  return typeof needed === 'string' && /^[a-z][a-z.:_,-]{0,80}$/.test(needed) ? needed : undefined;
}
