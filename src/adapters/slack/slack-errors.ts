/**
 * Slack Web API failures turned into something a user can act on, and rate limits retried after the
 * Retry-After Slack asked for. Nothing here ever throws a stack trace at a user.
 */
import type { Logger } from '../../core/logger.ts';
import { describeError } from '../../core/logger.ts';

/** The Slack error code of a failed call: `not_in_channel`, `ratelimited`, `respond_failed`, ... */
export function slackErrorCode(error: unknown): string {
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
    default:
      return 'unknown_error';
  }
}

/** What to tell the user when Slack refused to take our message. */
export function userMessageFor(code: string): string {
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
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      const limited = slackErrorCode(error) === 'ratelimited' && typeof retryAfter === 'number';
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
 * refused, an error for anything else (a bug). Returns the Slack error code.
 */
export function logSlackFailure(
  logger: Logger,
  what: string,
  error: unknown,
  fields: Record<string, unknown> = {},
): string {
  const code = slackErrorCode(error);
  if (code === 'unknown_error') logger.error('slack adapter failure', { what, ...fields, error: describeError(error) });
  else logger.warn('slack call failed', { what, code, ...fields });
  return code;
}
