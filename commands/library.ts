/**
 * `/paper library [mine]`: this channel's saved papers, newest first, with who saved each, five at a time;
 * `/paper library remove <paper>` takes one out (the member who saved it, or a channel manager; said in the channel);
 * `/paper library export` gives the library as a BibTeX file.
 */
import { channelKey } from '../src/core/channel-key.ts';
import { channelRightAnswer, managersOf, withReason } from '../src/core/channel-managers.ts';
import type { ChannelChange, Command, CommandContext, OptionValues } from '../src/core/command.ts';
import { bibtexLibrary } from '../src/core/library/bibtex-export.ts';
import type { LibraryScope, LibraryService } from '../src/core/library/service.ts';
import { clipLine, paperActions, paperCard } from '../src/core/present/cards.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import { type Block, errorReply, type Reply, textReply } from '../src/core/reply.ts';
import { savedOn } from './save.ts';
import { PAGE_SIZE } from './search.ts';

type Action = 'list' | 'mine' | 'remove' | 'export';
const REMOVES_PAPERS: ChannelChange = { right: 'member', what: "remove papers from this channel's library" };
const ACTIONS: readonly Action[] = ['list', 'mine', 'remove', 'export'];

/** `remove 2503.20680` typed after `/paper library`, or the action and paper as separate options (Discord). */
export function parseLibraryOptions(options: OptionValues): { action: Action; paper?: string } | { error: string } {
  const text = String(options.action ?? '').trim();
  const [first = '', ...rest] = text.split(/\s+/);
  const action = (first.toLowerCase() || 'list') as Action;
  if (!ACTIONS.includes(action))
    return { error: `I don't know "${clipLine(first, 40)}" here: try list, mine, remove <paper> or export.` };
  const paper = (typeof options.paper === 'string' && options.paper.trim()) || rest.join(' ') || undefined;
  return { action, ...(paper ? { paper } : {}) };
}

export const library: Command = {
  name: 'library',
  description: "This channel's saved papers: list, mine, remove a paper, or export as BibTeX",
  usage: '/paper library [mine | remove <paper> | export]',
  examples: ['/paper library', '/paper library mine', '/paper library remove 2503.20680', '/paper library export'],
  options: [
    {
      name: 'action',
      description: 'list (default), mine, remove, or export',
      type: 'string',
      choices: ACTIONS.map((a) => ({ name: a, value: a })),
    },
    { name: 'paper', description: 'The paper to remove: arXiv id, link, or title words', type: 'string' },
    { name: 'page', description: 'Page', type: 'integer', min: 1, max: 1000 },
  ],
  // Only a member changes what the channel keeps; besides, another's paper needs a channel manager (see remove).
  changesChannel: (options) => {
    const parsed = parseLibraryOptions(options);
    return 'action' in parsed && parsed.action === 'remove' ? REMOVES_PAPERS : undefined;
  },
  buttons: {
    library: {
      code: 'l',
      label: 'More saved papers',
      options: ({ arg, page }) => ({ action: arg, page }),
      replaces: () => true,
    },
    'library-remove': {
      code: 'k',
      label: 'Remove from library',
      options: ({ arg }) => ({ action: 'remove', paper: arg }),
    },
    // `/paper me` and the Slack Home tab: another channel's library, for a member of that channel, privately.
    'library-export': {
      code: 'b',
      label: 'Export library',
      options: ({ arg }) => ({ action: 'export', channel: arg }),
    },
  },
  async run(ctx: CommandContext): Promise<Reply> {
    const service = ctx.services.library;
    if (!service) return errorReply('Libraries are not available here.');
    const parsed = parseLibraryOptions(ctx.options);
    if ('error' in parsed) return errorReply(parsed.error);
    const scope: LibraryScope = channelKey(ctx.invoker);
    switch (parsed.action) {
      case 'remove':
        return remove(ctx, service, scope, parsed.paper);
      case 'export':
        return typeof ctx.options.channel === 'string' && ctx.options.channel !== scope.channelId
          ? exportElsewhere(ctx, service, ctx.options.channel)
          : exportBibtex(service, scope);
      default:
        return list(ctx, service, parsed.action === 'mine' ? { ...scope, savedBy: ctx.invoker.userId } : scope);
    }
  },
};

