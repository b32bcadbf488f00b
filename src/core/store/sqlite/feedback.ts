/** Channels' 👎s in SQLite: one row per (channel, paper, person). */
import type { ChannelKey, FeedbackFilter, FeedbackItem, FeedbackStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface FeedbackRow {
  platform: string;
  workspace_id: string;
  channel_id: string;
  paper_id: string;
  given_by: string;
  given_by_name: string | null;
  given_at: string;
}

const COLUMNS = 'platform, workspace_id, channel_id, paper_id, given_by, given_by_name, given_at';

function toItem(row: FeedbackRow): FeedbackItem {
  return {
    platform: row.platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    paperId: row.paper_id,
    givenBy: row.given_by,
    ...(row.given_by_name ? { givenByName: row.given_by_name } : {}),
    givenAt: row.given_at,
  };
}

export class SqliteFeedback implements FeedbackStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  add(item: FeedbackItem): Promise<boolean> {
    return this.run(
      () =>
        this.db
          .prepare(`INSERT OR IGNORE INTO paper_feedback (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
          .run(
            item.platform,
            item.workspaceId,
            item.channelId,
            item.paperId,
            item.givenBy,
            item.givenByName ?? null,
            item.givenAt,
          ).changes > 0,
    );
  }

  remove(channel: ChannelKey, paperId: string, givenBy?: string): Promise<number> {
    return this.run(
      () =>
        this.db
          .prepare(
            `DELETE FROM paper_feedback WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND paper_id = ?
               AND (? IS NULL OR given_by = ?)`,
          )
          .run(channel.platform, channel.workspaceId, channel.channelId, paperId, givenBy ?? null, givenBy ?? null)
          .changes,
    );
  }

  items(channel: ChannelKey, filter: FeedbackFilter = {}): Promise<FeedbackItem[]> {
    return this.run(() =>
      this.db
        .prepare<unknown[], FeedbackRow>(
          `SELECT ${COLUMNS} FROM paper_feedback WHERE platform = ? AND workspace_id = ? AND channel_id = ?
             AND (? IS NULL OR paper_id = ?) AND (? IS NULL OR given_by = ?)
           ORDER BY given_at DESC, id DESC LIMIT ?`,
        )
        .all(
          channel.platform,
          channel.workspaceId,
          channel.channelId,
          filter.paperId ?? null,
          filter.paperId ?? null,
          filter.givenBy ?? null,
          filter.givenBy ?? null,
          filter.limit ?? -1,
        )
        .map(toItem),
    );
  }
}
