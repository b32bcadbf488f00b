/**
 * Backing up and restoring a SQLite database while paperboy may be running.
 *
 * Backup uses SQLite's online backup API (better-sqlite3's `db.backup()`) on a connection of its own, copying every
 * page in one step: one read transaction, so the copy is one consistent moment of the database, and in WAL mode the
 * bot's writes go on meanwhile (a copy of the file itself could catch half a checkpoint, and would miss what is
 * still in the `-wal` file). The copy is checked (`PRAGMA quick_check`) and left as a single self-contained file.
 *
 * Restore checks that the file is a sound paperboy database, copies it beside the target and brings its schema up to
 * date there, then swaps it in. The database it replaces is never deleted: it is renamed aside. A target another
 * process has open (the bot) is refused unless forced, because that process would go on writing to the replaced file.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../store-error.ts';
import { openDatabase } from './database.ts';
import { migrations } from './migrations.ts';

/** What a database holds, in the figures a person checks after a backup or a restore. */
export interface DatabaseSummary {
  schemaVersion: number;
  papers: number;
  subscriptions: number;
  libraryItems: number;
  bytes: number;
}

export interface RestoreReport extends DatabaseSummary {
  /** The backup's schema version before it was brought up to date. */
  fromVersion: number;
  /** Where the database it replaced now is (none when there was none). */
  replacedBy?: string;
  /** The target was open in another process (only with `force`): that process must be restarted. */
  wasInUse: boolean;
}

/** One step of the backup copies every page: better-sqlite3 takes the count the progress callback returns. */
const ALL_PAGES = 0x7fffffff;
/** The tables every paperboy database has had since its first schema. */
const PAPERBOY_TABLES = ['papers', 'meta', 'stash'];

/** Copies the database at `source` to a new file `target` while others may read and write it. */
export async function backupSqlite(source: string, target: string): Promise<DatabaseSummary> {
  if (!existsSync(source)) throw new StoreError(`there is no database at ${source}`);
  if (existsSync(target)) throw new StoreError(`${target} exists already; a backup never overwrites a file`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = openExisting(source);
  try {
    paperboyVersion(db, source);
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error instanceof StoreError ? error : new StoreError(`cannot back up ${source}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  try {
    const summary = selfContained(partial);
    renameSync(partial, target);
    return { ...summary, bytes: statSync(target).size };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Replaces the database at `target` with the backup `backup`, its schema brought up to date. */
export async function restoreSqlite(
  backup: string,
  target: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<RestoreReport> {
  if (!existsSync(backup)) throw new StoreError(`there is no backup at ${backup}`);
  const source = openExisting(backup, { readonly: true });
  let fromVersion: number;
  const incoming = `${target}.restoring`;
  try {
    fromVersion = paperboyVersion(source, backup);
    const check = source.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new StoreError(`${backup} is damaged (quick_check: ${String(check).slice(0, 200)})`);
    mkdirSync(dirname(target), { recursive: true });
    removeDatabaseFiles(incoming);
    await source.backup(incoming, { progress: () => ALL_PAGES });
  } catch (error) {
    removeDatabaseFiles(incoming);
    throw error instanceof StoreError ? error : new StoreError(`cannot read ${backup}: ${(error as Error).message}`);
  } finally {
    source.close();
  }
  let summary: Omit<DatabaseSummary, 'bytes'>;
  try {
    // Migrated where it lies, before it replaces anything: a failure leaves the target as it was.
    openDatabase(incoming).close();
    summary = selfContained(incoming);
  } catch (error) {
    removeDatabaseFiles(incoming);
    throw error instanceof StoreError ? error : new StoreError(`cannot migrate ${backup}: ${(error as Error).message}`);
  }
  let replacedBy: string | undefined;
  let wasInUse = false;
  if (existsSync(target)) {
    wasInUse = !quiesce(target);
    if (wasInUse && !options.force) {
      removeDatabaseFiles(incoming);
      throw new StoreError(
        `${target} is open in another process (the bot, or paperboy poll?): stop it and restore again, ` +
          'or add --force to restore anyway and restart that process at once',
      );
    }
    const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
    replacedBy = `${target}.before-restore-${stamp}`;
    // The files of a database go together: an open process keeps writing to them under their new names.
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(target + suffix)) renameSync(target + suffix, replacedBy + suffix);
  }
  renameSync(incoming, target);
  return { ...summary, fromVersion, bytes: statSync(target).size, ...(replacedBy ? { replacedBy } : {}), wasInUse };
}

function openExisting(path: string, options: { readonly?: boolean } = {}): Database.Database {
  try {
    const db = new Database(path, { fileMustExist: true, readonly: options.readonly ?? false });
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    throw new StoreError(`cannot open ${path}: ${(error as Error).message}`);
  }
}

/** The schema version of a paperboy database; a StoreError when it is none, or one from a newer paperboy. */
function paperboyVersion(db: Database.Database, path: string): number {
  let version: number;
  let tables: string[];
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => row.name);
  } catch (error) {
    throw new StoreError(`${path} is not a SQLite database (${(error as Error).message})`);
  }
  if (version < 1 || !PAPERBOY_TABLES.every((table) => tables.includes(table)))
    throw new StoreError(`${path} is not a paperboy database`);
  const latest = Math.max(...migrations.map((m) => m.version));
  if (version > latest)
    throw new StoreError(
      `${path} is from a newer paperboy (schema ${version}; this one knows ${latest}): upgrade first`,
    );
  return version;
}

/** Leaves the copy at `path` as one file (no write-ahead log), checked, and says what it holds. */
function selfContained(path: string): Omit<DatabaseSummary, 'bytes'> {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new StoreError(`the copy at ${path} failed its check (${String(check).slice(0, 200)})`);
    const count = (table: string) => {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
      return exists ? (db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0) : 0;
    };
    return {
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      papers: count('papers'),
      subscriptions: count('subscriptions'),
      libraryItems: count('library_items'),
    };
  } finally {
    db.close();
  }
}

/**
 * True when no other connection has the database open, its write-ahead log then folded into the file (leaving WAL
 * mode needs every other connection gone: SQLite refuses it while one is open, which is how "in use" is told). A
 * file SQLite cannot read at all (the damaged database a restore is for) counts as not in use.
 */
function quiesce(path: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
    db.pragma('journal_mode = DELETE');
    return true;
  } catch (error) {
    return !/^SQLITE_(BUSY|LOCKED)/.test((error as { code?: string }).code ?? '');
  } finally {
    db?.close();
  }
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}
