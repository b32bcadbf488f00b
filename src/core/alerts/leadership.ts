/**
 * Which instance polls and delivers alerts when several share one database: the one holding the poll lock (on
 * PostgreSQL an advisory lock on a connection of its own, see store/postgres/poll-lock.ts). Every instance tries to
 * take it every `retryMs`; the holder checks it on the same beat. Taking it starts the poller's schedule (a round
 * at once: it reconciles what a dead leader left mid-delivery); losing it (the lock's connection is gone) pauses the
 * schedule, and another instance takes over at its next try. A round still running when leadership is lost finishes
 * safely: the outbox rows it works on are claimed (see outbox.ts).
 */
import { describeError, type Logger } from '../logger.ts';
import type { PollLock } from '../store/store.ts';
import type { Poller } from './poller.ts';

export interface LeadershipOptions {
  /** A poller made with `holdLock: true` on the same lock. */
  poller: Pick<Poller, 'start' | 'pause' | 'stop'>;
  lock: PollLock;
  pollIntervalMs: number;
  drainMs?: number;
  /** How often a follower tries to take the lock, and the leader checks it (default 15 s). */
  retryMs?: number;
  logger: Logger;
}

export class PollLeadership {
  private leadingNow = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private toldStandingBy = false;
  private stopped = false;

  constructor(private readonly options: LeadershipOptions) {}

  /** Whether this instance leads now (for metrics and readiness details). */
  get leading(): boolean {
    return this.leadingNow;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.retryMs ?? 15_000);
    this.timer.unref();
  }

  /** Stops trying, stops the poller for good (cancelling its round) and lets the lock go. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.options.poller.stop();
    await this.options.lock.release();
    this.leadingNow = false;
  }

  /** One check, never two at once; resolves when done (tests await it). */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.check());
    return this.ticking;
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    const { lock, poller, logger } = this.options;
    try {
      if (this.leadingNow) {
        if (!(await lock.heartbeat())) this.lose('its lock connection is gone');
        return;
      }
      if (await lock.acquire()) {
        if (this.stopped) return;
        this.leadingNow = true;
        this.toldStandingBy = false;
        logger.info('alerts: this instance now leads polling and alert delivery', { pid: process.pid });
        poller.start(this.options.pollIntervalMs, this.options.drainMs);
        return;
      }
      if (!this.toldStandingBy) {
        this.toldStandingBy = true;
        const holder = await lock.holder().catch(() => undefined);
        logger.info('alerts: another instance leads polling; standing by to take over', {
          leaderPid: holder?.pid,
          leaderHost: holder?.host,
        });
      }
    } catch (error) {
      if (this.leadingNow) this.lose(describeError(error));
      else
        logger.warn('alerts: could not try for the poll leadership; will try again', { error: describeError(error) });
    }
  }

  private lose(reason: string): void {
    this.leadingNow = false;
    this.options.poller.pause();
    this.options.logger.warn('alerts: this instance lost the poll leadership; another instance will take over', {
      reason,
    });
  }
}
