/**
 * Routes what users type or click to commands, for every adapter alike: `/paper <text>`, a button id,
 * a mention in a thread, an autocomplete request. Never throws: a failing command becomes a clear
 * message for the user and a log line, never a stack trace.
 */

import { CommandButtons } from './buttons.ts';
import { changeRefusal, channelChange, channelRightAnswer } from './channel-managers.ts';
import type { Choice, Command, CommandContext, Invoker, OptionValues } from './command.ts';
import { commandLineIn, type Invocation, parseCommandText } from './command-line.ts';
import type { FairUse } from './fair-use/fair-use.ts';
import type { Logger } from './logger.ts';
import { describeError } from './logger.ts';
import { type MessageAction, runMessageAction } from './message-actions.ts';
import { type Metrics, noMetrics, secondsSince } from './metrics.ts';
import { errorReply, type Reply } from './reply.ts';
import type { Services } from './services.ts';
import type { ThreadMessage } from './thread.ts';
import type { ChannelAdoption } from './workspaces.ts';

export { DEFAULT_COMMAND, type Invocation } from './command-line.ts';

const MAX_INPUT = 4000;

export interface DispatcherOptions {
  commands: readonly Command[];
  services: Services;
  logger: Logger;
  random?: () => number;
  /** Counts each command run (by outcome) and its latency. */
  metrics?: Metrics;
  /** Gives a channel's rows kept without a workspace to the invoker's workspace before a command reads them. */
  channels?: Pick<ChannelAdoption, 'adopt'>;
  /** Per-person and per-workspace budgets of commands, digests and model calls; none without. */
  fairUse?: FairUse;
}

export class Dispatcher {
  readonly commands: readonly Command[];
  /** Buttons for the commands' verbs; the alert messages make theirs here too. */
  readonly buttons: CommandButtons;
  private readonly services: Services;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly metrics: Metrics;
  private readonly channels: DispatcherOptions['channels'];
  private readonly fairUse: FairUse | undefined;

  constructor(options: DispatcherOptions) {
    this.commands = options.commands;
    this.services = options.services;
    this.logger = options.logger;
    this.random = options.random ?? Math.random;
    this.metrics = options.metrics ?? noMetrics;
    this.channels = options.channels;
    this.fairUse = options.fairUse;
    this.buttons = new CommandButtons(this.commands, this.services.stash);
  }

  find(name: string): Command | undefined {
    return this.commands.find((command) => command.name === name);
  }

  /** `random diffusion` → random {topic: 'diffusion'}; `lora` → search {query: 'lora'}; `` → help. */
  parseText(text: string): Invocation {
    return parseCommandText(this.commands, text);
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
    if (!command) return errorReply(`Unknown command "${name}". Try \`${this.commandLine('/paper help', invoker)}\`.`);
    return this.execute(command, options, invoker);
  }

  /** A button click. Unknown or forged ids get a clear message, never an action. */
  async runAction(actionId: string, invoker: Invoker): Promise<Reply> {
    const pressed = await this.buttons.press(actionId);
    if (!pressed) return errorReply('That button is no longer valid. Run the command again.');
    return this.execute(pressed.command, pressed.options, invoker, pressed.replaces);
  }

  /**
   * A mention of the bot, optionally in a thread about a paper: words a command claims for that paper
   * (`threadMention`: none → its summary, "related", "random related", a question), then in a thread about no one
   * paper words a command claims there (`inThread`: a question, whose paper the thread tells), then words a command
   * claims anywhere (`mention`: "something random about X"); no words → help; other words → as typed after `/paper`.
   */
  async runMention(text: string, invoker: Invoker, threadPaperId?: string): Promise<Reply> {
    const words = text.replace(/\s+/g, ' ').trim();
    if (threadPaperId) {
      for (const command of this.commands) {
        const options = command.threadMention?.(words, threadPaperId);
        if (options) return this.execute(command, options, invoker);
      }
    }
    if (invoker.thread && !threadPaperId && words) {
      for (const command of this.commands) {
        const options = command.inThread?.(words);
        if (options) return this.execute(command, options, invoker);
      }
    }
    if (!words) return this.run('help', {}, invoker);
    for (const command of this.commands) {
      const options = command.mention?.(words);
      if (options) return this.execute(command, options, invoker);
    }
    return this.runText(words, invoker);
  }

