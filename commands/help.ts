/** `/paper help`: what the bot does, every command with an example, and the search syntax. */
import type { Command } from '../src/core/command.ts';
import type { Reply } from '../src/core/reply.ts';
import { QUERY_SYNTAX_HELP } from '../src/core/search/query-parser.ts';

/** What a summary's parts are and where they come from (docs/summaries.md has the details). */
export const SUMMARY_HELP =
  "Summaries are taken from the paper's abstract: TL;DR is the sentence stating the contribution " +
  '(its "In this paper, we" lead-in dropped); What they did is another sentence on the paper\'s own work; Results is ' +
  "the sentence with figures or claims; Hugging Face's AI summary, when there is one, is theirs; then key terms " +
  'and links. Where a language model is set up, a second TL;DR it wrote from the abstract alone follows the first, ' +
  "under a label naming the model; it is never shown as the abstract's words.";

/** The thread digest and when "summarize" means it (commands/digest.ts holds the rule). */
export const DIGEST_HELP =
  'In a thread, @paperboy summarize (or tl;dr) lists the papers it mentions (links, arXiv ids, my cards) in the ' +
  'order shared, each with its TL;DR and who shared it, then the key terms they share; ten are listed, the rest ' +
  'counted. In a thread about one paper it gives that paper\'s summary instead; @paperboy digest (or "summarize ' +
  'this thread") always lists. A bare @paperboy under a card still gives its summary.';

/** How a paper is named in related, summary and share (and what its buttons carry). */
export const PAPER_REFERENCE_HELP =
  "A paper is named by its id as it was imported (an arXiv id, a DOI in any case, or the record's own id such as " +
  'c_190473), by an arXiv or Hugging Face link, or by words of its title; an id is tried before title words.';

/** When a search word is corrected and when it is only offered. */
export const CORRECTION_HELP =
  'A misspelled word that matches nothing is corrected ("Showing results for …", with a button to search as typed). ' +
  'A word spelled right that no paper has is never replaced: the bot says nothing matched it and offers ' +
  '"Did you mean …?" as a button.';

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
          'Related and 🎲 Random related wander the field; Share posts a card for everyone; ' +
          "⭐ Save (or a ⭐ reaction on a card) adds the paper to this channel's library.",
        PAPER_REFERENCE_HELP,
        CORRECTION_HELP,
        SUMMARY_HELP,
        DIGEST_HELP,
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
