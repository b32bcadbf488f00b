/**
 * Reads a Slack thread for the core (the thread digest): its messages through `conversations.replies`, page by
 * page (cursor) up to the number asked for, as neutral messages: the author's display name (`users.info`), plain text, links (in the text and
 * in unfurls) and the papers of our cards (`paper:<id>` block ids). Slack's refusals become a message saying what
 * to fix.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';
import { type ThreadMessage, type ThreadRead, ThreadReadError, type ThreadReader } from '../../core/thread.ts';
import { paperIdFromBlockId } from './render.ts';
import { logSlackFailure, withRateLimitRetry } from './slack-errors.ts';
import { threadMessageText } from './slack-text.ts';

export interface SlackThreadOptions {
  client: webApi.WebClient;
  logger: Logger;
  channel: string;
  threadTs: string;
  /** The bot's own user id: its messages are signed "paperboy". */
  botUserId?: string;
  sleep?: (ms: number) => Promise<void>;
  /** Messages per `conversations.replies` call (Slack recommends at most 200). */
  pageSize?: number;
}

const BOT_NAME = 'paperboy';

export interface SlackMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  bot_profile?: { name?: string };
  text?: string;
  blocks?: { block_id?: string }[];
  attachments?: { from_url?: string; title_link?: string; original_url?: string }[];
}

export function slackThreadReader(options: SlackThreadOptions): ThreadReader {
  return { read: ({ maxMessages }) => readThread(options, maxMessages) };
}

/** The thread's first `maxMessages` messages (pages stop there), and whether it goes on. */
async function readThread(options: SlackThreadOptions, maxMessages: number): Promise<ThreadRead> {
  const { client, logger, channel, threadTs } = options;
  let raw: SlackMessage[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await withRateLimitRetry(
        () =>
          client.conversations.replies({
            channel,
            ts: threadTs,
            limit: Math.min(options.pageSize ?? 200, maxMessages - raw.length),
            ...(cursor ? { cursor } : {}),
          }),
        { logger, what: 'conversations.replies', sleep: options.sleep },
      );
      raw.push(...((page.messages ?? []) as SlackMessage[]));
      cursor = page.has_more ? page.response_metadata?.next_cursor || undefined : undefined;
    } while (cursor && raw.length < maxMessages);
  } catch (error) {
    throw new ThreadReadError(readFailureMessage(logSlackFailure(logger, 'read thread', error, { channel }).code));
  }
  const more = Boolean(cursor) || raw.length > maxMessages;
  raw = raw.slice(0, maxMessages);
  const names = await displayNames(options, raw);
  const messages = raw.map((message) => slackThreadMessage(message, authorOf(message, names, options.botUserId)));
  return more ? { messages, read: 'first' } : { messages };
}

/** One Slack message as the core reads it: plain text, its links (text and unfurls), the papers of our cards. */
export function slackThreadMessage(message: SlackMessage, author: string): ThreadMessage {
  const { text, links } = threadMessageText(message.text ?? '');
  for (const attachment of message.attachments ?? []) {
    for (const url of [attachment.from_url, attachment.original_url, attachment.title_link]) if (url) links.push(url);
  }
  return {
    author,
    text,
    links,
    paperIds: (message.blocks ?? []).flatMap((block) => paperIdFromBlockId(block.block_id) ?? []),
    ts: message.ts ?? '',
  };
}

function authorOf(message: SlackMessage, names: Map<string, string>, botUserId: string | undefined): string {
  if (message.user && message.user === botUserId) return BOT_NAME;
  if (message.user && !message.bot_id) return names.get(message.user) ?? message.user;
  return message.bot_profile?.name || message.username || (message.user && names.get(message.user)) || 'a bot';
}

/**
 * The display names of the thread's people (`users.info`, needs `users:read`); a user id stands in for a name
 * Slack does not give.
 */
async function displayNames(options: SlackThreadOptions, messages: SlackMessage[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set(messages.flatMap((m) => (m.user && !m.bot_id && m.user !== options.botUserId ? [m.user] : []))),
  ];
  const names = new Map<string, string>();
  let failed = false;
  await Promise.all(
    ids.map(async (user) => {
      try {
        const result = await withRateLimitRetry(() => options.client.users.info({ user }), {
          logger: options.logger,
          what: 'users.info',
          sleep: options.sleep,
        });
        const profile = result.user?.profile;
        const name = profile?.display_name || profile?.real_name || result.user?.real_name || result.user?.name;
        if (name) names.set(user, name);
      } catch (error) {
        if (!failed) logSlackFailure(options.logger, 'look up a display name', error);
        failed = true;
      }
    }),
  );
  return names;
}

function readFailureMessage(code: string): string {
  switch (code) {
    case 'missing_scope':
      return (
        "I'm not allowed to read this thread: paperboy needs the `channels:history` scope (`groups:history` in " +
        'private channels). Ask a workspace admin to reinstall it from `slack/manifest.json`.'
      );
    case 'not_in_channel':
    case 'channel_not_found':
      return "I can't read this channel's threads. Invite me with `/invite @paperboy` and try again.";
    case 'thread_not_found':
      return "I couldn't find this thread's messages (was its first message deleted?).";
    case 'ratelimited':
      return 'Slack is rate-limiting me right now. Please try again in a minute.';
    default:
      return `Slack did not let me read this thread (${code}). Please try again.`;
  }
}
