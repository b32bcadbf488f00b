/** `/paper <query>`: the best papers for a query, five at a time, each with a gist and actions. */

import type { Command } from '../src/core/command.ts';
import { paperCard } from '../src/core/present/cards.ts';
import type { Block, Reply } from '../src/core/reply.ts';
import { errorReply } from '../src/core/reply.ts';

export const PAGE_SIZE = 5;

export const search: Command = {
  name: 'search',
  description: 'Search papers: the five best matches with a one-line gist each',
  usage: '/paper <query>',
  examples: ['/paper lora', '/paper "speculative decoding" -survey', '/paper author:hinton since:2025'],
  options: [
    {
      name: 'query',
      description: 'What to look for (the help command shows the syntax)',
      type: 'string',
      required: true,
    },
    { name: 'page', description: 'Result page', type: 'integer', min: 1, max: 100 },
  ],
  buttons: {
    // More results, and the search as typed after a typo correction: both replace the results they sit under.
    search: {
      code: 'q',
      label: 'More results',
      options: ({ arg, page, literal }) => ({ query: arg, page, literal }),
      replaces: () => true,
    },
  },
  async run({ services, options, buttons, commandLine }): Promise<Reply> {
    const query = String(options.query ?? '').trim();
    if (!query)
      return errorReply(
        `What should I search for? Try \`${commandLine('/paper lora')}\` or \`${commandLine('/paper help')}\`.`,
      );
    const page = Math.max(1, Math.min(100, Number(options.page) || 1));
    const result = await services.search.search(query, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      literal: options.literal === true,
    });
    if (result.error) return errorReply(result.error);
    const blocks: Block[] = [];
    if (result.correctedQuery) {
      blocks.push({
        kind: 'text',
        text: `Showing results for "${result.correctedQuery}" (nothing matched "${query}").`,
        style: 'muted',
      });
    }
    if (result.notice) blocks.push({ kind: 'text', text: result.notice, style: 'muted' });
    // Words that look spelled right are never replaced behind the user's back: the fix is a button.
    const didYouMean = result.didYouMean
      ? buttons.action({
          verb: 'search',
          arg: result.didYouMean,
          literal: true,
          label: `Did you mean "${result.didYouMean.slice(0, 40)}"?`,
        })
      : undefined;
    if (!result.hits.length) {
      const tips = result.suggestions?.length ? ` ${result.suggestions.join('. ')}.` : '';
      const text = page > 1 ? `No more results for "${query}".` : `No papers match "${query}".${tips}`;
      blocks.push({ kind: 'text', text });
      if (didYouMean) blocks.push({ kind: 'actions', actions: [didYouMean] });
      return { blocks, visibility: 'ephemeral', fallback: text };
    }
    const first = (page - 1) * PAGE_SIZE + 1;
    const last = first + result.hits.length - 1;
    const heading = `Results for "${result.correctedQuery ?? query}" (${first}–${last} of ${result.total})`;
    blocks.unshift({ kind: 'text', text: heading, style: 'heading' });
    for (const hit of result.hits)
      blocks.push({ kind: 'paper', card: paperCard(hit.paper, buttons, { matched: hit.matched }) });
    const actions = [];
    if (last < result.total) {
      actions.push(
        buttons.action({
          verb: 'search',
          arg: result.correctedQuery ?? query,
          page: page + 1,
          literal: options.literal === true,
        }),
      );
    }
    if (result.correctedQuery) {
      actions.push(
        buttons.action({ verb: 'search', arg: query, literal: true, label: `Search "${query.slice(0, 40)}" instead` }),
      );
    }
    if (didYouMean) actions.push(didYouMean);
    if (actions.length) blocks.push({ kind: 'actions', actions });
    return { blocks, visibility: 'ephemeral', fallback: heading };
  },
};
