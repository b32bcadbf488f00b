/**
 * The SQL behind alerts in SQLite: subscriptions and paused channels per (platform, workspace, channel), the alert
 * outbox (one row per channel + paper, UNIQUE whichever workspaces subscribed there, so a re-run, a re-import or a
 * shared channel can never alert twice) and small key/value source state. Every state
 * change of the outbox is one statement or one transaction, so a crash leaves each row in a known state.
 */
import type {
  AlertStore,
  ChannelKey,
  ChannelPause,
  DeadLetterFilter,
  DeadLetters,
  NewAlert,
  NewSubscription,
  OutboxClaim,
  OutboxRow,
  OutboxState,
  OutboxStatus,
  Subscription,
} from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface SubscriptionRow {
  id: number;
  platform: string;
  channel_id: string;
  workspace_id: string;
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
  workspace_id: string;
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
  reconcile_rounds: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  sending_at: string | null;
  sent_at: string | null;
  dead_at: string | null;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    platform: row.platform,
    channelId: row.channel_id,
    workspaceId: row.workspace_id,
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
    workspaceId: row.workspace_id,
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
    reconcileRounds: row.reconcile_rounds,
    nextAttemptAt: row.next_attempt_at ?? undefined,
    lastError: row.last_error ?? undefined,
    createdAt: row.created_at,
    sendingAt: row.sending_at ?? undefined,
    sentAt: row.sent_at ?? undefined,
    deadAt: row.dead_at ?? undefined,
  };
}

/** `WHERE` conditions (and their values) selecting the dead letters of `filter`. */
function deadWhere(filter: DeadLetterFilter): { where: string; values: string[] } {
  const conditions = ["state = 'dead'"];
  const values: string[] = [];
  if (filter.platform !== undefined) {
    conditions.push('platform = ?');
    values.push(filter.platform);
  }
  if (filter.workspaceId !== undefined) {
    conditions.push('workspace_id = ?');
    values.push(filter.workspaceId);
  }
  if (filter.channelId !== undefined) {
    conditions.push('channel_id = ?');
    values.push(filter.channelId);
  }
  return { where: conditions.join(' AND '), values };
}

