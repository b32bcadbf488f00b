/**
 * `/paper subscribe <query>`: this channel gets an alert (or a daily digest) for every new paper matching the query.
 */

import { parseSubscribeText, type SubscribeOptions } from '../src/core/alerts/service.ts';
import { channelKey } from '../src/core/channel-key.ts';
import type { Command } from '../src/core/command.ts';
import {
  DEFAULT_PER_DAY,
  libraryAlertPerDay,
  libraryAlertQuery,
  MAX_PER_DAY,
} from '../src/core/library/library-query.ts';
import { errorReply, type Reply, textReply } from '../src/core/reply.ts';
import type { Subscription } from '../src/core/store/store.ts';

export function describeSubscription(s: Subscription): string {
  const when = s.mode === 'daily' ? `daily digest at ${s.digestTime} ${s.timeZone}` : 'instant';
  return `#${s.id}  ${describeQuery(s.query)}  (${when})`;
}

function describeQuery(query: string): string {
  const perDay = libraryAlertPerDay(query);
  return perDay === undefined ? query : `papers like this channel's library (about ${perDay} a day)`;
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
  usage: '/paper subscribe <query> | --like-library [--per-day N] [--daily HH:MM] [--tz Area/City]',
  examples: [
    '/paper subscribe lora adapter',
    '/paper subscribe "speculative decoding" -survey --daily 09:00 --tz Europe/Berlin',
    '/paper subscribe author:"Tri Dao"',
    '/paper subscribe --like-library --daily 09:00',
  ],
  managesChannel: true,
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
  ],
  async run({ services, options, invoker, commandLine }): Promise<Reply> {
    const alerts = services.alerts;
    if (!alerts) return errorReply('Subscriptions are not available here.');
    let text = String(options.query ?? '');
    const library = likeLibrary(text);
    if (library && 'error' in library) return errorReply(library.error);
    if (library) {
      if (!(await services.library?.count(channelKey(invoker))))
        return errorReply("This channel's library is empty: save some papers first, then subscribe to more like them.");
      text = library.rest;
    }
    const parsed = parseSubscribeText(text);
    if (parsed.error) return errorReply(parsed.error);
    if (library) parsed.query = library.query;
    const typed: SubscribeOptions = {
      ...(options.mode === 'daily' || options.mode === 'instant' ? { mode: options.mode } : {}),
      ...(typeof options.time === 'string' && options.time ? { time: options.time, mode: 'daily' as const } : {}),
      ...(typeof options.timezone === 'string' && options.timezone ? { timeZone: options.timezone } : {}),
    };
    const result = await alerts.subscribe(invoker, parsed.query, { ...parsed.options, ...typed, commandLine });
    if ('error' in result) return errorReply(result.error);
    const s = result.subscription;
    const how =
      s.mode === 'daily'
        ? `I will post a daily digest at ${s.digestTime} (${s.timeZone}) of new papers matching it.`
        : 'I will post each new paper matching it here, with its summary in the thread.';
    return textReply(
      `Subscribed this channel to: ${describeQuery(s.query)} (subscription #${s.id}). ` +
        `${how} Remove it with ${commandLine(`/paper unsubscribe ${s.id}`)}.`,
      'public',
    );
  },
};
