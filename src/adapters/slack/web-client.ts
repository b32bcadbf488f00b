/**
 * The one set of Web API client options (the bot's Bolt app, its start-up check, the alert client). The client
 * retries a call only when the request never reached Slack (connection refused, host not found): then nothing can
 * have been posted. A dropped connection, a timeout or a 5xx after Slack got the request is NOT retried blindly: a
 * chat.postMessage that Slack processed would be posted twice (a Share or Summary card, an alert). Rate limits
 * surface as errors (`rejectRateLimitedCalls`) and are waited out by `withRateLimitRetry` with Slack's Retry-After.
 */
import type { webApi } from '@slack/bolt';

/** Error codes of a request that was never sent to Slack. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when the failure happened before Slack could have seen the request (looks through wrapped causes). */
export function neverReachedSlack(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, original, cause } = current as { code?: unknown; original?: unknown; cause?: unknown };
    if (typeof code === 'string' && NEVER_SENT.has(code)) return true;
    current = original ?? cause;
  }
  return false;
}

/**
 * The WebClient hands `retryConfig` to p-retry, whose `onFailedAttempt` (not in the WebClient's declared type, which
 * only lists node-retry's timing options) ends the retries when it throws: everything but "never reached Slack" is
 * final. test/adapters/slack/web-client.test.ts holds this against the real client.
 */
const retryOnlyUnsent = {
  onFailedAttempt: (error: unknown) => {
    if (!neverReachedSlack(error)) throw error;
  },
};

export function slackWebClientOptions(config: { apiUrl?: string; retries?: number }): webApi.WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
    retryConfig: { retries: config.retries ?? 2, minTimeout: 500, ...retryOnlyUnsent } as webApi.RetryOptions,
    // We wait out Retry-After ourselves (slack-errors.ts), so a rate limit surfaces as an error first.
    rejectRateLimitedCalls: true,
  };
}
