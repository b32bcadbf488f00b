/**
 * One poll round, and the schedule that repeats it: fetch every enabled source → store → match the papers listed
 * for the first time against every subscription → record the alerts in the outbox (all in one store transaction
 * per batch) → refresh the search index → drain the outboxes. A failing source is logged and tried again next
 * round; the others go on. A round runs only while holding the database's poll lock.
 */

import { channelKey } from '../channel-key.ts';
import type { LibraryAlertMatcher } from '../library/library-alerts.ts';
import { describeError, type Logger } from '../logger.ts';
import { type Metrics, noMetrics } from '../metrics.ts';
import { normalizePaper } from '../papers/normalize.ts';
import type { Paper } from '../papers/paper.ts';
import type { Why } from '../present/why.ts';
import type { Vocabulary } from '../search/query-plan.ts';
import { SourceError } from '../sources/http.ts';
import { alertablePapers, type SourceBatch } from '../sources/types.ts';
import type { AlertStore, ChannelKey, PollLock, Store, Subscription } from '../store/store.ts';
import { type CountedPaper, recordSignals, trendingMatches } from '../trending/trending.ts';
import { matchBatch } from './matcher.ts';
import type { DrainReport, Outbox } from './outbox.ts';
import { nextDigestAt, utcDay } from './schedule.ts';
import type { PollSource } from './sources.ts';

export interface PollerOptions {
  /** Where new papers and their alerts are stored, together in one transaction per batch. */
  store: Pick<Store, 'transaction' | 'pollLock'>;
  repo: AlertStore;
  sources: PollSource[];
  outboxes: Outbox[];
  /** Makes new papers searchable (IndexManager.refresh). */
  refreshIndex?: () => Promise<unknown>;
  /** The corpus vocabulary for planning subscription queries (acronyms, known words). */
  vocabulary?: () => Vocabulary | undefined;
  /**
   * Library subscriptions' scorer: it reads the libraries and trains their models, once per round (when a batch
   * first has papers), before any transaction; inside a batch's transaction it only scores.
   */
  libraryMatcher?: (subscriptions: readonly Subscription[]) => Promise<LibraryAlertMatcher>;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
  lock?: PollLock;
  /**
   * Keep the lock between rounds (a poll leader, see leadership.ts, holds it for as long as it leads and checks it
   * itself); otherwise each round takes it, heartbeats it and lets it go.
   */
  holdLock?: boolean;
  /** Default digest time and zone for daily subscriptions that have none. */
  digestTime?: string;
  timeZone?: string;
  /** What else a round does (source health, quiet-day notes, channel notices: see quiet-days.ts). Never throws. */
  hooks?: RoundHooks;
}

/** Work a round does besides fetching and delivering alerts; failures are logged and the round goes on. */
export interface RoundHooks {
  /** After the sources were polled (rounds that fetch). */
  afterFetch(report: PollReport, now: Date): Promise<void>;
  /** After the outboxes were drained (every round, also the drain-only ones between polls). */
  afterDrain(signal: AbortSignal, now: Date): Promise<void>;
}

export interface SourceReport {
  name: string;
  fetched: number;
  added: number;
  alerts: number;
  problems: string[];
  error?: string;
  /** What the failure was, shortly (`http_503`, `timeout`, `network`...): what channels are told. */
  failure?: string;
}

export interface PollReport {
  /** Set when another process holds the poll lock: nothing was done. */
  locked?: boolean;
  sources: SourceReport[];
  alertsQueued: number;
  deliveries: (DrainReport & { platform: string })[];
}

export class Poller {
  readonly lock: PollLock;
  private readonly now: () => Date;
  private running: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  /** Aborted by stop(): cancels source requests, their backoff and Retry-After waits, and further deliveries. */
  private readonly stopping = new AbortController();
  private readonly metrics: Metrics;

