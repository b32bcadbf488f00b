/**
 * `/paper me` (Discord: `/paperboy me`; on Slack the Home tab shows the same): the papers you saved, newest first,
 * in every channel; the alerts of the channels you are in and may manage, each with its last match; and the libraries
 * of your channels, with a button to export each (privately).
 */
import { NO_WORKSPACE } from '../src/core/channel-key.ts';
import type { ChannelMembership, Command, CommandContext } from '../src/core/command.ts';
import { clipLine, paperActions, paperCard, readableId } from '../src/core/present/cards.ts';
import type { Action, Block, Reply } from '../src/core/reply.ts';
import { savedOn } from './save.ts';
import { describeSubscription } from './subscribe.ts';

/** Saved papers shown; the rest are in each channel's `/paper library`. */
export const ME_SAVED = 10;
/** Channels whose alerts are listed. */
const ME_CHANNELS = 10;

export const me: Command = {
  name: 'me',
  description: "Your saved papers and the alerts of the channels you manage (Slack's Home tab shows the same)",
  usage: '/paper me',
  examples: ['/paper me'],
  options: [],
  run: runMe,
};

async function runMe(ctx: CommandContext): Promise<Reply> {
  const { services, invoker } = ctx;
  const [saved, subscriptions, libraries] = await Promise.all([
    services.library?.savedBy(invoker.platform, invoker.workspaceId, invoker.userId, ME_SAVED) ?? [],
    services.alerts?.inWorkspace(invoker.platform, invoker.workspaceId) ?? [],
    (await services.library?.channels(invoker.platform, invoker.workspaceId ?? NO_WORKSPACE))?.map(
      (c) => c.channelId,
    ) ?? [],
  ]);
  const candidates = [...new Set([...subscriptions.map((s) => s.channelId), ...libraries])];
  const channels = candidates.length ? ((await invoker.channelsOf?.(candidates)) ?? []) : [];
  const byId = new Map<string, ChannelMembership>(channels.map((c) => [c.id, c]));
  const name = (id: string) => `#${byId.get(id)?.name ?? 'a channel'}`;

  const blocks: Block[] = [{ kind: 'text', text: 'Papers you saved, newest first', style: 'heading' }];
  if (!saved.length)
    blocks.push({
      kind: 'text',
      text: `Nothing yet: ⭐ Save on any card, or ${ctx.commandLine('/paper save <paper>')} in a channel.`,
      style: 'muted',
    });
  for (const { item, paper } of saved) {
    const where = byId.has(item.channelId) ? ` in ${name(item.channelId)}` : '';
    blocks.push({
      kind: 'paper',
      card: {
        ...paperCard(paper, ctx.buttons, { actions: paperActions(paper, ctx.buttons, ['summary', 'related']) }),
        gist: `Saved${where} on ${savedOn(item.savedAt)}`,
      },
    });
  }

  blocks.push({ kind: 'text', text: 'Alerts in the channels you manage', style: 'heading' });
  const managed = channels.filter((c) => c.manages && subscriptions.some((s) => s.channelId === c.id));
  if (!managed.length)
    blocks.push({
      kind: 'text',
      text: `None of the channels you manage follows a query. ${ctx.commandLine('/paper subscribe <query>')} in one starts.`,
      style: 'muted',
    });
  for (const channel of managed.slice(0, ME_CHANNELS)) {
    const lines = subscriptions
      .filter((s) => s.channelId === channel.id)
      .map((s) => {
        const paper = s.lastMatchPaper && readableId(s.lastMatchPaper);
        const last = s.lastMatchAt ? `${s.lastMatchAt.slice(0, 10)}${paper ? ` (${paper})` : ''}` : 'none yet';
        return `${describeSubscription(s)}  last match: ${last}`;
      });
    blocks.push({ kind: 'section', title: `#${channel.name}`, text: lines.join('\n') });
  }
  if (managed.length > ME_CHANNELS)
    blocks.push({ kind: 'text', text: `…and ${managed.length - ME_CHANNELS} more channels.`, style: 'muted' });

  const withLibrary = channels.filter((c) => libraries.includes(c.id));
  if (withLibrary.length) {
    blocks.push({ kind: 'text', text: 'Libraries of your channels (BibTeX, sent to you only)', style: 'heading' });
    const exports: Action[] = withLibrary
      .slice(0, ME_CHANNELS)
      .map((c) => ctx.buttons.action({ verb: 'library-export', arg: c.id, label: clipLine(`Export #${c.name}`, 70) }));
    blocks.push({ kind: 'actions', actions: exports });
  }
  return { blocks, visibility: 'ephemeral', fallback: 'Your saved papers and alerts' };
}
