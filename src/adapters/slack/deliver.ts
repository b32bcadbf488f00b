/**
 * Getting a rendered Reply to Slack: `respond()` for answers to a command or button (works in any
 * channel, ephemeral or in-channel), `chat.postMessage` when we need the message's ts to post a
 * thread under it. Failures become a clear ephemeral message plus a log line, never a crash.
 * Interactive answers and alerts post their threads through the same `postThreadReplies`.
 */
import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';
import { type Block, errorReply, type Reply } from '../../core/reply.ts';
import { cutPlain } from './mrkdwn.ts';
import { renderReply, type SlackMessage } from './render.ts';
import {
  classifySlackError,
  defaultSleep,
  logSlackFailure,
  type SlackFailure,
  ThreadPostError,
  withRateLimitRetry,
} from './slack-errors.ts';

export interface DeliveryContext {
  client: webApi.WebClient;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/** Every reply to post in the thread of `reply`, in order (nested threads flattened). */
function threadItems(reply: Reply): Reply[] {
  return (reply.thread ?? []).flatMap((item) => [item, ...threadItems(item)]);
}

/** Slack message metadata: alerts tag their messages with it to find them again after a crash. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, string>;
}

/** One chat.postMessage (rate limits retried), without link previews, tagged with `metadata` when given. */
export async function postMessage(
  ctx: DeliveryContext,
  channel: string,
  message: SlackMessage,
  threadTs?: string,
  metadata?: MessageMetadata,
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
  await uploadFiles(ctx, channel, reply);
  const root = threadTs ?? ts;
  if (root) await postThreadReplies(ctx, channel, root, reply);
  return ts;
}

/** The reply's files (a library's BibTeX) as files in the channel: files.uploadV2 (needs the files:write scope). */
export async function uploadFiles(ctx: DeliveryContext, channel: string, reply: Reply): Promise<void> {
  for (const file of reply.files ?? []) {
    await withRateLimitRetry(
      () =>
        ctx.client.filesUploadV2({
          channel_id: channel,
          filename: file.name,
          ...(typeof file.content === 'string' ? { content: file.content } : { file: Buffer.from(file.content) }),
          ...(file.title ? { title: file.title } : {}),
          ...(file.altText ? { alt_text: cutPlain(file.altText, 1000) } : {}),
        }),
      { logger: ctx.logger, what: 'files.uploadV2', sleep: ctx.sleep },
    );
  }
}

export interface ThreadOptions {
  /** Tags each reply (alerts: the message key, and which of the thread's replies it is). */
  metadata?: (index: number, count: number) => MessageMetadata;
  /** Replies not to post (by index): they are in the thread already (an alert thread finished after a crash). */
  skip?: ReadonlySet<number>;
  /** Wait between two replies (alerts keep to Slack's ~1 message per second per channel). */
  pauseMs?: number;
}

/**
 * Posts `reply`'s thread items (nested threads flattened: Slack threads do not nest) in the thread of `threadTs`,
 * in order. Throws a ThreadPostError naming the items not posted when one fails.
 */
export async function postThreadReplies(
  ctx: DeliveryContext,
  channel: string,
  threadTs: string,
  reply: Reply,
  options: ThreadOptions = {},
): Promise<void> {
  const items = threadItems(reply);
  let posted = 0;
  for (const [index, item] of items.entries()) {
    if (options.skip?.has(index)) continue;
    try {
      if (posted++ > 0 && options.pauseMs) await (ctx.sleep ?? defaultSleep)(options.pauseMs);
      await postMessage(ctx, channel, renderReply(item), threadTs, options.metadata?.(index, items.length));
    } catch (error) {
      throw new ThreadPostError(error, items.slice(index));
    }
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
    const failure = logSlackFailure(ctx.logger, partial ? 'post thread reply' : 'post public reply', error, {
      channel,
    });
    if (!respond) return;
    // When the message itself went out, show only what its thread is missing.
    const missing: Reply = partial
      ? { blocks: [], visibility: 'ephemeral', fallback: '', thread: error.unposted }
      : reply;
    await respondReply(ctx, respond, explained(failure, missing));
  }
}

/** An ephemeral reply: why Slack refused, then what we meant to post (thread included) unless Slack cannot show it. */
export function explained(failure: SlackFailure, reply: Reply): Reply {
  const notice: Block = { kind: 'text', text: failure.userMessage, style: 'error' };
  const content =
    failure.kind === 'message-invalid' ? [] : [reply, ...threadItems(reply)].flatMap((item) => item.blocks);
  return { blocks: [notice, ...content], visibility: 'ephemeral', fallback: failure.userMessage };
}

/** What to tell the user when a listener failed: Slack's reason, or a generic "something went wrong". */
export function failureReply(error: unknown): Reply {
  return errorReply(classifySlackError(error).userMessage);
}
