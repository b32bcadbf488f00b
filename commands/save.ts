/** `/paper save <paper>` and the ⭐ Save button on every card: the paper goes into this channel's library. */
import { channelKey } from '../src/core/channel-key.ts';
import type { Command, CommandContext } from '../src/core/command.ts';
import { clipLine } from '../src/core/present/cards.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import { errorReply, type Reply, textReply } from '../src/core/reply.ts';
import { paperAutocomplete } from './related.ts';

/** "2025-03-01" from an ISO time. */
export function savedOn(iso: string): string {
  return iso.slice(0, 10);
}

export const save: Command = {
  name: 'save',
  description: "Save a paper to this channel's library",
  usage: '/paper save <paper>',
  examples: ['/paper save 2503.20680', '/paper save https://arxiv.org/abs/2503.20680'],
  options: [
    {
      name: 'paper',
      description: 'arXiv id, link, or title words',
      type: 'string',
      required: true,
      autocomplete: 'paper',
    },
  ],
  // Deny by default: a guest, someone of another organisation in a shared channel or a bot keeps nothing here.
  changesChannel: { right: 'member', what: "save papers to this channel's library" },
  buttons: { save: { code: 'v', label: '⭐ Save', options: ({ arg }) => ({ paper: arg }) } },
  autocomplete: paperAutocomplete,
  async run(ctx: CommandContext): Promise<Reply> {
    const { services, options, invoker, commandLine } = ctx;
    const library = services.library;
    if (!library) return errorReply('Libraries are not available here.');
    const resolved = await resolvePaper(services, options.paper as string | undefined);
    if ('error' in resolved) return errorReply(resolved.error);
    const { paper } = resolved;
    const scope = channelKey(invoker);
    const { added, item } = await library.save(scope, paper, { id: invoker.userId, name: invoker.userName });
    const title = `"${clipLine(paper.title, 120)}"`;
    if (!added) {
      const who = item.savedBy === invoker.userId ? 'you' : (item.savedByName ?? 'a teammate');
      return textReply(`${title} is already in this channel's library (saved by ${who} on ${savedOn(item.savedAt)}).`);
    }
    invoker.libraryChanged?.();
    const count = await library.count(scope);
    return textReply(
      `⭐ Saved ${title} to this channel's library (${count} paper${count === 1 ? '' : 's'}). ` +
        `See it with ${commandLine('/paper library')}, or ${commandLine('/paper recommend')} for more like it.`,
    );
  },
};
