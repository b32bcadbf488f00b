/**
 * The contract between commands (top-level `commands/`) and adapters. A command is defined once:
 * name, description, typed options and a handler returning a neutral Reply. Adapters turn platform
 * events into a CommandContext and render the Reply; they never touch the store or index themselves.
 */
import type { ButtonPress, Buttons } from './actions.ts';
import type { Action, Reply } from './reply.ts';
import type { Services } from './services.ts';
import type { ThreadReader } from './thread.ts';

export type Platform = 'console' | 'slack' | 'discord';

export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'boolean';
  required?: boolean;
  /** Offer matching paper titles while the user types (Discord autocomplete). */
  autocomplete?: 'paper';
  choices?: { name: string; value: string }[];
  min?: number;
  max?: number;
}

export interface Invoker {
  platform: Platform;
  userId: string;
  /** The user's display name, where the platform gives one (shown rather than a mention, which would ping). */
  userName?: string;
  channelId: string;
  /** Platform workspace (Slack team / Discord guild), when there is one. */
  workspaceId?: string;
  /** The user may change channel settings (subscriptions). Adapters fill it from platform permissions. */
  canManageChannel?: boolean;
  /** How commands are typed where the user is, when not as `/paper <name> <text>` (Discord's slash commands). */
  syntax?: CommandSyntax;
  /**
   * The thread the request was made in, readable on demand (the thread digest reads it). Adapters leave it out
   * when a mention names a paper itself: then the request is about that paper, not the thread.
   */
  thread?: ThreadReader;
}

/**
 * A command as people type it on one platform: with no values its usage line (`/paperboy related paper:…`),
 * with values a line to type (`/paperboy unsubscribe id:3`).
 */
export type CommandSyntax = (command: Command, values?: OptionValues) => string;

export type OptionValues = Record<string, string | number | boolean | undefined>;

export interface CommandContext {
  services: Services;
  options: OptionValues;
  invoker: Invoker;
  /** Injected so tests are deterministic. */
  random: () => number;
  /** Buttons for any registered command's verbs. */
  buttons: Buttons;
  /**
   * A command line written as typed into `/paper` (`/paper unsubscribe 3`), in the invoker's own syntax
   * (`/paperboy unsubscribe id:3` on Discord), so replies never tell a user to type another platform's syntax.
   */
  commandLine(text: string): string;
  /** A command's usage line in the invoker's syntax (`Command.usage` where commands are typed after `/paper`). */
  usage(command: Command): string;
}

export interface Choice {
  name: string;
  value: string;
}

export interface Command {
  name: string;
  description: string;
  /** One-line usage shown in help, e.g. `/paper related <paper>`. */
  usage: string;
  examples: string[];
  options: OptionSpec[];
  /** Subscription management and other channel settings: adapters check permission before running. */
  managesChannel?: boolean;
  /** Heavy work with a fair-use budget of its own besides the commands' (the thread digest). */
  budget?: 'digests';
  /** Buttons that run this command, by verb (the name `Buttons.action` takes, e.g. `random-related`). */
  buttons?: Record<string, ButtonSpec>;
  /** Words said to the bot in the thread of a paper's card that ask for this command: its options, else undefined. */
  threadMention?(words: string, paperId: string): OptionValues | undefined;
  /** Words said to the bot anywhere that ask for this command (before they are read as `/paper <words>`). */
  mention?(words: string): OptionValues | undefined;
  run(ctx: CommandContext): Promise<Reply> | Reply;
  autocomplete?(ctx: CommandContext, option: string, partial: string): Promise<Choice[]> | Choice[];
}

/** A button that runs its command. */
export interface ButtonSpec {
  /**
   * The one lower-case letter naming the button in its id (`pb:s:2503.20680`). Buttons already posted carry it
   * for good: never change or reuse a code.
   */
  code: string;
  label: string;
  style?: Action['style'];
  /** The options the command runs with when the button is pressed. */
  options(press: ButtonPress): OptionValues;
  /** The answer replaces the message holding the button (paging) instead of adding one. */
  replaces?(press: ButtonPress): boolean;
}
