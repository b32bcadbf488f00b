/** `/paper share <paper>`: posts a paper's card for the whole channel (the Share button; also link unfurls). */
import type { Command } from '../src/core/command.ts';
import { paperActions, paperCard } from '../src/core/present/cards.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import type { Reply } from '../src/core/reply.ts';
import { errorReply } from '../src/core/reply.ts';
import { paperAutocomplete } from './related.ts';

export const share: Command = {
  name: 'share',
  description: "Post a paper's card in the channel",
  usage: '/paper share <paper>',
  examples: ['/paper share 2503.20680'],
  options: [
    {
      name: 'paper',
      description: 'Paper id (arXiv id, DOI or the id it was imported with), link, or title words',
      type: 'string',
      required: true,
      autocomplete: 'paper',
    },
  ],
  buttons: { share: { code: 'h', label: 'Share', options: ({ arg }) => ({ paper: arg }) } },
  autocomplete: paperAutocomplete,
  async run({ services, options, buttons }): Promise<Reply> {
    const resolved = await resolvePaper(services, options.paper as string | undefined);
    if ('error' in resolved) return errorReply(resolved.error);
    const paper = resolved.paper;
    return {
      blocks: [
        {
          kind: 'paper',
          card: paperCard(paper, buttons, {
            actions: paperActions(paper, buttons, ['summary', 'related', 'random-related', 'save']),
          }),
        },
      ],
      visibility: 'public',
      fallback: paper.title,
    };
  },
};