  constructor(private readonly options: PollerOptions) {
    this.lock = options.lock ?? options.store.pollLock();
    this.now = options.now ?? (() => new Date());
    this.metrics = options.metrics ?? noMetrics;
  }

  /** One full round (fetch, store, match, deliver) under the poll lock. Never throws for a source's failure. */
  pollOnce(signal?: AbortSignal): Promise<PollReport> {
    return this.exclusive(() => this.round(this.withStop(signal), true));
  }

  /** Delivers what is due (digests, retries) without fetching. */
  deliverDue(): Promise<PollReport> {
    return this.exclusive(() => this.round(this.stopping.signal, false));
  }

  /** Polls now and every `intervalMs`; checks the outbox (digests, retries) every `drainMs`. */
  start(intervalMs: number, drainMs = 60_000): void {
    if (this.timers.length || this.stopping.signal.aborted) return;
    const poll = () =>
      void this.pollOnce().catch((error: unknown) =>
        this.options.logger.error('alerts: poll round failed', { error: describeError(error) }),
      );
    poll();
    this.timers.push(setInterval(poll, intervalMs));
    this.timers.push(
      setInterval(
        () =>
          void this.deliverDue().catch((error: unknown) =>
            this.options.logger.error('alerts: delivery failed', { error: describeError(error) }),
          ),
        drainMs,
      ),
    );
    for (const timer of this.timers) timer.unref();
  }

  /** Stops the schedule until the next `start` (a round in progress finishes): this instance no longer leads. */
  pause(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /**
   * Stops the schedule, cancels a round in progress (source requests and waits are aborted; no further alert is
   * sent, what is queued stays queued) and waits for it to end, which releases the poll lock. For good: a stopped
   * poller runs no more rounds (shutdown).
   */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.stopping.abort(new Error('paperboy is shutting down'));
    await this.running.catch(() => undefined);
  }

  private withStop(signal: AbortSignal | undefined): AbortSignal {
    return signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.running.then(task, task);
    this.running = next.catch(() => undefined);
    return next;
  }

  private async round(signal: AbortSignal, fetch: boolean): Promise<PollReport> {
    const { logger } = this.options;
    const report: PollReport = { sources: [], alertsQueued: 0, deliveries: [] };
    if (signal.aborted) return report;
    if (!(await this.lock.acquire())) {
      const holder = await this.lock.holder();
      logger.warn('alerts: another process is polling this database; skipping this round', {
        pid: holder?.pid,
        host: holder?.host,
      });
      return { ...report, locked: true };
    }
    const heartbeat = setInterval(
      () =>
        void this.lock
          .heartbeat()
          .catch((error: unknown) =>
            logger.warn('alerts: poll lock heartbeat failed', { error: describeError(error) }),
          ),
      30_000,
    );
    heartbeat.unref();
    if (this.options.holdLock) clearInterval(heartbeat);
    try {
      if (fetch) {
        const library = this.libraryOnce();
        for (const source of this.options.sources) {
          if (signal.aborted) break;
          report.sources.push(await this.pollSource(source, signal, library));
        }
        report.alertsQueued = report.sources.reduce((n, s) => n + s.alerts, 0);
        if (report.sources.some((s) => s.added > 0) && this.options.refreshIndex) {
          try {
            await this.options.refreshIndex();
          } catch (error) {
            logger.error('alerts: search index refresh failed', { error: describeError(error) });
          }
        }
        await this.options.hooks
          ?.afterFetch(report, this.now())
          .catch((error: unknown) =>
            logger.error('alerts: recording the round failed', { error: describeError(error) }),
          );
      }
      for (const outbox of this.options.outboxes) {
        if (signal.aborted) break;
        try {
          report.deliveries.push({ platform: outbox.platform, ...(await outbox.drain(signal)) });
        } catch (error) {
          logger.error('alerts: delivery round failed', { platform: outbox.platform, error: describeError(error) });
        }
      }
      if (!signal.aborted)
        await this.options.hooks
          ?.afterDrain(signal, this.now())
          .catch((error: unknown) => logger.error('alerts: channel notices failed', { error: describeError(error) }));
    } finally {
      clearInterval(heartbeat);
      if (!this.options.holdLock) await this.lock.release();
    }
    return report;
  }

