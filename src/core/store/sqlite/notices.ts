/** Channel notices and quiet-day settings in SQLite. */
import type { ChannelKey, Notice, NoticeState, NoticeStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface NoticeRow {
  id: number;
  platform: string;
  workspace_id: string;
  channel_id: string;
  key: string;
  text: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

function toNotice(row: NoticeRow): Notice {
  return {
    id: row.id,
    platform: row.platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    key: row.key,
    text: row.text,
    state: row.state as NoticeState,
    attempts: row.attempts,
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: row.created_at,
    ...(row.sent_at ? { sentAt: row.sent_at } : {}),
  };
}

export class SqliteNotices implements NoticeStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  queue(
    notice: Pick<Notice, 'platform' | 'workspaceId' | 'channelId' | 'key' | 'text'>,
    now: string,
  ): Promise<boolean> {
    return this.run(
      () =>
        this.db
          .prepare(
            `INSERT OR IGNORE INTO channel_notices (platform, workspace_id, channel_id, key, text, created_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(notice.platform, notice.workspaceId, notice.channelId, notice.key, notice.text, now).changes > 0,
    );
  }

  open(platform: string): Promise<Notice[]> {
    return this.run(() =>
      this.db
        .prepare<[string], NoticeRow>(
          "SELECT * FROM channel_notices WHERE platform = ? AND state IN ('pending', 'sending') ORDER BY id",
        )
        .all(platform)
        .map(toNotice),
    );
  }

  mark(id: number, state: NoticeState, update: { error?: string; at?: string } = {}): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          `UPDATE channel_notices SET state = ?,
             attempts = attempts + (CASE WHEN ? = 'sending' THEN 1 ELSE 0 END),
             last_error = coalesce(?, last_error), sent_at = coalesce(?, sent_at)
           WHERE id = ?`,
        )
        .run(state, state, update.error ?? null, state === 'sent' ? (update.at ?? null) : null, id);
    });
  }

  channel(channel: ChannelKey): Promise<Notice[]> {
    return this.run(() =>
      this.db
        .prepare<[string, string, string], NoticeRow>(
          'SELECT * FROM channel_notices WHERE platform = ? AND workspace_id = ? AND channel_id = ? ORDER BY id DESC',
        )
        .all(channel.platform, channel.workspaceId, channel.channelId)
        .map(toNotice),
    );
  }

  setQuietNote(subscriptionId: number, on: boolean): Promise<void> {
    return this.run(() => {
      if (on) this.db.prepare('INSERT OR IGNORE INTO quiet_notes (subscription_id) VALUES (?)').run(subscriptionId);
      else this.db.prepare('DELETE FROM quiet_notes WHERE subscription_id = ?').run(subscriptionId);
    });
  }

  quietNotes(subscriptionIds: readonly number[]): Promise<Set<number>> {
    return this.run(() => {
      const on = new Set<number>();
      const select = this.db.prepare<[number], { subscription_id: number }>(
        'SELECT subscription_id FROM quiet_notes WHERE subscription_id = ?',
      );
      for (const id of new Set(subscriptionIds)) if (select.get(id)) on.add(id);
      return on;
    });
  }
}
