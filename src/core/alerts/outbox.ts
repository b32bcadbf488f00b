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
 * is paused (reported in the log, to the subscribers where possible, and in `/paper subscriptions`). Nothing is given
 * up silently: a message refused `maxAttempts` times, one the platform can never take, one whose fate stays unknown
 * for `reconcileRounds` drains becomes a dead letter with its reason: logged, counted (`alertsDead`), shown in
 * `/paper subscriptions`, and re-queued by `paperboy alerts retry` or `/paper subscriptions resume`.
 *
 * With several instances on one database, a drain first claims its rows (`claimDue` / `claimInFlight`: an owner, an
 * expiry renewed while it runs and released at its end, and a fencing token per claim); step 1 happens only while
 * the claim is live, and every later write only while the rows still carry the claim's token, so a drain that
 * stalled past its claim cannot overwrite what the instance that took the rows over recorded. Rows of an instance
 * that died are taken over once its claim runs out, and step 3 keeps them exactly-once. docs/alerts.md walks through
 * every crash point.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type ChannelKey, channelFlag, channelKey } from '../channel-key.ts';
import { describeError, type Logger } from '../logger.ts';
import { type Metrics, noMetrics } from '../metrics.ts';
import type { Paper } from '../papers/paper.ts';
import { parseWhy } from '../present/why.ts';
import type { Reply } from '../reply.ts';
import type { AlertReasonStore, AlertStore, ClaimFence, OutboxClaim, OutboxRow } from '../store/store.ts';
import type { AlertDelivery } from './delivery.ts';
import { type AlertItem, alertReply, digestReply, type MessageDeps } from './messages.ts';
import { explainPause, pauseFix, pauseReason } from './pause-reasons.ts';

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
  /** Dead-letter a message after this many attempts refused or unanswered (default 8). */
  maxAttempts?: number;
  /**
   * Dead-letter a message after this many drains in a row could not tell whether it was posted (default 5): the
   * platform's history is unreadable, say. Until then each drain asks once more and sends nothing.
   */
  reconcileRounds?: number;
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
  /** Outbox rows dead-lettered. */
  dead: number;
}

/** Why alerts were given up: `text` for people (stored with the rows), `label` a metric label from a fixed set. */
interface DeadReason {
  text: string;
  label: 'rate_limited' | 'refused' | 'message_refused' | 'no_answer' | 'outcome_unknown' | 'paper_missing';
}

