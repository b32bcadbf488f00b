/** Why each alert came, in SQLite: keyed like the outbox (channel, paper). */
import type { AlertReason, AlertReasonStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

export class SqliteAlertReasons implements AlertReasonStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  put(reason: AlertReason): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          `INSERT INTO alert_reasons (platform, channel_id, paper_id, reason) VALUES (?, ?, ?, ?)
           ON CONFLICT (platform, channel_id, paper_id) DO UPDATE SET reason = excluded.reason`,
        )
        .run(reason.platform, reason.channelId, reason.paperId, reason.reason);
    });
  }

  get(platform: string, channelId: string, paperIds: readonly string[]): Promise<Map<string, string>> {
    return this.run(() => {
      const found = new Map<string, string>();
      const select = this.db.prepare<[string, string, string], { reason: string }>(
        'SELECT reason FROM alert_reasons WHERE platform = ? AND channel_id = ? AND paper_id = ?',
      );
      for (const paperId of new Set(paperIds)) {
        const row = select.get(platform, channelId, paperId);
        if (row) found.set(paperId, row.reason);
      }
      return found;
    });
  }
}
