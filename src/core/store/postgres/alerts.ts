/**
 * The SQL behind alerts in PostgreSQL: subscriptions and paused channels per (platform, workspace, channel), the alert
 * outbox (UNIQUE per channel + paper whichever workspaces subscribed there, so a re-run, a re-import or a shared
 * channel can never alert twice) and source state. Every state change of the outbox is
 * one statement or one transaction. Times are `timestamptz`, read back as ISO-8601 strings in UTC.
 */
import type {
  AlertStore,
  ChannelKey,
  ChannelPause,
  ClaimFence,
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
import type { Sql } from './sql.ts';

interface SubscriptionRow {
  id: string;
  platform: string;
  channel_id: string;
  workspace_id: string;
  query: string;
  mode: string;
  digest_time: string | null;
  time_zone: string | null;
  created_by: string | null;
  created_at: Date;
  last_match_at: Date | null;
  last_match_paper: string | null;
}

interface OutboxDbRow {
  id: string;
  platform: string;
  workspace_id: string;
  channel_id: string;
  paper_id: string;
  subscription_id: string;
  matched: unknown;
  score: number;
  digest: boolean;
  due_at: Date;
  state: string;
  message_key: string | null;
  message_ref: string | null;
  attempts: number;
  reconcile_rounds: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  sending_at: Date | null;
  sent_at: Date | null;
  dead_at: Date | null;
  /** bigint: node-postgres reads it as a string. */
  claim_token: string | null;
}

function iso(date: Date): string;
function iso(date: Date | null): string | undefined;
function iso(date: Date | null): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** Ids compared byte-wise, as SQLite and `COLLATE "C"` order them. */
function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: Number(row.id),
    platform: row.platform,
    channelId: row.channel_id,
    workspaceId: row.workspace_id,
    query: row.query,
    mode: row.mode === 'daily' ? 'daily' : 'instant',
    digestTime: row.digest_time ?? undefined,
    timeZone: row.time_zone ?? undefined,
    createdBy: row.created_by ?? undefined,
    createdAt: iso(row.created_at),
    lastMatchAt: iso(row.last_match_at),
    lastMatchPaper: row.last_match_paper ?? undefined,
  };
}

function toOutbox(row: OutboxDbRow): OutboxRow {
  return {
    id: Number(row.id),
    platform: row.platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    paperId: row.paper_id,
    subscriptionId: Number(row.subscription_id),
    matched: Array.isArray(row.matched) ? row.matched.filter((m): m is string => typeof m === 'string') : [],
    score: row.score,
    digest: row.digest,
    dueAt: iso(row.due_at),
    state: row.state as OutboxState,
    messageKey: row.message_key ?? undefined,
    messageRef: row.message_ref ?? undefined,
    attempts: row.attempts,
    reconcileRounds: row.reconcile_rounds,
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: row.last_error ?? undefined,
    createdAt: iso(row.created_at),
    sendingAt: iso(row.sending_at),
    sentAt: iso(row.sent_at),
    deadAt: iso(row.dead_at),
    ...(row.claim_token === null ? {} : { claimToken: Number(row.claim_token) }),
  };
}

/** The fence's token as a query parameter: null (no fence, or none given) matches every row. */
function token(fence: ClaimFence | undefined): number | null {
  return fence?.token ?? null;
}

/** `WHERE` conditions (and their values, numbered from $1) selecting the dead letters of `filter`. */
function deadWhere(filter: DeadLetterFilter): { where: string; values: string[] } {
  const conditions = ["state = 'dead'"];
  const values: string[] = [];
  if (filter.platform !== undefined) {
    values.push(filter.platform);
    conditions.push(`platform = $${values.length}`);
  }
  if (filter.workspaceId !== undefined) {
    values.push(filter.workspaceId);
    conditions.push(`workspace_id = $${values.length}`);
  }
  if (filter.channelId !== undefined) {
    values.push(filter.channelId);
    conditions.push(`channel_id = $${values.length}`);
  }
  return { where: conditions.join(' AND '), values };
}

export class PostgresAlerts implements AlertStore {
  constructor(private readonly sql: Sql) {}

  // ---- subscriptions ----

