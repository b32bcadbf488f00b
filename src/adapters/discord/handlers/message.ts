/**
 * Messages: a mention of the bot is a request (`@paperboy lora`, or in a thread about a paper just
 * `@paperboy` for its summary, `@paperboy related`...). With link replies on, an arXiv or Hugging Face
 * paper link gets a card. Other bots (and the bot itself) are ignored, so bots can never loop.
 */
import type { Message } from 'discord.js';
import { findLinkedArxivIds } from '../../../core/papers/ids.ts';
import type { Reply } from '../../../core/reply.ts';
import { replyInTurn } from '../../turns.ts';
import { postPublic, sendableChannel } from '../deliver.ts';
import { invokerFromMessage } from '../invoker.ts';
import { paperIdFromMessage } from '../paper-ref.ts';
import { renderReply, soleCard } from '../render.ts';
import { discordThreadReader } from '../thread-reader.ts';
import type { HandlerDeps } from './context.ts';
import { reportFailure } from './tell-user.ts';

const MAX_LINK_CARDS = 3;
const LINK = /https?:\/\/\S+/gi;

export async function handleMessage(message: Message, deps: HandlerDeps): Promise<void> {
  if (message.author.bot || message.webhookId || message.system) return;
  const botId = deps.client.user?.id;
  if (!botId) return;
  const mention = new RegExp(`<@!?${botId}>`, 'g');
  if (mention.test(message.content)) {
    await answerMention(message, message.content.replace(mention, ' '), botId, deps);
  } else if (deps.linkReplies) {
    await answerLinks(message, deps);
  }
}

async function answerMention(message: Message, rawText: string, botId: string, deps: HandlerDeps): Promise<void> {
  const inThread = message.channel.isThread();
  const paperOf = (id: string) => deps.dispatcher.buttons.paperOf(id);
  const threadPaperId = inThread ? await paperIdFromMessage(await starterMessage(message), botId, paperOf) : undefined;
  // A paper linked in the mention itself wins over the thread's paper.
  const linked = findLinkedArxivIds(rawText)[0];
  const paperId = linked ?? threadPaperId;
  const text = (linked ? rawText.replace(LINK, ' ') : rawText).replace(/\s+/g, ' ').trim();

  const invoker = invokerFromMessage(message);
  // A mention naming a paper is about that paper; otherwise the thread is there to be read (the digest).
  if (message.channel.isThread() && !linked) invoker.thread = discordThreadReader(message.channel, botId, paperOf);
  const reply = await replyInTurn(deps.turns, () => deps.dispatcher.runMention(text, invoker, paperId));
  try {
    if (inThread) await answerInThread(message, reply, threadPaperId, deps);
    else {
      const { thread } = await postPublic(deps.client, message.channelId, reply, { replyTo: message.id });
      if (thread.error) await reportFailure(undefined, thread.error, deps.logger, 'starting a thread for a mention');
    }
  } catch (error) {
    // Nobody to tell privately in a channel we cannot write to: the log line is all we can do.
    await reportFailure(undefined, error, deps.logger, 'answering a mention');
  }
}

/** In a thread: answer there; threads cannot nest, so a reply's thread messages follow it in place. */
async function answerInThread(
  message: Message,
  reply: Reply,
  threadPaperId: string | undefined,
  deps: HandlerDeps,
): Promise<void> {
  const channel = await sendableChannel(deps.client, message.channelId);
  const card = soleCard(reply);
  // The thread already shows this paper's card: only its summary (etc.) is new.
  const skipCard = reply.thread?.length && card && card.paperId === threadPaperId;
  if (!skipCard) {
    await channel.send({ ...renderReply(reply), reply: { messageReference: message.id, failIfNotExists: false } });
  }
  for (const threadReply of reply.thread ?? []) await channel.send(renderReply(threadReply));
}

async function starterMessage(message: Message): Promise<Message | null> {
  const channel = message.channel;
  if (!channel.isThread()) return null;
  try {
    return await channel.fetchStarterMessage();
  } catch {
    return null;
  }
}

async function answerLinks(message: Message, deps: HandlerDeps): Promise<void> {
  const ids = findLinkedArxivIds(message.content).slice(0, MAX_LINK_CARDS);
  if (ids.length === 0 || !deps.dispatcher.find('share')) return;
  const invoker = invokerFromMessage(message);
  for (const id of ids) {
    const reply = await deps.dispatcher.run('share', { paper: id }, invoker);
    // Unknown papers and errors are private by nature: say nothing rather than nag the channel.
    if (reply.visibility !== 'public' || !soleCard(reply)) continue;
    try {
      await postPublic(deps.client, message.channelId, { ...reply, thread: undefined }, { replyTo: message.id });
    } catch (error) {
      await reportFailure(undefined, error, deps.logger, 'replying to a paper link');
      return;
    }
  }
}
