/**
 * `/paper subscribe <query>`: this channel gets an alert (or a daily digest) for every new paper matching the query;
 * `--like-library` follows the library instead, `--trending [--min-upvotes N]` Hugging Face's upvotes; `--quiet-note`
 * posts a line on a day a daily digest found nothing.
 */

import { parseSubscribeText, type SubscribeOptions } from '../src/core/alerts/service.ts';
import { subscriptionLabel } from '../src/core/alerts/subscription-label.ts';
import { channelKey } from '../src/core/channel-key.ts';
import { CHANGES_ALERTS } from '../src/core/channel-managers.ts';
import type { Command } from '../src/core/command.ts';
import {
  DEFAULT_PER_DAY,
  libraryAlertPerDay,
  libraryAlertQuery,
  MAX_PER_DAY,
} from '../src/core/library/library-query.ts';
import { errorReply, type Reply, textReply } from '../src/core/reply.ts';
import type { Subscription } from '../src/core/store/store.ts';
import {
  DEFAULT_MIN_UPVOTES,
  MAX_MIN_UPVOTES,
  trendingMinUpvotes,
  trendingQuery,
} from '../src/core/trending/trending-query.ts';

export function describeSubscription(s: Subscription, quietNote = false): string {
  const when = s.mode === 'daily' ? `daily digest at ${s.digestTime} ${s.timeZone}` : 'instant';
  return `#${s.id}  ${describeQuery(s.query)}  (${when}${quietNote ? ', quiet-day note' : ''})`;
}

function describeQuery(query: string): string {
  return subscriptionLabel(query);
}

/** `--trending [--min-upvotes N]`: the trending subscription's query, the rest of the text, or a problem. */
function trendingFlag(text: string): { query: string; rest: string } | { error: string } | undefined {
  if (!/(^|\s)--trending(?=\s|$)/i.test(text)) return undefined;
  let min = DEFAULT_MIN_UPVOTES;
  let rest = text.replace(/(^|\s)--trending(?=\s|$)/gi, ' ');
  const given = /(^|\s)--min-upvotes[ =](\S+)/i.exec(rest);
  if (given) {
    min = Number(given[2]);
    if (!Number.isInteger(min) || min < 1 || min > MAX_MIN_UPVOTES)
      return { error: `--min-upvotes takes a whole number from 1 to ${MAX_MIN_UPVOTES.toLocaleString('en')}.` };
    rest = rest.replace(given[0], ' ');
  }
  if (rest.replace(/(^|\s)--\S+(\s+\d{1,2}[:.h]\d\d|\s+\S+\/\S+)?/g, ' ').trim())
    return { error: '--trending follows Hugging Face upvotes, not a query: give no other words.' };
  return { query: trendingQuery(min), rest };
}

/** `--quiet-note` anywhere in the text: whether it was there, and the text without it. */
function quietNoteFlag(text: string): { on: boolean; rest: string } {
  const flag = /(^|\s)--quiet-note(?=\s|$)/gi;
  return { on: flag.test(text), rest: text.replace(flag, ' ') };
}

/** `--like-library [--per-day N]`: the library subscription's query, the rest of the text, or a problem. */
function likeLibrary(text: string): { query: string; rest: string } | { error: string } | undefined {
  if (!/(^|\s)--like-library(?=\s|$)/i.test(text)) return undefined;
  let perDay = DEFAULT_PER_DAY;
  let rest = text.replace(/(^|\s)--like-library(?=\s|$)/gi, ' ');
  const given = /(^|\s)--per-day[ =](\S+)/i.exec(rest);
  if (given) {
    perDay = Number(given[2]);
    if (!Number.isInteger(perDay) || perDay < 1 || perDay > MAX_PER_DAY)
      return { error: `--per-day takes a whole number from 1 to ${MAX_PER_DAY}.` };
    rest = rest.replace(given[0], ' ');
  }
  if (rest.replace(/(^|\s)--\S+(\s+\d{1,2}[:.h]\d\d|\s+\S+\/\S+)?/g, ' ').trim())
    return { error: '--like-library follows the library, not a query: give no other words.' };
  return { query: libraryAlertQuery(perDay), rest };
}

