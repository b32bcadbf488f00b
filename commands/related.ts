/** `/paper related <paper>`: papers most like one paper; with `random`, one of them picked by similarity. */

import type { Command } from '../src/core/command.ts';
import { clipLine, paperCard } from '../src/core/present/cards.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import { weightedPick } from '../src/core/present/sampling.ts';
import type { Block, Reply } from '../src/core/reply.ts';
import { errorReply } from '../src/core/reply.ts';
import { PAGE_SIZE } from './search.ts';

/** 🎲 Random related samples among this many most similar papers. */
const RANDOM_POOL = 10;
/** What "@paperboy …" in a paper's thread asks for: "random related" (any order), or "related" / "similar". */
const RANDOM_RELATED_WORDS = [/\brandom\b/i, /\brelated\b/i];
const RELATED_WORDS = /^(related|similar|more like this)\b/i;

export const related: Command = {
  name: 'related',
  description: 'Papers most similar to a paper (id, link or title words)',
  usage: '/paper related <paper>',
  examples: [
    '/paper related 2503.20680',
    '/paper related https://arxiv.org/abs/2503.20680',
    '/paper related skip-tuning diffusion',
  ],
  options: [
    {
      name: 'paper',
      description: 'Paper id (arXiv id, DOI or the id it was imported with), link, or title words',
      type: 'string',
      required: true,
      autocomplete: 'paper',
    },
    { name: 'random', description: 'Pick one related paper at random, weighted by similarity', type: 'boolean' },
    { name: 'page', description: 'Result page', type: 'integer', min: 1, max: 100 },
  ],
  buttons: {
    related: {
      code: 'r',
      label: 'Related',
      options: ({ arg, page }) => ({ paper: arg, page }),
      replaces: ({ page }) => page > 1,
    },
    'random-related': { code: 'x', label: '🎲 Random related', options: ({ arg }) => ({ paper: arg, random: true }) },
  },
  threadMention(words, paperId) {
    if (RANDOM_RELATED_WORDS.every((word) => word.test(words))) return { paper: paperId, random: true };
    if (RELATED_WORDS.test(words) && words.split(' ').length <= 3) return { paper: paperId };
    return undefined;
  },
  autocomplete: paperAutocomplete,
  async run({ services, options, random: rnd, buttons }): Promise<Reply> {
    const resolved = await resolvePaper(services, options.paper as string | undefined);
    if ('error' in resolved) return errorReply(resolved.error);
    const paper = resolved.paper;
    const page = Math.max(1, Math.min(100, Number(options.page) || 1));
    const wantRandom = options.random === true;
    const result = await services.search.related(
      paper.id,
      wantRandom ? { limit: RANDOM_POOL } : { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    );
    if (result.error) return errorReply(result.error);
    if (!result.hits.length)
      return errorReply(result.notice ?? `I found no papers related to "${clipLine(paper.title, 100)}".`);
    const about = `"${clipLine(paper.title, 120)}"`;
    if (wantRandom) {
      const top = result.hits[0]!.score || 1;
      const pick = weightedPick(result.hits, (hit) => hit.score / top, rnd)!;
      const heading = `🎲 A random paper related to ${about}`;
      return {
        blocks: [
          { kind: 'text', text: heading, style: 'heading' },
          { kind: 'paper', card: paperCard(pick.paper, buttons, { matched: pick.matched }) },
        ],
        visibility: 'ephemeral',
        fallback: `${heading}: ${pick.paper.title}`,
      };
    }
    const first = (page - 1) * PAGE_SIZE + 1;
    const heading = `Related to ${about} (${first}–${first + result.hits.length - 1} of ${result.total})`;
    const blocks: Block[] = [{ kind: 'text', text: heading, style: 'heading' }];
    for (const hit of result.hits)
      blocks.push({ kind: 'paper', card: paperCard(hit.paper, buttons, { matched: hit.matched }) });
    if (first + result.hits.length - 1 < result.total) {
      blocks.push({
        kind: 'actions',
        actions: [buttons.action({ verb: 'related', arg: paper.id, page: page + 1, label: 'More related' })],
      });
    }
    return { blocks, visibility: 'ephemeral', fallback: heading };
  },
};

/** Autocomplete for paper options: matching titles, ≤ 25, names ≤ 100 characters. */
export async function paperAutocomplete(
  ctx: Parameters<NonNullable<Command['autocomplete']>>[0],
  _option: string,
  partial: string,
) {
  return (await ctx.services.search.suggestTitles(partial, 25)).map((paper) => ({
    name: clipLine(`${paper.title}${paper.arxivId ? ` (${paper.arxivId})` : ''}`, 100),
    // A choice's value holds at most 100 characters: a longer id would be cut into one that finds nothing.
    value: paper.id.length <= 100 ? paper.id : clipLine(paper.title, 100),
  }));
}
