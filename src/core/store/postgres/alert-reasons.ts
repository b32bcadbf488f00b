/** Why each alert came, in PostgreSQL: keyed like the outbox (channel, paper). */
import type { AlertReason, AlertReasonStore } from '../store.ts';
import type { Sql } from './sql.ts';

export class PostgresAlertReasons implements AlertReasonStore {
  constructor(private readonly sql: Sql) {}

  async put(reason: AlertReason): Promise<void> {
    await this.sql.query(
      `INSERT INTO alert_reasons (platform, channel_id, paper_id, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (platform, channel_id, paper_id) DO UPDATE SET reason = excluded.reason`,
      [reason.platform, reason.channelId, reason.paperId, reason.reason],
    );
  }

  async get(platform: string, channelId: string, paperIds: readonly string[]): Promise<Map<string, string>> {
    if (!paperIds.length) return new Map();
    const rows = await this.sql.query<{ paper_id: string; reason: unknown }>(
      'SELECT paper_id, reason FROM alert_reasons WHERE platform = $1 AND channel_id = $2 AND paper_id = ANY($3)',
      [platform, channelId, [...new Set(paperIds)]],
    );
    return new Map(rows.map((row) => [row.paper_id, JSON.stringify(row.reason)]));
  }
}
