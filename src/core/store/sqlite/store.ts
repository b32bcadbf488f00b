/**
 * The store over SQLite (better-sqlite3): one connection, synchronous statements wrapped in Promises. A transaction
 * (`BEGIN IMMEDIATE … COMMIT`) holds the connection through the gate while its work awaits, so no other caller's
 * statement runs inside it; the repositories' own multi-statement writes use better-sqlite3 transactions, which
 * become savepoints inside one. Write-ahead log checkpoints run in a worker thread (wal-checkpointer.ts).
 */
import { MemoryEvents } from '../memory-events.ts';
import type { PaperWatch, PollLockOptions, Store, StoreLocation, StoreTx, WatchOptions } from '../store.ts';
import { SqliteAlertReasons } from './alert-reasons.ts';
import { SqliteAlerts } from './alerts.ts';
import { type Db, openDatabase } from './database.ts';
import { SqliteFeedback } from './feedback.ts';
import { Gate, type Runner, runNow } from './gate.ts';
import { SqliteGeneratedTldrs } from './generated-tldrs.ts';
import { SqliteInstallations } from './installations.ts';
import { SqliteLibrary } from './library.ts';
import { SqliteMeta } from './meta.ts';
import { SqliteNotices } from './notices.ts';
import { SqlitePapers } from './papers.ts';
import { SqlitePollLock } from './poll-lock.ts';
import { SqliteSignals } from './signals.ts';
import { SqliteStash } from './stash.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import { SqliteWorkspaces } from './workspaces.ts';

function repositories(db: Db, run: Runner, gate?: Gate): StoreTx {
  return {
    papers: new SqlitePapers(db, run, gate),
    alerts: new SqliteAlerts(db, run),
    stash: new SqliteStash(db, run),
    meta: new SqliteMeta(db, run),
    library: new SqliteLibrary(db, run),
    installations: new SqliteInstallations(db, run),
    generatedTldrs: new SqliteGeneratedTldrs(db, run),
    workspaces: new SqliteWorkspaces(db, run),
    feedback: new SqliteFeedback(db, run),
    signals: new SqliteSignals(db, run),
    alertReasons: new SqliteAlertReasons(db, run),
    notices: new SqliteNotices(db, run),
  };
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  readonly location: StoreLocation;
  readonly papers;
  readonly alerts;
  readonly stash;
  readonly meta;
  readonly library;
  readonly installations;
  readonly generatedTldrs;
  readonly workspaces;
  readonly feedback;
  readonly signals;
  readonly alertReasons;
  readonly notices;
  /** One process serves a SQLite database's platforms: the ids it handled are kept in its memory. */
  readonly events = new MemoryEvents();
  private readonly gate = new Gate();
  /** The same repositories for work inside a transaction: they run at once instead of waiting for the gate. */
  private readonly inside: StoreTx;
  private readonly checkpointer: WalCheckpointer | undefined;

  constructor(
    /** The connection, for SQLite-only tools and tests (e.g. the scale benchmark's file sizes). */
    readonly db: Db,
    path: string,
    options: { readOnly?: boolean } = {},
  ) {
    this.location = { engine: 'sqlite', path };
    ({
      papers: this.papers,
      alerts: this.alerts,
      stash: this.stash,
      meta: this.meta,
      library: this.library,
      installations: this.installations,
      generatedTldrs: this.generatedTldrs,
      workspaces: this.workspaces,
      feedback: this.feedback,
      signals: this.signals,
      alertReasons: this.alertReasons,
      notices: this.notices,
    } = repositories(db, this.gate.run, this.gate));
    this.inside = repositories(db, runNow);
    if (path !== ':memory:' && !options.readOnly) this.checkpointer = new WalCheckpointer(path);
  }

  get open(): boolean {
    return this.db.open;
  }

  static open(path: string, options: { readOnly?: boolean } = {}): SqliteStore {
    return new SqliteStore(openDatabase(path, options), path, options);
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.gate.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.inside);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  pollLock(options?: PollLockOptions): SqlitePollLock {
    return new SqlitePollLock(this.db, this.gate.run, options);
  }

  /** Another process on this file (`paperboy poll`) may add papers: a periodic check is all SQLite offers. */
  watchPapers(onChange: () => void, options: WatchOptions = {}): PaperWatch {
    const timer = setInterval(onChange, options.checkEveryMs ?? 30_000);
    timer.unref();
    return { close: async () => clearInterval(timer) };
  }

  /** Checkpoints in the background worker; if that fails, SQLite's own automatic checkpoint still runs. */
  async checkpoint(): Promise<void> {
    await this.checkpointer?.checkpoint().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.gate.exclusive(async () => {
      this.checkpointer?.close();
      this.db.close();
    });
  }
}
