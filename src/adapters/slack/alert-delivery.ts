/**
 * Alerts to Slack (the core's AlertDelivery) through this adapter's Web API posting, Block Kit rendering and
 * rate-limit retry.
 * Each message carries `metadata {event_type: paperboy_alert, event_payload: {key}}`, so after a crash
 * `conversations.history` with `include_all_metadata` tells whether it was posted (needs the `channels:history`
 * / `groups:history` scopes; without them the outbox keeps asking rather than risk a duplicate).
 */
import { webApi } from '@slack/bolt';
import type { AlertDelivery, DeliveryFailure } from '../../core/alerts/delivery.ts';
import type { Logger } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';
import type { SlackConfig } from './app.ts';
import { postMessage as postSlackMessage } from './deliver.ts';
import { renderReply } from './render.ts';
import { slackErrorCode, withRateLimitRetry } from './slack-errors.ts';

export const SLACK_ALERT_EVENT = 'paperboy_alert';

/**
 * A Web API client for alerts with the client's own retries OFF: a blind retry of a chat.postMessage whose answer was
 * lost would post twice. The outbox retries instead, after asking Slack (by metadata key) what it already has.
 */
export function slackAlertClient(config: Pick<SlackConfig, 'botToken' | 'apiUrl'>): webApi.WebClient {
  return new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

const CHANNEL_CODES = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'ekm_access_denied',
  'team_access_not_granted',
  'access_denied',
]);
const MESSAGE_CODES = new Set([
  'msg_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'no_text',
  'too_many_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
]);

export interface SlackDeliveryOptions {
  client: webApi.WebClient;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Least time between two posts in one channel (default 1100 ms: Slack allows about one per second). */
  minIntervalMs?: number;
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

export function createSlackDelivery(options: SlackDeliveryOptions): AlertDelivery {
  const { client, logger } = options;
  const retry = <T>(what: string, call: () => Promise<T>) =>
    withRateLimitRetry(call, { logger, what, sleep: options.sleep });
  const minIntervalMs = options.minIntervalMs ?? 1100;

  async function postMessage(channel: string, reply: Reply, key: string, threadTs?: string): Promise<string> {
    const ts = await postSlackMessage({ client, logger, sleep: options.sleep }, channel, renderReply(reply), threadTs, {
      event_type: SLACK_ALERT_EVENT,
      event_payload: { key },
    });
    if (!ts) throw new Error('chat.postMessage answered without a ts');
    return ts;
  }

  const hasKey = (message: HistoryMessage, key: string) =>
    message.metadata?.event_type === SLACK_ALERT_EVENT && message.metadata.event_payload?.key === key;

  return {
    platform: 'slack',
    minIntervalMs,
    post: (channelId, reply, key) => postMessage(channelId, reply, key),
    async postThread(channelId, ref, root, key) {
      const items = root.thread ?? [];
      for (const [i, item] of items.entries()) {
        // Thread replies count against the channel's ~1 message per second too.
        if (i > 0)
          await (options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(minIntervalMs);
        await postMessage(channelId, item, key, ref);
      }
    },
    async find(channelId, key, since) {
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await retry('conversations.history', () =>
          client.conversations.history({
            channel: channelId,
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
    async threadPosted(channelId, ref, key) {
      const result = await retry('conversations.replies', () =>
        client.conversations.replies({ channel: channelId, ts: ref, include_all_metadata: true, limit: 200 }),
      );
      return ((result.messages as HistoryMessage[] | undefined) ?? []).some((m) => hasKey(m, key));
    },
    classify(error): DeliveryFailure {
      const code = slackErrorCode(error);
      if (code === 'ratelimited') {
        const seconds = (error as { retryAfter?: number }).retryAfter;
        return { kind: 'rejected', code, retryAfterMs: typeof seconds === 'number' ? seconds * 1000 : undefined };
      }
      if (CHANNEL_CODES.has(code)) return { kind: 'channel', code };
      if (MESSAGE_CODES.has(code)) return { kind: 'message', code };
      // No answer, or a server error: Slack may have posted it.
      if (code === 'request_failed' || code === 'unknown_error' || /^http_5/.test(code))
        return { kind: 'unknown', code };
      return { kind: 'rejected', code };
    },
    async notifyUser(userId, text) {
      await client.chat.postMessage({ channel: userId, text });
    },
  };
}