export class SqliteAlerts implements AlertStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  // ---- subscriptions ----

  addSubscription(input: NewSubscription, now = new Date().toISOString()): Promise<Subscription> {
    return this.run(() => {
      const result = this.db
        .prepare(
          `INSERT INTO subscriptions
             (platform, channel_id, workspace_id, query, mode, digest_time, time_zone, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.platform,
          input.channelId,
          input.workspaceId,
          input.query,
          input.mode,
          input.digestTime ?? null,
          input.timeZone ?? null,
          input.createdBy ?? null,
          now,
        );
      return this.subscriptionNow(Number(result.lastInsertRowid))!;
    });
  }

  subscription(id: number): Promise<Subscription | undefined> {
    return this.run(() => this.subscriptionNow(id));
  }

  subscriptions(): Promise<Subscription[]> {
    return this.run(() =>
      this.db.prepare<[], SubscriptionRow>('SELECT * FROM subscriptions ORDER BY id').all().map(toSubscription),
    );
  }

  channelSubscriptions(channel: ChannelKey): Promise<Subscription[]> {
    return this.run(() =>
      this.db
        .prepare<[string, string, string], SubscriptionRow>(
          'SELECT * FROM subscriptions WHERE platform = ? AND workspace_id = ? AND channel_id = ? ORDER BY id',
        )
        .all(channel.platform, channel.workspaceId, channel.channelId)
        .map(toSubscription),
    );
  }

  removeSubscription(id: number, channel: ChannelKey): Promise<boolean> {
    return this.run(() =>
      this.db.transaction(() => {
        const removed =
          this.db
            .prepare('DELETE FROM subscriptions WHERE id = ? AND platform = ? AND workspace_id = ? AND channel_id = ?')
            .run(id, channel.platform, channel.workspaceId, channel.channelId).changes > 0;
        // Alerts not yet being sent for it (dead letters too) are dropped; ones already on their way finish.
        if (removed)
          this.db
            .prepare(
              "UPDATE alert_outbox SET state = 'dropped', last_error = 'unsubscribed' " +
                "WHERE subscription_id = ? AND state IN ('pending', 'dead')",
            )
            .run(id);
        return removed;
      })(),
    );
  }

  noteMatch(subscriptionId: number, paperId: string, at: string): Promise<void> {
    return this.run(() => {
      this.db
        .prepare('UPDATE subscriptions SET last_match_at = ?, last_match_paper = ? WHERE id = ?')
        .run(at, paperId, subscriptionId);
    });
  }

  // ---- outbox ----

  enqueue(alert: NewAlert, now = new Date().toISOString()): Promise<boolean> {
    return this.run(() => {
      const result = this.db
        .prepare(
          `INSERT OR IGNORE INTO alert_outbox
             (platform, workspace_id, channel_id, paper_id, subscription_id, matched, score, digest, due_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          alert.platform,
          alert.workspaceId,
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
    });
  }

  inFlight(platform: string): Promise<OutboxRow[]> {
    return this.run(() =>
      this.db
        .prepare<[string], OutboxDbRow>(
          "SELECT * FROM alert_outbox WHERE platform = ? AND state IN ('sending', 'posted') ORDER BY id",
        )
        .all(platform)
        .map(toOutbox),
    );
  }

  due(platform: string, now: string): Promise<OutboxRow[]> {
    return this.run(() =>
      this.db
        .prepare<[string, string, string], OutboxDbRow>(
          `SELECT o.* FROM alert_outbox o
           LEFT JOIN alert_channels c
             ON c.platform = o.platform AND c.workspace_id = o.workspace_id AND c.channel_id = o.channel_id
           WHERE o.platform = ? AND o.state = 'pending' AND o.due_at <= ?
             AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?) AND c.paused_at IS NULL
           ORDER BY o.channel_id, o.workspace_id, o.score DESC, o.id`,
        )
        .all(platform, now, now)
        .map(toOutbox),
    );
  }

  // One poller per database file (its poll lock): claims have nothing to keep apart, so they are the plain reads.
  claimInFlight(platform: string, _now: string, _claim: OutboxClaim): Promise<OutboxRow[]> {
    return this.inFlight(platform);
  }

  claimDue(platform: string, now: string, _claim: OutboxClaim): Promise<OutboxRow[]> {
    return this.due(platform, now);
  }

  async renewClaims(): Promise<number> {
    return 0;
  }

  async releaseClaims(): Promise<void> {}

  row(id: number): Promise<OutboxRow | undefined> {
    return this.run(() => {
      const row = this.db.prepare<[number], OutboxDbRow>('SELECT * FROM alert_outbox WHERE id = ?').get(id);
      return row ? toOutbox(row) : undefined;
    });
  }

  rows(): Promise<OutboxRow[]> {
    return this.run(() =>
      this.db.prepare<[], OutboxDbRow>('SELECT * FROM alert_outbox ORDER BY id').all().map(toOutbox),
    );
  }

  outboxStatus(): Promise<OutboxStatus> {
    return this.run(() => ({
      backlog: this.db
        .prepare<[], OutboxStatus['backlog'][number]>(
          `SELECT platform, state, COUNT(*) AS count FROM alert_outbox
           WHERE state IN ('pending', 'sending', 'posted') GROUP BY platform, state`,
        )
        .all(),
      paused: this.db
        .prepare<[], OutboxStatus['paused'][number]>(
          'SELECT platform, COUNT(*) AS count FROM alert_channels WHERE paused_at IS NOT NULL GROUP BY platform',
        )
        .all(),
      dead: this.db
        .prepare<[], OutboxStatus['dead'][number]>(
          "SELECT platform, COUNT(*) AS count FROM alert_outbox WHERE state = 'dead' GROUP BY platform",
        )
        .all(),
    }));
  }

  // One poller per database file: fences have nothing to keep apart and are ignored.

  markSending(ids: readonly number[], key: string, now: string): Promise<boolean> {
    return this.run(() => {
      const update = this.db.prepare(
        "UPDATE alert_outbox SET state = 'sending', message_key = ?, " +
          'sending_at = ?, attempts = attempts + 1, reconcile_rounds = 0 WHERE id = ?',
      );
      this.db.transaction(() => {
        for (const id of ids) update.run(key, now, id);
      })();
      return true;
    });
  }

  markPosted(key: string, ref: string): Promise<boolean> {
    return this.run(
      () =>
        this.db
          .prepare(
            "UPDATE alert_outbox SET state = 'posted', message_ref = ?, reconcile_rounds = 0 " +
              "WHERE message_key = ? AND state IN ('sending', 'posted')",
          )
          .run(ref, key).changes > 0,
    );
  }

  markSent(key: string, now: string): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          "UPDATE alert_outbox SET state = 'sent', sent_at = ?, last_error = NULL " +
            "WHERE message_key = ? AND state IN ('sending', 'posted')",
        )
        .run(now, key);
    });
  }

  markRetry(key: string, error: string, nextAttemptAt: string): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          "UPDATE alert_outbox SET state = 'pending', message_key = NULL, sending_at = NULL, reconcile_rounds = 0, " +
            "last_error = ?, next_attempt_at = ? WHERE message_key = ? AND state = 'sending'",
        )
        .run(error, nextAttemptAt, key);
    });
  }

  markDead(key: string, reason: string, now: string): Promise<number> {
    return this.run(
      () =>
        this.db
          .prepare(
            "UPDATE alert_outbox SET state = 'dead', last_error = ?, dead_at = ? " +
              "WHERE message_key = ? AND state = 'sending'",
          )
          .run(reason, now, key).changes,
    );
  }

  noteUncertain(key: string, error: string): Promise<number> {
    return this.run(() => {
      const rows = this.db
        .prepare<[string, string], { rounds: number }>(
          'UPDATE alert_outbox SET reconcile_rounds = reconcile_rounds + 1, last_error = ? ' +
            "WHERE message_key = ? AND state IN ('sending', 'posted') RETURNING reconcile_rounds AS rounds",
        )
        .all(error, key);
      return Math.max(0, ...rows.map((row) => row.rounds));
    });
  }

  deadLetters(filter: DeadLetterFilter = {}): Promise<DeadLetters[]> {
    const { where, values } = deadWhere(filter);
    return this.run(() =>
      this.db
        .prepare<
          string[],
          { platform: string; workspace_id: string; channel_id: string; reason: string; count: number; last_at: string }
        >(
          `SELECT platform, workspace_id, channel_id, COALESCE(last_error, '') AS reason, COUNT(*) AS count,
             MAX(dead_at) AS last_at
           FROM alert_outbox WHERE ${where}
           GROUP BY platform, workspace_id, channel_id, COALESCE(last_error, '')
           ORDER BY platform, workspace_id, channel_id, last_at DESC, reason`,
        )
        .all(...values)
        .map((row) => ({
          platform: row.platform,
          workspaceId: row.workspace_id,
          channelId: row.channel_id,
          reason: row.reason,
          count: row.count,
          lastAt: row.last_at,
        })),
    );
  }

  requeueDead(filter: DeadLetterFilter = {}): Promise<number> {
    const { where, values } = deadWhere(filter);
    return this.run(
      () =>
        this.db
          .prepare(
            // A row whose fate could not be told keeps its key and is reconciled (asked about) before any resend.
            `UPDATE alert_outbox SET
               state = CASE WHEN reconcile_rounds > 0 THEN 'sending' ELSE 'pending' END,
               message_key = CASE WHEN reconcile_rounds > 0 THEN message_key END,
               sending_at = CASE WHEN reconcile_rounds > 0 THEN sending_at END,
               attempts = 0, reconcile_rounds = 0, next_attempt_at = NULL, dead_at = NULL
             WHERE ${where}`,
          )
          .run(...values).changes,
    );
  }

  deleteSentBefore(cutoff: string): Promise<number> {
    return this.run(() =>
      this.db.transaction(() => {
        const deleted = this.db
          .prepare("DELETE FROM alert_outbox WHERE state = 'sent' AND sent_at < ?")
          .run(cutoff).changes;
        // An alert's reason goes with it (and with the alerts of a workspace deleted after uninstalling).
        this.db
          .prepare(
            `DELETE FROM alert_reasons WHERE NOT EXISTS (SELECT 1 FROM alert_outbox o
               WHERE o.platform = alert_reasons.platform AND o.channel_id = alert_reasons.channel_id
                 AND o.paper_id = alert_reasons.paper_id)`,
          )
          .run();
        return deleted;
      })(),
    );
  }

  // ---- paused channels ----

  pauseChannel(channel: ChannelKey, reason: string, now = new Date().toISOString()): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          `INSERT INTO alert_channels (platform, workspace_id, channel_id, paused_at, pause_reason) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (platform, workspace_id, channel_id)
           DO UPDATE SET paused_at = excluded.paused_at, pause_reason = excluded.pause_reason`,
        )
        .run(channel.platform, channel.workspaceId, channel.channelId, now, reason);
    });
  }

  resumeChannel(channel: ChannelKey): Promise<boolean> {
    return this.run(
      () =>
        this.db
          .prepare(
            'UPDATE alert_channels SET paused_at = NULL, pause_reason = NULL ' +
              'WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND paused_at IS NOT NULL',
          )
          .run(channel.platform, channel.workspaceId, channel.channelId).changes > 0,
    );
  }

  channelPause(channel: ChannelKey): Promise<ChannelPause | undefined> {
    return this.run(() => {
      const row = this.db
        .prepare<[string, string, string], { paused_at: string | null; pause_reason: string | null }>(
          'SELECT paused_at, pause_reason FROM alert_channels WHERE platform = ? AND workspace_id = ? AND channel_id = ?',
        )
        .get(channel.platform, channel.workspaceId, channel.channelId);
      return row?.paused_at ? { pausedAt: row.paused_at, reason: row.pause_reason ?? '' } : undefined;
    });
  }

  waitingAlerts(channel: ChannelKey): Promise<number> {
    return this.run(
      () =>
        this.db
          .prepare<[string, string, string], { count: number }>(
            'SELECT COUNT(*) AS count FROM alert_outbox WHERE platform = ? AND workspace_id = ? AND channel_id = ? ' +
              "AND state IN ('pending', 'sending', 'posted')",
          )
          .get(channel.platform, channel.workspaceId, channel.channelId)?.count ?? 0,
    );
  }

  pausedChannels(): Promise<ChannelKey[]> {
    return this.run(() =>
      this.db
        .prepare<[], { platform: string; workspace_id: string; channel_id: string }>(
          'SELECT platform, workspace_id, channel_id FROM alert_channels WHERE paused_at IS NOT NULL',
        )
        .all()
        .map((row) => ({ platform: row.platform, workspaceId: row.workspace_id, channelId: row.channel_id })),
    );
  }

  // ---- source state (validators, inbox files, last fetched days) ----

  getState(key: string): Promise<string | undefined> {
    return this.run(
      () =>
        this.db.prepare<[string], { value: string }>('SELECT value FROM source_state WHERE key = ?').get(key)?.value,
    );
  }

  setState(key: string, value: string): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          'INSERT INTO source_state (key, value) VALUES (?, ?) ' +
            'ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);
    });
  }

  private subscriptionNow(id: number): Subscription | undefined {
    const row = this.db.prepare<[number], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?').get(id);
    return row ? toSubscription(row) : undefined;
  }
}
