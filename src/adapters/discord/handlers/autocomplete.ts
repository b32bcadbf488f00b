/** Autocomplete for paper options: matching titles as the user types (≤ 25 choices, ≤ 100 chars each). */
import type { AutocompleteInteraction } from 'discord.js';
import type { Choice } from '../../../core/command.ts';
import { commandNameFor } from '../definitions.ts';
import { invokerFromInteraction } from '../invoker.ts';
import { LIMITS } from '../limits.ts';
import { plainText } from '../text.ts';
import type { HandlerDeps } from './context.ts';

export async function handleAutocomplete(interaction: AutocompleteInteraction, deps: HandlerDeps): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const name = commandNameFor(interaction.commandName, interaction.options.getSubcommand(false));
  const choices = name
    ? await deps.dispatcher.autocomplete(
        name,
        focused.name,
        String(focused.value ?? ''),
        invokerFromInteraction(interaction),
      )
    : [];
  await interaction.respond(toDiscordChoices(choices));
}

/** Discord rejects the whole answer if one choice is too long or duplicated. */
export function toDiscordChoices(choices: readonly Choice[]): { name: string; value: string }[] {
  const seen = new Set<string>();
  const out: { name: string; value: string }[] = [];
  for (const choice of choices) {
    if (!choice.value || choice.value.length > LIMITS.choiceValue || seen.has(choice.value)) continue;
    seen.add(choice.value);
    out.push({ name: plainText(choice.name, LIMITS.choiceName) || choice.value, value: choice.value });
    if (out.length === LIMITS.autocompleteChoices) break;
  }
  return out;
}
