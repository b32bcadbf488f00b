/**
 * 👎 "Not for us": `/paper feedback` lists the papers this channel said no to, with who said it (names, never
 * mentions); `feedback remove <paper>` takes a 👎 back (your own, or everyone's on it for a channel manager, said in
 * the channel); `feedback add <paper>` gives one. The 👎 Not for us button on alert and recommendation cards gives or
 * takes back the presser's 👎; the adapters run `add` and `undo` for a 👎 reaction added to or removed from a card.
 */

import { channelKey } from '../src/core/channel-key.ts';
import { channelRightAnswer, managersOf, nameOf, withReason } from '../src/core/channel-managers.ts';
import type { ChannelChange, Command, CommandContext, Invoker, OptionValues } from '../src/core/command.ts';
import type { FeedbackScope, FeedbackService } from '../src/core/library/feedback.ts';
import type { Paper } from '../src/core/papers/paper.ts';
import { clipLine, paperActions, paperCard } from '../src/core/present/cards.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import { type Block, errorReply, type Reply, textReply } from '../src/core/reply.ts';
import type { FeedbackItem } from '../src/core/store/store.ts';
import { paperAutocomplete } from './related.ts';

type Action = 'list' | 'add' | 'remove' | 'toggle' | 'undo';
/** Giving or taking back a 👎 changes what the channel is recommended and alerted: a member's to do. */
const SAYS_NOT_FOR_US: ChannelChange = {
  right: 'member',
  what: 'say 👎 Not for us for this channel, or take one back',
};
const TYPED: readonly Action[] = ['list', 'add', 'remove'];
const ACTIONS: readonly Action[] = [...TYPED, 'toggle', 'undo'];
/** Papers the list shows (newest 👎 first); the rest are counted. */
export const FEEDBACK_LIST_SIZE = 10;

/** `remove 2503.20680` typed after `/paper feedback`, or the action and paper as separate options (Discord). */
export function parseFeedbackOptions(options: OptionValues): { action: Action; paper?: string } | { error: string } {
  const text = String(options.action ?? '').trim();
  const [first = '', ...rest] = text.split(/\s+/);
  const action = (first.toLowerCase() || 'list') as Action;
  if (!ACTIONS.includes(action))
    return { error: `I don't know "${clipLine(first, 40)}" here: try list, add <paper> or remove <paper>.` };
  const paper = (typeof options.paper === 'string' && options.paper.trim()) || rest.join(' ') || undefined;
  return { action, ...(paper ? { paper } : {}) };
}

export const feedback: Command = {
  name: 'feedback',
  description: 'Papers this channel said 👎 Not for us to; remove <paper> takes one back',
  usage: '/paper feedback [add <paper> | remove <paper>]',
  examples: ['/paper feedback', '/paper feedback remove 2503.20680', '/paper feedback add 2503.20680'],
  options: [
    {
      name: 'action',
      description: 'list (default), add or remove',
      type: 'string',
      choices: TYPED.map((a) => ({ name: a, value: a })),
    },
    {
      name: 'paper',
      description: 'The paper: arXiv id, link, or title words',
      type: 'string',
      autocomplete: 'paper',
    },
  ],
  changesChannel: (options) => {
    const parsed = parseFeedbackOptions(options);
    return 'action' in parsed && parsed.action !== 'list' ? SAYS_NOT_FOR_US : undefined;
  },
  buttons: {
    'not-for-us': {
      code: 'n',
      label: '👎 Not for us',
      options: ({ arg }) => ({ action: 'toggle', paper: arg }),
    },
    'feedback-remove': {
      code: 'w',
      label: 'Take back 👎',
      options: ({ arg }) => ({ action: 'remove', paper: arg }),
    },
  },
  autocomplete: paperAutocomplete,
  async run(ctx: CommandContext): Promise<Reply> {
    const service = ctx.services.feedback;
    if (!service) return errorReply('Feedback is not available here.');
    const parsed = parseFeedbackOptions(ctx.options);
    if ('error' in parsed) return errorReply(parsed.error);
    const scope: FeedbackScope = channelKey(ctx.invoker);
    if (parsed.action === 'list') return list(ctx, service, scope);
    if (!parsed.paper) return errorReply(`Which paper? ${ctx.commandLine(`/paper feedback ${parsed.action} <paper>`)}`);
    const resolved = await resolvePaper(ctx.services, parsed.paper);
    if ('error' in resolved) return errorReply(resolved.error);
    const { paper } = resolved;
    switch (parsed.action) {
      case 'remove':
        return remove(ctx, service, scope, paper);
      case 'undo':
        return (await service.takeBack(scope, paper, ctx.invoker.userId))
          ? takenBack(ctx, service, scope, paper)
          : textReply(`You had not said 👎 to ${quoted(paper)} here.`);
      case 'add':
        return (await service.give(scope, paper, await userOf(ctx.invoker)))
          ? given(ctx, scope, paper)
          : textReply(`You have said 👎 to ${quoted(paper)} here already. ${takeBackHint(ctx, paper)}`);
      default:
        return (await service.toggle(scope, paper, await userOf(ctx.invoker))) === 'given'
          ? given(ctx, scope, paper)
          : takenBack(ctx, service, scope, paper);
    }
  },
};

function quoted(paper: Paper): string {
  return `"${clipLine(paper.title, 120)}"`;
}

