/**
 * `/paper subscriptions`: this channel's subscriptions (id, query, schedule, last match) and why a quiet channel is
 * quiet: when each source was last polled and whether it answered, how many new papers the last round checked, what
 * is paused and why, and which alerts could not be delivered. `resume` restarts paused alerts and re-queues the
 * undelivered ones.
 */
import { explainPause, pauseFix } from '../src/core/alerts/pause-reasons.ts';
import { type SourceHealth, sourceLabel } from '../src/core/alerts/source-health.ts';
import { CHANGES_ALERTS } from '../src/core/channel-managers.ts';
import type { Command, OptionValues } from '../src/core/command.ts';
import { clipLine, readableId } from '../src/core/present/cards.ts';
import { errorReply, type Reply, textReply } from '../src/core/reply.ts';
import type { Services } from '../src/core/services.ts';
import { describeSubscription } from './subscribe.ts';

export const subscriptions: Command = {
  name: 'subscriptions',
  description: "List this channel's paper alerts",
  usage: '/paper subscriptions [resume]',
  examples: ['/paper subscriptions', '/paper subscriptions resume'],
  // Anyone may see what the channel follows; resuming its alerts is a manager's.
  changesChannel: (options) => (actionOf(options) === 'resume' ? CHANGES_ALERTS : undefined),
  options: [
    {
      name: 'action',
      description: '"resume" restarts paused alerts and re-sends those that could not be delivered',
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
    if (action === 'resume') {
      const resumed = await alerts.resume(invoker);
      const requeued = await alerts.retryDead(invoker);
      if (resumed) lines.push('Alerts for this channel are resumed; waiting alerts go out with the next round.');
      if (requeued)
        lines.push(`${plural(requeued, 'undelivered alert')} queued again; they go out with the next round.`);
      if (!resumed && !requeued) lines.push('Alerts for this channel were not paused.');
    }
    const { subscriptions: list, paused, waiting, dead } = await alerts.list(invoker);
    if (paused) {
      const explained = explainPause(paused.reason, invoker.explainPause);
      lines.push(
        `Alerts here are paused since ${minute(paused.pausedAt)} UTC: ${explained.why}. ` +
          `${pauseFix(explained, commandLine('/paper subscriptions resume'))} ${waitingLine(waiting)}`,
      );
    }
    if (dead.length) {
      const total = dead.reduce((n, d) => n + d.count, 0);
      const reasons = dead.length === 1 ? dead[0]!.reason : dead.map((d) => `${d.reason} (${d.count})`).join('; ');
      lines.push(
        `${plural(total, 'alert')} could not be delivered: ${reasons}. ` +
          `To try again, run ${commandLine('/paper subscriptions resume')}.`,
      );
    }
    if (!list.length) {
      lines.push(`This channel has no subscriptions. Add one with ${commandLine('/paper subscribe <query>')}.`);
    } else {
      const quiet = (await services.quietNotes?.quietNotes(list.map((s) => s.id))) ?? new Set<number>();
      lines.push(`This channel follows ${list.length} ${list.length === 1 ? 'query' : 'queries'}:`);
      for (const s of list) {
        // The paper's id only when a reader can look it up (an arXiv id or a DOI).
        const paper = s.lastMatchPaper && readableId(s.lastMatchPaper);
        const lastMatch = s.lastMatchAt
          ? s.lastMatchAt.slice(0, 16).replace('T', ' ') + (paper ? ` UTC (${paper})` : ' UTC')
          : 'none yet';
        lines.push(`${describeSubscription(s, quiet.has(s.id))}  last match: ${lastMatch}`);
      }
      lines.push(...(await pollStatus(services)));
      if (!paused) lines.push('Nothing is paused: I can post here, and every subscription above is active.');
    }
    return textReply(lines.join('\n'));
  },
};

/** When the sources were polled and whether they answered, and what the last round checked. */
async function pollStatus(services: Services): Promise<string[]> {
  const health = services.pollHealth;
  if (!health) return [];
  const [sources, rounds] = await Promise.all([health.sources(), health.rounds()]);
  if (!sources.length)
    return ["Sources: not polled yet (rounds run on the bot's schedule, or by hand with `paperboy poll`)."];
  const lines = ['Sources:'];
  for (const source of sources) lines.push(`  ${describeSource(source)}`);
  const last = rounds.at(-1);
  if (last)
    lines.push(
      `The last round (${minute(last.at)} UTC) fetched ${count(last.fetched, 'paper')}; ` +
        `${count(last.added, 'new paper')} ${last.added === 1 ? 'was' : 'were'} checked against the subscriptions.`,
    );
  return lines;
}

function describeSource(source: SourceHealth): string {
  const name = sourceLabel(source.name);
  const polled = `polled ${minute(source.lastPolledAt)} UTC`;
  if (source.ok) return `${name}: ${polled}, answered (${count(source.fetched, 'paper')}, ${source.added} new).`;
  const since = source.failingSince ? ` since ${minute(source.failingSince)} UTC` : '';
  const lastOk = source.lastOkAt ? `; last answered ${minute(source.lastOkAt)} UTC` : '; has not answered yet';
  return `${name}: ${polled}, failing${since} (${clipLine(source.error ?? 'no answer', 100)})${lastOk}.`;
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`;
}

function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function actionOf(options: OptionValues): string {
  return String(options.action ?? '')
    .trim()
    .toLowerCase();
}

/** "3 alerts are waiting to be sent.": what the pause holds back, sent once it is resumed. */
function waitingLine(waiting: number): string {
  if (!waiting) return 'No alerts are waiting to be sent yet.';
  return `${plural(waiting, 'alert')} ${waiting === 1 ? 'is' : 'are'} waiting to be sent.`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
