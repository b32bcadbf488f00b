/** App installations in PostgreSQL: one row per (platform, workspace), the credentials sealed; shared by instances. */
import type { InstallationRecord, InstallationStore } from '../store.ts';
import type { Sql } from './sql.ts';

interface Row {
  platform: string;
  workspace_id: string;
  enterprise_id: string | null;
  org_wide: boolean;
  sealed: string;
  installed_by: string | null;
  installed_at: Date;
}

export class PostgresInstallations implements InstallationStore {
  constructor(private readonly sql: Sql) {}

  async save(record: Omit<InstallationRecord, 'installedAt'>, now = new Date().toISOString()): Promise<void> {
    await this.sql.query(
      `INSERT INTO installations (platform, workspace_id, enterprise_id, org_wide, sealed, installed_by, installed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (platform, workspace_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,
         org_wide = excluded.org_wide, sealed = excluded.sealed, installed_by = excluded.installed_by,
         installed_at = excluded.installed_at`,
      [
        record.platform,
        record.workspaceId,
        record.enterpriseId ?? null,
        record.orgWide,
        record.sealed,
        record.installedBy ?? null,
        now,
      ],
    );
  }

  async get(platform: string, workspaceId: string): Promise<InstallationRecord | undefined> {
    const [row] = await this.sql.query<Row>('SELECT * FROM installations WHERE platform = $1 AND workspace_id = $2', [
      platform,
      workspaceId,
    ]);
    return record(row);
  }

  async latest(platform: string): Promise<InstallationRecord | undefined> {
    const [row] = await this.sql.query<Row>(
      'SELECT * FROM installations WHERE platform = $1 ORDER BY installed_at DESC, workspace_id LIMIT 1',
      [platform],
    );
    return record(row);
  }

  async remove(platform: string, workspaceId: string): Promise<boolean> {
    const rows = await this.sql.query(
      'DELETE FROM installations WHERE platform = $1 AND workspace_id = $2 RETURNING 1',
      [platform, workspaceId],
    );
    return rows.length > 0;
  }
}

function record(row: Row | undefined): InstallationRecord | undefined {
  return (
    row && {
      platform: row.platform,
      workspaceId: row.workspace_id,
      enterpriseId: row.enterprise_id ?? undefined,
      orgWide: row.org_wide,
      sealed: row.sealed,
      installedBy: row.installed_by ?? undefined,
      installedAt: row.installed_at.toISOString(),
    }
  );
}
