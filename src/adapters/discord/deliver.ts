/**
 * Posting public replies as channel messages and a reply's `thread` messages in a thread started on
 * them. Used by buttons (Share, Summary), mentions and link replies. Channels are resolved through the
 * client (cache first, REST otherwise), so it works whether or not the channel was seen on the gateway.
 */
import {
  type Client,
  type Message,
  type MessageCreateOptions,
  type SendableChannels,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { Reply } from '../../core/reply.ts';
import { DiscordCodes, isCode } from './errors.ts';
import { renderReply, threadName } from './render.ts';

export interface ThreadOutcome {
  /** Where the thread messages went (a new or existing thread, or the thread we were already in). */
  threadId?: string;
  /** Set when the thread could not be started or written to; the card itself was posted. */
  error?: unknown;
}

export async function sendableChannel(client: Client, channelId: string): Promise<SendableChannels> {
  // allowUnknownGuild: a REST-only client (`paperboy poll`) has no guilds cached, and would otherwise get no channel.
  const channel =
    client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId, { allowUnknownGuild: true }));
  if (!channel?.isSendable()) throw new Error(`channel ${channelId} does not accept messages`);
  return channel;
}

/** Posts `reply` in the channel (optionally as a reply to a message) and its thread messages after it. */
export async function postPublic(
  client: Client,
  channelId: string,
  reply: Reply,
  options: { replyTo?: string; prefix?: string } = {},
): Promise<{ message: Message; thread: ThreadOutcome }> {
  const channel = await sendableChannel(client, channelId);
  const payload: MessageCreateOptions = renderReply(reply);
  if (options.prefix) payload.content = [options.prefix, payload.content].filter(Boolean).join('\n');
  if (options.replyTo) payload.reply = { messageReference: options.replyTo, failIfNotExists: false };
  const message = await channel.send(payload);
  const thread = reply.thread?.length ? await postThread(client, channelId, message.id, reply) : {};
  return { message, thread };
}

/**
 * Starts a thread on `messageId` (or reuses the one already there) and posts `reply.thread` inside.
 * In a thread already, threads cannot nest: the messages go into the current thread.
 */
export async function postThread(
  client: Client,
  channelId: string,
  messageId: string,
  reply: Reply,
): Promise<ThreadOutcome> {
  const replies = reply.thread ?? [];
  if (replies.length === 0) return {};
  try {
    const target = await threadFor(client, channelId, messageId, reply);
    for (const threadReply of replies) await target.send(renderReply(threadReply));
    return { threadId: target.id };
  } catch (error) {
    return { error };
  }
}

async function threadFor(
  client: Client,
  channelId: string,
  messageId: string,
  reply: Reply,
): Promise<SendableChannels> {
  const channel = await sendableChannel(client, channelId);
  if (channel.isThread()) return channel;
  if (!('threads' in channel) || !channel.threads || !('create' in channel.threads)) {
    throw new Error(`channel ${channelId} cannot hold threads`);
  }
  try {
    const created: SendableChannels | null = await channel.threads.create({
      startMessage: messageId,
      name: threadName(reply),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
    // Without the guild cached (a REST-only client, `paperboy poll`) discord.js cannot build the thread it created;
    // a thread started on a message has the message's id, so fetch it by that.
    return created ?? (await sendableChannel(client, messageId));
  } catch (error) {
    // A thread on a message has the message's id: post into the existing one.
    if (isCode(error, DiscordCodes.ThreadAlreadyCreated)) return sendableChannel(client, messageId);
    throw error;
  }
}
