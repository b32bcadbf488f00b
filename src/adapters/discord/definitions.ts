/**
 * Slash-command definitions generated from the platform-neutral command list, so Discord and Slack
 * always offer the same commands. Shape: `/paper query:<words>` searches (the command people use most,
 * one word away), every command that changes a channel's alerts is a sub-command of `/paperboy-alerts`
 * (`/paperboy-alerts subscribe query:…`), and every other one a sub-command of `/paperboy` (`/paperboy random`,
 * `/paperboy related paper:<autocomplete>`). Discord applies `default_member_permissions` to a top-level command
 * and all its sub-commands alike, so the alert commands have a top-level command of their own: it asks for Manage
 * Channels, and members without it do not see it in the command picker (the run-time check stays: server admins may
 * override the default per role or channel).
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandSyntax, OptionSpec } from '../../core/command.ts';
import { DEFAULT_COMMAND } from '../../core/dispatcher.ts';
import { MESSAGE_ACTION_LABELS, type MessageAction } from '../../core/message-actions.ts';
import { COMMAND_NAME, LIMITS } from './limits.ts';
import { clamp } from './text.ts';

/** `/paper <query>`: runs the search command. */
export const SEARCH_COMMAND_NAME = 'paper';
/** `/paperboy <sub>`: every other command. */
export const MAIN_COMMAND_NAME = 'paperboy';
/** `/paperboy-alerts <sub>`: the commands that always change what a channel receives (subscribe, unsubscribe). */
export const ALERTS_COMMAND_NAME = 'paperboy-alerts';
/** Manage Channels as a `default_member_permissions` bit set: "16". */
export const MANAGE_CHANNELS = String(PermissionFlagsBits.ManageChannels);

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;
/** A message context-menu command (type 3: "Apps → Summarize papers" on any message). */
export type MessageCommandDefinition = RESTPostAPIContextMenuApplicationCommandsJSONBody;

/** The message action a context-menu command's name runs ("Save to library"), or undefined when it is not ours. */
export function messageActionFor(commandName: string): MessageAction | undefined {
  return (Object.entries(MESSAGE_ACTION_LABELS) as [MessageAction, string][]).find(
    ([, label]) => label === commandName,
  )?.[0];
}

/**
 * The message context-menu commands (type 3: a name, no description or options), registered with the slash commands:
 * "Summarize papers" and "Save to library", in guilds as the slash commands are.
 */
export function messageCommandDefinitions(): MessageCommandDefinition[] {
  return Object.values(MESSAGE_ACTION_LABELS).map((name) => ({
    type: ApplicationCommandType.Message,
    name,
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  }));
}

/** The neutral command a Discord interaction names, or undefined when it is not ours. */
export function commandNameFor(commandName: string, subcommand: string | null | undefined): string | undefined {
  if (commandName === SEARCH_COMMAND_NAME) return DEFAULT_COMMAND;
  // A stale registration (`/paperboy subscribe` from before the alerts had their own command) still runs: whether
  // the member may is checked when it runs.
  if ((commandName === MAIN_COMMAND_NAME || commandName === ALERTS_COMMAND_NAME) && subcommand) return subcommand;
  return undefined;
}

/**
 * Whether a command goes under `/paperboy-alerts`: it changes what the channel receives whatever its options. One
 * that does so only for some options (`subscriptions action:resume`) stays under `/paperboy`, for everyone to list.
 */
function forManagersOnly(command: Command): boolean {
  const change = command.changesChannel;
  return typeof change === 'object' && change.right === 'manager';
}

function topLevelNameOf(command: Command): string {
  return forManagersOnly(command) ? ALERTS_COMMAND_NAME : MAIN_COMMAND_NAME;
}

/**
 * How users reach a command on Discord, for help texts, replies and docs: its usage line
 * (`/paperboy related paper:… [random:…] [page:…]`), or with values the line to type (`/paperboy-alerts unsubscribe id:3`).
 */
