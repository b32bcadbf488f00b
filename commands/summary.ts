/**
 * `/paper summary <paper>`: the paper's card in the channel, its summary in the card's thread. An arXiv id the corpus
 * lacks is fetched from the arXiv API first, where it is configured.
 */
import type { Command } from '../src/core/command.ts';
import { paperActions, paperCard } from '../src/core/present/cards.ts';
import { paperSummaryReply } from '../src/core/present/paper-summary.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import type { Reply } from '../src/core/reply.ts';
import { errorReply } from '../src/core/reply.ts';
import { paperAutocomplete } from './related.ts';

/** "@paperboy summary" (or tl;dr, explain) in a paper's thread. */
const SUMMARY_WORDS = /^(summary|summari[sz]e|tl;?dr|explain)\b/i;

export const summary: Command = {
  name: 'summary',
  description: "A paper's summary, posted in a thread under its card",
  usage: '/paper summary <paper>',
  examples: ['/paper summary 2503.20680', '/paper summary skip-tuning diffusion'],
  options: [
    {
      name: 'paper',
      description: 'Paper id (arXiv id, DOI or the id it was imported with), link, or title words',
      type: 'string',
      required: true,
      autocomplete: 'paper',
    },
    {
      name: 'card',
      description: 'Post the paper card with the summary in its thread (default) or the summary alone',
      type: 'boolean',
    },
  ],
  buttons: {
    summary: { code: 's', label: 'Summary', style: 'primary', options: ({ arg }) => ({ paper: arg }) },
  },
  // In a card's thread the card is already posted: just the summary.
  threadMention: (words, paperId) =>
    !words || SUMMARY_WORDS.test(words) ? { paper: paperId, card: false } : undefined,
  autocomplete: paperAutocomplete,
  async run({ services, options, buttons }): Promise<Reply> {
    // An arXiv id the corpus lacks is fetched from arXiv (stored, not listed: a later listing still alerts).
    const resolved = await resolvePaper(services, options.paper as string | undefined, { fetch: true });
    if ('error' in resolved) return errorReply(resolved.error);
    const paper = resolved.paper;
    const thread = await paperSummaryReply(services, paper);
    if (options.card === false) return thread;
    return {
      blocks: [
        {
          kind: 'paper',
          card: paperCard(paper, buttons, {
            actions: paperActions(paper, buttons, ['related', 'random-related', 'save']),
          }),
        },
      ],
      visibility: 'public',
      thread: [thread],
      fallback: paper.title,
    };
  },
};
