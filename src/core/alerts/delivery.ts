/**
 * The one thing alerts need from a chat platform: post a message tagged with a deterministic key, post replies in
 * its thread, and answer "is a message with this key already there?" after a crash. Slack, Discord and the
 * console each implement it in their adapter (`src/adapters/<platform>/alert-delivery.ts`) with their own means
 * (message metadata, nonces, an append-only log); the composition root wires them in (src/alert-deliveries.ts).
 */
import type { ChannelKey } from '../channel-key.ts';
import type { Reply } from '../reply.ts';
import type { PauseExplainer } from './pause-reasons.ts';

/**
 * What a failed call means for the outbox:
 * - `rejected`: the platform certainly did not post it (an error answer, a rate limit): retry later with backoff,
 *   and dead-letter it after the last attempt.
 * - `unknown`: the request may have been posted (timeout, dropped connection, 5xx): reconcile by key before resending.
 * - `channel`: the bot cannot post in this channel (not a member, channel gone, missing permission): pause it.
 * - `message`: this message can never be posted (too long, invalid): dead-letter it at once.
 */
export type FailureKind = 'rejected' | 'unknown' | 'channel' | 'message';

export interface DeliveryFailure {
  kind: FailureKind;
  /** Platform error code (`not_in_channel`, `50013`, `ratelimited`, `timeout`). */
  code: string;
  /** What the platform added to the code, kept with a pause's reason (Slack's `missing_scope`: the scope needed). */
  detail?: string;
  retryAfterMs?: number;
  /** A rate limit (a `rejected` failure): said so when the alert is given up after its retries. */
  rateLimited?: boolean;
}

/**
 * Every call names the channel with its workspace (`ChannelKey`): the workspace whose subscription the alert came
 * from, whose credentials post it (a distributed Slack app has a token per workspace).
 */
export interface AlertDelivery {
  /** The `platform` of the subscriptions this delivers for (`slack`, `discord`, `console`). */
  readonly platform: string;
  /** Least time between two messages in one channel (Slack: about one per second). */
  readonly minIntervalMs: number;
  /** Posts `reply` (its `thread` ignored) in the channel, tagged with `key`; resolves to the message's reference. */
  post(channel: ChannelKey, reply: Reply, key: string): Promise<string>;
  /**
   * Posts `root.thread` in the thread of the message `ref` (which showed `root`). With `resume` (finishing a thread
   * after a crash or a failure part-way), replies already there are skipped where the platform can tell (Slack, the
   * console); elsewhere they may be posted again.
   */
  postThread(channel: ChannelKey, ref: string, root: Reply, key: string, options?: { resume?: boolean }): Promise<void>;
  /**
   * The reference of a message tagged `key` (showing `root`) posted since `since`; undefined when there is none.
   * Throws when it cannot tell (the outbox then asks again next round instead of risking a duplicate).
   */
  find(channel: ChannelKey, key: string, since: Date, root: Reply): Promise<string | undefined>;
  /**
   * Whether the thread of `ref` already holds every reply tagged `key` (optional: without it, a thread may be
   * re-posted after a crash).
   */
  threadPosted?(channel: ChannelKey, ref: string, key: string): Promise<boolean>;
  classify(error: unknown): DeliveryFailure;
  /** Tells a subscriber directly (a DM) that the alerts of `channel` are paused, where the platform allows. */
  notifyUser?(userId: string, text: string, channel: ChannelKey): Promise<void>;
  /** A `/paper …` command line in this platform's syntax, for the notices above (absent: typed as on Slack). */
  commandLine?(text: string): string;
  /** Why this platform's pause codes pause a channel, in words, for the notices above (absent: the code). */
  explainPause?: PauseExplainer;
}
