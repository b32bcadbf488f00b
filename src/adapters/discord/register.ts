/**
 * Registers the generated slash commands with Discord, in a development guild (instant) or globally,
 * and only when they differ from what is registered: GET first, compare normalized definitions, PUT
 * only on a change (Discord limits command creations per day, and needless PUTs churn clients' caches).
 */
import { REST, Routes } from 'discord.js';
import type { Command } from '../../core/command.ts';
import type { Logger } from '../../core/logger.ts';
import {
  buildDefinitions,
  type CommandDefinition,
  type MessageCommandDefinition,
  messageCommandDefinitions,
} from './definitions.ts';

export interface RegisterConfig {
  token: string;
  appId: string;
  /** Register in this guild (updates at once; for development). Without it: globally. */
  guildId?: string;
  apiUrl?: string;
}

export interface RegisterResult {
  status: 'created' | 'updated' | 'unchanged';
  scope: 'guild' | 'global';
  commands: string[];
}

export async function registerCommands(
  config: RegisterConfig,
  commands: readonly Command[],
  logger: Logger,
): Promise<RegisterResult> {
  const rest = new REST({ ...(config.apiUrl ? { api: config.apiUrl } : {}) }).setToken(config.token);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.appId, config.guildId)
    : Routes.applicationCommands(config.appId);
  const scope = config.guildId ? 'guild' : 'global';
  // The slash commands and the message context menus ("Apps → Save to library") in one list: a PUT replaces them all.
  const wanted = [...buildDefinitions(commands), ...messageCommandDefinitions()];
  const names = wanted.map((definition) => definition.name);

  const current = (await rest.get(route)) as unknown[];
  if (sameDefinitions(current, wanted)) {
    logger.info('discord: commands already up to date', { scope, commands: names });
    return { status: 'unchanged', scope, commands: names };
  }
  await rest.put(route, { body: wanted });
  const status = current.length === 0 ? 'created' : 'updated';
  logger.info(`discord: commands ${status}`, { scope, commands: names });
  return { status, scope, commands: names };
}

export function sameDefinitions(
  registered: readonly unknown[],
  wanted: readonly (CommandDefinition | MessageCommandDefinition)[],
): boolean {
  const canonical = (list: readonly unknown[]) =>
    JSON.stringify(list.map((item) => normalizeCommand(item as Record<string, unknown>)).sort(byName));
  return canonical(registered) === canonical(wanted);
}

type Json = Record<string, unknown>;

/**
 * The fields we set, in a fixed key order, with Discord's defaults filled in: what Discord returns
 * (ids, versions, `required: false` omitted, null localizations...) compares equal to what we send.
 */
export function normalizeCommand(command: Json): Json {
  return {
    name: command.name,
    type: command.type ?? 1,
    description: command.description ?? '',
    default_member_permissions: command.default_member_permissions ?? null,
    nsfw: command.nsfw ?? false,
    contexts: sortedOrNull(command.contexts),
    integration_types: sortedOrNull(command.integration_types) ?? [0],
    name_localizations: emptyToNull(command.name_localizations),
    description_localizations: emptyToNull(command.description_localizations),
    options: normalizeOptions(command.options),
  };
}

function normalizeOptions(options: unknown): Json[] {
  if (!Array.isArray(options)) return [];
  return options.map((option: Json) => ({
    type: option.type,
    name: option.name,
    description: option.description ?? '',
    required: option.required ?? false,
    autocomplete: option.autocomplete ?? false,
    choices: Array.isArray(option.choices) ? option.choices.map((c: Json) => ({ name: c.name, value: c.value })) : [],
    min_value: option.min_value ?? null,
    max_value: option.max_value ?? null,
    min_length: option.min_length ?? null,
    max_length: option.max_length ?? null,
    channel_types: sortedOrNull(option.channel_types),
    name_localizations: emptyToNull(option.name_localizations),
    description_localizations: emptyToNull(option.description_localizations),
    options: normalizeOptions(option.options),
  }));
}

function sortedOrNull(value: unknown): unknown[] | null {
  return Array.isArray(value) ? [...value].sort() : null;
}

function emptyToNull(value: unknown): unknown {
  return value && typeof value === 'object' && Object.keys(value).length > 0 ? value : null;
}

function byName(a: Json, b: Json): number {
  return String(a.name).localeCompare(String(b.name));
}
