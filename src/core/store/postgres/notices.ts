/** Channel notices and quiet-day settings in PostgreSQL. */
import type { ChannelKey, Notice, NoticeState, NoticeStore } from '../store.ts';
import type { Sql } from './sql.ts';

interface NoticeRow {
  id: string;
  platform: string;
  workspace_id: string;
  channel_id: string;
  key: string;
  text: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

function toNotice(row: NoticeRow): Notice {
  return {
    id: Number(row.id),
    platform: row.platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    key: row.key,
    text: row.text,
    state: row.state as NoticeState,
    attempts: row.attempts,
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: row.created_at.toISOString(),
    ...(row.sent_at ? { sentAt: row.sent_at.toISOString() } : {}),
  };
}

export class PostgresNotices implements NoticeStore {
  constructor(private readonly sql: Sql) {}

  async queue(
    notice: Pick<Notice, 'platform' | 'workspaceId' | 'channelId' | 'key' | 'text'>,
    now: string,
  ): Promise<boolean> {
    const rows = await this.sql.query<{ id: string }>(
      `INSERT INTO channel_notices (platform, workspace_id, channel_id, key, text, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (platform, workspace_id, channel_id, key) DO NOTHING RETURNING id`,
      [notice.platform, notice.workspaceId, notice.channelId, notice.key, notice.text, now],
    );
    return rows.length > 0;
  }

  async open(platform: string): Promise<Notice[]> {
    const rows = await this.sql.query<NoticeRow>(
      "SELECT * FROM channel_notices WHERE platform = $1 AND state IN ('pending', 'sending') ORDER BY id",
      [platform],
    );
    return rows.map(toNotice);
  }

  async mark(id: number, state: NoticeState, update: { error?: string; at?: string } = {}): Promise<void> {
    await this.sql.query(
      `UPDATE channel_notices SET state = $1,
         attempts = attempts + (CASE WHEN $1 = 'sending' THEN 1 ELSE 0 END),
         last_error = coalesce($2, last_error), sent_at = coalesce($3, sent_at)
       WHERE id = $4`,
      [state, update.error ?? null, state === 'sent' ? (update.at ?? null) : null, id],
    );
  }

  async channel(channel: ChannelKey): Promise<Notice[]> {
    const rows = await this.sql.query<NoticeRow>(
      'SELECT * FROM channel_notices WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 ORDER BY id DESC',
      [channel.platform, channel.workspaceId, channel.channelId],
    );
    return rows.map(toNotice);
  }

  async setQuietNote(subscriptionId: number, on: boolean): Promise<void> {
    await this.sql.query(
      on
        ? 'INSERT INTO quiet_notes (subscription_id) VALUES ($1) ON CONFLICT DO NOTHING'
        : 'DELETE FROM quiet_notes WHERE subscription_id = $1',
      [subscriptionId],
    );
  }

  async quietNotes(subscriptionIds: readonly number[]): Promise<Set<number>> {
    if (!subscriptionIds.length) return new Set();
    const rows = await this.sql.query<{ subscription_id: string }>(
      'SELECT subscription_id FROM quiet_notes WHERE subscription_id = ANY($1::bigint[])',
      [[...new Set(subscriptionIds)]],
    );
    return new Set(rows.map((row) => Number(row.subscription_id)));
  }
}