export const discordUsage: CommandSyntax = (command, values) => {
  const search = command.name === DEFAULT_COMMAND;
  const name = search ? `/${SEARCH_COMMAND_NAME}` : `/${topLevelNameOf(command)} ${command.name}`;
  if (values) {
    const given = command.options.filter((option) => values[option.name] !== undefined);
    return [name, ...given.map((option) => `${option.name}:${values[option.name]}`)].join(' ');
  }
  if (search) return `${name} ${command.options[0]?.name ?? 'query'}:…`;
  const options = command.options.map((option) => (option.required ? `${option.name}:…` : `[${option.name}:…]`));
  return [name, ...options].join(' ');
};

export function buildDefinitions(commands: readonly Command[]): CommandDefinition[] {
  const definitions: CommandDefinition[] = [];
  const search = commands.find((command) => command.name === DEFAULT_COMMAND);
  if (search) {
    definitions.push(
      topLevel(SEARCH_COMMAND_NAME, search.description, orderRequiredFirst(search.options).map(toOption)),
    );
  }
  const others = commands.filter((command) => command.name !== DEFAULT_COMMAND);
  const main = others.filter((command) => !forManagersOnly(command));
  const alerts = others.filter(forManagersOnly);
  for (const [name, subcommands] of [
    [MAIN_COMMAND_NAME, main],
    [ALERTS_COMMAND_NAME, alerts],
  ] as const) {
    if (subcommands.length > LIMITS.commandOptions)
      throw new Error(`/${name} can hold ${LIMITS.commandOptions} sub-commands; got ${subcommands.length}`);
  }
  if (main.length > 0) {
    const names = main.map((command) => command.name).join(', ');
    definitions.push(topLevel(MAIN_COMMAND_NAME, `Paper tools: ${names}`, main.map(toSubcommand)));
  }
  if (alerts.length > 0) {
    const names = alerts.map((command) => command.name).join(', ');
    definitions.push(
      topLevel(ALERTS_COMMAND_NAME, `This channel's paper alerts: ${names}`, alerts.map(toSubcommand), MANAGE_CHANNELS),
    );
  }
  return definitions;
}

function topLevel(
  name: string,
  description: string,
  options: CommandDefinition['options'],
  defaultMemberPermissions?: string,
): CommandDefinition {
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    description: clampDescription(description, name),
    options,
    // Public cards and threads need a guild channel; the bot has no DM intents.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    ...(defaultMemberPermissions ? { default_member_permissions: defaultMemberPermissions } : {}),
  };
}

function toSubcommand(command: Command): APIApplicationCommandSubcommandOption {
  checkName(command.name, 'command');
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: command.name,
    description: clampDescription(command.description, command.name),
    options: orderRequiredFirst(command.options).map(toOption),
  };
}

function toOption(spec: OptionSpec): APIApplicationCommandBasicOption {
  checkName(spec.name, 'option');
  const base = {
    name: spec.name,
    description: clampDescription(spec.description, spec.name),
    ...(spec.required ? { required: true } : {}),
  };
  const choices = spec.choices?.slice(0, LIMITS.commandChoices).map((choice) => ({
    name: clamp(choice.name, LIMITS.choiceName),
    value: choice.value.slice(0, LIMITS.choiceValue),
  }));
  switch (spec.type) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(spec.min !== undefined ? { min_value: spec.min } : {}),
        ...(spec.max !== undefined ? { max_value: spec.max } : {}),
        ...(choices?.length ? { choices: choices.map((c) => ({ name: c.name, value: Number(c.value) })) } : {}),
      };
    case 'string':
      if (choices?.length) return { ...base, type: ApplicationCommandOptionType.String, choices };
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(spec.autocomplete ? { autocomplete: true } : {}),
      };
  }
}

/** Discord rejects a required option after an optional one. */
function orderRequiredFirst(options: readonly OptionSpec[]): OptionSpec[] {
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
}

function checkName(name: string, what: string): void {
  if (!COMMAND_NAME.test(name)) {
    throw new Error(
      `Discord ${what} names must be 1-${LIMITS.commandName} lower-case letters, digits, - or _: "${name}"`,
    );
  }
}

function clampDescription(description: string, fallback: string): string {
  const text = description.replace(/\s+/g, ' ').trim() || fallback;
  return clamp(text, LIMITS.commandDescription);
}