  /**
   * The round's library scorer, trained on first use and then reused by every batch of every source: a model per
   * library subscription is costly, and the corpus it is calibrated on does not change until the round ends.
   */
  private libraryOnce(): () => Promise<LibraryAlertMatcher | undefined> {
    let trained: Promise<LibraryAlertMatcher | undefined> | undefined;
    return () => {
      const { libraryMatcher, repo } = this.options;
      trained ??= libraryMatcher ? repo.subscriptions().then(libraryMatcher) : Promise.resolve(undefined);
      return trained;
    };
  }

  private async pollSource(
    source: PollSource,
    signal: AbortSignal,
    library: () => Promise<LibraryAlertMatcher | undefined>,
  ): Promise<SourceReport> {
    const { repo, logger } = this.options;
    const report: SourceReport = { name: source.name, fetched: 0, added: 0, alerts: 0, problems: [] };
    const today = utcDay(this.now());
    const lastDayKey = `lastDay:${source.name}`;
    try {
      const batches = await source.fetchRound({ today, lastDay: await repo.getState(lastDayKey) }, signal);
      for (const batch of batches) {
        const stored = await this.store(batch, source.includeCross, library);
        report.fetched += batch.papers.length;
        report.added += stored.added;
        report.alerts += stored.alerts;
        report.problems.push(...batch.problems);
        // Validators / inbox files are remembered only now that the papers are safely stored.
        await batch.commit();
      }
      await repo.setState(lastDayKey, today);
      const status = batches.every((b) => b.notModified) ? 'not_modified' : 'ok';
      this.metrics.count('sourceFetches', { source: source.name, status });
      if (report.problems.length)
        logger.warn('alerts: source problems', {
          source: source.name,
          count: report.problems.length,
          first: report.problems.slice(0, 3),
        });
      logger.info('alerts: source polled', {
        source: source.name,
        fetched: report.fetched,
        added: report.added,
        alerts: report.alerts,
      });
    } catch (error) {
      report.error = describeError(error);
      report.failure = fetchFailure(error);
      this.metrics.count('sourceFetches', { source: source.name, status: report.failure });
      logger.warn('alerts: source failed; trying again next round', { source: source.name, error: report.error });
    }
    return report;
  }

