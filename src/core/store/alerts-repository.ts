/**
 * The SQL behind alerts: subscriptions per channel, the alert outbox (one row per channel + paper, UNIQUE, so a
 * re-run or re-import can never alert twice), paused channels and small key/value source state. Every state
 * change of the outbox is one statement or one transaction, so a crash leaves each row in a known state.
 */
import type { Db } from './database.ts';

export type AlertMode = 'instant' | 'daily';

export interface Subscription {
  id: number;
  platform: string;
  channelId: string;
  workspaceId?: string;
  query: string;
  mode: AlertMode;
  /** `HH:MM` for daily digests. */
  digestTime?: string;
  /** IANA time zone of the digest time. */
  timeZone?: string;
  createdBy?: string;
  createdAt: string;
  lastMatchAt?: string;
  lastMatchPaper?: string;
}

export type OutboxState = 'pending' | 'sending' | 'posted' | 'sent' | 'dropped';

export interface OutboxRow extends NewAlert {
  id: number;
  state: OutboxState;
  messageKey?: string;
  messageRef?: string;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
  createdAt: string;
  sendingAt?: string;
  sentAt?: string;
}

export interface NewAlert {
  platform: string;
  channelId: string;
  paperId: string;
  subscriptionId: number;
  matched: string[];
  score: number;
  digest: boolean;
  dueAt: string;
}

interface SubscriptionRow {
  id: number;
  platform: string;
  channel_id: string;
  workspace_id: string | null;
  query: string;
  mode: string;
  digest_time: string | null;
  time_zone: string | null;
  created_by: string | null;
  created_at: string;
  last_match_at: string | null;
  last_match_paper: string | null;
}

interface OutboxDbRow {
  id: number;
  platform: string;
  channel_id: string;
  paper_id: string;
  subscription_id: number;
  matched: string;
  score: number;
  digest: number;
  due_at: string;
  state: string;
  message_key: string | null;
  message_ref: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  sending_at: string | null;
  sent_at: string | null;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    platform: row.platform,
    channelId: row.channel_id,
    workspaceId: row.workspace_id ?? undefined,
    query: row.query,
    mode: row.mode === 'daily' ? 'daily' : 'instant',
    digestTime: row.digest_time ?? undefined,
    timeZone: row.time_zone ?? undefined,
    createdBy: row.created_by ?? undefined,
    createdAt: row.created_at,
    lastMatchAt: row.last_match_at ?? undefined,
    lastMatchPaper: row.last_match_paper ?? undefined,
  };
}

function toOutbox(row: OutboxDbRow): OutboxRow {
  let matched: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.matched);
    if (Array.isArray(parsed)) matched = parsed.filter((m): m is string => typeof m === 'string');
  } catch {
    matched = [];
  }
  return {
    id: row.id,
    platform: row.platform,
    channelId: row.channel_id,
    paperId: row.paper_id,
    subscriptionId: row.subscription_id,
    matched,
    score: row.score,
    digest: row.digest === 1,
    dueAt: row.due_at,
    state: row.state as OutboxState,
    messageKey: row.message_key ?? undefined,
    messageRef: row.message_ref ?? undefined,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at ?? undefined,
    lastError: row.last_error ?? undefined,
    createdAt: row.created_at,
    sendingAt: row.sending_at ?? undefined,
    sentAt: row.sent_at ?? undefined,
  };
}

export class AlertsRepository {
  constructor(readonly db: Db) {}

  // ---- subscriptions ----

