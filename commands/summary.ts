/** `/paper summary <paper>`: the paper's card in the channel, its summary in the card's thread. */
import type { Command } from '../src/core/command.ts';
import { paperActions, paperCard, summaryReply } from '../src/core/present/cards.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import type { Reply } from '../src/core/reply.ts';
import { errorReply } from '../src/core/reply.ts';
import { paperAutocomplete } from './related.ts';

export const summary: Command = {
  name: 'summary',
  description: "A paper's summary, posted in a thread under its card",
  usage: '/paper summary <paper>',
  examples: ['/paper summary 2503.20680', '/paper summary skip-tuning diffusion'],
  options: [
    {
      name: 'paper',
      description: 'arXiv id, link, or title words',
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
  autocomplete: paperAutocomplete,
  run({ services, options }): Reply {
    const resolved = resolvePaper(services, options.paper as string | undefined);
    if ('error' in resolved) return errorReply(resolved.error);
    const paper = resolved.paper;
    const thread = summaryReply(paper, services.summarize(paper));
    if (options.card === false) return thread;
    return {
      blocks: [
        {
          kind: 'paper',
          card: paperCard(paper, services.stash, {
            actions: paperActions(paper, services.stash, ['related', 'random-related']),
          }),
        },
      ],
      visibility: 'public',
      thread: [thread],
      fallback: paper.title,
    };
  },
};
