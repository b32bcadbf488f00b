/**
 * Quiet days are explained (issue 23). After each poll round the sources' health is recorded (source-health.ts); a
 * source failing for longer than the configured time is reported once in each channel it affects, in the log and in
 * the metrics, and its recovery once more. After each delivery round, a daily subscription with `--quiet-note` whose
 * digest found nothing gets one line ("No new papers matched "lora" today (212 new papers checked).") in its channel.
 * Both go out as channel notices (notices.ts), once each.
 */

import { type ChannelKey, channelKey } from '../channel-key.ts';
import { libraryAlertPerDay } from '../library/library-query.ts';
import { describeError, type Logger } from '../logger.ts';
import { type Metrics, noMetrics } from '../metrics.ts';
import { clipLine } from '../present/cards.ts';
import type { AlertStore, NoticeStore, Subscription } from '../store/store.ts';
import { trendingMinUpvotes } from '../trending/trending-query.ts';
import type { AlertDelivery } from './delivery.ts';
import { deliverNotices } from './notices.ts';
import type { PollReport, RoundHooks } from './poller.ts';
import { nextDigestAt } from './schedule.ts';
import { type SourceHealth, type SourceHealthLog, sourceLabel } from './source-health.ts';
import { followsHuggingFaceOnly } from './subscription-label.ts';

/** SOURCE_FAILING_REPORT_HOURS when unset. */
export const DEFAULT_FAILING_REPORT_HOURS = 24;
/** A quiet-day note comes this soon after the digest time, or not at all (the bot was down then). */
const QUIET_NOTE_LATE_MS = 6 * 3_600_000;

export interface QuietDaysOptions {
  repo: AlertStore;
  notices: NoticeStore;
  health: SourceHealthLog;
  deliveries: readonly AlertDelivery[];
  logger: Logger;
  metrics?: Metrics;
  /** A source failing this long is reported to the channels it affects, once per outage; 0: never. */
  failingReportMs: number;
  /** Default digest time and zone for daily subscriptions that have none. */
  digestTime: string;
  timeZone: string;
}

export class QuietDays implements RoundHooks {
  private readonly metrics: Metrics;

  constructor(private readonly options: QuietDaysOptions) {
    this.metrics = options.metrics ?? noMetrics;
  }

  async afterFetch(report: PollReport, now: Date): Promise<void> {
    const { health, failingReportMs } = this.options;
    const changes = await health.record(report, now);
    if (failingReportMs <= 0) return;
    let subscriptions: Subscription[] | undefined;
    for (const { before, after } of changes) {
      const since = after.failingSince;
      if (!after.ok && since && now.getTime() - Date.parse(since) >= failingReportMs && after.reportedSince !== since) {
        subscriptions ??= await this.options.repo.subscriptions();
        await this.sourceDown(after, since, subscriptions, now);
        await health.markReported(after.name, since);
      } else if (after.ok && before && !before.ok && before.reportedSince) {
        subscriptions ??= await this.options.repo.subscriptions();
        await this.sourceUp(after, before, subscriptions, now);
      }
    }
  }

  async afterDrain(signal: AbortSignal, now: Date): Promise<void> {
    try {
      await this.queueQuietNotes(now);
    } catch (error) {
      this.options.logger.error('alerts: quiet-day notes failed', { error: describeError(error) });
    }
    await deliverNotices(
      {
        notices: this.options.notices,
        repo: this.options.repo,
        deliveries: this.options.deliveries,
        logger: this.options.logger,
        metrics: this.metrics,
      },
      signal,
      now,
    );
  }

  private async sourceDown(health: SourceHealth, since: string, subscriptions: Subscription[], now: Date) {
    const hours = Math.floor((now.getTime() - Date.parse(since)) / 3_600_000);
    const channels = affectedChannels(health.name, subscriptions);
    this.options.logger.warn('alerts: a source has been failing for too long; telling the channels it affects', {
      source: health.name,
      since,
      hours,
      error: health.error,
      channels: channels.length,
    });
    this.metrics.count('sourceOutages', { source: health.name, event: 'down' });
    const text =
      `Heads-up: ${sourceLabel(health.name)} has not answered since ${minute(since)} UTC (${hours} hours; ` +
      `${clipLine(health.error ?? 'no answer', 120)}), so new papers from it are late. I keep trying; the days it ` +
      'misses are fetched when it answers again.';
    for (const channel of channels)
      await this.options.notices.queue(
        { ...channel, key: `source-down:${health.name}:${since}`, text },
        now.toISOString(),
      );
  }

