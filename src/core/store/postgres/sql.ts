/**
 * How the PostgreSQL repositories reach the database: statements through the pool, or through the one connection of
 * the transaction they run in. `atomic` gives a repository's multi-statement write a transaction of its own, or joins
 * the one already open, so the same code serves `Store.transaction` and single calls alike.
 */
import type pg from 'pg';

export interface Sql {
  query<R extends object>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /**
   * Runs `work` in one transaction (joining the current one, if any). `snapshot`: a read-only view of one moment
   * (REPEATABLE READ), for reads spread over many statements.
   */
  atomic<T>(work: (sql: Sql) => Promise<T>, options?: { snapshot?: boolean }): Promise<T>;
}

/** The keys of PostgreSQL advisory locks paperboy takes (`pg_advisory_xact_lock(LOCK_SPACE, key)`). */
export const LOCK_SPACE = 0x70627374; // "pbst"
export const LOCKS = {
  /** Schema migrations: one process migrates at a time. */
  migrations: 1,
  /** Paper writes: change numbers are handed out in commit order (see papers.ts). */
  paperChanges: 2,
} as const;
/** How long a writer may queue for one of the locks above: behind another instance's big import, say. */
const LOCK_QUEUE_MS = 5 * 60_000;

/**
 * Takes one of paperboy's transaction-scoped advisory locks, waiting for it up to LOCK_QUEUE_MS rather than the
 * session's lock_timeout and statement_timeout (meant for runaway statements, not for queueing behind another
 * writer), which hold again for the rest of the transaction.
 */
export async function waitForLock(sql: Sql, key: number): Promise<void> {
  await sql.query("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $1, true)", [
    String(LOCK_QUEUE_MS),
  ]);
  await sql.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, key]);
  await sql.query('SET LOCAL lock_timeout TO DEFAULT');
  await sql.query('SET LOCAL statement_timeout TO DEFAULT');
}

/** Poll locks are keyed by their name's hash within their own space. */
export const POLL_LOCK_SPACE = LOCK_SPACE + 1;

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL text cannot hold.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as PostgreSQL can store it: its text type cannot hold NUL (dropped) and its JSON parser refuses lone UTF-16
 * surrogates (replaced). Every string parameter goes through it; JSON is built from cleaned strings.
 */
export function pgText(text: string): string {
  return text.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

function parameters(values: readonly unknown[] | undefined): unknown[] | undefined {
  return values?.map((value) =>
    typeof value === 'string'
      ? pgText(value)
      : Array.isArray(value)
        ? value.map((v: unknown) => (typeof v === 'string' ? pgText(v) : v))
        : value,
  );
}

class ClientSql implements Sql {
  constructor(private readonly client: pg.PoolClient) {}

  async query<R extends object>(text: string, values?: readonly unknown[]): Promise<R[]> {
    return (await this.client.query<R>(text, parameters(values))).rows;
  }

  atomic<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return work(this);
  }
}

export class PoolSql implements Sql {
  constructor(private readonly pool: pg.Pool) {}

  async query<R extends object>(text: string, values?: readonly unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(text, parameters(values))).rows;
  }

  async atomic<T>(work: (sql: Sql) => Promise<T>, options: { snapshot?: boolean } = {}): Promise<T> {
    const client = await this.pool.connect();
    // A connection that failed to begin, commit or roll back is closed rather than given back to the pool.
    let broken: Error | undefined;
    const control = (statement: string) =>
      client.query(statement).catch((error: Error) => {
        broken = error;
        throw error;
      });
    try {
      await control(options.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      let result: T;
      try {
        result = await work(new ClientSql(client));
      } catch (error) {
        await control('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await control('COMMIT');
      return result;
    } finally {
      client.release(broken);
    }
  }
}
