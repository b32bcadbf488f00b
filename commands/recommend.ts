/**
 * `/paper recommend [mine] [n]`: corpus papers like this channel's library (or what you saved in it), ranked by a
 * classifier trained on the library and the channel's 👎s (src/core/library/recommender.ts), each with a line naming
 * the saved paper it is nearest to, who saved it and the terms they share, and a 👎 Not for us button.
 */
import { channelKey } from '../src/core/channel-key.ts';
import type { Command, CommandContext } from '../src/core/command.ts';
import { clipLine, paperActions, paperCard } from '../src/core/present/cards.ts';
import { whyLine } from '../src/core/present/why.ts';
import { type Block, errorReply, type Reply, textReply } from '../src/core/reply.ts';

export const DEFAULT_RECOMMENDATIONS = 5;
export const MAX_RECOMMENDATIONS = 20;

/** `mine 10`, `10`, `mine` typed after `/paper recommend`; or the options given separately (Discord). */
export function parseRecommendOptions(
  options: Record<string, unknown>,
): { mine: boolean; count: number } | { error: string } {
  let mine = options.mine === true;
  let count = typeof options.count === 'number' ? options.count : DEFAULT_RECOMMENDATIONS;
  for (const word of String(options.text ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)) {
    if (/^mine$/i.test(word)) mine = true;
    else if (/^\d{1,4}$/.test(word)) count = Number(word);
    else
      return {
        error: `I don't understand "${clipLine(word, 40)}": try "mine", a number, or both.`,
      };
  }
  return { mine, count: Math.max(1, Math.min(MAX_RECOMMENDATIONS, Math.round(count))) };
}

export const recommend: Command = {
  name: 'recommend',
  description: "Papers like this channel's library (or the ones you saved)",
  usage: '/paper recommend [mine] [n]',
  examples: ['/paper recommend', '/paper recommend mine 10'],
  options: [
    { name: 'text', description: '"mine" and/or how many, e.g. "mine 10"', type: 'string' },
    { name: 'mine', description: 'Only from the papers you saved', type: 'boolean' },
    { name: 'count', description: 'How many papers', type: 'integer', min: 1, max: MAX_RECOMMENDATIONS },
  ],
  async run(ctx: CommandContext): Promise<Reply> {
    const service = ctx.services.library;
    if (!service) return errorReply('Libraries are not available here.');
    const parsed = parseRecommendOptions(ctx.options);
    if ('error' in parsed) return errorReply(parsed.error);
    const scope = { ...channelKey(ctx.invoker), ...(parsed.mine ? { savedBy: ctx.invoker.userId } : {}) };
    const whose = parsed.mine ? 'the papers you saved here' : "this channel's library";
    if (!(await service.count(scope)))
      return textReply(
        `There is nothing to learn from yet: ${whose} is empty. Save papers with the ⭐ Save button, ` +
          `${ctx.commandLine('/paper save <paper>')}, or import a BibTeX or Zotero library (see ${ctx.commandLine('/paper help')}).`,
      );
    const recommendations = await service.recommend(scope, parsed.count);
    if (!recommendations.length) return textReply(`I found no papers like ${whose} that are not already saved.`);
    const heading = `${recommendations.length} paper${recommendations.length === 1 ? '' : 's'} like ${whose}`;
    const blocks: Block[] = [{ kind: 'text', text: heading, style: 'heading' }];
    for (const r of recommendations)
      blocks.push({
        kind: 'paper',
        card: {
          ...paperCard(r.paper, ctx.buttons, {
            actions: paperActions(r.paper, ctx.buttons, ['summary', 'related', 'save', 'not-for-us']),
          }),
          why: whyLine({
            kind: 'like',
            title: r.because.title,
            terms: r.shared,
            ...(r.becauseSavedBy ? { savedBy: r.becauseSavedBy } : {}),
          }),
        },
      });
    return { blocks, visibility: 'ephemeral', fallback: heading };
  },
};