  private async sourceUp(health: SourceHealth, before: SourceHealth, subscriptions: Subscription[], now: Date) {
    const since = before.reportedSince!;
    this.options.logger.info('alerts: a source reported failing answers again', { source: health.name, since });
    this.metrics.count('sourceOutages', { source: health.name, event: 'up' });
    const text = `${sourceLabel(health.name)} answers again (it failed from ${minute(since)} UTC); new papers from it arrive as before.`;
    for (const channel of affectedChannels(health.name, subscriptions))
      await this.options.notices.queue(
        { ...channel, key: `source-up:${health.name}:${since}`, text },
        now.toISOString(),
      );
  }

  private async queueQuietNotes(now: Date): Promise<void> {
    const { repo, notices, health } = this.options;
    const daily = (await repo.subscriptions()).filter((s) => s.mode === 'daily');
    if (!daily.length) return;
    const on = await notices.quietNotes(daily.map((s) => s.id));
    let rounds: Awaited<ReturnType<SourceHealthLog['rounds']>> | undefined;
    let sources: SourceHealth[] | undefined;
    for (const sub of daily) {
      if (!on.has(sub.id)) continue;
      const time = sub.digestTime ?? this.options.digestTime;
      const zone = sub.timeZone ?? this.options.timeZone;
      const last = lastDigestAt(time, zone, now);
      if (now.getTime() - last > QUIET_NOTE_LATE_MS || Date.parse(sub.createdAt) > last) continue;
      const previous = lastDigestAt(time, zone, new Date(last - 60_000));
      const lastMatch = sub.lastMatchAt ? Date.parse(sub.lastMatchAt) : undefined;
      // A match after the digest time is tomorrow's, but it hides whether today's had one: say nothing then.
      if (lastMatch !== undefined && lastMatch > previous) continue;
      rounds ??= await health.rounds();
      sources ??= await health.sources();
      const inWindow = rounds.filter((r) => Date.parse(r.at) > previous && Date.parse(r.at) <= last);
      const text = quietNote(sub, inWindow, rounds.at(-1)?.at, sources);
      await notices.queue(
        {
          ...channelKey(sub),
          key: `quiet:${sub.id}:${new Date(last).toISOString()}`,
          text,
        },
        now.toISOString(),
      );
    }
  }
}

/** "No new papers matched "lora" today (212 new papers checked)." and, when it matters, why. */
export function quietNote(
  sub: Pick<Subscription, 'query'>,
  rounds: readonly { added: number }[],
  lastRoundAt: string | undefined,
  sources: readonly SourceHealth[],
): string {
  const upvotes = trendingMinUpvotes(sub.query);
  const perDay = libraryAlertPerDay(sub.query);
  const nothing =
    upvotes !== undefined
      ? `No paper reached ${upvotes} upvotes on Hugging Face today`
      : perDay !== undefined
        ? "No new papers were close enough to this channel's library today"
        : `No new papers matched "${clipLine(sub.query, 80)}" today`;
  const checked = rounds.reduce((n, r) => n + r.added, 0);
  const why = rounds.length
    ? ` (${checked.toLocaleString('en')} new paper${checked === 1 ? '' : 's'} checked).`
    : `: no source was polled since ${lastRoundAt ? `${minute(lastRoundAt)} UTC` : 'I started'}.`;
  const failing = sources.filter((s) => !s.ok && s.failingSince);
  const down = failing.length
    ? ` ${failing.map((s) => `${sourceLabel(s.name)} has not answered since ${minute(s.failingSince!)} UTC`).join('; ')}.`
    : '';
  return `${nothing}${why}${down}`;
}

/** The channels with a subscription the source feeds (every subscription, but trending ones only Hugging Face). */
export function affectedChannels(source: string, subscriptions: readonly Subscription[]): ChannelKey[] {
  // A channel shared by two workspaces is told once per workspace following it (each with its own credentials).
  const channels = new Map<string, ChannelKey>();
  for (const sub of subscriptions) {
    if (source !== 'huggingface' && followsHuggingFaceOnly(sub.query)) continue;
    const channel = channelKey(sub);
    channels.set(`${channel.platform}\u0000${channel.workspaceId}\u0000${channel.channelId}`, channel);
  }
  return [...channels.values()];
}

/** The latest instant at or before `now` when the clock in `zone` showed `time`, in ms. */
export function lastDigestAt(time: string, zone: string, now: Date): number {
  let at = Date.parse(nextDigestAt(time, zone, new Date(now.getTime() - 26 * 3_600_000)));
  for (;;) {
    const next = Date.parse(nextDigestAt(time, zone, new Date(at + 60_000)));
    if (next > now.getTime()) return at;
    at = next;
  }
}

/** `2026-12-08 09:00` from an ISO time. */
function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
