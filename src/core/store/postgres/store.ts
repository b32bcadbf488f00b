/**
 * The store over PostgreSQL (node-postgres): a connection pool shared by the repositories; a transaction runs on one
 * connection of it. Opening checks the connection and brings the schema up to date (migrations.ts); a database that
 * cannot be used is a `StoreError` naming the problem and the server, never the password.
 */
import pg from 'pg';
import { describeError } from '../../logger.ts';
import type {
  OpenStoreOptions,
  PaperWatch,
  PollLockOptions,
  PostgresTimeouts,
  Store,
  StoreLocation,
  StoreTx,
  WatchOptions,
} from '../store.ts';
import { describeLocation, StoreError } from '../store-error.ts';
import { PostgresAlertReasons } from './alert-reasons.ts';
import { PostgresAlerts } from './alerts.ts';
import { PostgresEvents } from './events.ts';
import { PostgresFeedback } from './feedback.ts';
import { PostgresGeneratedTldrs } from './generated-tldrs.ts';
import { PostgresInstallations } from './installations.ts';
import { PostgresLibrary } from './library.ts';
import { PostgresMeta } from './meta.ts';
import { migrate } from './migrations.ts';
import { PostgresNotices } from './notices.ts';
import { watchPostgresPapers } from './paper-watch.ts';
import { PostgresPapers } from './papers.ts';
import { PostgresPollLock } from './poll-lock.ts';
import { PostgresSignals } from './signals.ts';
import { PoolSql, type Sql } from './sql.ts';
import { PostgresStash } from './stash.ts';
import { PostgresWorkspaces } from './workspaces.ts';

/** How long opening waits for a first connection before saying the server cannot be reached. */
const CONNECT_TIMEOUT_MS = 10_000;

/** PG_STATEMENT_TIMEOUT_SECONDS and PG_LOCK_TIMEOUT_SECONDS when unset. */
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { statementMs: 30_000, lockMs: 10_000 };

function repositories(sql: Sql): StoreTx {
  return {
    papers: new PostgresPapers(sql),
    alerts: new PostgresAlerts(sql),
    stash: new PostgresStash(sql),
    meta: new PostgresMeta(sql),
    library: new PostgresLibrary(sql),
    installations: new PostgresInstallations(sql),
    generatedTldrs: new PostgresGeneratedTldrs(sql),
    workspaces: new PostgresWorkspaces(sql),
    feedback: new PostgresFeedback(sql),
    signals: new PostgresSignals(sql),
    alertReasons: new PostgresAlertReasons(sql),
    notices: new PostgresNotices(sql),
  };
}

export class PostgresStore implements Store {
  readonly engine = 'postgres';
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
  readonly events: PostgresEvents;
  private readonly sql: PoolSql;
  private closing = false;

  private constructor(
    /** The connection pool; also where fair-use budgets are kept (src/core/fair-use/). */
    readonly pool: pg.Pool,
    private readonly url: string,
    private readonly logger?: OpenStoreOptions['logger'],
  ) {
    this.location = { engine: 'postgres', url };
    this.sql = new PoolSql(pool);
    this.events = new PostgresEvents(this.sql);
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
    } = repositories(this.sql));
  }

  get open(): boolean {
    return !this.closing;
  }

  static async open(
    url: string,
    options: OpenStoreOptions = {},
    timeouts: PostgresTimeouts = DEFAULT_POSTGRES_TIMEOUTS,
  ): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'paperboy',
      // Sent when each session starts: a runaway statement, or a wait on a lock someone holds for good, ends in an
      // error instead of holding a pooled connection (and whoever waits on it) forever. 0 is not sent.
      statement_timeout: timeouts.statementMs,
      lock_timeout: timeouts.lockMs,
    });
    // An idle connection the server dropped (a restart, a failover) is replaced on next use; without a listener
    // node-postgres would crash the process.
    pool.on('error', (error) =>
      options.logger?.warn('PostgreSQL: an idle connection was lost', { error: describeError(error) }),
    );
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new StoreError(
        `cannot connect to PostgreSQL at ${describeLocation({ engine: 'postgres', url })}: ${reason(error)}`,
      );
    }
    if (!options.readOnly) {
      try {
        await migrate(pool);
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw new StoreError(`cannot prepare the PostgreSQL database: ${reason(error)}`);
      }
    }
    return new PostgresStore(pool, url, options.logger);
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.sql.atomic((sql) => work(repositories(sql)));
  }

  pollLock(options?: PollLockOptions): PostgresPollLock {
    return new PostgresPollLock(this.url, options, this.logger);
  }

  watchPapers(onChange: () => void, options: WatchOptions = {}): PaperWatch {
    return watchPostgresPapers(this.url, onChange, { ...options, logger: this.logger });
  }

  async checkpoint(): Promise<void> {}

  async close(): Promise<void> {
    this.closing = true;
    await this.pool.end();
  }
}

/** What went wrong, in a few words (node-postgres's messages name users and databases, never passwords). */
function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { code?: string };
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running, and on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'timed out';
    case '28P01':
      return `password authentication failed (${e.message})`;
    case '3D000':
      return `the database does not exist (${e.message})`;
  }
  if (/timeout/i.test(e?.message ?? '')) return `timed out after ${CONNECT_TIMEOUT_MS / 1000} s`;
  return (e?.message ?? String(error)).split('\n')[0]!;
}