async function list(ctx: CommandContext, service: LibraryService, scope: LibraryScope): Promise<Reply> {
  const page = Math.max(1, Math.min(1000, Number(ctx.options.page) || 1));
  const { saved, total } = await service.page(scope, page, PAGE_SIZE);
  const whose = scope.savedBy ? 'Papers you saved in this channel' : "This channel's library";
  if (!total)
    return textReply(
      `${whose}: nothing yet. Save papers with the ⭐ Save button on any card, or ${ctx.commandLine('/paper save <paper>')}.`,
    );
  if (!saved.length) return errorReply(`${whose} has ${total} papers; page ${page} is past the end.`);
  const first = (page - 1) * PAGE_SIZE + 1;
  const heading = `${whose} (${first}–${first + saved.length - 1} of ${total}, newest first)`;
  const blocks: Block[] = [{ kind: 'text', text: heading, style: 'heading' }];
  for (const { item, paper } of saved) {
    const who = item.savedBy === ctx.invoker.userId ? 'you' : (item.savedByName ?? 'a teammate');
    blocks.push({
      kind: 'paper',
      card: {
        ...paperCard(paper, ctx.buttons, {
          actions: paperActions(paper, ctx.buttons, ['summary', 'related', 'library-remove']),
        }),
        gist: `Saved by ${who} on ${savedOn(item.savedAt)}`,
      },
    });
  }
  if (first + saved.length - 1 < total)
    blocks.push({
      kind: 'actions',
      actions: [ctx.buttons.action({ verb: 'library', arg: scope.savedBy ? 'mine' : 'list', page: page + 1 })],
    });
  return { blocks, visibility: 'ephemeral', fallback: heading };
}

async function remove(
  ctx: CommandContext,
  service: LibraryService,
  scope: LibraryScope,
  reference: string | undefined,
): Promise<Reply> {
  if (!reference) return errorReply(`Which paper? ${ctx.commandLine('/paper library remove <paper>')}`);
  const resolved = await resolvePaper(ctx.services, reference);
  if ('error' in resolved) return errorReply(resolved.error);
  const title = `"${clipLine(resolved.paper.title, 120)}"`;
  const notThere = () => errorReply(`${title} is not in this channel's library.`);
  const item = await service.find(scope, resolved.paper);
  if (!item) return notThere();
  const theirs = item.savedBy === ctx.invoker.userId;
  const saver = item.savedByName ? clipLine(item.savedByName, 80) : undefined;
  let checkedName: string | undefined;
  if (!theirs) {
    const answer = await channelRightAnswer(ctx.invoker);
    checkedName = answer.name;
    if (!answer.allowed)
      return errorReply(
        withReason(
          `Only the member who saved ${title}${saver ? ` (${saver})` : ''}, or ${managersOf(ctx.invoker)}, ` +
            "may remove it from this channel's library.",
          answer,
        ),
      );
  }
  if (!(await service.remove(scope, item))) return notThere();
  ctx.invoker.libraryChanged?.();
  // Said in the channel, by name and never as a mention: everyone sees what left the library, and nobody is pinged.
  const named = ctx.invoker.userName ?? checkedName ?? (theirs ? item.savedByName : undefined);
  const remover = named ? clipLine(named, 80) : 'Someone';
  const whose = theirs ? '' : ` (saved by ${saver ?? 'a teammate'})`;
  return {
    ...textReply(`${remover} removed ${title} from this channel's library${whose}.`, 'public'),
    attributed: true,
  };
}

/** Another channel's library, only for a member of it, and only to them (its BibTeX is not posted where they asked). */
async function exportElsewhere(ctx: CommandContext, service: LibraryService, channelId: string): Promise<Reply> {
  const member = (await ctx.invoker.channelsOf?.([channelId]))?.find((c) => c.id === channelId);
  if (!member) return errorReply("Only a member of a channel may export its library, and I can't tell that you are.");
  const reply = await exportBibtex(service, { ...channelKey(ctx.invoker), channelId }, `#${member.name}`);
  return { ...reply, visibility: 'ephemeral' };
}

async function exportBibtex(service: LibraryService, scope: LibraryScope, name = "this channel's"): Promise<Reply> {
  const saved = await service.all(scope);
  const whose = name.startsWith('#') ? `${name}'s` : name;
  if (!saved.length) return textReply(`${capitalize(whose)} library is empty: there is nothing to export yet.`);
  const text = `BibTeX of ${whose} library: ${saved.length} paper${saved.length === 1 ? '' : 's'}.`;
  return {
    blocks: [{ kind: 'text', text }],
    visibility: 'public',
    fallback: text,
    files: [
      {
        name: 'library.bib',
        title: 'paperboy library',
        content: bibtexLibrary(saved.map((s) => s.paper)),
      },
    ],
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
