/**
 * `paperboy backup FILE` and `paperboy restore FILE`: SQLite through its online backup API (safe while the bot runs),
 * PostgreSQL by printing the `pg_dump` / `pg_restore` line to run. Neither opens paperboy itself: a backup reads the
 * database as it is, and a restore must not have it open.
 */
import { pgDumpLine, pgRestoreLine, type ToolLine } from '../core/store/postgres/backup.ts';
import { backupSqlite, type DatabaseSummary, restoreSqlite } from '../core/store/sqlite/backup.ts';
import { StoreError } from '../core/store/store-error.ts';

export interface BackupCliOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface BackupTarget {
  dbPath: string;
  databaseUrl?: string;
}

export async function backupCommand(
  command: 'backup' | 'restore',
  database: BackupTarget,
  args: string[],
  options: { force: boolean },
  io: BackupCliOutput,
): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length) {
    io.err(`usage: paperboy ${command} FILE [--db PATH]${command === 'restore' ? ' [--force]' : ''}`);
    return 2;
  }
  if (database.databaseUrl) {
    const line = (command === 'backup' ? pgDumpLine : pgRestoreLine)(database.databaseUrl, file);
    printToolLine(command, line, io);
    return 0;
  }
  try {
    if (command === 'backup') {
      const summary = await backupSqlite(database.dbPath, file);
      io.out(`backed up ${database.dbPath} to ${file}: ${describe(summary)}`);
      io.out(`restore it with: paperboy restore ${file} --db ${database.dbPath} (with the bot stopped)`);
      return 0;
    }
    const report = await restoreSqlite(file, database.dbPath, { force: options.force });
    const migrated =
      report.fromVersion < report.schemaVersion ? ` (schema ${report.fromVersion} brought up to date)` : '';
    io.out(`restored ${file} into ${database.dbPath}${migrated}: ${describe(report)}`);
    if (report.replacedBy) io.out(`the database it replaced is kept as ${report.replacedBy}`);
    if (report.wasInUse)
      io.err(
        'paperboy restore: the database was open in another process: restart it now (until then it writes to the ' +
          'replaced file, not the restored one)',
      );
    return 0;
  } catch (error) {
    if (error instanceof StoreError) {
      io.err(`paperboy ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function describe(summary: DatabaseSummary): string {
  const mb = (summary.bytes / 1_048_576).toFixed(1);
  return (
    `schema ${summary.schemaVersion}, ${summary.papers} papers, ${summary.subscriptions} subscriptions, ` +
    `${summary.libraryItems} library items, ${mb} MB`
  );
}

function printToolLine(command: 'backup' | 'restore', line: ToolLine, io: BackupCliOutput): void {
  io.out(
    command === 'backup'
      ? 'PostgreSQL is backed up with pg_dump (consistent while paperboy runs). Run:'
      : 'PostgreSQL is restored with pg_restore. Stop every paperboy instance first, then run:',
  );
  io.out(`  ${line.command}`);
  if (line.passwordLeftOut)
    io.out("The URL's password is left out: give it in PGPASSWORD or ~/.pgpass (never on the command line).");
  if (command === 'restore') io.out('paperboy brings the schema up to date when it next starts.');
}