function takeBackHint(ctx: CommandContext, paper: Paper): string {
  return `Press 👎 again, or ${ctx.commandLine(`/paper feedback remove ${paper.id}`)}, to take it back.`;
}

/** The person, with the name people see: the platform's check tells it where the invoker came without one (Slack). */
async function userOf(invoker: Invoker): Promise<{ id: string; name?: string }> {
  const name = await nameOf(invoker);
  return name ? { id: invoker.userId, name } : { id: invoker.userId };
}

async function given(ctx: CommandContext, scope: FeedbackScope, paper: Paper): Promise<Reply> {
  const lines = [
    `👎 Noted: ${quoted(paper)} will not be recommended or alerted in this channel again, and papers like it rank ` +
      `lower here. ${takeBackHint(ctx, paper)}`,
  ];
  const saved = await ctx.services.library?.find(scope, paper);
  if (saved)
    lines.push(
      `It stays in this channel's library (saved by ${saved.savedByName ? clipLine(saved.savedByName, 80) : 'a teammate'}), ` +
        `and counts as wanted while it is there: ${ctx.commandLine(`/paper library remove ${paper.id}`)} takes it out.`,
    );
  return textReply(lines.join('\n'));
}

async function takenBack(
  ctx: CommandContext,
  service: FeedbackService,
  scope: FeedbackScope,
  paper: Paper,
): Promise<Reply> {
  const others = await service.on(scope, paper);
  const still = others.length
    ? ` ${names(others, ctx.invoker)} still said 👎 to it, so it stays out of this channel's recommendations.`
    : ' It may be recommended here again.';
  return textReply(`Took back your 👎 on ${quoted(paper)}.${still}`);
}

/** "alice, bob and 2 others", by the names given when they said no (never mentions). */
function names(items: readonly FeedbackItem[], invoker: Invoker): string {
  const shown = items
    .slice(0, 3)
    .map((item) =>
      item.givenBy === invoker.userId ? 'you' : item.givenByName ? clipLine(item.givenByName, 60) : 'a teammate',
    );
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} other${more === 1 ? '' : 's'}`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

async function list(ctx: CommandContext, service: FeedbackService, scope: FeedbackScope): Promise<Reply> {
  const declined = await service.declined(scope);
  if (!declined.length)
    return textReply(
      'This channel has said 👎 to no paper yet. Press 👎 Not for us on an alert or a recommendation (or react 👎 to ' +
        'it) and that paper never comes back here; papers like it rank lower.',
    );
  const shown = declined.slice(0, FEEDBACK_LIST_SIZE);
  const heading = `This channel said 👎 Not for us to ${declined.length} paper${declined.length === 1 ? '' : 's'} (newest first)`;
  const blocks: Block[] = [{ kind: 'text', text: heading, style: 'heading' }];
  for (const { paper, by } of shown)
    blocks.push({
      kind: 'paper',
      card: {
        ...paperCard(paper, ctx.buttons, { actions: paperActions(paper, ctx.buttons, ['summary', 'feedback-remove']) }),
        gist: `👎 by ${names(by, ctx.invoker)} (${by[0]!.givenAt.slice(0, 10)})`,
      },
    });
  if (declined.length > shown.length)
    blocks.push({
      kind: 'text',
      text: `… and ${declined.length - shown.length} more, older. They stay out of recommendations too.`,
      style: 'muted',
    });
  blocks.push({
    kind: 'text',
    text: `${ctx.commandLine('/paper feedback remove <paper>')} takes a 👎 back: your own, or anyone's for ${managersOf(ctx.invoker)}.`,
    style: 'muted',
  });
  return { blocks, visibility: 'ephemeral', fallback: heading };
}

async function remove(
  ctx: CommandContext,
  service: FeedbackService,
  scope: FeedbackScope,
  paper: Paper,
): Promise<Reply> {
  const given = await service.on(scope, paper);
  if (!given.length) return errorReply(`This channel has not said 👎 to ${quoted(paper)}.`);
  const mine = given.some((item) => item.givenBy === ctx.invoker.userId);
  const others = given.filter((item) => item.givenBy !== ctx.invoker.userId);
  let remover = ctx.invoker.userName;
  if (others.length) {
    // Someone else's 👎 too: only a channel manager takes back everyone's. Deny by default.
    const answer = await channelRightAnswer(ctx.invoker);
    remover ??= answer.name;
    if (!answer.allowed) {
      if (!mine)
        return errorReply(
          withReason(
            `Only the member who said 👎 to ${quoted(paper)} (${names(others, ctx.invoker)}), or ` +
              `${managersOf(ctx.invoker)}, may take it back.`,
            answer,
          ),
        );
      await service.takeBack(scope, paper, ctx.invoker.userId);
      return takenBack(ctx, service, scope, paper);
    }
    if (!(await service.takeBackAll(scope, paper)))
      return errorReply(`This channel has not said 👎 to ${quoted(paper)}.`);
  } else if (!(await service.takeBack(scope, paper, ctx.invoker.userId)))
    return errorReply(`This channel has not said 👎 to ${quoted(paper)}.`);
  // Said in the channel, by name and never as a mention: everyone sees what may come back.
  const who = remover ? clipLine(remover, 80) : 'Someone';
  const whose = others.length ? ` (given by ${names(given, { ...ctx.invoker, userId: '' })})` : '';
  return {
    ...textReply(`${who} took back the 👎 on ${quoted(paper)}${whose}: it may be recommended here again.`, 'public'),
    attributed: true,
  };
}
