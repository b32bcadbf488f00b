/**
 * The local console chat (`npm start` with no platform tokens): type `/paper lora`, trigger buttons by
 * number, mention `@paperboy` to talk in the thread of the last posted card.
 */
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Invoker } from '../../core/command.ts';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { Action, Reply } from '../../core/reply.ts';
import { renderReply } from './render.ts';

const INVOKER: Invoker = { platform: 'console', userId: 'you', channelId: 'console', canManageChannel: true };

export const WELCOME = [
  'paperboy console chat. Try: /paper lora · /paper random diffusion · /paper help',
  'Type a number to press a button; "@paperboy related" talks in the thread of the last posted paper; /quit to leave.',
];

export class ConsoleChat {
  private actions: Action[] = [];
  /** The paper whose card was posted last: "@paperboy ..." talks in its thread. */
  private threadPaperId: string | undefined;

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
    const mention = /^@paperboy\b(.*)$/is.exec(text);
    if (mention)
      return this.show(await this.dispatcher.runMention(mention[1]!.trim(), this.invoker, this.threadPaperId), true);
    const command = /^\/paper\b(.*)$/is.exec(text);
    return this.show(await this.dispatcher.runText(command ? command[1]! : text, this.invoker));
  }

  private show(reply: Reply, inThread = false): string[] {
    this.actions = [];
    const lines: string[] = [];
    const indent = inThread ? '    │ ' : '';
    const main = renderReply(reply, 1, indent);
    this.actions.push(...main.actions);
    lines.push(...main.lines);
    const card = reply.blocks.find((b) => b.kind === 'paper');
    if (reply.visibility === 'public' && card?.kind === 'paper' && !inThread) this.threadPaperId = card.card.paperId;
    for (const post of reply.thread ?? []) {
      lines.push('    │ (in thread)');
      const rendered = renderReply(post, this.actions.length + 1, '    │ ');
      this.actions.push(...rendered.actions);
      lines.push(...rendered.lines);
    }
    return lines;
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
