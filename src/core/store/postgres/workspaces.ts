/** Workspaces in PostgreSQL: when each removed the app, and the deletion of everything kept for one. */
import { NO_WORKSPACE } from '../../channel-key.ts';
import type { ChannelKey, RemovedWorkspace, WorkspaceDataCounts, WorkspaceStore } from '../store.ts';
import type { Sql } from './sql.ts';

interface Row {
  platform: string;
  workspace_id: string;
  removed_at: Date;
  removed_reason: string;
}

function toRemoved(row: Row): RemovedWorkspace {
  return {
    platform: row.platform,
    workspaceId: row.workspace_id,
    removedAt: row.removed_at.toISOString(),
    reason: row.removed_reason,
  };
}

/** The tables holding a workspace's data, and the count each deletion reports. */
const WORKSPACE_TABLES: [table: string, count: keyof WorkspaceDataCounts][] = [
  ['subscriptions', 'subscriptions'],
  ['library_items', 'libraryItems'],
  ['alert_outbox', 'alerts'],
  ['alert_channels', 'pausedChannels'],
  ['paper_feedback', 'feedback'],
  ['channel_notices', 'notices'],
  ['installations', 'installations'],
];

/** The tables `adopt` moves rows of, and the columns a row may collide on there once moved. */
const ADOPTED: [table: string, unique?: string][] = [
  ['subscriptions'],
  ['alert_outbox'],
  ['library_items', 'paper_id'],
  ['alert_channels', ''],
];

export class PostgresWorkspaces implements WorkspaceStore {
  constructor(private readonly sql: Sql) {}

  async markRemoved(platform: string, workspaceId: string, reason: string, now = new Date().toISOString()) {
    await this.sql.query(
      'INSERT INTO workspaces (platform, workspace_id, removed_at, removed_reason) VALUES ($1, $2, $3, $4) ' +
        'ON CONFLICT (platform, workspace_id) DO NOTHING',
      [platform, workspaceId, now, reason],
    );
  }

  async markReturned(platform: string, workspaceId: string): Promise<boolean> {
    const gone = await this.sql.query(
      'DELETE FROM workspaces WHERE platform = $1 AND workspace_id = $2 RETURNING platform',
      [platform, workspaceId],
    );
    return gone.length > 0;
  }

  async removal(platform: string, workspaceId: string): Promise<RemovedWorkspace | undefined> {
    const [row] = await this.sql.query<Row>('SELECT * FROM workspaces WHERE platform = $1 AND workspace_id = $2', [
      platform,
      workspaceId,
    ]);
    return row && toRemoved(row);
  }

  async removedBefore(cutoff: string): Promise<RemovedWorkspace[]> {
    const rows = await this.sql.query<Row>(
      'SELECT * FROM workspaces WHERE removed_at < $1 ORDER BY removed_at, platform',
      [cutoff],
    );
    return rows.map(toRemoved);
  }

  purge(platform: string, workspaceId: string, cutoff: string): Promise<WorkspaceDataCounts | undefined> {
    return this.sql.atomic(async (sql) => {
      // Deleting the removal first also settles a race with a reinstall: one of the two finds no row.
      const gone = await sql.query(
        'DELETE FROM workspaces WHERE platform = $1 AND workspace_id = $2 AND removed_at < $3 RETURNING platform',
        [platform, workspaceId, cutoff],
      );
      if (!gone.length) return undefined;
      const counts = {} as WorkspaceDataCounts;
      for (const [table, count] of WORKSPACE_TABLES) {
        const [row] = await sql.query<{ n: string }>(
          `WITH gone AS (DELETE FROM ${table} WHERE platform = $1 AND workspace_id = $2 RETURNING 1)
           SELECT count(*) AS n FROM gone`,
          [platform, workspaceId],
        );
        counts[count] = Number(row?.n ?? 0);
      }
      return counts;
    });
  }

  adopt(channel: ChannelKey): Promise<number> {
    if (channel.workspaceId === NO_WORKSPACE) return Promise.resolve(0);
    return this.sql.atomic(async (sql) => {
      let moved = 0;
      for (const [table, unique] of ADOPTED) {
        // A row the workspace already has (a paper it saved, its own pause) wins; the old one stays where it was.
        const collides =
          unique === undefined
            ? ''
            : `AND NOT EXISTS (SELECT 1 FROM ${table} mine WHERE mine.platform = t.platform
                 AND mine.workspace_id = $1 AND mine.channel_id = t.channel_id
                 ${unique ? `AND mine.${unique} = t.${unique}` : ''})`;
        const [row] = await sql.query<{ n: string }>(
          `WITH moved AS (
             UPDATE ${table} t SET workspace_id = $1
             WHERE t.platform = $2 AND t.workspace_id = $3 AND t.channel_id = $4 ${collides}
             RETURNING 1)
           SELECT count(*) AS n FROM moved`,
          [channel.workspaceId, channel.platform, NO_WORKSPACE, channel.channelId],
        );
        moved += Number(row?.n ?? 0);
      }
      return moved;
    });
  }
}
