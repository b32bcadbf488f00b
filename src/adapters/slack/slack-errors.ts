/**
 * The one place that reads Slack's error codes: any failed Web API (or Bolt respond) call becomes a `SlackFailure`
 * with its code, what it means for us, the wait Slack asked for and what to tell a user. Rate limits are retried
 * after the Retry-After Slack asked for. Nothing here ever throws a stack trace at a user.
 */
import type { Logger } from '../../core/logger.ts';
import { describeError } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';

/**
 * What a failure means:
 * - `rate-limited`: Slack refused for now; `retryAfter` says how long to wait.
 * - `channel-unusable`: the bot cannot post in this channel (not a member, gone, archived, restricted).
 * - `message-invalid`: this message can never be posted as it is (too long, invalid blocks or metadata).
 * - `maybe-posted`: no answer, a server error, or not a Slack error at all: Slack may have taken the message.
 * - `rejected`: any other refusal: Slack certainly did not take it.
 */
export type SlackFailureKind = 'rate-limited' | 'channel-unusable' | 'message-invalid' | 'maybe-posted' | 'rejected';

export interface SlackFailure {
  /** Slack's error code (`not_in_channel`, `ratelimited`, `msg_too_long`), or ours for transport failures. */
  code: string;
  kind: SlackFailureKind;
  /** Seconds Slack asked us to wait before trying again (rate limits). */
  retryAfter?: number;
  /** What to tell the person whose request failed. */
  userMessage: string;
}

/** The message was posted but (part of) its thread was not: `unposted` still needs showing. */
export class ThreadPostError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly unposted: Reply[],
  ) {
    super('posting a thread reply failed');
  }
}

const CHANNEL_UNUSABLE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'ekm_access_denied',
  'team_access_not_granted',
  'access_denied',
  // A distributed app's workspace that removed paperboy (installations.ts): no token to post with.
  'not_installed',
  // Its stored installation cannot be opened with this PAPERBOY_SECRET_KEY.
  'installation_unreadable',
  // The token lacks a scope (chat:write to post, channels:history to look a post up): retrying will not grant it.
  'missing_scope',
]);
const MESSAGE_INVALID = new Set([
  'msg_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'no_text',
  'too_many_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
]);

const LOST_ANSWER =
  'I lost the connection to Slack while posting that, so it may have gone through. ' +
  'Check the channel before trying again.';

/** Classifies what a Slack call threw (a thread that failed half-way is classified by what stopped it). */
export function classifySlackError(error: unknown): SlackFailure {
  if (error instanceof ThreadPostError) return classifySlackError(error.cause);
  const code = errorCode(error);
  const userMessage = userMessageFor(code);
  if (code === 'ratelimited') {
    const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
    return { code, kind: 'rate-limited', userMessage, ...(typeof retryAfter === 'number' ? { retryAfter } : {}) };
  }
  if (CHANNEL_UNUSABLE.has(code)) return { code, kind: 'channel-unusable', userMessage };
  if (MESSAGE_INVALID.has(code)) return { code, kind: 'message-invalid', userMessage };
  if (code === 'unknown_error') return { code, kind: 'maybe-posted', userMessage };
  // The request reached Slack (or may have) but no answer came back: the post may well be in the channel.
  if (code === 'request_failed' || /^http_5/.test(code))
    return { code, kind: 'maybe-posted', userMessage: LOST_ANSWER };
  return { code, kind: 'rejected', userMessage };
}

/** The Slack error code of a failed call: `not_in_channel`, `ratelimited`, `respond_failed`, ... */
function errorCode(error: unknown): string {
  const coded = error as { code?: string; data?: { error?: string }; statusCode?: number } | undefined;
  switch (coded?.code) {
    case 'slack_webapi_platform_error':
      return coded.data?.error ?? 'unknown_error';
    case 'slack_webapi_rate_limited_error':
      return 'ratelimited';
    case 'slack_webapi_request_error':
      return 'request_failed';
    case 'slack_webapi_http_error':
      return `http_${coded.statusCode ?? 'error'}`;
    case 'slack_bolt_respond_error':
      return 'respond_failed';
    case 'slack_not_installed':
      return 'not_installed';
    case 'slack_installation_unreadable':
      return 'installation_unreadable';
    default:
      return 'unknown_error';
  }
}

function userMessageFor(code: string): string {
  switch (code) {
    case 'not_in_channel':
      return "I can't post in this channel because I'm not a member. Invite me with `/invite @paperboy` and try again.";
    case 'channel_not_found':
      return (
        "I can't see this channel (it may be private, or a conversation I'm not part of). " +
        'Invite me with `/invite @paperboy` and try again.'
      );
    case 'is_archived':
      return 'This channel is archived, so I cannot post in it.';
    case 'ratelimited':
      return 'Slack is rate-limiting me right now. Please try again in a minute.';
    case 'msg_too_long':
    case 'invalid_blocks':
      return 'That answer was too long for Slack to show. Try a narrower request.';
    case 'unknown_error':
      return 'Sorry, something went wrong while answering that. Please try again.';
    default:
      return `Slack did not accept my answer (${code}). Please try again.`;
  }
}

export interface RetryOptions {
  logger: Logger;
  /** What is being done, for the log line. */
  what: string;
  /** Rate-limit retries before giving up. */
  attempts?: number;
  /** Longest wait we accept from Retry-After, in seconds. */
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a Slack call, waiting out `ratelimited` answers for as long as Slack's Retry-After says. */
export async function withRateLimitRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const { kind, retryAfter } = classifySlackError(error);
      const limited = kind === 'rate-limited' && retryAfter !== undefined;
      if (!limited || attempt >= attempts || retryAfter > (options.maxWaitSeconds ?? 60)) throw error;
      options.logger.warn('slack rate limited; retrying after Retry-After', {
        what: options.what,
        retryAfter,
        attempt,
      });
      await sleep(Math.max(0, retryAfter) * 1000);
    }
  }
}

/**
 * One log line for a failure, without payloads (they may hold user text): a warning for what Slack
 * refused, an error for anything else (a bug). Returns the failure, classified.
 */
export function logSlackFailure(
  logger: Logger,
  what: string,
  error: unknown,
  fields: Record<string, unknown> = {},
): SlackFailure {
  const failure = classifySlackError(error);
  const cause = error instanceof ThreadPostError ? error.cause : error;
  if (failure.code === 'unknown_error')
    logger.error('slack adapter failure', { what, ...fields, error: describeError(cause) });
  else logger.warn('slack call failed', { what, code: failure.code, ...fields });
  return failure;
}
