/**
 * Assembles the alert machinery for a process (the bot or `paperboy poll`): sources from config, one outbox per
 * delivery, and the poller that runs rounds under the store's poll lock. It runs on the parts of an open paperboy
 * listed in `AlertCore` (src/paperboy.ts's `Paperboy` has them all) and on the deliveries the composition root wires in.
 */

import { libraryAlertMatcher } from '../library/library-alerts.ts';
import { libraryAlertPerDay } from '../library/library-query.ts';
import type { LibraryService } from '../library/service.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { CorpusSnapshot } from '../search/snapshot.ts';
import type { AlertStore, PaperStore, Store, Subscription } from '../store/store.ts';
import type { AlertDelivery } from './delivery.ts';
import { corpusVocabulary } from './matcher.ts';
import type { MessageDeps } from './messages.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';
import { Poller } from './poller.ts';
import { DEFAULT_FAILING_REPORT_HOURS, QuietDays } from './quiet-days.ts';
import { SourceHealthLog } from './source-health.ts';
import { createPollSources, type SourceDeps, type SourcesConfig } from './sources.ts';

/** The sources to poll, the digest time and zone for daily subscriptions that give none, and delivery's limits. */
export interface AlertSystemConfig extends SourcesConfig {
  digestTime: string;
  timeZone: string;
  /** Attempts before an alert the platform keeps refusing is dead-lettered (ALERT_MAX_ATTEMPTS, 8). */
  maxAttempts?: number;
  /** Rounds that may fail to tell whether an alert was posted before it is dead-lettered (ALERT_RECONCILE_ROUNDS). */
  reconcileRounds?: number;
  /**
   * SOURCE_FAILING_REPORT_HOURS: a source failing this long is reported once in each channel it affects (default 24;
   * 0: never in channels, the metrics still show it).
   */
  failingReportHours?: number;
}

/** What the alerts use of the core: the store and its repositories, the search index, and message rendering. */
export interface AlertCore {
  store: Pick<Store, 'transaction' | 'pollLock' | 'alertReasons' | 'signals' | 'notices'>;
  papers: PaperStore;
  /** Subscriptions, the outbox and the sources' state. */
  alerts: AlertStore;
  index: {
    readonly ready: boolean;
    /** The corpus as searched now: its vocabulary plans subscription queries. */
    readonly snapshot: CorpusSnapshot;
    /** Makes newly stored papers searchable. */
    refresh(): Promise<unknown>;
  };
  /** The summarizer and the commands' buttons, for the alert messages. */
  services: Pick<MessageDeps, 'summarize'> & { library?: LibraryService };
  dispatcher: Pick<MessageDeps, 'buttons'>;
}

export interface AlertSystemOptions {
  core: AlertCore;
  config: AlertSystemConfig;
  deliveries: AlertDelivery[];
  logger: Logger;
  /** Counts source fetches and alerts delivered / failed. */
  metrics?: Metrics;
  now?: () => Date;
  /** Test hooks for the sources (HTTP timeouts / retries, the arXiv API gate). */
  sourceDeps?: Partial<Omit<SourceDeps, 'repo' | 'logger'>>;
  outbox?: Partial<
    Pick<OutboxOptions, 'sleep' | 'burstThreshold' | 'maxAttempts' | 'reconcileRounds' | 'retryBaseMs' | 'claimTtlMs'>
  >;
  lockTtlMs?: number;
  /** The poller keeps the lock between rounds: it runs under a `PollLeadership` (several instances). */
  holdLock?: boolean;
}

export function createAlertSystem(options: AlertSystemOptions): {
  poller: Poller;
  outboxes: Outbox[];
  /** How the sources are doing (for the metrics). */
  health: SourceHealthLog;
} {
  const { core, config, logger } = options;
  const outboxes = options.deliveries.map(
    (delivery) =>
      new Outbox({
        repo: core.alerts,
        delivery,
        papers: core.papers,
        reasons: core.store.alertReasons,
        messages: { buttons: core.dispatcher.buttons, summarize: core.services.summarize },
        logger,
        metrics: options.metrics,
        now: options.now,
        maxAttempts: config.maxAttempts,
        reconcileRounds: config.reconcileRounds,
        ...options.outbox,
      }),
  );
  const sources = createPollSources(config, { repo: core.alerts, logger, ...options.sourceDeps });
  const health = new SourceHealthLog(core.alerts);
  const hooks = new QuietDays({
    repo: core.alerts,
    notices: core.store.notices,
    health,
    deliveries: options.deliveries,
    logger,
    metrics: options.metrics,
    failingReportMs: (config.failingReportHours ?? DEFAULT_FAILING_REPORT_HOURS) * 3_600_000,
    digestTime: config.digestTime,
    timeZone: config.timeZone,
  });
  const poller = new Poller({
    store: core.store,
    repo: core.alerts,
    sources,
    outboxes,
    refreshIndex: () => core.index.refresh(),
    vocabulary: () => (core.index.ready ? corpusVocabulary(core.index.snapshot) : undefined),
    ...(core.services.library
      ? {
          libraryMatcher: async (subscriptions: readonly Subscription[]) =>
            core.index.ready && subscriptions.some((s) => libraryAlertPerDay(s.query) !== undefined)
              ? libraryAlertMatcher(core.services.library!, subscriptions, core.index.snapshot, core.papers)
              : () => [],
        }
      : {}),
    logger,
    metrics: options.metrics,
    now: options.now,
    lock: core.store.pollLock({ ttlMs: options.lockTtlMs }),
    holdLock: options.holdLock,
    digestTime: config.digestTime,
    timeZone: config.timeZone,
    hooks,
  });
  return { poller, outboxes, health };
}
