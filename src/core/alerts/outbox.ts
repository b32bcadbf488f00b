/**
 * Drains the alert outbox for one platform, exactly once per (channel, paper):
 *
 * 1. A message's rows get a deterministic key (a hash of platform, channel and row ids) and state `sending` in one
 *    transaction BEFORE the platform call; the key travels with the message (Slack metadata, Discord nonce, the
 *    console log). 2. When the platform answers, the rows become `posted` (root message exists), then `sent` after
 *    the thread. 3. Rows found in `sending` at the next drain (a crash, a timeout) are reconciled first: the platform
 *    is asked whether a message with the key exists; if so they move on to `posted`, else the same message is sent
 *    again with the same key. A row is never sent while its fate is unknown, and never forgotten.
 *
 * Failures the platform certainly refused are retried with exponential backoff; a channel the bot cannot post in
 * is paused (reported in the log, to the subscribers where possible, and in `/paper subscriptions`).
 *
 * With several instances on one database, a drain first claims its rows (`claimDue` / `claimInFlight`: an owner and
 * an expiry per row, renewed while it runs, released at its end), and step 1 happens only while the claim is live;
 * rows of an instance that died are taken over once its claim runs out, and step 3 keeps them exactly-once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { describeError, type Logger } from '../logger.ts';
import { type Metrics, noMetrics } from '../metrics.ts';
import type { Paper } from '../papers/paper.ts';
import { parseWhy } from '../present/why.ts';
import type { Reply } from '../reply.ts';
import type { AlertReasonStore, AlertStore, OutboxClaim, OutboxRow } from '../store/store.ts';
import type { AlertDelivery } from './delivery.ts';
import { type AlertItem, alertReply, digestReply, type MessageDeps } from './messages.ts';

export interface OutboxOptions {
  repo: AlertStore;
  delivery: AlertDelivery;
  papers: { getMany(ids: readonly string[]): Promise<Map<string, Paper>> };
  /** Why each alert came, recorded when it was matched (absent: told from its subscription). */
  reasons?: Pick<AlertReasonStore, 'get'>;
  messages: MessageDeps;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** More instant alerts than this for one channel in one drain become a digest (default 5). */
  burstThreshold?: number;
  /** Give up on a message after this many refused attempts (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to an hour (default 30 s). */
  retryBaseMs?: number;
  /**
   * How long this drain's claim on its rows lasts without renewal (default 2 minutes; renewed every third of it while
   * the drain runs). Another instance takes over the rows of one that died this long after its last renewal.
   */
  claimTtlMs?: number;
  /** Who claims the rows (default: a random id per outbox, so per process). */
  claimOwner?: string;
}

export interface DrainReport {
  /** Messages posted (a digest counts once). */
  messages: number;
  /** Outbox rows delivered. */
  alerts: number;
  reconciled: number;
  retried: number;
  paused: string[];
  dropped: number;
}

/**
 * The key of a message holding these rows: the same rows always get the same key (at most 25 chars: a Discord nonce).
 */
