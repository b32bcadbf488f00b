/** Workspaces in SQLite: when each removed the app, and the deletion of everything kept for one. */
import { NO_WORKSPACE } from '../../channel-key.ts';
import type { ChannelKey, RemovedWorkspace, WorkspaceDataCounts, WorkspaceStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface Row {
  platform: string;
  workspace_id: string;
  removed_at: string;
  removed_reason: string;
}

function toRemoved(row: Row): RemovedWorkspace {
  return {
    platform: row.platform,
    workspaceId: row.workspace_id,
    removedAt: row.removed_at,
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

export class SqliteWorkspaces implements WorkspaceStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  markRemoved(platform: string, workspaceId: string, reason: string, now = new Date().toISOString()): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          'INSERT INTO workspaces (platform, workspace_id, removed_at, removed_reason) VALUES (?, ?, ?, ?) ' +
            'ON CONFLICT (platform, workspace_id) DO NOTHING',
        )
        .run(platform, workspaceId, now, reason);
    });
  }

  markReturned(platform: string, workspaceId: string): Promise<boolean> {
    return this.run(
      () =>
        this.db.prepare('DELETE FROM workspaces WHERE platform = ? AND workspace_id = ?').run(platform, workspaceId)
          .changes > 0,
    );
  }

  removal(platform: string, workspaceId: string): Promise<RemovedWorkspace | undefined> {
    return this.run(() => {
      const row = this.db
        .prepare<[string, string], Row>('SELECT * FROM workspaces WHERE platform = ? AND workspace_id = ?')
        .get(platform, workspaceId);
      return row && toRemoved(row);
    });
  }

  removedBefore(cutoff: string): Promise<RemovedWorkspace[]> {
    return this.run(() =>
      this.db
        .prepare<[string], Row>('SELECT * FROM workspaces WHERE removed_at < ? ORDER BY removed_at, platform')
        .all(cutoff)
        .map(toRemoved),
    );
  }

  purge(platform: string, workspaceId: string, cutoff: string): Promise<WorkspaceDataCounts | undefined> {
    return this.run(() =>
      this.db.transaction(() => {
        const gone =
          this.db
            .prepare('DELETE FROM workspaces WHERE platform = ? AND workspace_id = ? AND removed_at < ?')
            .run(platform, workspaceId, cutoff).changes > 0;
        if (!gone) return undefined;
        const counts = {} as WorkspaceDataCounts;
        for (const [table, count] of WORKSPACE_TABLES)
          counts[count] = this.db
            .prepare(`DELETE FROM ${table} WHERE platform = ? AND workspace_id = ?`)
            .run(platform, workspaceId).changes;
        return counts;
      })(),
    );
  }

  adopt(channel: ChannelKey): Promise<number> {
    if (channel.workspaceId === NO_WORKSPACE) return Promise.resolve(0);
    const args = [channel.workspaceId, channel.platform, NO_WORKSPACE, channel.channelId];
    const where = 'platform = ? AND workspace_id = ? AND channel_id = ?';
    return this.run(() =>
      this.db.transaction(() => {
        let moved = 0;
        // A row the workspace already has (a paper it saved, its own pause) wins; the old one stays where it was.
        for (const table of ['subscriptions', 'alert_outbox', 'library_items', 'alert_channels'])
          moved += this.db
            .prepare(`UPDATE OR IGNORE ${table} SET workspace_id = ? WHERE ${where}`)
            .run(...args).changes;
        return moved;
      })(),
    );
  }
}
