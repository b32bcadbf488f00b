/** `/paper help`: what the bot does, every command with an example, and the search syntax. */
import type { Command } from '../src/core/command.ts';
import type { Reply } from '../src/core/reply.ts';
import { QUERY_SYNTAX_HELP } from '../src/core/search/query-parser.ts';

/** What a summary's parts are and where they come from (docs/summaries.md has the details). */
export const SUMMARY_HELP =
  "Summaries are taken from the paper's abstract, never generated: TL;DR is the sentence stating the contribution " +
  '(its "In this paper, we" lead-in dropped); What they did is another sentence on the paper\'s own work; Results is ' +
  "the sentence with figures or claims; Hugging Face's AI summary, when there is one, is theirs; then key terms " +
  'and links.';

/** Help lists the commands it is registered with, so it is built from the list rather than importing it. */
export function createHelp(list: () => readonly Command[]): Command {
  return {
    name: 'help',
    description: 'How to use paperboy',
    usage: '/paper help',
    examples: ['/paper help'],
    options: [],
    run({ usage, commandLine }): Reply {
      const commands = list().filter((c) => c.name !== 'help');
      const lines = commands.map(
        (c) => `${usage(c)} — ${c.description}. e.g. ${commandLine(c.examples[0] ?? c.usage)}`,
      );
      const text = [
        'paperboy finds research papers for you.',
        ...lines,
        'Buttons: Summary posts the paper with its summary in a thread; ' +
          'Related and 🎲 Random related wander the field; Share posts a card for everyone.',
        SUMMARY_HELP,
      ].join('\n');
      return {
        blocks: [
          { kind: 'text', text: 'paperboy help', style: 'heading' },
          { kind: 'text', text },
          { kind: 'text', text: QUERY_SYNTAX_HELP },
        ],
        visibility: 'ephemeral',
        fallback: 'paperboy help',
      };
    },
  };
}
