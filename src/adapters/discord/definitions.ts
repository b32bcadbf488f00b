/**
 * Slash-command definitions generated from the platform-neutral command list, so Discord and Slack
 * always offer the same commands. Shape: `/paper query:<words>` searches (the command people use most,
 * one word away), and every other command is a sub-command of `/paperboy` (`/paperboy random`,
 * `/paperboy related paper:<autocomplete>`). Two top-level names keep the search one step short while
 * the rest stays discoverable in Discord's command picker.
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandSyntax, OptionSpec } from '../../core/command.ts';
import { DEFAULT_COMMAND } from '../../core/dispatcher.ts';
import { COMMAND_NAME, LIMITS } from './limits.ts';
import { clamp } from './text.ts';

/** `/paper <query>`: runs the search command. */
export const SEARCH_COMMAND_NAME = 'paper';
/** `/paperboy <sub>`: every other command. */
export const MAIN_COMMAND_NAME = 'paperboy';

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The neutral command a Discord interaction names, or undefined when it is not ours. */
export function commandNameFor(commandName: string, subcommand: string | null | undefined): string | undefined {
  if (commandName === SEARCH_COMMAND_NAME) return DEFAULT_COMMAND;
  if (commandName === MAIN_COMMAND_NAME && subcommand) return subcommand;
  return undefined;
}

/**
 * How users reach a command on Discord, for help texts, replies and docs: its usage line
 * (`/paperboy related paper:… [random:…] [page:…]`), or with values the line to type (`/paperboy unsubscribe id:3`).
 */
export const discordUsage: CommandSyntax = (command, values) => {
  const search = command.name === DEFAULT_COMMAND;
  const name = search ? `/${SEARCH_COMMAND_NAME}` : `/${MAIN_COMMAND_NAME} ${command.name}`;
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
  if (others.length > LIMITS.commandOptions) {
    throw new Error(`/${MAIN_COMMAND_NAME} can hold ${LIMITS.commandOptions} sub-commands; got ${others.length}`);
  }
  if (others.length > 0) {
    const names = others.map((command) => command.name).join(', ');
    definitions.push(topLevel(MAIN_COMMAND_NAME, `Paper tools: ${names}`, others.map(toSubcommand)));
  }
  return definitions;
}

function topLevel(name: string, description: string, options: CommandDefinition['options']): CommandDefinition {
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    description: clampDescription(description, name),
    options,
    // Public cards and threads need a guild channel; the bot has no DM intents.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
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