  async addSubscription(input: NewSubscription, now = new Date().toISOString()): Promise<Subscription> {
    const [row] = await this.sql.query<SubscriptionRow>(
      `INSERT INTO subscriptions
         (platform, channel_id, workspace_id, query, mode, digest_time, time_zone, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        input.platform,
        input.channelId,
        input.workspaceId,
        input.query,
        input.mode,
        input.digestTime ?? null,
        input.timeZone ?? null,
        input.createdBy ?? null,
        now,
      ],
    );
    return toSubscription(row!);
  }

  async subscription(id: number): Promise<Subscription | undefined> {
    const [row] = await this.sql.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1', [id]);
    return row ? toSubscription(row) : undefined;
  }

  async subscriptions(): Promise<Subscription[]> {
    return (await this.sql.query<SubscriptionRow>('SELECT * FROM subscriptions ORDER BY id')).map(toSubscription);
  }

  async channelSubscriptions(channel: ChannelKey): Promise<Subscription[]> {
    const rows = await this.sql.query<SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 ORDER BY id',
      [channel.platform, channel.workspaceId, channel.channelId],
    );
    return rows.map(toSubscription);
  }

  removeSubscription(id: number, channel: ChannelKey): Promise<boolean> {
    return this.sql.atomic(async (sql) => {
      const removed = await sql.query(
        'DELETE FROM subscriptions WHERE id = $1 AND platform = $2 AND workspace_id = $3 AND channel_id = $4 RETURNING id',
        [id, channel.platform, channel.workspaceId, channel.channelId],
      );
      if (!removed.length) return false;
      // Alerts not yet being sent for it (dead letters too) are dropped; ones already on their way finish.
      await sql.query(
        "UPDATE alert_outbox SET state = 'dropped', last_error = 'unsubscribed' " +
          "WHERE subscription_id = $1 AND state IN ('pending', 'dead')",
        [id],
      );
      return true;
    });
  }

  async noteMatch(subscriptionId: number, paperId: string, at: string): Promise<void> {
    await this.sql.query('UPDATE subscriptions SET last_match_at = $1, last_match_paper = $2 WHERE id = $3', [
      at,
      paperId,
      subscriptionId,
    ]);
  }

  // ---- outbox ----

  async enqueue(alert: NewAlert, now = new Date().toISOString()): Promise<boolean> {
    const added = await this.sql.query(
      `INSERT INTO alert_outbox
         (platform, workspace_id, channel_id, paper_id, subscription_id, matched, score, digest, due_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (platform, channel_id, paper_id) DO NOTHING RETURNING id`,
      [
        alert.platform,
        alert.workspaceId,
        alert.channelId,
        alert.paperId,
        alert.subscriptionId,
        JSON.stringify(alert.matched),
        alert.score,
        alert.digest,
        alert.dueAt,
        now,
      ],
    );
    return added.length > 0;
  }

  async inFlight(platform: string): Promise<OutboxRow[]> {
    const rows = await this.sql.query<OutboxDbRow>(
      "SELECT * FROM alert_outbox WHERE platform = $1 AND state IN ('sending', 'posted') ORDER BY id",
      [platform],
    );
    return rows.map(toOutbox);
  }

  async due(platform: string, now: string): Promise<OutboxRow[]> {
    // Channel ids sort byte-wise (COLLATE "C"), as SQLite sorts them, whatever the database's locale.
    const rows = await this.sql.query<OutboxDbRow>(
      `SELECT o.* FROM alert_outbox o
       LEFT JOIN alert_channels c
         ON c.platform = o.platform AND c.workspace_id = o.workspace_id AND c.channel_id = o.channel_id
       WHERE o.platform = $1 AND o.state = 'pending' AND o.due_at <= $2
         AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= $2) AND c.paused_at IS NULL
       ORDER BY o.channel_id COLLATE "C", o.workspace_id COLLATE "C", o.score DESC, o.id`,
      [platform, now],
    );
    return rows.map(toOutbox);
  }

  // Claims: a claimable row is free, ours, or held by a claim that ran out (its owner died or stalled). The
  // candidates are locked with SKIP LOCKED, so two instances claiming at the same moment split them instead of
  // waiting for each other or both taking one. Every claim takes a new fencing token (one per call: a CTE with a
  // volatile function runs once), so writes of a drain whose claim was taken over since match no row.

  async claimInFlight(platform: string, now: string, claim: OutboxClaim): Promise<OutboxRow[]> {
    const rows = await this.sql.query<OutboxDbRow>(
      `WITH claimable AS (
         SELECT id FROM alert_outbox
         WHERE platform = $1 AND state IN ('sending', 'posted')
           AND (claim_owner IS NULL OR claim_owner = $3 OR claim_expires_at < $2)
         FOR UPDATE SKIP LOCKED
       ), fence AS (SELECT nextval('alert_claim_token') AS token)
       UPDATE alert_outbox o SET claim_owner = $3, claim_expires_at = $2::timestamptz + $4 * interval '1 millisecond',
         claim_token = fence.token
       FROM claimable, fence WHERE o.id = claimable.id RETURNING o.*`,
      [platform, now, claim.owner, claim.ttlMs],
    );
    return rows.map(toOutbox).sort((a, b) => a.id - b.id);
  }

  async claimDue(platform: string, now: string, claim: OutboxClaim): Promise<OutboxRow[]> {
    const rows = await this.sql.query<OutboxDbRow>(
      `WITH claimable AS (
         SELECT o.id FROM alert_outbox o
         LEFT JOIN alert_channels c
           ON c.platform = o.platform AND c.workspace_id = o.workspace_id AND c.channel_id = o.channel_id
         WHERE o.platform = $1 AND o.state = 'pending' AND o.due_at <= $2
           AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= $2) AND c.paused_at IS NULL
           AND (o.claim_owner IS NULL OR o.claim_owner = $3 OR o.claim_expires_at < $2)
         FOR UPDATE OF o SKIP LOCKED
       ), fence AS (SELECT nextval('alert_claim_token') AS token)
       UPDATE alert_outbox o SET claim_owner = $3, claim_expires_at = $2::timestamptz + $4 * interval '1 millisecond',
         claim_token = fence.token
       FROM claimable, fence WHERE o.id = claimable.id RETURNING o.*`,
      [platform, now, claim.owner, claim.ttlMs],
    );
    // The order `due` reads in: channel ids byte-wise, then workspace ids, then best score first.
    return rows
      .map(toOutbox)
      .sort(
        (a, b) =>
          bytewise(a.channelId, b.channelId) ||
          bytewise(a.workspaceId, b.workspaceId) ||
          b.score - a.score ||
          a.id - b.id,
      );
  }

  async renewClaims(claim: OutboxClaim, now: string): Promise<number> {
    const kept = await this.sql.query(
      `UPDATE alert_outbox SET claim_expires_at = $2::timestamptz + $3 * interval '1 millisecond'
       WHERE claim_owner = $1 RETURNING id`,
      [claim.owner, now, claim.ttlMs],
    );
    return kept.length;
  }

  async releaseClaims(owner: string): Promise<void> {
    await this.sql.query('UPDATE alert_outbox SET claim_owner = NULL, claim_expires_at = NULL WHERE claim_owner = $1', [
      owner,
    ]);
  }

  async row(id: number): Promise<OutboxRow | undefined> {
    const [row] = await this.sql.query<OutboxDbRow>('SELECT * FROM alert_outbox WHERE id = $1', [id]);
    return row ? toOutbox(row) : undefined;
  }

  async rows(): Promise<OutboxRow[]> {
    return (await this.sql.query<OutboxDbRow>('SELECT * FROM alert_outbox ORDER BY id')).map(toOutbox);
  }

  async outboxStatus(): Promise<OutboxStatus> {
    // COUNT(*) is a bigint, which node-postgres returns as a string.
    const backlog = await this.sql.query<{ platform: string; state: OutboxState; count: string }>(
      `SELECT platform, state, COUNT(*) AS count FROM alert_outbox
       WHERE state IN ('pending', 'sending', 'posted') GROUP BY platform, state`,
    );
    const paused = await this.sql.query<{ platform: string; count: string }>(
      'SELECT platform, COUNT(*) AS count FROM alert_channels WHERE paused_at IS NOT NULL GROUP BY platform',
    );
    const dead = await this.sql.query<{ platform: string; count: string }>(
      "SELECT platform, COUNT(*) AS count FROM alert_outbox WHERE state = 'dead' GROUP BY platform",
    );
    return {
      backlog: backlog.map((row) => ({ ...row, count: Number(row.count) })),
      paused: paused.map((row) => ({ ...row, count: Number(row.count) })),
      dead: dead.map((row) => ({ ...row, count: Number(row.count) })),
    };
  }

  markSending(ids: readonly number[], key: string, now: string, fence?: ClaimFence): Promise<boolean> {
    return this.sql.atomic(async (sql) => {
      if (fence !== undefined) {
        // Every row must still be ours: a claim that ran out may have been taken over by another instance.
        const held = await sql.query(
          'SELECT id FROM alert_outbox WHERE id = ANY($1::bigint[]) AND claim_owner = $2 AND claim_expires_at > $3 ' +
            'AND ($4::bigint IS NULL OR claim_token = $4) FOR UPDATE',
          [ids, fence.owner, now, token(fence)],
        );
        if (held.length !== new Set(ids).size) return false;
      }
      await sql.query(
        "UPDATE alert_outbox SET state = 'sending', message_key = $1, sending_at = $2, attempts = attempts + 1, " +
          'reconcile_rounds = 0 WHERE id = ANY($3::bigint[])',
        [key, now, ids],
      );
      return true;
    });
  }

  // The writes after the platform call take effect only on rows that still carry the fence's token: a row taken
  // over by another instance since is that instance's to record.

  async markPosted(key: string, ref: string, fence?: ClaimFence): Promise<boolean> {
    const rows = await this.sql.query(
      "UPDATE alert_outbox SET state = 'posted', message_ref = $1, reconcile_rounds = 0 " +
        "WHERE message_key = $2 AND state IN ('sending', 'posted') AND ($3::bigint IS NULL OR claim_token = $3) " +
        'RETURNING id',
      [ref, key, token(fence)],
    );
    return rows.length > 0;
  }

  async markSent(key: string, now: string, fence?: ClaimFence): Promise<void> {
    await this.sql.query(
      "UPDATE alert_outbox SET state = 'sent', sent_at = $1, last_error = NULL, claim_owner = NULL " +
        "WHERE message_key = $2 AND state IN ('sending', 'posted') AND ($3::bigint IS NULL OR claim_token = $3)",
      [now, key, token(fence)],
    );
  }

  async markRetry(key: string, error: string, nextAttemptAt: string, fence?: ClaimFence): Promise<void> {
    await this.sql.query(
      "UPDATE alert_outbox SET state = 'pending', message_key = NULL, sending_at = NULL, claim_owner = NULL, " +
        'reconcile_rounds = 0, last_error = $1, next_attempt_at = $2 ' +
        "WHERE message_key = $3 AND state = 'sending' AND ($4::bigint IS NULL OR claim_token = $4)",
      [error, nextAttemptAt, key, token(fence)],
    );
  }

  async markDead(key: string, reason: string, now: string, fence?: ClaimFence): Promise<number> {
    const rows = await this.sql.query(
      "UPDATE alert_outbox SET state = 'dead', last_error = $1, dead_at = $2, claim_owner = NULL " +
        "WHERE message_key = $3 AND state = 'sending' AND ($4::bigint IS NULL OR claim_token = $4) RETURNING id",
      [reason, now, key, token(fence)],
    );
    return rows.length;
  }

  async noteUncertain(key: string, error: string, fence?: ClaimFence): Promise<number> {
    const rows = await this.sql.query<{ rounds: number }>(
      'UPDATE alert_outbox SET reconcile_rounds = reconcile_rounds + 1, last_error = $1 ' +
        "WHERE message_key = $2 AND state IN ('sending', 'posted') AND ($3::bigint IS NULL OR claim_token = $3) " +
        'RETURNING reconcile_rounds AS rounds',
      [error, key, token(fence)],
    );
    return Math.max(0, ...rows.map((row) => row.rounds));
  }

  async deadLetters(filter: DeadLetterFilter = {}): Promise<DeadLetters[]> {
    const { where, values } = deadWhere(filter);
    const rows = await this.sql.query<{
      platform: string;
      workspace_id: string;
      channel_id: string;
      reason: string;
      count: string;
      last_at: Date;
    }>(
      `SELECT platform, workspace_id, channel_id, COALESCE(last_error, '') AS reason, COUNT(*) AS count,
         MAX(dead_at) AS last_at
       FROM alert_outbox WHERE ${where}
       GROUP BY platform, workspace_id, channel_id, COALESCE(last_error, '')
       ORDER BY platform COLLATE "C", workspace_id COLLATE "C", channel_id COLLATE "C", last_at DESC,
         COALESCE(last_error, '') COLLATE "C"`,
      values,
    );
    return rows.map((row) => ({
      platform: row.platform,
      workspaceId: row.workspace_id,
      channelId: row.channel_id,
      reason: row.reason,
      count: Number(row.count),
      lastAt: iso(row.last_at),
    }));
  }

  async requeueDead(filter: DeadLetterFilter = {}): Promise<number> {
    const { where, values } = deadWhere(filter);
    // A row whose fate could not be told keeps its key and is reconciled (asked about) before any resend.
    const rows = await this.sql.query(
      `UPDATE alert_outbox SET
         state = CASE WHEN reconcile_rounds > 0 THEN 'sending' ELSE 'pending' END,
         message_key = CASE WHEN reconcile_rounds > 0 THEN message_key END,
         sending_at = CASE WHEN reconcile_rounds > 0 THEN sending_at END,
         attempts = 0, reconcile_rounds = 0, next_attempt_at = NULL, dead_at = NULL, claim_owner = NULL
       WHERE ${where} RETURNING id`,
      values,
    );
    return rows.length;
  }

  async deleteSentBefore(cutoff: string): Promise<number> {
    const [row] = await this.sql.query<{ n: string }>(
      "WITH gone AS (DELETE FROM alert_outbox WHERE state = 'sent' AND sent_at < $1 RETURNING 1) " +
        'SELECT count(*) AS n FROM gone',
      [cutoff],
    );
    // An alert's reason goes with it (and with the alerts of a workspace deleted after uninstalling).
    await this.sql.query(
      `DELETE FROM alert_reasons r WHERE NOT EXISTS (SELECT 1 FROM alert_outbox o
         WHERE o.platform = r.platform AND o.channel_id = r.channel_id AND o.paper_id = r.paper_id)`,
    );
    return Number(row?.n ?? 0);
  }

  // ---- paused channels ----

  async pauseChannel(channel: ChannelKey, reason: string, now = new Date().toISOString()) {
    await this.sql.query(
      `INSERT INTO alert_channels (platform, workspace_id, channel_id, paused_at, pause_reason)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (platform, workspace_id, channel_id)
       DO UPDATE SET paused_at = excluded.paused_at, pause_reason = excluded.pause_reason`,
      [channel.platform, channel.workspaceId, channel.channelId, now, reason],
    );
  }

  async resumeChannel(channel: ChannelKey): Promise<boolean> {
    const resumed = await this.sql.query(
      'UPDATE alert_channels SET paused_at = NULL, pause_reason = NULL ' +
        'WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND paused_at IS NOT NULL RETURNING platform',
      [channel.platform, channel.workspaceId, channel.channelId],
    );
    return resumed.length > 0;
  }

  async channelPause(channel: ChannelKey): Promise<ChannelPause | undefined> {
    const [row] = await this.sql.query<{ paused_at: Date | null; pause_reason: string | null }>(
      'SELECT paused_at, pause_reason FROM alert_channels WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3',
      [channel.platform, channel.workspaceId, channel.channelId],
    );
    return row?.paused_at ? { pausedAt: iso(row.paused_at), reason: row.pause_reason ?? '' } : undefined;
  }

  async waitingAlerts(channel: ChannelKey): Promise<number> {
    // COUNT(*) is a bigint, which node-postgres returns as a string.
    const [row] = await this.sql.query<{ count: string }>(
      'SELECT COUNT(*) AS count FROM alert_outbox WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 ' +
        "AND state IN ('pending', 'sending', 'posted')",
      [channel.platform, channel.workspaceId, channel.channelId],
    );
    return Number(row?.count ?? 0);
  }

  async pausedChannels(): Promise<ChannelKey[]> {
    const rows = await this.sql.query<{ platform: string; workspace_id: string; channel_id: string }>(
      'SELECT platform, workspace_id, channel_id FROM alert_channels WHERE paused_at IS NOT NULL',
    );
    return rows.map((row) => ({ platform: row.platform, workspaceId: row.workspace_id, channelId: row.channel_id }));
  }

  // ---- source state (validators, inbox files, last fetched days) ----

  async getState(key: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ value: string }>('SELECT value FROM source_state WHERE key = $1', [key]);
    return row?.value;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.sql.query(
      'INSERT INTO source_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }
}