  addSubscription(
    input: Omit<Subscription, 'id' | 'createdAt' | 'lastMatchAt' | 'lastMatchPaper'>,
    now = new Date().toISOString(),
  ): Subscription {
    const result = this.db
      .prepare(
        `INSERT INTO subscriptions
           (platform, channel_id, workspace_id, query, mode, digest_time, time_zone, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.platform,
        input.channelId,
        input.workspaceId ?? null,
        input.query,
        input.mode,
        input.digestTime ?? null,
        input.timeZone ?? null,
        input.createdBy ?? null,
        now,
      );
    return this.subscription(Number(result.lastInsertRowid))!;
  }

  subscription(id: number): Subscription | undefined {
    const row = this.db.prepare<[number], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?').get(id);
    return row ? toSubscription(row) : undefined;
  }

  subscriptions(): Subscription[] {
    return this.db.prepare<[], SubscriptionRow>('SELECT * FROM subscriptions ORDER BY id').all().map(toSubscription);
  }

  channelSubscriptions(platform: string, channelId: string): Subscription[] {
    return this.db
      .prepare<[string, string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE platform = ? AND channel_id = ? ORDER BY id',
      )
      .all(platform, channelId)
      .map(toSubscription);
  }

  /** Deletes a subscription only when it belongs to this channel (a forged id from elsewhere deletes nothing). */
  removeSubscription(id: number, platform: string, channelId: string): boolean {
    return this.db.transaction(() => {
      const removed =
        this.db
          .prepare('DELETE FROM subscriptions WHERE id = ? AND platform = ? AND channel_id = ?')
          .run(id, platform, channelId).changes > 0;
      // Alerts not yet being sent for it are dropped; ones already on their way finish.
      if (removed)
        this.db
          .prepare(
            "UPDATE alert_outbox SET state = 'dropped', last_error = 'unsubscribed' " +
              "WHERE subscription_id = ? AND state = 'pending'",
          )
          .run(id);
      return removed;
    })();
  }

  noteMatch(subscriptionId: number, paperId: string, at: string): void {
    this.db
      .prepare('UPDATE subscriptions SET last_match_at = ?, last_match_paper = ? WHERE id = ?')
      .run(at, paperId, subscriptionId);
  }

  // ---- outbox ----

  /** Records an alert unless this channel already has one for this paper. True when a row was added. */
  enqueue(alert: NewAlert, now = new Date().toISOString()): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO alert_outbox
           (platform, channel_id, paper_id, subscription_id, matched, score, digest, due_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        alert.platform,
        alert.channelId,
        alert.paperId,
        alert.subscriptionId,
        JSON.stringify(alert.matched),
        alert.score,
        alert.digest ? 1 : 0,
        alert.dueAt,
        now,
      );
    return result.changes > 0;
  }

  /** Rows left mid-delivery (a crash or a failed call): they must be reconciled before anything is re-sent. */
  inFlight(platform: string): OutboxRow[] {
    return this.db
      .prepare<[string], OutboxDbRow>(
        "SELECT * FROM alert_outbox WHERE platform = ? AND state IN ('sending', 'posted') ORDER BY id",
      )
      .all(platform)
      .map(toOutbox);
  }

  /** Pending rows due by `now` (and whose retry time has come) in channels that are not paused. */
  due(platform: string, now: string): OutboxRow[] {
    return this.db
      .prepare<[string, string, string], OutboxDbRow>(
        `SELECT o.* FROM alert_outbox o
         LEFT JOIN alert_channels c ON c.platform = o.platform AND c.channel_id = o.channel_id
         WHERE o.platform = ? AND o.state = 'pending' AND o.due_at <= ?
           AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?) AND c.paused_at IS NULL
         ORDER BY o.channel_id, o.score DESC, o.id`,
      )
      .all(platform, now, now)
      .map(toOutbox);
  }

  row(id: number): OutboxRow | undefined {
    const row = this.db.prepare<[number], OutboxDbRow>('SELECT * FROM alert_outbox WHERE id = ?').get(id);
    return row ? toOutbox(row) : undefined;
  }

  rows(): OutboxRow[] {
    return this.db.prepare<[], OutboxDbRow>('SELECT * FROM alert_outbox ORDER BY id').all().map(toOutbox);
  }

  /** The outbox's backlog (rows pending, sending, posted) and the paused channels, per platform: for metrics. */
  outboxStatus(): {
    backlog: { platform: string; state: string; count: number }[];
    paused: { platform: string; count: number }[];
  } {
    const backlog = this.db
      .prepare<[], { platform: string; state: string; count: number }>(
        `SELECT platform, state, COUNT(*) AS count FROM alert_outbox
         WHERE state IN ('pending', 'sending', 'posted') GROUP BY platform, state`,
      )
      .all();
    const paused = this.db
      .prepare<[], { platform: string; count: number }>(
        'SELECT platform, COUNT(*) AS count FROM alert_channels WHERE paused_at IS NOT NULL GROUP BY platform',
      )
      .all();
    return { backlog, paused };
  }

  /** Before the platform call: the rows of one message get its deterministic key, atomically. */
  markSending(ids: number[], key: string, now: string): void {
    const update = this.db.prepare(
      "UPDATE alert_outbox SET state = 'sending', message_key = ?, " +
        'sending_at = ?, attempts = attempts + 1 WHERE id = ?',
    );
    this.db.transaction(() => {
      for (const id of ids) update.run(key, now, id);
    })();
  }

  /** The root message exists on the platform (its thread may not yet). */
  markPosted(key: string, ref: string): void {
    this.db
      .prepare(
        "UPDATE alert_outbox SET state = 'posted', message_ref = ? " +
          "WHERE message_key = ? AND state IN ('sending', 'posted')",
      )
      .run(ref, key);
  }

  markSent(key: string, now: string): void {
    this.db
      .prepare(
        "UPDATE alert_outbox SET state = 'sent', sent_at = ?, last_error = NULL " +
          "WHERE message_key = ? AND state IN ('sending', 'posted')",
      )
      .run(now, key);
  }

  /** The platform certainly did not take the message: back to pending, retried after `nextAttemptAt`. */
  markRetry(key: string, error: string, nextAttemptAt: string): void {
    this.db
      .prepare(
        "UPDATE alert_outbox SET state = 'pending', message_key = NULL, sending_at = NULL, " +
          "last_error = ?, next_attempt_at = ? WHERE message_key = ? AND state = 'sending'",
      )
      .run(error, nextAttemptAt, key);
  }

  /** Gives up on the rows of a message (too many attempts, or the message cannot be posted at all). */
  markDropped(key: string, error: string): void {
    this.db
      .prepare(
        "UPDATE alert_outbox SET state = 'dropped', last_error = ? " +
          "WHERE message_key = ? AND state IN ('sending', 'posted')",
      )
      .run(error, key);
  }

  // ---- paused channels ----

  pauseChannel(platform: string, channelId: string, reason: string, now = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO alert_channels (platform, channel_id, paused_at, pause_reason) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, channel_id)
         DO UPDATE SET paused_at = excluded.paused_at, pause_reason = excluded.pause_reason`,
      )
      .run(platform, channelId, now, reason);
  }

  resumeChannel(platform: string, channelId: string): boolean {
    return (
      this.db
        .prepare(
          'UPDATE alert_channels SET paused_at = NULL, pause_reason = NULL ' +
            'WHERE platform = ? AND channel_id = ? AND paused_at IS NOT NULL',
        )
        .run(platform, channelId).changes > 0
    );
  }

  channelPause(platform: string, channelId: string): { pausedAt: string; reason: string } | undefined {
    const row = this.db
      .prepare<[string, string], { paused_at: string | null; pause_reason: string | null }>(
        'SELECT paused_at, pause_reason FROM alert_channels WHERE platform = ? AND channel_id = ?',
      )
      .get(platform, channelId);
    return row?.paused_at ? { pausedAt: row.paused_at, reason: row.pause_reason ?? '' } : undefined;
  }

  // ---- source state (validators, inbox files, last fetched days) ----

  getState(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM source_state WHERE key = ?').get(key)?.value;
  }

  setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO source_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