  /** "Summarize papers" or "Save to library" on a message (a Slack message shortcut, a Discord context menu). */
  async runMessageAction(action: MessageAction, message: ThreadMessage, invoker: Invoker): Promise<Reply> {
    // "Save to library" is /paper save for each paper: refused once, before any paper is looked up, where it would be.
    const save = action === 'save' ? this.find('save') : undefined;
    const refusal = save && (await this.changeRefusal(save, {}, invoker));
    if (refusal) return errorReply(refusal);
    try {
      return await runMessageAction(action, message, invoker, { services: this.services, commands: this });
    } catch (error) {
      this.logger.error('message action failed', { action, error: describeError(error) });
      return errorReply('Sorry, something went wrong while answering that. Please try again.');
    }
  }

  async autocomplete(name: string, option: string, partial: string, invoker: Invoker): Promise<Choice[]> {
    const command = this.find(name);
    if (!command?.autocomplete) return [];
    try {
      return (await command.autocomplete(this.context({}, invoker), option, partial.slice(0, 200))).slice(0, 25);
    } catch (error) {
      this.logger.warn('autocomplete failed', { command: name, error: describeError(error) });
      return [];
    }
  }

  private async execute(command: Command, options: OptionValues, invoker: Invoker, replace = false): Promise<Reply> {
    const labels = { command: command.name, platform: invoker.platform };
    // Deny by default: only an explicit yes from the platform lets a user change what the channel receives or keeps.
    const refusal = await this.changeRefusal(command, options, invoker);
    if (refusal) {
      this.metrics.count('commands', { ...labels, outcome: 'denied' });
      return errorReply(refusal);
    }
    const refused = await this.fairUse?.refusal(command, invoker);
    if (refused) {
      this.metrics.count('commands', { ...labels, outcome: 'limited' });
      return errorReply(refused);
    }
    const started = performance.now();
    let outcome = 'ok';
    try {
      await this.channels?.adopt(invoker);
      const reply = await command.run(this.context(options, invoker));
      // Its buttons must work wherever they are clicked, on any instance: their stashed values are stored first.
      await this.buttons.settled();
      return replace ? { ...reply, replace: true } : reply;
    } catch (error) {
      outcome = 'error';
      this.logger.error('command failed', { command: command.name, error: describeError(error) });
      return errorReply('Sorry, something went wrong while answering that. Please try again.');
    } finally {
      this.metrics.count('commands', { ...labels, outcome });
      this.metrics.observe('commandSeconds', labels, secondsSince(started));
    }
  }

  /** Why the invoker may not make the change this use of the command makes; undefined when they may (or it makes none). */
  private async changeRefusal(command: Command, options: OptionValues, invoker: Invoker): Promise<string | undefined> {
    const change = channelChange(command, options);
    if (!change) return undefined;
    const answer = await channelRightAnswer(invoker, change.right);
    if (answer.allowed) return undefined;
    this.logger.info(`refused: not a channel ${change.right}`, {
      command: command.name,
      platform: invoker.platform,
      reason: answer.reason ?? 'no permission',
    });
    return changeRefusal(invoker, change, answer);
  }

  private context(options: OptionValues, invoker: Invoker): CommandContext {
    return {
      services: this.fairUse?.servicesFor(this.services, invoker) ?? this.services,
      options,
      invoker,
      random: this.random,
      buttons: this.buttons,
      commandLine: (text) => this.commandLine(text, invoker),
      usage: (command) => invoker.syntax?.(command) ?? command.usage,
    };
  }

  /** `/paper unsubscribe 3` as the invoker types it: unchanged unless their platform has its own syntax. */
  private commandLine(text: string, invoker: Invoker): string {
    return commandLineIn(this.commands, text, invoker.syntax);
  }
}
