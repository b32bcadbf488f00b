/** Channels' libraries in SQLite: one row per (channel, paper); the first save is kept. */
import type { LibraryFilter, LibraryItem, LibraryStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface LibraryRow {
  platform: string;
  channel_id: string;
  paper_id: string;
  saved_by: string;
  saved_by_name: string | null;
  saved_at: string;
}

function toItem(row: LibraryRow): LibraryItem {
  return {
    platform: row.platform,
    channelId: row.channel_id,
    paperId: row.paper_id,
    savedBy: row.saved_by,
    ...(row.saved_by_name ? { savedByName: row.saved_by_name } : {}),
    savedAt: row.saved_at,
  };
}

const COLUMNS = 'platform, channel_id, paper_id, saved_by, saved_by_name, saved_at';

export class SqliteLibrary implements LibraryStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  save(item: LibraryItem): Promise<{ added: boolean; item: LibraryItem }> {
    return this.run(() => {
      const added =
        this.db
          .prepare(`INSERT OR IGNORE INTO library_items (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
          .run(item.platform, item.channelId, item.paperId, item.savedBy, item.savedByName ?? null, item.savedAt)
          .changes > 0;
      return { added, item: this.itemNow(item.platform, item.channelId, item.paperId) ?? item };
    });
  }

  item(platform: string, channelId: string, paperId: string): Promise<LibraryItem | undefined> {
    return this.run(() => this.itemNow(platform, channelId, paperId));
  }

  items(platform: string, channelId: string, filter: LibraryFilter = {}): Promise<LibraryItem[]> {
    return this.run(() =>
      this.db
        .prepare<unknown[], LibraryRow>(
          `SELECT ${COLUMNS} FROM library_items WHERE platform = ? AND channel_id = ?
             AND (? IS NULL OR saved_by = ?) ORDER BY saved_at DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .all(
          platform,
          channelId,
          filter.savedBy ?? null,
          filter.savedBy ?? null,
          filter.limit ?? -1,
          filter.offset ?? 0,
        )
        .map(toItem),
    );
  }

  count(platform: string, channelId: string, savedBy?: string): Promise<number> {
    return this.run(
      () =>
        this.db
          .prepare<unknown[], { n: number }>(
            'SELECT count(*) AS n FROM library_items WHERE platform = ? AND channel_id = ? AND (? IS NULL OR saved_by = ?)',
          )
          .get(platform, channelId, savedBy ?? null, savedBy ?? null)!.n,
    );
  }

  remove(platform: string, channelId: string, paperId: string): Promise<boolean> {
    return this.run(
      () =>
        this.db
          .prepare('DELETE FROM library_items WHERE platform = ? AND channel_id = ? AND paper_id = ?')
          .run(platform, channelId, paperId).changes > 0,
    );
  }

  channels(): Promise<{ platform: string; channelId: string }[]> {
    return this.run(() =>
      this.db
        .prepare<[], { platform: string; channel_id: string }>(
          'SELECT DISTINCT platform, channel_id FROM library_items ORDER BY platform, channel_id',
        )
        .all()
        .map((row) => ({ platform: row.platform, channelId: row.channel_id })),
    );
  }

  private itemNow(platform: string, channelId: string, paperId: string): LibraryItem | undefined {
    const row = this.db
      .prepare<[string, string, string], LibraryRow>(
        `SELECT ${COLUMNS} FROM library_items WHERE platform = ? AND channel_id = ? AND paper_id = ?`,
      )
      .get(platform, channelId, paperId);
    return row && toItem(row);
  }
}
