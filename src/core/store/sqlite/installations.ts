/** App installations in SQLite: one row per (platform, workspace), the credentials sealed. */
import type { InstallationRecord, InstallationStore } from '../store.ts';
import type { Db } from './database.ts';
import type { Runner } from './gate.ts';

interface Row {
  platform: string;
  workspace_id: string;
  enterprise_id: string | null;
  org_wide: number;
  sealed: string;
  installed_by: string | null;
  installed_at: string;
}

export class SqliteInstallations implements InstallationStore {
  constructor(
    private readonly db: Db,
    private readonly run: Runner,
  ) {}

  save(record: Omit<InstallationRecord, 'installedAt'>, now = new Date().toISOString()): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          `INSERT INTO installations (platform, workspace_id, enterprise_id, org_wide, sealed, installed_by, installed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (platform, workspace_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,
             org_wide = excluded.org_wide, sealed = excluded.sealed, installed_by = excluded.installed_by,
             installed_at = excluded.installed_at`,
        )
        .run(
          record.platform,
          record.workspaceId,
          record.enterpriseId ?? null,
          record.orgWide ? 1 : 0,
          record.sealed,
          record.installedBy ?? null,
          now,
        );
    });
  }

  get(platform: string, workspaceId: string): Promise<InstallationRecord | undefined> {
    return this.run(() =>
      record(
        this.db
          .prepare<[string, string], Row>('SELECT * FROM installations WHERE platform = ? AND workspace_id = ?')
          .get(platform, workspaceId),
      ),
    );
  }

  latest(platform: string): Promise<InstallationRecord | undefined> {
    return this.run(() =>
      record(
        this.db
          .prepare<[string], Row>(
            'SELECT * FROM installations WHERE platform = ? ORDER BY installed_at DESC, workspace_id LIMIT 1',
          )
          .get(platform),
      ),
    );
  }

  remove(platform: string, workspaceId: string): Promise<boolean> {
    return this.run(
      () =>
        this.db.prepare('DELETE FROM installations WHERE platform = ? AND workspace_id = ?').run(platform, workspaceId)
          .changes > 0,
    );
  }
}

function record(row: Row | undefined): InstallationRecord | undefined {
  return (
    row && {
      platform: row.platform,
      workspaceId: row.workspace_id,
      enterpriseId: row.enterprise_id ?? undefined,
      orgWide: row.org_wide === 1,
      sealed: row.sealed,
      installedBy: row.installed_by ?? undefined,
      installedAt: row.installed_at,
    }
  );
}
