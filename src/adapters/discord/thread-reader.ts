/**
 * Reads a Discord thread for the core (the thread digest): the message it was started on, then its messages, 100 at a
 * time with `before` paging, as neutral messages: the author's display name, plain text, links (in the text and in
 * link previews) and the papers of our own cards (embed footers). Discord shows a bot other people's text only with
 * the Message Content intent; a thread read without it says so.
 */
import { type AnyThreadChannel, DiscordAPIError, HTTPError, type Message, RateLimitError } from 'discord.js';
import { type ThreadMessage, type ThreadRead, ThreadReadError, type ThreadReader } from '../../core/thread.ts';
import { DiscordCodes } from './errors.ts';
import { type ButtonPaper, cardPaperIds } from './paper-ref.ts';

const PAGE = 100;
const LINK = /https?:\/\/[^\s<>]+/gi;
const MENTION = /<(?:@[!&]?|#)\d+>/g;

export const NO_MESSAGE_CONTENT =
  'I could only read messages that mention me: turn on the Message Content intent for paperboy in the Discord ' +
  'developer portal (see docs/discord.md) to digest everything people post.';

export function discordThreadReader(thread: AnyThreadChannel, botUserId: string, paperOf?: ButtonPaper): ThreadReader {
  return { read: ({ maxMessages }) => readThread(thread, botUserId, maxMessages, paperOf) };
}

/**
 * The message the thread was started on and the thread's latest messages, `maxMessages` in all (Discord pages from the
 * newest back), and whether it goes on.
 */
async function readThread(
  thread: AnyThreadChannel,
  botUserId: string,
  maxMessages: number,
  paperOf?: ButtonPaper,
): Promise<ThreadRead> {
  const byId = new Map<string, Message>();
  let more = false;
  try {
    // A thread started on a message: that message (in the parent channel) opens the conversation.
    const starter = await thread.fetchStarterMessage().catch(() => null);
    if (starter) byId.set(starter.id, starter);
    let before: string | undefined;
    for (;;) {
      const limit = Math.min(PAGE, maxMessages - byId.size);
      if (limit <= 0) {
        more = true;
        break;
      }
      const page = await thread.messages.fetch({ limit, cache: false, ...(before ? { before } : {}) });
      for (const message of page.values()) byId.set(message.id, message);
      if (page.size < limit) break;
      before = oldest([...page.keys()]);
    }
  } catch (error) {
    if (!(error instanceof DiscordAPIError || error instanceof RateLimitError || error instanceof HTTPError))
      throw error;
    throw new ThreadReadError(readFailureMessage(error));
  }
  const messages = await Promise.all(
    [...byId.values()]
      .filter((message) => !message.system)
      .sort((a, b) => compareIds(a.id, b.id))
      .map((message) => threadMessage(message, botUserId, paperOf)),
  );
  return {
    messages,
    ...(more ? { read: 'latest' as const } : {}),
    ...(contentHidden([...byId.values()], botUserId) ? { notice: NO_MESSAGE_CONTENT } : {}),
  };
}

/** One Discord message as the core reads it: the author's name, plain text, links (text and previews), our cards. */
export async function threadMessage(
  message: Message,
  botUserId: string,
  paperOf?: ButtonPaper,
): Promise<ThreadMessage> {
  const content = message.content ?? '';
  const links = [...(content.match(LINK) ?? []), ...message.embeds.flatMap((embed) => (embed.url ? [embed.url] : []))];
  return {
    author: message.member?.displayName ?? message.author.displayName,
    text: content.replace(MENTION, ' ').replace(/\s+/g, ' ').trim(),
    links,
    paperIds: await cardPaperIds(message, botUserId, paperOf),
    ts: message.id,
  };
}

/**
 * Without the Message Content intent, other people's messages arrive blank unless they mention the bot: blank
 * messages from people, and none from them with text, mean the text was withheld.
 */
function contentHidden(messages: Message[], botUserId: string): boolean {
  const people = messages.filter((m) => !m.author.bot && !m.system && !m.mentions.users.has(botUserId));
  return people.length > 0 && people.every((m) => !m.content && m.embeds.length === 0 && m.attachments.size === 0);
}

function readFailureMessage(error: unknown): string {
  if (error instanceof DiscordAPIError) {
    if (error.code === DiscordCodes.MissingAccess || error.code === DiscordCodes.MissingPermissions) {
      return (
        "I can't read this thread's messages: give my role the View Channel and Read Message History " +
        'permissions here, then try again.'
      );
    }
    if (error.code === DiscordCodes.UnknownChannel) return "I couldn't find this thread (was it deleted?).";
  }
  return 'Discord did not let me read this thread. Please try again in a minute.';
}

function oldest(ids: string[]): string {
  return ids.reduce((min, id) => (compareIds(id, min) < 0 ? id : min));
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
