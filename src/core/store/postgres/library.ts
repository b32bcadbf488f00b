/** Channels' libraries in PostgreSQL: one row per (channel key, paper); the first save is kept. */
import type { ChannelKey, LibraryFilter, LibraryItem, LibraryStore } from '../store.ts';
import type { Sql } from './sql.ts';

interface LibraryRow {
  platform: string;
  workspace_id: string;
  channel_id: string;
  paper_id: string;
  saved_by: string;
  saved_by_name: string | null;
  saved_at: Date;
}

function toItem(row: LibraryRow): LibraryItem {
  return {
    platform: row.platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    paperId: row.paper_id,
    savedBy: row.saved_by,
    ...(row.saved_by_name ? { savedByName: row.saved_by_name } : {}),
    savedAt: row.saved_at.toISOString(),
  };
}

const COLUMNS = 'platform, workspace_id, channel_id, paper_id, saved_by, saved_by_name, saved_at';
/** The channel key as the first three parameters. */
const CHANNEL = 'platform = $1 AND workspace_id = $2 AND channel_id = $3';

function keyOf(channel: ChannelKey): [string, string, string] {
  return [channel.platform, channel.workspaceId, channel.channelId];
}

export class PostgresLibrary implements LibraryStore {
  constructor(private readonly sql: Sql) {}

  async save(item: LibraryItem): Promise<{ added: boolean; item: LibraryItem }> {
    const inserted = await this.sql.query<LibraryRow>(
      `INSERT INTO library_items (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (platform, workspace_id, channel_id, paper_id) DO NOTHING RETURNING ${COLUMNS}`,
      [...keyOf(item), item.paperId, item.savedBy, item.savedByName ?? null, item.savedAt],
    );
    if (inserted[0]) return { added: true, item: toItem(inserted[0]) };
    return { added: false, item: (await this.item(item, item.paperId)) ?? item };
  }

  async item(channel: ChannelKey, paperId: string): Promise<LibraryItem | undefined> {
    const [row] = await this.sql.query<LibraryRow>(
      `SELECT ${COLUMNS} FROM library_items WHERE ${CHANNEL} AND paper_id = $4`,
      [...keyOf(channel), paperId],
    );
    return row && toItem(row);
  }

  async items(channel: ChannelKey, filter: LibraryFilter = {}): Promise<LibraryItem[]> {
    const rows = await this.sql.query<LibraryRow>(
      `SELECT ${COLUMNS} FROM library_items WHERE ${CHANNEL}
         AND ($4::text IS NULL OR saved_by = $4) ORDER BY saved_at DESC, id DESC LIMIT $5 OFFSET $6`,
      [...keyOf(channel), filter.savedBy ?? null, filter.limit ?? null, filter.offset ?? 0],
    );
    return rows.map(toItem);
  }

  async count(channel: ChannelKey, savedBy?: string): Promise<number> {
    const [row] = await this.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM library_items WHERE ${CHANNEL} AND ($4::text IS NULL OR saved_by = $4)`,
      [...keyOf(channel), savedBy ?? null],
    );
    return Number(row?.n ?? 0);
  }

  async remove(channel: ChannelKey, paperId: string): Promise<boolean> {
    const rows = await this.sql.query<{ paper_id: string }>(
      `DELETE FROM library_items WHERE ${CHANNEL} AND paper_id = $4 RETURNING paper_id`,
      [...keyOf(channel), paperId],
    );
    return rows.length > 0;
  }

  async channels(): Promise<ChannelKey[]> {
    const rows = await this.sql.query<{ platform: string; workspace_id: string; channel_id: string }>(
      'SELECT DISTINCT platform, workspace_id, channel_id FROM library_items ORDER BY platform, workspace_id, channel_id',
    );
    return rows.map((row) => ({ platform: row.platform, workspaceId: row.workspace_id, channelId: row.channel_id }));
  }
}
