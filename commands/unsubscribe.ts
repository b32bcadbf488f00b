/** `/paper unsubscribe <id>`: stops one of this channel's subscriptions (ids from other channels are not found). */
import { CHANGES_ALERTS } from '../src/core/channel-managers.ts';
import type { Command } from '../src/core/command.ts';
import { errorReply, type Reply, textReply } from '../src/core/reply.ts';

export const unsubscribe: Command = {
  name: 'unsubscribe',
  description: "Stop one of this channel's paper alerts",
  usage: '/paper unsubscribe <id>',
  examples: ['/paper unsubscribe 3'],
  changesChannel: CHANGES_ALERTS,
  options: [
    {
      name: 'id',
      description: 'Subscription id, as the subscriptions command lists them',
      type: 'string',
      required: true,
    },
  ],
  buttons: { unsubscribe: { code: 'u', label: 'Unsubscribe', options: ({ arg }) => ({ id: arg }) } },
  async run({ services, options, invoker, commandLine }): Promise<Reply> {
    const alerts = services.alerts;
    if (!alerts) return errorReply('Subscriptions are not available here.');
    const raw = String(options.id ?? '')
      .trim()
      .replace(/^#/, '');
    const list = commandLine('/paper subscriptions');
    if (!/^\d{1,12}$/.test(raw))
      return errorReply(
        `Give the number of the subscription to remove, e.g. ${commandLine('/paper unsubscribe 3')} (see ${list}).`,
      );
    const removed = await alerts.unsubscribe(invoker, Number(raw));
    if (!removed) return errorReply(`This channel has no subscription #${raw}. See ${list}.`);
    return textReply(`Unsubscribed this channel from #${removed.id}: ${removed.query}`, 'public');
  },
};
