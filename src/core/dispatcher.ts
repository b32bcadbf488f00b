/**
 * Routes what users type or click to commands, for every adapter alike: `/paper <text>`, a button id,
 * a mention in a thread, an autocomplete request. Never throws: a failing command becomes a clear
 * message for the user and a log line, never a stack trace.
 */

import { decodeAction } from './actions.ts';
import type { Choice, Command, CommandContext, Invoker, OptionValues } from './command.ts';
import type { Logger } from './logger.ts';
import { describeError } from './logger.ts';
import { errorReply, type Reply } from './reply.ts';
import type { Services } from './services.ts';

/** The command a bare `/paper <words>` runs. */
export const DEFAULT_COMMAND = 'search';
const MAX_INPUT = 4000;
// "random", "a random paper about X", "give me something random on X": group 1 is the topic.
const RANDOM_LEAD = /^(?:(?:give me|show me|find me|a|an|some|something|anything)\s+)*random/;
const RANDOM_TOPIC = /(?:\s+(?:paper|papers|one))?(?:\s+(?:about|on|in|for|regarding))?\s*(.*)$/;
const RANDOM_ABOUT = new RegExp(`${RANDOM_LEAD.source}${RANDOM_TOPIC.source}`, 'i');

export interface DispatcherOptions {
  commands: readonly Command[];
  services: Services;
  logger: Logger;
  random?: () => number;
}

export interface Invocation {
  command: Command;
  options: OptionValues;
}

export class Dispatcher {
  readonly commands: readonly Command[];
  private readonly services: Services;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(options: DispatcherOptions) {
    this.commands = options.commands;
    this.services = options.services;
    this.logger = options.logger;
    this.random = options.random ?? Math.random;
  }

  find(name: string): Command | undefined {
    return this.commands.find((command) => command.name === name);
  }

  /** `random diffusion` → random {topic: 'diffusion'}; `lora` → search {query: 'lora'}; `` → help. */
  parseText(text: string): Invocation {
    const trimmed = text.trim();
    if (!trimmed) return { command: this.require('help'), options: {} };
    const [first = '', ...rest] = trimmed.split(/\s+/);
    const named = this.find(first.toLowerCase());
    if (named && named.name !== DEFAULT_COMMAND) {
      return { command: named, options: bindRest(named, rest.join(' ')) };
    }
    const search = this.require(DEFAULT_COMMAND);
    return { command: search, options: bindRest(search, trimmed) };
  }

  async runText(text: string, invoker: Invoker): Promise<Reply> {
    if (text.length > MAX_INPUT) {
      return errorReply(
        `That is ${text.length.toLocaleString('en')} characters; ` +
          `please keep it under ${MAX_INPUT.toLocaleString('en')}.`,
      );
    }
    const { command, options } = this.parseText(text);
    return this.execute(command, options, invoker);
  }

  async run(name: string, options: OptionValues, invoker: Invoker): Promise<Reply> {
    const command = this.find(name);
    if (!command) return errorReply(`Unknown command "${name}". Try \`/paper help\`.`);
    return this.execute(command, options, invoker);
  }

  /** A button click. Unknown or forged ids get a clear message, never an action. */
  async runAction(actionId: string, invoker: Invoker): Promise<Reply> {
    const action = decodeAction(actionId, this.services.stash);
    if (!action) return errorReply('That button is no longer valid. Run the command again.');
    switch (action.verb) {
      case 'search':
        return this.execute(
          this.require('search'),
          { query: action.arg, page: action.page, literal: action.literal },
          invoker,
          true,
        );
      case 'related':
        return this.execute(
          this.require('related'),
          { paper: action.arg, page: action.page },
          invoker,
          action.page > 1,
        );
      case 'random-related':
        return this.execute(this.require('related'), { paper: action.arg, random: true }, invoker);
      case 'summary':
        return this.execute(this.require('summary'), { paper: action.arg }, invoker);
      case 'share':
        return this.execute(this.require('share'), { paper: action.arg }, invoker);
      case 'unsubscribe': {
        const unsubscribe = this.find('unsubscribe');
        if (!unsubscribe) return errorReply('Subscriptions are not available here.');
        return this.execute(unsubscribe, { id: action.arg }, invoker);
      }
    }
  }

  /**
   * A mention of the bot, optionally in a thread about a paper: no words → that paper's summary;
   * "related" / "random related" → about that paper; "something random about X" → random on X;
   * other words → the command they name, or a search.
   */
  async runMention(text: string, invoker: Invoker, threadPaperId?: string): Promise<Reply> {
    const words = text.replace(/\s+/g, ' ').trim();
    const lower = words.toLowerCase();
    if (threadPaperId) {
      if (!words || /^(summary|summari[sz]e|tl;?dr|explain)\b/.test(lower)) {
        // The card is already the thread's root: post just the summary.
        return this.run('summary', { paper: threadPaperId, card: false }, invoker);
      }
      if (/\brandom\b/.test(lower) && /\brelated\b/.test(lower)) {
        return this.run('related', { paper: threadPaperId, random: true }, invoker);
      }
      if (/^(related|similar|more like this)\b/.test(lower) && lower.split(' ').length <= 3) {
        return this.run('related', { paper: threadPaperId }, invoker);
      }
    }
    if (!words) return this.run('help', {}, invoker);
    const randomAbout = RANDOM_ABOUT.exec(words);
    if (randomAbout) return this.run('random', { topic: randomAbout[1]?.trim() || undefined }, invoker);
    return this.runText(words, invoker);
  }

  autocomplete(name: string, option: string, partial: string, invoker: Invoker): Choice[] {
    const command = this.find(name);
    if (!command?.autocomplete) return [];
    try {
      return command.autocomplete(this.context({}, invoker), option, partial.slice(0, 200)).slice(0, 25);
    } catch (error) {
      this.logger.warn('autocomplete failed', { command: name, error: describeError(error) });
      return [];
    }
  }

  private async execute(command: Command, options: OptionValues, invoker: Invoker, replace = false): Promise<Reply> {
    if (command.managesChannel && invoker.canManageChannel === false) {
      return errorReply('You need permission to manage this channel to change its subscriptions.');
    }
    try {
      const reply = await command.run(this.context(options, invoker));
      return replace ? { ...reply, replace: true } : reply;
    } catch (error) {
      this.logger.error('command failed', { command: command.name, error: describeError(error) });
      return errorReply('Sorry, something went wrong while answering that. Please try again.');
    }
  }

  private context(options: OptionValues, invoker: Invoker): CommandContext {
    return { services: this.services, options, invoker, random: this.random };
  }

  private require(name: string): Command {
    const command = this.find(name);
    if (!command) throw new Error(`command ${name} is not registered`);
    return command;
  }
}

/** Binds free text to a command's first string option (its main argument). */
function bindRest(command: Command, rest: string): OptionValues {
  const main = command.options.find((option) => option.type === 'string');
  return main && rest ? { [main.name]: rest } : {};
}
