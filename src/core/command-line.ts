/**
 * Command lines as users type them after `/paper` (Slack, the console), parsed to a command and its options, and
 * written back in another platform's syntax: replies, help and alert notices never tell a Discord user to type
 * Slack's syntax.
 */

import type { Command, CommandSyntax, OptionValues } from './command.ts';

/** The command a bare `/paper <words>` runs. */
export const DEFAULT_COMMAND = 'search';
/** How command lines start in replies and help (as typed on Slack and in the console). */
export const TEXT_COMMAND = '/paper';

export interface Invocation {
  command: Command;
  options: OptionValues;
}

/** `random diffusion` → random {topic: 'diffusion'}; `lora` → search {query: 'lora'}; `` → help. */
export function parseCommandText(commands: readonly Command[], text: string): Invocation {
  const find = (name: string) => commands.find((command) => command.name === name);
  const require = (name: string) => {
    const command = find(name);
    if (!command) throw new Error(`command ${name} is not registered`);
    return command;
  };
  const trimmed = text.trim();
  if (!trimmed) return { command: require('help'), options: {} };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const named = find(first.toLowerCase());
  if (named && named.name !== DEFAULT_COMMAND) return { command: named, options: bindRest(named, rest.join(' ')) };
  const search = require(DEFAULT_COMMAND);
  return { command: search, options: bindRest(search, trimmed) };
}

/** `/paper unsubscribe 3` in a platform's syntax (`/paperboy-alerts unsubscribe id:3`); unchanged where it has none. */
export function commandLineIn(commands: readonly Command[], text: string, syntax: CommandSyntax | undefined): string {
  if (!syntax || !text.startsWith(TEXT_COMMAND)) return text;
  const { command, options } = parseCommandText(commands, text.slice(TEXT_COMMAND.length));
  return syntax(command, options);
}

/** Binds free text to a command's first string option (its main argument). */
function bindRest(command: Command, rest: string): OptionValues {
  const main = command.options.find((option) => option.type === 'string');
  return main && rest ? { [main.name]: rest } : {};
}
