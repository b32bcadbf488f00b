/**
 * `/paper subscriptions`: this channel's subscriptions (id, query, schedule, last match); `resume` restarts paused
 * alerts.
 */
import type { Command, OptionValues } from '../src/core/command.ts';
import { errorReply, type Reply, textReply } from '../src/core/reply.ts';
import { describeSubscription } from './subscribe.ts';

export const subscriptions: Command = {
  name: 'subscriptions',
  description: "List this channel's paper alerts",
  usage: '/paper subscriptions [resume]',
  examples: ['/paper subscriptions', '/paper subscriptions resume'],
  // Anyone may see what the channel follows; resuming its alerts is a manager's.
  managesChannel: (options) => actionOf(options) === 'resume',
  options: [
    {
      name: 'action',
      description: '"resume" restarts alerts paused because I could not post here',
      type: 'string',
      choices: [{ name: 'resume', value: 'resume' }],
    },
  ],
  async run({ services, options, invoker, commandLine, usage }): Promise<Reply> {
    const alerts = services.alerts;
    if (!alerts) return errorReply('Subscriptions are not available here.');
    const action = actionOf(options);
    if (action && action !== 'resume') return errorReply(`Usage: ${usage(subscriptions)}`);
    const lines: string[] = [];
    if (action === 'resume')
      lines.push(
        (await alerts.resume(invoker))
          ? 'Alerts for this channel are resumed; waiting alerts go out with the next round.'
          : 'Alerts for this channel were not paused.',
      );
    const { subscriptions: list, paused } = await alerts.list(invoker);
    if (paused)
      lines.push(
        `Alerts here are paused since ${paused.pausedAt.slice(0, 16).replace('T', ' ')} UTC: ` +
          `I could not post (${paused.reason}). Fix my access, then run ${commandLine('/paper subscriptions resume')}.`,
      );
    if (!list.length) {
      lines.push(`This channel has no subscriptions. Add one with ${commandLine('/paper subscribe <query>')}.`);
    } else {
      lines.push(`This channel follows ${list.length} ${list.length === 1 ? 'query' : 'queries'}:`);
      for (const s of list) {
        const lastMatch = s.lastMatchAt
          ? s.lastMatchAt.slice(0, 10) + (s.lastMatchPaper ? ` (${s.lastMatchPaper})` : '')
          : 'none yet';
        lines.push(`${describeSubscription(s)}  last match: ${lastMatch}`);
      }
    }
    return textReply(lines.join('\n'));
  },
};

function actionOf(options: OptionValues): string {
  return String(options.action ?? '')
    .trim()
    .toLowerCase();
}
