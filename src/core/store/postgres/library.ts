/** Channels' libraries in PostgreSQL: one row per (channel, paper); the first save is kept. */
import type { LibraryFilter, LibraryItem, LibraryStore } from '../store.ts';
import type { Sql } from './sql.ts';

interface LibraryRow {
  platform: string;
  channel_id: string;
  paper_id: string;
  saved_by: string;
  saved_by_name: string | null;
  saved_at: Date;
}

function toItem(row: LibraryRow): LibraryItem {
  return {
    platform: row.platform,
    channelId: row.channel_id,
    paperId: row.paper_id,
    savedBy: row.saved_by,
    ...(row.saved_by_name ? { savedByName: row.saved_by_name } : {}),
    savedAt: row.saved_at.toISOString(),
  };
}

const COLUMNS = 'platform, channel_id, paper_id, saved_by, saved_by_name, saved_at';

export class PostgresLibrary implements LibraryStore {
  constructor(private readonly sql: Sql) {}

  async save(item: LibraryItem): Promise<{ added: boolean; item: LibraryItem }> {
    const inserted = await this.sql.query<LibraryRow>(
      `INSERT INTO library_items (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (platform, channel_id, paper_id) DO NOTHING RETURNING ${COLUMNS}`,
      [item.platform, item.channelId, item.paperId, item.savedBy, item.savedByName ?? null, item.savedAt],
    );
    if (inserted[0]) return { added: true, item: toItem(inserted[0]) };
    return { added: false, item: (await this.item(item.platform, item.channelId, item.paperId)) ?? item };
  }

  async item(platform: string, channelId: string, paperId: string): Promise<LibraryItem | undefined> {
    const [row] = await this.sql.query<LibraryRow>(
      `SELECT ${COLUMNS} FROM library_items WHERE platform = $1 AND channel_id = $2 AND paper_id = $3`,
      [platform, channelId, paperId],
    );
    return row && toItem(row);
  }

  async items(platform: string, channelId: string, filter: LibraryFilter = {}): Promise<LibraryItem[]> {
    const rows = await this.sql.query<LibraryRow>(
      `SELECT ${COLUMNS} FROM library_items WHERE platform = $1 AND channel_id = $2
         AND ($3::text IS NULL OR saved_by = $3) ORDER BY saved_at DESC, id DESC LIMIT $4 OFFSET $5`,
      [platform, channelId, filter.savedBy ?? null, filter.limit ?? null, filter.offset ?? 0],
    );
    return rows.map(toItem);
  }

  async count(platform: string, channelId: string, savedBy?: string): Promise<number> {
    const [row] = await this.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM library_items WHERE platform = $1 AND channel_id = $2
         AND ($3::text IS NULL OR saved_by = $3)`,
      [platform, channelId, savedBy ?? null],
    );
    return Number(row?.n ?? 0);
  }

  async remove(platform: string, channelId: string, paperId: string): Promise<boolean> {
    const rows = await this.sql.query<{ paper_id: string }>(
      'DELETE FROM library_items WHERE platform = $1 AND channel_id = $2 AND paper_id = $3 RETURNING paper_id',
      [platform, channelId, paperId],
    );
    return rows.length > 0;
  }

  async channels(): Promise<{ platform: string; channelId: string }[]> {
    const rows = await this.sql.query<{ platform: string; channel_id: string }>(
      'SELECT DISTINCT platform, channel_id FROM library_items ORDER BY platform, channel_id',
    );
    return rows.map((row) => ({ platform: row.platform, channelId: row.channel_id }));
  }
}
