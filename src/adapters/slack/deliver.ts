/**
 * Getting a rendered Reply to Slack: `respond()` for answers to a command or button (works in any
 * channel, ephemeral or in-channel), `chat.postMessage` when we need the message's ts to post a
 * thread under it. Failures become a clear ephemeral message plus a log line, never a crash.
 */
import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';
import { type Block, errorReply, type Reply } from '../../core/reply.ts';
import { renderReply, type SlackMessage } from './render.ts';
import { logSlackFailure, slackErrorCode, userMessageFor, withRateLimitRetry } from './slack-errors.ts';

export interface DeliveryContext {
  client: webApi.WebClient;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/** Every reply to post in the thread of `reply`, in order (nested threads flattened). */
function threadItems(reply: Reply): Reply[] {
  return (reply.thread ?? []).flatMap((item) => [item, ...threadItems(item)]);
}

/**
 * One chat.postMessage (rate limits retried), without link previews; `metadata` tags it (alerts find theirs again after
 * a crash).
 */
export async function postMessage(
  ctx: DeliveryContext,
  channel: string,
  message: SlackMessage,
  threadTs?: string,
  metadata?: { event_type: string; event_payload: Record<string, string> },
): Promise<string | undefined> {
  const result = await withRateLimitRetry(
    () =>
      ctx.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
        ...(metadata ? { metadata } : {}),
      }),
    { logger: ctx.logger, what: 'chat.postMessage', sleep: ctx.sleep },
  );
  return result.ts;
}

/**
 * Posts `reply` publicly in `channel` (inside `threadTs` when given) and then its thread items in the
 * new message's thread. Throws the Slack error when the first post fails.
 */
export async function postReply(
  ctx: DeliveryContext,
  channel: string,
  reply: Reply,
  threadTs?: string,
): Promise<string | undefined> {
  const ts = await postMessage(ctx, channel, renderReply(reply), threadTs);
  const root = threadTs ?? ts;
  const items = threadItems(reply);
  for (const [index, item] of items.entries()) {
    try {
      await postMessage(ctx, channel, renderReply(item), root);
    } catch (error) {
      throw new ThreadPostError(error, items.slice(index));
    }
  }
  return ts;
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

/** Answers through a response_url. `replace` swaps the message that held the clicked button. */
export async function respondReply(
  ctx: DeliveryContext,
  respond: RespondFn,
  reply: Reply,
  replace = false,
): Promise<void> {
  const message = renderReply(reply);
  try {
    await respond({
      response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral',
      replace_original: replace,
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    logSlackFailure(ctx.logger, 'respond', error);
  }
}

/**
 * Posts a public reply with its thread; when Slack refuses (not in channel, private channel, rate
 * limit...), the user gets the reason and the content ephemerally instead.
 */
export async function postPublicOrExplain(
  ctx: DeliveryContext,
  respond: RespondFn | undefined,
  channel: string,
  reply: Reply,
  threadTs?: string,
): Promise<void> {
  try {
    await postReply(ctx, channel, reply, threadTs);
  } catch (error) {
    const partial = error instanceof ThreadPostError;
    const cause = partial ? error.cause : error;
    const code = logSlackFailure(ctx.logger, partial ? 'post thread reply' : 'post public reply', cause, { channel });
    if (!respond) return;
    // When the message itself went out, show only what its thread is missing.
    const missing: Reply = partial
      ? { blocks: [], visibility: 'ephemeral', fallback: '', thread: error.unposted }
      : reply;
    await respondReply(ctx, respond, explained(code, missing));
  }
}

/** An ephemeral reply: why Slack refused, then what we meant to post (thread included). */
export function explained(code: string, reply: Reply): Reply {
  const notice: Block = { kind: 'text', text: userMessageFor(code), style: 'error' };
  const content =
    code === 'msg_too_long' || code === 'invalid_blocks'
      ? []
      : [reply, ...threadItems(reply)].flatMap((item) => item.blocks);
  return { blocks: [notice, ...content], visibility: 'ephemeral', fallback: userMessageFor(code) };
}

/** A generic "something went wrong" for unexpected failures inside a listener. */
export function failureReply(error: unknown): Reply {
  const code = slackErrorCode(error instanceof ThreadPostError ? error.cause : error);
  return code === 'unknown_error'
    ? errorReply('Sorry, something went wrong while answering that. Please try again.')
    : errorReply(userMessageFor(code));
}
