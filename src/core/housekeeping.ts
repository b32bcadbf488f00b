/**
 * Deleting what is kept only for a while, on a schedule: button stash entries no message has carried for
 * `stashDays` (their buttons then say they are no longer valid), outbox rows sent more than `sentAlertsDays` ago (a
 * paper is news once: by then it is long known, and its row no longer stands between it and a second alert), event
 * ids past their time to live, and the data of workspaces removed more than `uninstallGraceDays` ago
 * (workspaces.ts). One instance at a time does it, under a lock of its own, and at most once per interval across
 * instances; every run logs what it deleted.
 */
import { describeError, type Logger } from './logger.ts';
import type { RemovedWorkspace, Store, WorkspaceDataCounts } from './store/store.ts';

export interface RetentionConfig {
  /** Button stash entries last carried by a message longer ago than this (STASH_RETENTION_DAYS, 90). */
  stashDays: number;
  /** Outbox rows sent longer ago than this (SENT_ALERTS_RETENTION_DAYS, 30). */
  sentAlertsDays: number;
  /** How long a removed workspace's data is kept, waiting for a reinstall (UNINSTALL_GRACE_DAYS, 30). */
  uninstallGraceDays: number;
}

export const DEFAULT_RETENTION: RetentionConfig = { stashDays: 90, sentAlertsDays: 30, uninstallGraceDays: 30 };

const DAY_MS = 86_400_000;
/** How often the bot runs it (and, across instances, at most that often). */
export const HOUSEKEEPING_INTERVAL_MS = 60 * 60_000;
const LAST_RUN = 'housekeeping_last_run';

export interface HousekeepingReport {
  stash: number;
  sentAlerts: number;
  seenEvents: number;
  /** Workspaces whose data was deleted, with what was deleted. */
  workspaces: (RemovedWorkspace & WorkspaceDataCounts)[];
}

/** One pass, now: every deletion retention asks for. */
export async function housekeep(
  store: Pick<Store, 'stash' | 'alerts' | 'events' | 'workspaces'>,
  retention: RetentionConfig,
  now: Date,
): Promise<HousekeepingReport> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const report: HousekeepingReport = {
    stash: await store.stash.deleteOlderThan(before(retention.stashDays)),
    sentAlerts: await store.alerts.deleteSentBefore(before(retention.sentAlertsDays)),
    seenEvents: await store.events.purgeExpired(now.getTime()),
    workspaces: [],
  };
  const graceEnded = before(retention.uninstallGraceDays);
  for (const removed of await store.workspaces.removedBefore(graceEnded)) {
    const deleted = await store.workspaces.purge(removed.platform, removed.workspaceId, graceEnded);
    if (deleted) report.workspaces.push({ ...removed, ...deleted });
  }
  return report;
}

export interface HousekeepingOptions {
  store: Pick<Store, 'stash' | 'alerts' | 'events' | 'workspaces' | 'meta' | 'pollLock'>;
  retention: RetentionConfig;
  logger: Logger;
  now?: () => Date;
  intervalMs?: number;
}

export class Housekeeping {
  private readonly now: () => Date;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: HousekeepingOptions) {
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? HOUSEKEEPING_INTERVAL_MS;
  }

  /** Runs now and every interval. */
  start(): void {
    if (this.timer) return;
    const run = () => void this.runOnce();
    run();
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * One run, unless another instance holds the housekeeping lock or ran it less than an interval ago: resolves to
   * what was deleted, or undefined when it did not run. Never throws: a failure is logged, and the next run retries.
   */
  runOnce(): Promise<HousekeepingReport | undefined> {
    const next = this.running.then(() => this.locked());
    this.running = next;
    return next;
  }

  private async locked(): Promise<HousekeepingReport | undefined> {
    const { store, logger } = this.options;
    const lock = store.pollLock({ name: 'housekeeping' });
    try {
      if (!(await lock.acquire())) return undefined;
      try {
        const now = this.now();
        const since = now.getTime() - Date.parse((await store.meta.get(LAST_RUN)) ?? '');
        // Several instances each keep the schedule; the first in an interval does the work (half an interval's slack,
        // so a timer that fires a little early still runs; a last run "in the future", a clock set back, does not count).
        if (since >= 0 && since < this.intervalMs / 2) return undefined;
        const report = await housekeep(store, this.options.retention, now);
        await store.meta.set(LAST_RUN, now.toISOString());
        this.log(report);
        return report;
      } finally {
        await lock.release();
      }
    } catch (error) {
      logger.error('housekeeping: failed; will try again', { error: describeError(error) });
      return undefined;
    }
  }

  private log(report: HousekeepingReport): void {
    const { logger, retention } = this.options;
    for (const workspace of report.workspaces)
      logger.info("housekeeping: deleted a removed workspace's data after its grace period", {
        ...workspace,
        graceDays: retention.uninstallGraceDays,
      });
    logger.info('housekeeping: deleted what retention keeps no longer', {
      stashEntries: report.stash,
      sentAlerts: report.sentAlerts,
      seenEvents: report.seenEvents,
      workspaces: report.workspaces.length,
      stashDays: retention.stashDays,
      sentAlertsDays: retention.sentAlertsDays,
    });
  }
}
