/** Channels' libraries in SQLite: one row per (channel key, paper); the first save is kept. */
import type { ChannelKey, LibraryFilter, LibraryItem, LibraryStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface LibraryRow {
  platform: string;
  workspace_id: string;
  channel_id: string;
  paper_id: string;
  saved_by: string;
  saved_by_name: string | null;
  saved_at: string;
}

function toItem(row: LibraryRow): LibraryItem {
  return {
    platform: row.platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    paperId: row.paper_id,
    savedBy: row.saved_by,
    ...(row.saved_by_name ? { savedByName: row.saved_by_name } : {}),
    savedAt: row.saved_at,
  };
}

const COLUMNS = 'platform, workspace_id, channel_id, paper_id, saved_by, saved_by_name, saved_at';
const CHANNEL = 'platform = ? AND workspace_id = ? AND channel_id = ?';

export class SqliteLibrary implements LibraryStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  save(item: LibraryItem): Promise<{ added: boolean; item: LibraryItem }> {
    return this.run(() => {
      const added =
        this.db
          .prepare(`INSERT OR IGNORE INTO library_items (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
          .run(
            item.platform,
            item.workspaceId,
            item.channelId,
            item.paperId,
            item.savedBy,
            item.savedByName ?? null,
            item.savedAt,
          ).changes > 0;
      return { added, item: this.itemNow(item, item.paperId) ?? item };
    });
  }

  item(channel: ChannelKey, paperId: string): Promise<LibraryItem | undefined> {
    return this.run(() => this.itemNow(channel, paperId));
  }

  items(channel: ChannelKey, filter: LibraryFilter = {}): Promise<LibraryItem[]> {
    return this.run(() =>
      this.db
        .prepare<unknown[], LibraryRow>(
          `SELECT ${COLUMNS} FROM library_items WHERE ${CHANNEL}
             AND (? IS NULL OR saved_by = ?) ORDER BY saved_at DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .all(...keyOf(channel), filter.savedBy ?? null, filter.savedBy ?? null, filter.limit ?? -1, filter.offset ?? 0)
        .map(toItem),
    );
  }

  count(channel: ChannelKey, savedBy?: string): Promise<number> {
    return this.run(
      () =>
        this.db
          .prepare<unknown[], { n: number }>(
            `SELECT count(*) AS n FROM library_items WHERE ${CHANNEL} AND (? IS NULL OR saved_by = ?)`,
          )
          .get(...keyOf(channel), savedBy ?? null, savedBy ?? null)!.n,
    );
  }

  remove(channel: ChannelKey, paperId: string): Promise<boolean> {
    return this.run(
      () =>
        this.db.prepare(`DELETE FROM library_items WHERE ${CHANNEL} AND paper_id = ?`).run(...keyOf(channel), paperId)
          .changes > 0,
    );
  }

  channels(): Promise<ChannelKey[]> {
    return this.run(() =>
      this.db
        .prepare<[], { platform: string; workspace_id: string; channel_id: string }>(
          `SELECT DISTINCT platform, workspace_id, channel_id FROM library_items
           ORDER BY platform, workspace_id, channel_id`,
        )
        .all()
        .map((row) => ({ platform: row.platform, workspaceId: row.workspace_id, channelId: row.channel_id })),
    );
  }

  private itemNow(channel: ChannelKey, paperId: string): LibraryItem | undefined {
    const row = this.db
      .prepare<unknown[], LibraryRow>(`SELECT ${COLUMNS} FROM library_items WHERE ${CHANNEL} AND paper_id = ?`)
      .get(...keyOf(channel), paperId);
    return row && toItem(row);
  }
}

function keyOf(channel: ChannelKey): [string, string, string] {
  return [channel.platform, channel.workspaceId, channel.channelId];
}