const PAPER_MISSING: DeadReason = { text: 'the paper is no longer in the store', label: 'paper_missing' };
const OUTCOME_UNKNOWN: DeadReason = { text: 'could not tell whether it was sent', label: 'outcome_unknown' };

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
    const report: DrainReport = { messages: 0, alerts: 0, reconciled: 0, retried: 0, paused: [], dead: 0 };
    await this.reconcile(report, signal);
    const due = await this.options.repo.claimDue(this.platform, this.now().toISOString(), this.claim);
    // A channel shared by two workspaces gets each one's alerts in messages of its own, posted with its credentials.
    const byChannel = new Map<string, { channel: ChannelKey; rows: OutboxRow[] }>();
    for (const row of due) {
      const id = `${row.workspaceId}\u0000${row.channelId}`;
      const entry = byChannel.get(id) ?? { channel: channelKey(row), rows: [] };
      entry.rows.push(row);
      byChannel.set(id, entry);
    }
    for (const { channel, rows } of byChannel.values()) {
      for (const group of this.groups(rows)) {
        if (signal?.aborted) return report;
        const outcome = await this.send(channel, group, report);
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

  /**
   * How this drain's writes to `rows` present its claim: its owner and the token the claim gave the rows (one claim
   * call gave them all the same one).
   */
  private fence(rows: OutboxRow[]): ClaimFence {
    const token = rows[0]?.claimToken;
    return { owner: this.claim.owner, ...(token === undefined ? {} : { token }) };
  }

  private async send(
    channel: ChannelKey,
    rows: OutboxRow[],
    report: DrainReport,
    existingKey?: string,
  ): Promise<'ok' | 'paused' | 'failed'> {
    const { repo, delivery } = this.options;
    const { channelId } = channel;
    const ids = rows.map((r) => r.id);
    const key = existingKey ?? messageKey(this.platform, channelId, ids);
    const fence = this.fence(rows);
    const reply = await this.message(rows);
    if (!(await repo.markSending(ids, key, this.now().toISOString(), fence))) {
      // Our claim ran out (a stalled drain) and another instance may have these rows now: leave them to it.
      this.options.logger.warn('alerts: lost the claim on outbox rows before sending; leaving them', {
        platform: this.platform,
        channelId,
      });
      return 'failed';
    }
    if (!reply) {
      await this.dead(channel, key, PAPER_MISSING, fence, report);
      return 'failed';
    }
    // Its buttons must work on any instance before the message can be clicked.
    await this.options.messages.buttons.settled();
    await this.pace(channelId);
    let ref: string;
    try {
      ref = await delivery.post(channel, { ...reply, thread: undefined }, key);
    } catch (error) {
      return this.failed(channel, key, rows, error, fence, report);
    }
    if (!(await repo.markPosted(key, ref, fence))) {
      // Our claim ran out while the platform took the message, and another instance took the rows over: it finds
      // this message by its key and finishes it (thread, state); a second thread from us would be a duplicate.
      this.options.logger.warn('alerts: lost the claim on outbox rows while posting; the new owner finishes them', {
        platform: this.platform,
        channelId,
      });
      return 'failed';
    }
    this.metrics.count('alertsDelivered', { platform: this.platform }, rows.length);
    await this.finishThread(channel, key, ref, reply, fence);
    report.messages++;
    report.alerts += rows.length;
    return 'ok';
  }

  /** Posts the thread (`resume`: only what it lacks, reconciling) and marks the alert sent. */
  private async finishThread(
    channel: ChannelKey,
    key: string,
    ref: string,
    reply: Reply,
    fence: ClaimFence,
    resume = false,
  ): Promise<void> {
    const { repo, delivery, logger } = this.options;
    const { channelId } = channel;
    if (reply.thread?.length) {
      try {
        await this.pace(channelId);
        await delivery.postThread(channel, ref, reply, `${key}t`, { resume });
      } catch (error) {
        const failure = delivery.classify(error);
        const limit = this.reconcileRounds;
        if (delivery.threadPosted && (failure.kind === 'rejected' || failure.kind === 'unknown')) {
          // A passing failure where the platform can tell by key what the thread holds (Slack, the console): the
          // alert stays `posted`, so the next drain checks the thread and posts only what it lacks; for as many
          // drains as reconciling may take, not forever.
          const rounds = await repo.noteUncertain(key, failure.code, fence);
          if (rounds < limit) {
            logger.warn('alerts: posting the thread of an alert failed; will check and retry', {
              platform: this.platform,
              channelId,
              code: failure.code,
              round: rounds,
              of: limit,
            });
            return;
          }
        }
        // The card is out; its summary is not worth re-posting the card for.
        logger.error('alerts: gave up posting the summary thread of an alert; the card is posted', {
          platform: this.platform,
          channelId,
          code: failure.code,
          error: describeError(error),
        });
      }
    }
    await repo.markSent(key, this.now().toISOString(), fence);
  }

  private async failed(
    channel: ChannelKey,
    key: string,
    rows: OutboxRow[],
    error: unknown,
    fence: ClaimFence,
    report: DrainReport,
  ): Promise<'paused' | 'failed'> {
    const { repo, delivery, logger } = this.options;
    const { channelId } = channel;
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
        await repo.markRetry(key, failure.code, this.now().toISOString(), fence);
        await this.pause(channel, pauseReason(failure.code, failure.detail), report);
        return 'paused';
      case 'message':
        await this.dead(
          channel,
          key,
          { text: `the platform refused the message (${failure.code})`, label: 'message_refused' },
          fence,
          report,
        );
        return 'failed';
      case 'rejected': {
        if (attempts >= this.maxAttempts) {
          const reason: DeadReason = failure.rateLimited
            ? { text: `rate limited ${attempts} times`, label: 'rate_limited' }
            : { text: `refused ${attempts} times (${failure.code})`, label: 'refused' };
          await this.dead(channel, key, reason, fence, report);
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
        await repo.markRetry(key, failure.code, new Date(this.now().getTime() + wait).toISOString(), fence);
        report.retried += rows.length;
        return 'failed';
      }
    }
  }

  private get maxAttempts(): number {
    return this.options.maxAttempts ?? 8;
  }

  private get reconcileRounds(): number {
    return this.options.reconcileRounds ?? 5;
  }

  /** Gives up on an unposted message: a dead letter, logged with its reason and counted, until someone re-queues it. */
  private async dead(
    channel: ChannelKey,
    key: string,
    reason: DeadReason,
    fence: ClaimFence,
    report: DrainReport,
  ): Promise<void> {
    const { channelId } = channel;
    const given = await this.options.repo.markDead(key, reason.text, this.now().toISOString(), fence);
    // None: another instance took the rows over meanwhile; they are its to give up or deliver.
    if (!given) return;
    this.metrics.count('alertsDead', { platform: this.platform, reason: reason.label }, given);
    this.options.logger.error('alerts: could not deliver alerts; they are dead letters until re-queued', {
      platform: this.platform,
      channelId,
      alerts: given,
      reason: reason.text,
      retry: `paperboy alerts retry --channel ${channelFlag(channel)}`,
    });
    report.dead += given;
  }

  private async pause(channel: ChannelKey, reason: string, report: DrainReport): Promise<void> {
    const { repo, delivery, logger } = this.options;
    const { channelId, workspaceId } = channel;
    await repo.pauseChannel(channel, reason, this.now().toISOString());
    report.paused.push(channelId);
    logger.warn(
      'alerts: cannot post in channel; its alerts are paused until someone runs /paper subscriptions resume there',
      { platform: this.platform, workspaceId, channelId, code: reason },
    );
    if (!delivery.notifyUser) return;
    const users = new Set(
      (await repo.channelSubscriptions(channel)).map((s) => s.createdBy).filter((u): u is string => Boolean(u)),
    );
    const explained = explainPause(reason, delivery.explainPause);
    const resume = delivery.commandLine?.('/paper subscriptions resume') ?? '/paper subscriptions resume';
    const notice =
      `paperboy cannot post new-paper alerts in channel ${channelId}, so they are paused: ${explained.why}. ` +
      pauseFix(explained, `${resume} there`);
    for (const user of users) {
      try {
        await delivery.notifyUser(user, notice, channel);
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
      const channel = channelKey(rows[0]!);
      const { channelId } = channel;
      if (await repo.channelPause(channel)) continue;
      const fence = this.fence(rows);
      const reply = await this.message(rows);
      let ref = rows.find((r) => r.messageRef)?.messageRef;
      if (!reply) {
        if (!ref) {
          await this.dead(channel, key, PAPER_MISSING, fence, report);
          continue;
        }
        // The card is out; only its thread could not be rebuilt.
        logger.warn('alerts: the paper of a posted alert is no longer in the store; its thread is skipped', {
          platform: this.platform,
          channelId,
        });
        await repo.markSent(key, this.now().toISOString(), fence);
        continue;
      }
      if (!ref) {
        const since = new Date(Math.min(...rows.map((r) => Date.parse(r.sendingAt ?? r.createdAt))) - FIND_SLACK_MS);
        try {
          ref = await delivery.find(channel, key, since, reply);
        } catch (error) {
          await this.uncertain(channel, key, error, fence, report);
          continue;
        }
        if (!ref) {
          const attempts = Math.max(...rows.map((r) => r.attempts));
          if (attempts >= this.maxAttempts) {
            const reason: DeadReason = { text: `no answer after ${attempts} attempts`, label: 'no_answer' };
            await this.dead(channel, key, reason, fence, report);
            continue;
          }
          // Not there: send the very same message with the very same key.
          const outcome = await this.send(channel, rows, report, key);
          if (outcome === 'ok') report.reconciled += rows.length;
          continue;
        }
        // Posted by a run that died before it heard so (and before it could count it).
        if (!(await repo.markPosted(key, ref, fence))) continue;
        this.metrics.count('alertsDelivered', { platform: this.platform }, rows.length);
      }
      report.reconciled += rows.length;
      let resume = false;
      if (reply.thread?.length && delivery.threadPosted) {
        try {
          if (await delivery.threadPosted(channel, ref, `${key}t`)) {
            await repo.markSent(key, this.now().toISOString(), fence);
            continue;
          }
          // Part of it may be there: post only what it lacks.
          resume = true;
        } catch (error) {
          logger.warn('alerts: cannot check an alert thread; posting it', {
            platform: this.platform,
            code: delivery.classify(error).code,
          });
        }
      }
      await this.finishThread(channel, key, ref, reply, fence, resume);
    }
  }

  /**
   * The platform could not say whether the message was posted: a channel it cannot read pauses; otherwise ask again
   * next drain (sending nothing meanwhile), up to `reconcileRounds` drains, then give it up as a dead letter.
   */
  private async uncertain(
    channel: ChannelKey,
    key: string,
    error: unknown,
    fence: ClaimFence,
    report: DrainReport,
  ): Promise<void> {
    const { repo, delivery, logger } = this.options;
    const { channelId } = channel;
    const failure = delivery.classify(error);
    if (failure.kind === 'channel') {
      await this.pause(channel, pauseReason(failure.code, failure.detail), report);
      return;
    }
    const rounds = await repo.noteUncertain(key, failure.code, fence);
    // None counted: another instance took the rows over meanwhile.
    if (!rounds) return;
    const limit = this.reconcileRounds;
    if (rounds >= limit) {
      await this.dead(channel, key, OUTCOME_UNKNOWN, fence, report);
      return;
    }
    logger.warn('alerts: cannot tell yet whether an interrupted alert was posted; will ask again', {
      platform: this.platform,
      channelId,
      code: failure.code,
      round: rounds,
      of: limit,
    });
  }
}
