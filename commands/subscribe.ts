/**
 * `/paper subscribe <query>`: this channel gets an alert (or a daily digest) for every new paper matching the query.
 */

import { parseSubscribeText, type SubscribeOptions } from '../src/core/alerts/service.ts';
import type { Command } from '../src/core/command.ts';
import { errorReply, type Reply, textReply } from '../src/core/reply.ts';
import type { Subscription } from '../src/core/store/store.ts';

export function describeSubscription(s: Subscription): string {
  const when = s.mode === 'daily' ? `daily digest at ${s.digestTime} ${s.timeZone}` : 'instant';
  return `#${s.id}  ${s.query}  (${when})`;
}

export const subscribe: Command = {
  name: 'subscribe',
  description: 'Alert this channel about new papers matching a query',
  usage: '/paper subscribe <query> [--daily HH:MM] [--tz Area/City]',
  examples: [
    '/paper subscribe lora adapter',
    '/paper subscribe "speculative decoding" -survey --daily 09:00 --tz Europe/Berlin',
    '/paper subscribe author:"Tri Dao"',
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
    const parsed = parseSubscribeText(String(options.query ?? ''));
    if (parsed.error) return errorReply(parsed.error);
    const typed: SubscribeOptions = {
      ...(options.mode === 'daily' || options.mode === 'instant' ? { mode: options.mode } : {}),
      ...(typeof options.time === 'string' && options.time ? { time: options.time, mode: 'daily' as const } : {}),
      ...(typeof options.timezone === 'string' && options.timezone ? { timeZone: options.timezone } : {}),
    };
    const result = await alerts.subscribe(invoker, parsed.query, { ...parsed.options, ...typed });
    if ('error' in result) return errorReply(result.error);
    const s = result.subscription;
    const how =
      s.mode === 'daily'
        ? `I will post a daily digest at ${s.digestTime} (${s.timeZone}) of new papers matching it.`
        : 'I will post each new paper matching it here, with its summary in the thread.';
    return textReply(
      `Subscribed this channel to: ${s.query} (subscription #${s.id}). ` +
        `${how} Remove it with ${commandLine(`/paper unsubscribe ${s.id}`)}.`,
      'public',
    );
  },
};