export function messageKey(platform: string, channelId: string, rowIds: number[]): string {
  const hash = createHash('sha256')
    .update(`${platform}\u0000${channelId}\u0000${[...rowIds].sort((a, b) => a - b).join(',')}`)
    .digest('hex');
  return `pb${hash.slice(0, 22)}`;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** How far back to look for a message whose send was interrupted. */
const FIND_SLACK_MS = 10 * 60_000;

export class Outbox {
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly lastPost = new Map<string, number>();
  private readonly metrics: Metrics;
  private readonly claim: OutboxClaim;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? realSleep;
    this.metrics = options.metrics ?? noMetrics;
    this.claim = { owner: options.claimOwner ?? randomUUID(), ttlMs: options.claimTtlMs ?? 120_000 };
  }

  get platform(): string {
    return this.options.delivery.platform;
  }

  /** Delivers what is due; once `signal` is aborted (shutdown) it sends nothing more and leaves the rest queued. */
  async drain(signal?: AbortSignal): Promise<DrainReport> {
    const { repo, logger } = this.options;
    // The rows this drain works on stay claimed while it runs; a drain that dies stops renewing, and its claims run
    // out for another instance to take over.
    const renew = setInterval(
      () =>
        void repo
          .renewClaims(this.claim, this.now().toISOString())
          .catch((error: unknown) =>
            logger.warn('alerts: could not renew the claim on outbox rows', { error: describeError(error) }),
          ),
      Math.max(1, Math.floor(this.claim.ttlMs / 3)),
    );
    renew.unref();
    try {
      return await this.drainClaimed(signal);
    } finally {
      clearInterval(renew);
      await repo
        .releaseClaims(this.claim.owner)
        .catch((error: unknown) =>
          logger.warn('alerts: could not release the claim on outbox rows', { error: describeError(error) }),
        );
    }
  }

  private async drainClaimed(signal?: AbortSignal): Promise<DrainReport> {
    const report: DrainReport = { messages: 0, alerts: 0, reconciled: 0, retried: 0, paused: [], dropped: 0 };
    await this.reconcile(report, signal);
    const due = await this.options.repo.claimDue(this.platform, this.now().toISOString(), this.claim);
    const byChannel = new Map<string, OutboxRow[]>();
    for (const row of due) byChannel.set(row.channelId, [...(byChannel.get(row.channelId) ?? []), row]);
    for (const [channelId, rows] of byChannel) {
      for (const group of this.groups(rows)) {
        if (signal?.aborted) return report;
        const outcome = await this.send(channelId, group, report);
        if (outcome === 'paused') break;
      }
    }
    return report;
  }

  /** Instant rows one message each (or one digest when there are too many); daily rows in one digest. */
  private groups(rows: OutboxRow[]): OutboxRow[][] {
    const instant = rows.filter((r) => !r.digest);
    const daily = rows.filter((r) => r.digest);
    const groups: OutboxRow[][] = [];
    if (instant.length > (this.options.burstThreshold ?? 5)) groups.push(instant);
    else for (const row of instant) groups.push([row]);
    if (daily.length) groups.push(daily);
    return groups;
  }

  private async items(rows: OutboxRow[]): Promise<AlertItem[]> {
    const items: AlertItem[] = [];
    const papers = await this.options.papers.getMany(rows.map((row) => row.paperId));
    const channelId = rows[0]?.channelId ?? '';
    const reasons =
      (await this.options.reasons?.get(
        this.platform,
        channelId,
        rows.map((row) => row.paperId),
      )) ?? new Map();
    for (const row of [...rows].sort((a, b) => b.score - a.score || a.id - b.id)) {
      const paper = papers.get(row.paperId);
      const why = parseWhy(reasons.get(row.paperId));
      if (paper)
        items.push({
          paper,
          matched: row.matched,
          subscriptionId: row.subscriptionId,
          query: (await this.options.repo.subscription(row.subscriptionId))?.query,
          ...(why ? { why } : {}),
        });
    }
    return items;
  }

  /** The message for rows: rebuilt the same way every time, so a resend after a crash is the same message. */
  private async message(rows: OutboxRow[]): Promise<Reply | undefined> {
    const items = await this.items(rows);
    if (!items.length) return undefined;
    const daily = rows.every((r) => r.digest);
    if (items.length === 1 && !daily) return alertReply(items[0]!, this.options.messages);
    return digestReply(
      items,
      this.options.messages,
      daily
        ? `Daily digest: ${items.length} new paper${items.length === 1 ? '' : 's'} for this channel's subscriptions`
        : undefined,
    );
  }

  private async pace(channelId: string): Promise<void> {
    const min = this.options.delivery.minIntervalMs;
    const last = this.lastPost.get(channelId);
    if (min > 0 && last !== undefined) {
      const wait = last + min - Date.now();
      if (wait > 0) await this.sleep(wait);
    }
    this.lastPost.set(channelId, Date.now());
  }

  private async send(
    channelId: string,
    rows: OutboxRow[],
    report: DrainReport,
    existingKey?: string,
  ): Promise<'ok' | 'paused' | 'failed'> {
    const { repo, delivery } = this.options;
    const ids = rows.map((r) => r.id);
    const key = existingKey ?? messageKey(this.platform, channelId, ids);
    const reply = await this.message(rows);
    if (!existingKey && !(await repo.markSending(ids, key, this.now().toISOString(), this.claim.owner))) {
      // Our claim ran out (a stalled drain) and another instance may have these rows now: leave them to it.
      this.options.logger.warn('alerts: lost the claim on outbox rows before sending; leaving them', {
        platform: this.platform,
        channelId,
      });
      return 'failed';
    }
    if (!reply) {
      await repo.markDropped(key, 'paper no longer in the store');
      report.dropped += rows.length;
      return 'failed';
    }
    // Its buttons must work on any instance before the message can be clicked.
    await this.options.messages.buttons.settled();
    await this.pace(channelId);
    let ref: string;
    try {
      ref = await delivery.post(channelId, { ...reply, thread: undefined }, key);
    } catch (error) {
      return this.failed(channelId, key, rows, error, report);
    }
    await repo.markPosted(key, ref);
    this.metrics.count('alertsDelivered', { platform: this.platform }, rows.length);
    await this.finishThread(channelId, key, ref, reply);
    report.messages++;
    report.alerts += rows.length;
    return 'ok';
  }

  private async finishThread(channelId: string, key: string, ref: string, reply: Reply): Promise<void> {
    const { repo, delivery, logger } = this.options;
    if (reply.thread?.length) {
      try {
        await this.pace(channelId);
        await delivery.postThread(channelId, ref, reply, `${key}t`);
      } catch (error) {
        const failure = delivery.classify(error);
        if (delivery.threadPosted && (failure.kind === 'rejected' || failure.kind === 'unknown')) {
          // A passing failure where the platform can tell by key whether the thread is there (Slack, the console):
          // the alert stays `posted`, so the next drain checks the thread and posts it only if it is missing.
          logger.warn('alerts: posting the thread of an alert failed; will check and retry', {
            platform: this.platform,
            channelId,
            code: failure.code,
          });
          return;
        }
        // The card is out; a missing summary is not worth re-posting the card or retrying forever.
        logger.warn('alerts: posting the thread of an alert failed', {
          platform: this.platform,
          channelId,
          code: failure.code,
          error: describeError(error),
        });
      }
    }
    await repo.markSent(key, this.now().toISOString());
  }

  private async failed(
    channelId: string,
    key: string,
    rows: OutboxRow[],
    error: unknown,
    report: DrainReport,
  ): Promise<'paused' | 'failed'> {
    const { repo, delivery, logger } = this.options;
    const failure = delivery.classify(error);
    this.metrics.count('alertsFailed', { platform: this.platform, reason: failure.kind }, rows.length);
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
    switch (failure.kind) {
      case 'unknown':
        // It may have been posted: leave it `sending`; the next drain asks the platform before resending.
        logger.warn('alerts: delivery outcome unknown, will reconcile', {
          platform: this.platform,
          channelId,
          code: failure.code,
        });
        report.retried += rows.length;
        return 'failed';
      case 'channel':
        await repo.markRetry(key, failure.code, this.now().toISOString());
        await this.pause(channelId, failure.code, report);
        return 'paused';
      case 'message':
        logger.error('alerts: the platform refused an alert message; dropping it', {
          platform: this.platform,
          channelId,
          code: failure.code,
        });
        await repo.markDropped(key, failure.code);
        report.dropped += rows.length;
        return 'failed';
      case 'rejected': {
        if (attempts >= (this.options.maxAttempts ?? 8)) {
          logger.error('alerts: giving up on an alert after repeated failures', {
            platform: this.platform,
            channelId,
            code: failure.code,
            attempts,
          });
          await repo.markDropped(key, failure.code);
          report.dropped += rows.length;
          return 'failed';
        }
        const backoff = Math.min(3_600_000, (this.options.retryBaseMs ?? 30_000) * 2 ** (attempts - 1));
        const wait = Math.max(backoff, failure.retryAfterMs ?? 0);
        logger.warn('alerts: delivery refused, retrying later', {
          platform: this.platform,
          channelId,
          code: failure.code,
          retryInMs: wait,
        });
        await repo.markRetry(key, failure.code, new Date(this.now().getTime() + wait).toISOString());
        report.retried += rows.length;
        return 'failed';
      }
    }
  }

  private async pause(channelId: string, code: string, report: DrainReport): Promise<void> {
    const { repo, delivery, logger } = this.options;
    await repo.pauseChannel(this.platform, channelId, code, this.now().toISOString());
    report.paused.push(channelId);
    logger.warn(
      'alerts: cannot post in channel; its alerts are paused until someone runs /paper subscriptions resume there',
      { platform: this.platform, channelId, code },
    );
    if (!delivery.notifyUser) return;
    const users = new Set(
      (await repo.channelSubscriptions(this.platform, channelId))
        .map((s) => s.createdBy)
        .filter((u): u is string => Boolean(u)),
    );
    const paused = `paperboy cannot post new-paper alerts in channel ${channelId} (${code}); they are paused.`;
    const resume = delivery.commandLine?.('/paper subscriptions resume') ?? '/paper subscriptions resume';
    const fix = `Add me back to the channel (or fix my permissions), then run ${resume} there.`;
    const notice = `${paused} ${fix}`;
    for (const user of users) {
      try {
        await delivery.notifyUser(user, notice, channelId);
      } catch (error) {
        logger.warn('alerts: could not tell a subscriber about a paused channel', {
          platform: this.platform,
          code: delivery.classify(error).code,
        });
      }
    }
  }

  /** Rows left `sending` or `posted`: find out what the platform has before anything is sent again. */
  private async reconcile(report: DrainReport, signal?: AbortSignal): Promise<void> {
    const { repo, delivery, logger } = this.options;
    const byKey = new Map<string, OutboxRow[]>();
    for (const row of await repo.claimInFlight(this.platform, this.now().toISOString(), this.claim))
      byKey.set(row.messageKey!, [...(byKey.get(row.messageKey!) ?? []), row]);
    for (const [key, rows] of byKey) {
      if (signal?.aborted) return;
      const channelId = rows[0]!.channelId;
      if (await repo.channelPause(this.platform, channelId)) continue;
      const reply = await this.message(rows);
      if (!reply) {
        await repo.markDropped(key, 'paper no longer in the store');
        continue;
      }
      let ref = rows.find((r) => r.messageRef)?.messageRef;
      if (!ref) {
        const since = new Date(Math.min(...rows.map((r) => Date.parse(r.sendingAt ?? r.createdAt))) - FIND_SLACK_MS);
        try {
          ref = await delivery.find(channelId, key, since, reply);
        } catch (error) {
          const failure = delivery.classify(error);
          if (failure.kind === 'channel') await this.pause(channelId, failure.code, report);
          else
            logger.warn('alerts: cannot tell yet whether an interrupted alert was posted; will ask again', {
              platform: this.platform,
              channelId,
              code: failure.code,
            });
          continue;
        }
        if (!ref) {
          // Not there: send the very same message with the very same key.
          const outcome = await this.send(channelId, rows, report, key);
          if (outcome === 'ok') report.reconciled += rows.length;
          continue;
        }
        // Posted by a run that died before it heard so (and before it could count it).
        await repo.markPosted(key, ref);
        this.metrics.count('alertsDelivered', { platform: this.platform }, rows.length);
      }
      report.reconciled += rows.length;
      if (reply.thread?.length && delivery.threadPosted) {
        try {
          if (await delivery.threadPosted(channelId, ref, `${key}t`)) {
            await repo.markSent(key, this.now().toISOString());
            continue;
          }
        } catch (error) {
          logger.warn('alerts: cannot check an alert thread; posting it', {
            platform: this.platform,
            code: delivery.classify(error).code,
          });
        }
      }
      await this.finishThread(channelId, key, ref, reply);
    }
  }
}
