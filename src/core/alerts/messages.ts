/**
 * What an alert looks like, in the neutral Reply model: a compact paper card with one line saying why it came (with its
 * summary in the card's thread), or a digest listing the top papers with the rest in the thread. Every card has a
 * 👎 Not for us button.
 */

import type { Buttons } from '../actions.ts';
import { libraryAlertPerDay } from '../library/library-query.ts';
import type { Paper } from '../papers/paper.ts';
import { clipLine, paperActions, paperCard, summaryReply } from '../present/cards.ts';
import { type Why, whyLine } from '../present/why.ts';
import type { Block, Reply } from '../reply.ts';
import type { Summary } from '../summarize/summarize.ts';

export interface AlertItem {
  paper: Paper;
  matched: string[];
  subscriptionId: number;
  query?: string;
  /** Why it came, as recorded when it was matched (absent for alerts queued before reasons were kept). */
  why?: Why;
}

export interface MessageDeps {
  /** The dispatcher's buttons (Summary, Related and Unsubscribe are declared by their commands). */
  buttons: Buttons;
  summarize(paper: Paper): Summary;
}

/** How many papers a digest shows in the channel; the rest go in its thread. */
export const DIGEST_TOP = 5;
const THREAD_CHUNK = 5;

/** The reason recorded with the alert, else what the subscription and the matched words say. */
export function alertWhy(item: AlertItem): Why {
  if (item.why) return item.why;
  if (item.query !== undefined && libraryAlertPerDay(item.query) !== undefined)
    return { kind: 'like', terms: item.matched };
  return { kind: 'query', subscriptionId: item.subscriptionId, query: item.query ?? '', terms: item.matched };
}

function card(item: AlertItem, deps: MessageDeps, withUnsubscribe: boolean): Block {
  const actions = paperActions(item.paper, deps.buttons, ['summary', 'related', 'save', 'not-for-us']);
  if (withUnsubscribe) actions.push(deps.buttons.action({ verb: 'unsubscribe', arg: String(item.subscriptionId) }));
  return {
    kind: 'paper',
    card: { ...paperCard(item.paper, deps.buttons, { actions }), why: whyLine(alertWhy(item)) },
  };
}

/** One paper: its card in the channel, its summary in the card's thread. */
export function alertReply(item: AlertItem, deps: MessageDeps): Reply {
  const label = item.query
    ? `New paper for your subscription #${item.subscriptionId} (${clipLine(item.query, 80)})`
    : `New paper for subscription #${item.subscriptionId}`;
  return {
    blocks: [{ kind: 'text', text: label, style: 'muted' }, card(item, deps, true)],
    visibility: 'public',
    fallback: `New paper: ${clipLine(item.paper.title, 150)} (matched: ${item.matched.join(', ')})`,
    thread: [summaryReply(item.paper, deps.summarize(item.paper))],
  };
}

/** Many papers at once: the top ones in the channel, the rest (as cards) in the thread. */
export function digestReply(items: AlertItem[], deps: MessageDeps, title?: string): Reply {
  const top = items.slice(0, DIGEST_TOP);
  const rest = items.slice(DIGEST_TOP);
  const heading = title ?? `${items.length} new papers for this channel's subscriptions`;
  const blocks: Block[] = [
    { kind: 'text', text: heading, style: 'heading' },
    ...top.map((item) => card(item, deps, false)),
  ];
  if (rest.length) blocks.push({ kind: 'text', text: `${rest.length} more in the thread.`, style: 'muted' });
  const thread: Reply[] = [];
  for (let i = 0; i < rest.length; i += THREAD_CHUNK) {
    const chunk = rest.slice(i, i + THREAD_CHUNK);
    thread.push({
      blocks: chunk.map((item) => card(item, deps, false)),
      visibility: 'public',
      fallback: chunk.map((item) => clipLine(item.paper.title, 100)).join('; '),
    });
  }
  return {
    blocks,
    visibility: 'public',
    fallback: `${heading}: ${top.map((item) => clipLine(item.paper.title, 80)).join('; ')}`,
    thread,
  };
}