export const subscribe: Command = {
  name: 'subscribe',
  description: 'Alert this channel about new papers matching a query',
  usage:
    '/paper subscribe <query> | --like-library [--per-day N] | --trending [--min-upvotes N] ' +
    '[--daily HH:MM [--quiet-note]] [--tz Area/City]',
  examples: [
    '/paper subscribe lora adapter',
    '/paper subscribe "speculative decoding" -survey --daily 09:00 --tz Europe/Berlin',
    '/paper subscribe author:"Tri Dao"',
    '/paper subscribe --like-library --daily 09:00',
    '/paper subscribe --trending --min-upvotes 100',
    '/paper subscribe lora --daily 09:00 --quiet-note',
  ],
  changesChannel: CHANGES_ALERTS,
  options: [
    {
      name: 'query',
      description: 'What to follow (the search query language: "phrases", -exclusions, author:, cat:)',
      type: 'string',
      required: true,
    },
    {
      name: 'mode',
      description: 'Post each paper at once, or a daily digest',
      type: 'string',
      choices: [
        { name: 'instant', value: 'instant' },
        { name: 'daily digest', value: 'daily' },
      ],
    },
    { name: 'time', description: 'Daily digest time, HH:MM', type: 'string' },
    { name: 'timezone', description: 'Time zone of the digest time, e.g. Europe/Berlin', type: 'string' },
    {
      name: 'quiet-note',
      description: 'Daily digests: post one line on a day nothing matched',
      type: 'boolean',
    },
  ],
  async run({ services, options, invoker, commandLine }): Promise<Reply> {
    const alerts = services.alerts;
    if (!alerts) return errorReply('Subscriptions are not available here.');
    const quiet = quietNoteFlag(String(options.query ?? ''));
    let text = quiet.rest;
    const quietNote = quiet.on || options['quiet-note'] === true;
    const library = likeLibrary(text);
    if (library && 'error' in library) return errorReply(library.error);
    const trendingSub = library ? undefined : trendingFlag(text);
    if (trendingSub && 'error' in trendingSub) return errorReply(trendingSub.error);
    if (library) {
      if (!(await services.library?.count(channelKey(invoker))))
        return errorReply("This channel's library is empty: save some papers first, then subscribe to more like them.");
      text = library.rest;
    }
    if (trendingSub) text = trendingSub.rest;
    const parsed = parseSubscribeText(text);
    if (parsed.error) return errorReply(parsed.error);
    if (library) parsed.query = library.query;
    else if (trendingSub) parsed.query = trendingSub.query;
    else if (libraryAlertPerDay(parsed.query) !== undefined || trendingMinUpvotes(parsed.query) !== undefined)
      return errorReply('That is how I store --like-library and --trending subscriptions: use those options.');
    const typed: SubscribeOptions = {
      ...(options.mode === 'daily' || options.mode === 'instant' ? { mode: options.mode } : {}),
      ...(typeof options.time === 'string' && options.time ? { time: options.time, mode: 'daily' as const } : {}),
      ...(typeof options.timezone === 'string' && options.timezone ? { timeZone: options.timezone } : {}),
    };
    const mode = typed.mode ?? parsed.options.mode;
    if (quietNote && mode !== 'daily')
      return errorReply(
        `--quiet-note goes with a daily digest: add --daily (e.g. ${commandLine('/paper subscribe lora --daily 09:00 --quiet-note')}).`,
      );
    if (quietNote && !services.quietNotes) return errorReply('Quiet-day notes are not available here.');
    const result = await alerts.subscribe(invoker, parsed.query, { ...parsed.options, ...typed, commandLine });
    if ('error' in result) return errorReply(result.error);
    const s = result.subscription;
    if (quietNote) await services.quietNotes?.setQuietNote(s.id, true);
    const what = trendingSub ? 'papers reaching that many upvotes' : 'new papers matching it';
    const how =
      s.mode === 'daily'
        ? `I will post a daily digest at ${s.digestTime} (${s.timeZone}) of ${what}` +
          (quietNote ? ', and one line on a day there are none.' : '.')
        : trendingSub
          ? 'I will post each paper here once, when it reaches that many upvotes on Hugging Face.'
          : 'I will post each new paper matching it here, with its summary in the thread.';
    const noData =
      trendingSub && services.trending && !(await services.trending.hasData())
        ? ' I have no Hugging Face upvote data yet: alerts start once that source is polled (SOURCES=huggingface).'
        : '';
    return textReply(
      `Subscribed this channel to: ${describeQuery(s.query)} (subscription #${s.id}). ` +
        `${how} Remove it with ${commandLine(`/paper unsubscribe ${s.id}`)}.${noData}`,
      'public',
    );
  },
};
