/** Channels' 👎s in PostgreSQL: one row per (channel, paper, person). */
import type { ChannelKey, FeedbackFilter, FeedbackItem, FeedbackStore } from '../store.ts';
import type { Sql } from './sql.ts';

interface FeedbackRow {
  platform: string;
  workspace_id: string;
  channel_id: string;
  paper_id: string;
  given_by: string;
  given_by_name: string | null;
  given_at: Date;
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
    givenAt: row.given_at.toISOString(),
  };
}

export class PostgresFeedback implements FeedbackStore {
  constructor(private readonly sql: Sql) {}

  async add(item: FeedbackItem): Promise<boolean> {
    const rows = await this.sql.query<{ id: string }>(
      `INSERT INTO paper_feedback (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (platform, workspace_id, channel_id, paper_id, given_by) DO NOTHING RETURNING id`,
      [
        item.platform,
        item.workspaceId,
        item.channelId,
        item.paperId,
        item.givenBy,
        item.givenByName ?? null,
        item.givenAt,
      ],
    );
    return rows.length > 0;
  }

  async remove(channel: ChannelKey, paperId: string, givenBy?: string): Promise<number> {
    const rows = await this.sql.query<{ id: string }>(
      `DELETE FROM paper_feedback WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND paper_id = $4
         AND ($5::text IS NULL OR given_by = $5) RETURNING id`,
      [channel.platform, channel.workspaceId, channel.channelId, paperId, givenBy ?? null],
    );
    return rows.length;
  }

  async items(channel: ChannelKey, filter: FeedbackFilter = {}): Promise<FeedbackItem[]> {
    const rows = await this.sql.query<FeedbackRow>(
      `SELECT ${COLUMNS} FROM paper_feedback WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3
         AND ($4::text IS NULL OR paper_id = $4) AND ($5::text IS NULL OR given_by = $5)
       ORDER BY given_at DESC, id DESC LIMIT $6`,
      [
        channel.platform,
        channel.workspaceId,
        channel.channelId,
        filter.paperId ?? null,
        filter.givenBy ?? null,
        filter.limit ?? null,
      ],
    );
    return rows.map(toItem);
  }
}