  /**
   * Stores a batch and records the alerts for its news in ONE transaction: either the papers and their alerts are
   * both there, or neither is (and the source's validators were not committed, so the next round fetches the same
   * data again). News is a paper no source had listed before (`markListed`), however it got into the store: one
   * fetched on demand earlier (a thread digest, `/paper summary`) alerts now; one listed before never again. The
   * source's counts (Hugging Face upvotes) are stored with them, and trending subscriptions matched on them; a paper
   * a channel said 👎 to is never alerted there.
   */
  private async store(
    batch: SourceBatch,
    includeCross: boolean,
    library: () => Promise<LibraryAlertMatcher | undefined>,
  ): Promise<{ added: number; alerts: number }> {
    if (batch.notModified || batch.papers.length === 0) return { added: 0, alerts: 0 };
    const alertable = new Set(alertablePapers(batch, { includeCross }));
    const now = this.now();
    const vocabulary = this.options.vocabulary?.();
    const libraryMatch = await library();
    return this.options.store.transaction(async (tx) => {
      const { papers, alerts: repo } = tx;
      const normalized: { paper: Paper; alerts: boolean }[] = [];
      for (const input of batch.papers) {
        const result = normalizePaper(input, batch.source);
        if (result.ok) normalized.push({ paper: result.paper, alerts: alertable.has(input) });
      }
      const outcomes = await papers.upsertMany(normalized.map((n) => n.paper));
      const counted: CountedPaper[] = normalized.flatMap(({ paper }, i) => {
        const signal = paper.arxivId ? batch.signals?.get(paper.arxivId) : undefined;
        return signal ? [{ id: outcomes[i]!.id, signal }] : [];
      });
      await recordSignals(tx.signals, batch.source, counted, now);
      // Only what may alert counts as listed: a cross-list or replacement this source does not alert on stays news
      // for a source that lists it as new.
      const listedIds = await papers.markListed(
        outcomes.filter((_, i) => normalized[i]!.alerts).map((outcome) => outcome.id),
        now.toISOString(),
      );
      const stored = await papers.getMany(listedIds);
      const fresh = listedIds.map((id) => stored.get(id)).filter((paper): paper is Paper => paper !== undefined);
      const added = outcomes.filter((o) => o.outcome === 'added').length;
      // Trending subscriptions match on the counts, news or not; the others only on news.
      if (!fresh.length && !counted.length) return { added, alerts: 0 };
      // A channel gets a paper once, from the first subscription it matches there: one whose workspace's alerts are
      // not paused (in a channel shared by two workspaces, one may have removed paperboy), then an instant one (a
      // paper matching an instant and a daily one is alerted instantly).
      const paused = new Set((await repo.pausedChannels()).map(keyString));
      const subscriptions = (await repo.subscriptions()).sort(
        (a, b) =>
          Number(paused.has(keyString(a))) - Number(paused.has(keyString(b))) ||
          Number(a.mode === 'daily') - Number(b.mode === 'daily') ||
          a.id - b.id,
      );
      let alerts = 0;
      const matches = [
        ...(fresh.length ? matchBatch(fresh, subscriptions, vocabulary) : []),
        ...(fresh.length ? (libraryMatch?.(fresh, subscriptions) ?? []) : []),
        ...(await trendingMatches(counted, subscriptions, papers)),
      ];
      for (const match of matches) {
        const sub = match.subscription;
        const declined = await tx.feedback.items(channelKey(sub), { paperId: match.paper.id, limit: 1 });
        if (declined.length) continue;
        const queued = await repo.enqueue(
          {
            platform: sub.platform,
            workspaceId: sub.workspaceId,
            channelId: sub.channelId,
            paperId: match.paper.id,
            subscriptionId: sub.id,
            matched: match.matched,
            score: match.score,
            digest: sub.mode === 'daily',
            dueAt: this.dueAt(sub, now),
          },
          now.toISOString(),
        );
        if (queued) {
          alerts++;
          await repo.noteMatch(sub.id, match.paper.id, now.toISOString());
          const why: Why = match.why ?? {
            kind: 'query',
            subscriptionId: sub.id,
            query: sub.query,
            terms: match.matched,
          };
          await tx.alertReasons.put({
            platform: sub.platform,
            channelId: sub.channelId,
            paperId: match.paper.id,
            reason: JSON.stringify(why),
          });
        }
      }
      return { added, alerts };
    });
  }

  private dueAt(sub: Subscription, now: Date): string {
    if (sub.mode !== 'daily') return now.toISOString();
    return nextDigestAt(
      sub.digestTime ?? this.options.digestTime ?? '09:00',
      sub.timeZone ?? this.options.timeZone ?? 'UTC',
      now,
    );
  }
}

/** A channel key as one string, for sets. */
function keyString(channel: ChannelKey): string {
  return `${channel.platform}\u0000${channel.workspaceId}\u0000${channel.channelId}`;
}

/** A failed fetch's status label: `http_503`, `timeout`, `network`, `aborted`..., or `error` for anything else. */
function fetchFailure(error: unknown): string {
  if (!(error instanceof SourceError)) return 'error';
  return error.kind === 'http' && error.status ? `http_${error.status}` : error.kind;
}
