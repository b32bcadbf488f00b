/**
 * The local console chat (`npm start` with no platform tokens): type `/paper lora`, trigger buttons by
 * number, mention `@paperboy` to talk in the thread of the last posted card, write `> text` in that thread
 * (e.g. a paper link), and `@paperboy digest` it. `👎 2` reacts 👎 to the second card of the last answer (as a 👎
 * reaction does on Slack and Discord), `-👎 2` takes the reaction away, `⭐ 2` stars it.
 */
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Invoker } from '../../core/command.ts';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { Action, Reply } from '../../core/reply.ts';
import type { ThreadMessage } from '../../core/thread.ts';
import { renderReply, safeText } from './render.ts';

const INVOKER: Invoker = {
  platform: 'console',
  userId: 'you',
  channelId: 'console',
  // The console's one user owns its one channel.
  canManageChannel: true,
  isMember: true,
};

export const WELCOME = [
  'paperboy console chat. Try: /paper lora · /paper random diffusion · /paper help',
  'Type a number to press a button; "@paperboy related" talks in the thread of the last posted paper; /quit to leave.',
  '"> text" writes in that thread (links, arXiv ids); "@paperboy digest" sums up the papers it mentions.',
  '"👎 2" reacts 👎 Not for us to the 2nd card shown ("-👎 2" takes it back); "⭐ 2" saves it.',
];
/** A reaction typed as `👎 2`, `-👎 2`, `⭐ 1` (also `:-1: 2`, `:star: 1`). */
const REACTION = /^(-?)\s*(👎|:-1:|:thumbsdown:|⭐|:star:)\s*(\d{1,2})$/u;
const BOT = 'paperboy';
const LINK = /https?:\/\/\S+/gi;

export class ConsoleChat {
  private actions: Action[] = [];
  /** The papers of the cards in the last answer, in order: what a typed reaction reacts to. */
  private cards: string[] = [];
  /** The paper whose card was posted last: "@paperboy ..." talks in its thread. */
  private threadPaperId: string | undefined;
  /** The thread's messages, oldest first, from its root (the card, or a first "> text"). */
  private thread: ThreadMessage[] | undefined;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly invoker: Invoker = INVOKER,
  ) {}

  /** Handles one line typed by the user; returns what the bot prints. */
  async handle(line: string): Promise<string[]> {
    const text = line.trim();
    if (!text) return [];
    if (/^\d+$/.test(text)) {
      const action = this.actions[Number(text) - 1];
      if (!action) return [`There is no button ${text}. Buttons are the numbers in [brackets].`];
      return this.show(await this.dispatcher.runAction(action.id, this.invoker));
    }
    const reaction = REACTION.exec(text);
    if (reaction) return this.react(reaction[2]!, Number(reaction[3]), reaction[1] === '-');
    const post = /^>\s*(.*)$/s.exec(text);
    if (post) {
      this.note(this.invoker.userId, post[1]!);
      return [`    │ ${this.invoker.userId}: ${safeText(post[1]!)}`];
    }
    const mention = /^@paperboy\b(.*)$/is.exec(text);
    if (mention) {
      if (this.thread) this.note(this.invoker.userId, text);
      const messages = this.thread;
      const invoker = messages
        ? { ...this.invoker, thread: { read: async () => ({ messages: [...messages] }) } }
        : this.invoker;
      return this.show(await this.dispatcher.runMention(mention[1]!.trim(), invoker, this.threadPaperId), true);
    }
    const command = /^\/paper\b(.*)$/is.exec(text);
    return this.show(await this.dispatcher.runText(command ? command[1]! : text, this.invoker));
  }

  /** A reaction on a card of the last answer: ⭐ saves its paper, 👎 says "Not for us", removing 👎 takes it back. */
  private async react(emoji: string, card: number, remove: boolean): Promise<string[]> {
    const paperId = this.cards[card - 1];
    if (!paperId) return [`There is no card ${card} in the last answer.`];
    const star = emoji === '⭐' || emoji === ':star:';
    if (star && remove) return ['(removing a ⭐ changes nothing; /paper library remove takes a paper out)'];
    const reply = star
      ? await this.dispatcher.run('save', { paper: paperId }, this.invoker)
      : await this.dispatcher.run('feedback', { action: remove ? 'undo' : 'add', paper: paperId }, this.invoker);
    return renderReply(reply).lines;
  }

  private show(reply: Reply, inThread = false): string[] {
    this.actions = [];
    const cards = reply.blocks.flatMap((block) => (block.kind === 'paper' ? [block.card.paperId] : []));
    if (cards.length) this.cards = cards;
    const lines: string[] = [];
    const indent = inThread ? '    │ ' : '';
    const main = renderReply(reply, 1, indent);
    this.actions.push(...main.actions);
    lines.push(...main.lines);
    const card = reply.blocks.find((b) => b.kind === 'paper');
    if (reply.visibility === 'public' && card?.kind === 'paper' && !inThread) {
      this.threadPaperId = card.card.paperId;
      this.thread = [];
      this.note(BOT, reply.fallback, reply);
    } else if (inThread) this.note(BOT, reply.fallback, reply);
    for (const post of reply.thread ?? []) {
      if (this.thread) this.note(BOT, post.fallback, post);
      lines.push('    │ (in thread)');
      const rendered = renderReply(post, this.actions.length + 1, '    │ ');
      this.actions.push(...rendered.actions);
      lines.push(...rendered.lines);
    }
    return lines;
  }

  /** Adds a message to the current thread (starting one when there is none). */
  private note(author: string, text: string, reply?: Reply): void {
    this.thread ??= [];
    const paperIds = (reply?.blocks ?? []).flatMap((block) => (block.kind === 'paper' ? [block.card.paperId] : []));
    this.thread.push({ author, text, links: text.match(LINK) ?? [], paperIds, ts: String(this.thread.length + 1) });
  }
}

/** While the chat owns the terminal, log lines go here (beside the database) instead of between its answers. */
export function consoleLogFile(dbPath: string): string {
  return join(dbPath === ':memory:' ? '.' : dirname(dbPath), 'paperboy.log');
}

export async function runConsoleChat(
  dispatcher: Dispatcher,
  input: Readable,
  output: Writable,
  options: { logFile?: string; signal?: AbortSignal } = {},
): Promise<void> {
  const rl = createInterface({
    input,
    output,
    terminal: (input as { isTTY?: boolean }).isTTY === true,
    prompt: 'you › ',
    // Ends the chat (shutdown on SIGTERM / SIGINT) as /quit does.
    signal: options.signal,
  });
  const chat = new ConsoleChat(dispatcher);
  output.write(`${WELCOME.join('\n')}\n`);
  if (options.logFile) output.write(`(log lines go to ${options.logFile})\n`);
  rl.prompt();
  for await (const line of rl) {
    if (/^\/(quit|exit)$/i.test(line.trim())) break;
    for (const out of await chat.handle(line)) output.write(`${out}\n`);
    rl.prompt();
  }
  rl.close();
}
