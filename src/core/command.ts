/**
 * The contract between commands (top-level `commands/`) and adapters. A command is defined once:
 * name, description, typed options and a handler returning a neutral Reply. Adapters turn platform
 * events into a CommandContext and render the Reply; they never touch the store or index themselves.
 */
import type { ButtonPress, Buttons } from './actions.ts';
import type { PauseExplainer } from './alerts/pause-reasons.ts';
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
  /**
   * May this user change what the channel receives (its alerts) or what others keep there (papers others saved, 👎s
   * others gave)? A channel manager's yes. Deny by default: only `true`, or a check that answers `allowed: true`, lets
   * them. A check is for answers that cost the platform a call (Slack's users.info): it is asked only when a command
   * needs the answer.
   */
  canManageChannel?: boolean | RightCheck;
  /**
   * Who may manage the channel here, as refusals name them ("members with the Manage Channels permission"); see
   * channel-managers.ts for the wording when an adapter gives none.
   */
  managers?: string;
  /**
   * May this user change what the channel keeps (save a paper to its library, say 👎 Not for us for it)? A member's
   * yes: on Slack a full member of the workspace (not a guest, not someone of another organisation in a shared
   * channel, not a bot). Deny by default, as `canManageChannel`; a manager's yes counts too.
   */
  isMember?: boolean | RightCheck;
  /** Who may change what the channel keeps, as refusals name them ("full members of this workspace"). */
  members?: string;
  /** Why the platform's pause codes pause a channel's alerts, in words (`/paper subscriptions`); absent: the code. */
  explainPause?: PauseExplainer;
  /** How commands are typed where the user is, when not as `/paper <name> <text>` (Discord's slash commands). */
  syntax?: CommandSyntax;
  /**
   * Of these channels, the ones the user is in, with their names and whether the user may manage them (`/paper me`,
   * the library export of another channel). Deny by default: absent, the user is in none. Adapters ask the platform
   * (Slack: users.conversations and the manager check; Discord: the member's permissions in each channel).
   */
  channelsOf?: (candidates: readonly string[]) => Promise<ChannelMembership[]>;
  /** Called after this request changed a library the user sees (a save, a removal): Slack refreshes their Home tab. */
  libraryChanged?: () => void;
  /**
   * The thread the request was made in, readable on demand (the thread digest reads it). Adapters leave it out
   * when a mention names a paper itself: then the request is about that paper, not the thread.
   */
  thread?: ThreadReader;
}

export interface ChannelMembership {
  id: string;
  /** The channel's name as people see it, without `#`. */
  name: string;
  manages: boolean;
}

/** Asks the platform whether the user has a right in the channel (is a member of it, may manage it). */
export type RightCheck = () => Promise<RightAnswer>;

export interface RightAnswer {
  allowed: boolean;
  /** Why not, when the user should know more than who may ("Guest accounts cannot."): one sentence. */
  reason?: string;
  /** The user's display name, when the platform told it while checking (where the invoker had none). */
  name?: string;
}

/**
 * A command as people type it on one platform: with no values its usage line (`/paperboy related paper:…`),
 * with values a line to type (`/paperboy-alerts unsubscribe id:3`).
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
   * (`/paperboy-alerts unsubscribe id:3` on Discord), so replies never tell a user to type another platform's syntax.
   */
  commandLine(text: string): string;
  /** A command's usage line in the invoker's syntax (`Command.usage` where commands are typed after `/paper`). */
  usage(command: Command): string;
}

/**
 * How far a user must belong to a channel to change something of it: a `member` changes what it keeps (its library,
 * its 👎s), a `manager` what it receives (its alerts).
 */
export type ChannelRight = 'member' | 'manager';

export interface ChannelChange {
  right: ChannelRight;
  /** The change, as a refusal names it after "Only … may": "save papers to this channel's library". */
  what: string;
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
  /**
   * Changes what the channel receives or keeps: the dispatcher runs it only for a user with the right it names (see
   * Invoker.isMember, Invoker.canManageChannel). A function when only some uses change anything (`subscriptions
   * resume`, not the list).
   */
  changesChannel?: ChannelChange | ((options: OptionValues) => ChannelChange | undefined);
  /** Heavy work with a fair-use budget of its own besides the commands' (the thread digest). */
  budget?: 'digests';
  /** Buttons that run this command, by verb (the name `Buttons.action` takes, e.g. `random-related`). */
  buttons?: Record<string, ButtonSpec>;
  /** Words said to the bot in the thread of a paper's card that ask for this command: its options, else undefined. */
  threadMention?(words: string, paperId: string): OptionValues | undefined;
  /**
   * Words said to the bot in a thread that is about no one paper the adapter could tell (the command reads the thread
   * through `Invoker.thread`): its options, else undefined. Tried after `threadMention`, before `mention`.
   */
  inThread?(words: string): OptionValues | undefined;
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
