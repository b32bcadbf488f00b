/**
 * `/paper trending [today|week] [topic]`: the papers with the most Hugging Face upvotes on its daily list today (the
 * newest list polled) or this week, with their upvotes and comments; a topic narrows them through the search engine.
 */
import type { Command, CommandContext, OptionValues } from '../src/core/command.ts';
import { clipLine, paperActions, paperCard } from '../src/core/present/cards.ts';
import { whyLine } from '../src/core/present/why.ts';
import { type Block, errorReply, type Reply, textReply } from '../src/core/reply.ts';
import { TRENDING_PERIODS, type TrendingPeriod } from '../src/core/trending/service.ts';

/** Papers shown. */
export const TRENDING_SHOWN = 10;
/** A newest list older than this many days is said to be old. */
const STALE_DAYS = 2;

/** `week lora`, `today`, `diffusion` typed after `/paper trending`; or the options given separately (Discord). */
export function parseTrendingOptions(options: OptionValues): { period: TrendingPeriod; topic?: string } {
  const words = String(options.period ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  let period: TrendingPeriod = 'today';
  const first = words[0]?.toLowerCase();
  if (first && (TRENDING_PERIODS as readonly string[]).includes(first)) {
    period = first as TrendingPeriod;
    words.shift();
  }
  const topic = [words.join(' '), typeof options.topic === 'string' ? options.topic : ''].join(' ').trim();
  return { period, ...(topic ? { topic } : {}) };
}

export const trending: Command = {
  name: 'trending',
  description: 'The papers with the most Hugging Face upvotes today or this week, optionally on a topic',
  usage: '/paper trending [today|week] [topic]',
  examples: ['/paper trending', '/paper trending week', '/paper trending week diffusion'],
  options: [
    {
      name: 'period',
      description: 'today (the newest daily list, the default) or week',
      type: 'string',
      choices: TRENDING_PERIODS.map((p) => ({ name: p, value: p })),
    },
    { name: 'topic', description: 'Only papers matching these words (the search syntax)', type: 'string' },
  ],
  async run(ctx: CommandContext): Promise<Reply> {
    const service = ctx.services.trending;
    if (!service) return errorReply('Trending papers are not available here.');
    const { period, topic } = parseTrendingOptions(ctx.options);
    const answer = await service.top(period, topic, TRENDING_SHOWN);
    if (answer.kind === 'error') return errorReply(answer.error);
    if (answer.kind === 'no-data')
      return textReply(
        "I have no upvote data: trending papers come from Hugging Face's daily papers, and no poll of that source " +
          "has stored any here yet (it is polled when SOURCES includes huggingface, on the bot's schedule or by " +
          `\`paperboy poll\`; see docs/alerts.md). Meanwhile, ${ctx.commandLine('/paper <topic> sort:new')} lists ` +
          'the newest papers on a topic.',
      );
    const when =
      answer.period === 'today' ? `today (${answer.until})` : `this week (${answer.since} to ${answer.until})`;
    const on = topic ? ` on "${clipLine(topic, 60)}"` : '';
    const asOf = `upvotes as of ${answer.asOf.slice(0, 16).replace('T', ' ')} UTC`;
    const stale = daysBetween(answer.until, new Date().toISOString().slice(0, 10)) > STALE_DAYS;
    const staleNote = stale
      ? ` The newest Hugging Face list I have is from ${answer.until}: its source may not be polling (${ctx.commandLine('/paper subscriptions')} says when it last answered).`
      : '';
    if (!answer.entries.length) {
      const none = topic
        ? `None of the ${answer.featured} papers on Hugging Face's list ${when} matches "${clipLine(topic, 60)}".`
        : `Hugging Face's list ${when} has no papers yet.`;
      return textReply(`${none}${staleNote}`);
    }
    const heading = `Trending on Hugging Face ${when}${on}`;
    const blocks: Block[] = [
      { kind: 'text', text: heading, style: 'heading' },
      {
        kind: 'text',
        text:
          `${answer.entries.length} of ${answer.matching}${topic ? ` matching (of ${answer.featured})` : ''} ` +
          `papers, most upvoted first; ${asOf}.${staleNote}`,
        style: 'muted',
      },
    ];
    for (const { paper, signal } of answer.entries)
      blocks.push({
        kind: 'paper',
        card: {
          ...paperCard(paper, ctx.buttons, {
            actions: paperActions(paper, ctx.buttons, ['summary', 'related', 'save']),
          }),
          upvotes: signal.upvotes,
          why: whyLine({
            kind: 'trending',
            upvotes: signal.upvotes,
            day: signal.featuredOn,
            ...(signal.comments === undefined ? {} : { comments: signal.comments }),
          }),
        },
      });
    return { blocks, visibility: 'ephemeral', fallback: heading };
  },
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
