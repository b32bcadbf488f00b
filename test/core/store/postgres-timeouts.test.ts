/**
 * PostgreSQL sessions start with a statement_timeout and a lock_timeout (PG_STATEMENT_TIMEOUT_SECONDS,
 * PG_LOCK_TIMEOUT_SECONDS), against the real embedded PostgreSQL: a pooled connection shows them, a statement stuck
 * on a lock ends in an error instead of holding its connection, while work that is long by nature is not cut short:
 * a migration slower than the statement timeout, and a paper write queueing behind another writer's lock.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import { openStore } from '../../../src/core/store/open.ts';
import { migrate, migrations } from '../../../src/core/store/postgres/migrations.ts';
import { LOCK_SPACE, LOCKS } from '../../../src/core/store/postgres/sql.ts';
import type { PostgresTimeouts, Store } from '../../../src/core/store/store.ts';
import { storeLocation } from '../../../src/paperboy.ts';
import { testPostgres } from '../../support/postgres.ts';

const postgres = testPostgres();
let url: string;
const opened: Store[] = [];

before(async () => {
  url = await postgres.freshDatabase();
});
after(async () => {
  for (const store of opened) await store.close();
  await postgres.stop();
});

async function open(timeouts?: PostgresTimeouts): Promise<Store> {
  const store = await openStore({ engine: 'postgres', url, ...(timeouts ? { timeouts } : {}) }, { poolSize: 2 });
  opened.push(store);
  return store;
}

/** The store's connection pool: what every repository's statement runs on. */
function poolOf(store: Store): pg.Pool {
  return (store as unknown as { pool: pg.Pool }).pool;
}

async function settings(pool: pg.Pool): Promise<[string, string]> {
  const client = await pool.connect();
  try {
    const statement = (await client.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0];
    const lock = (await client.query<{ lock_timeout: string }>('SHOW lock_timeout')).rows[0];
    return [statement!.statement_timeout, lock!.lock_timeout];
  } finally {
    client.release();
  }
}

/** Another session (another instance, a person at psql) that holds a lock until released. */
async function holder(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  return client;
}

async function release(client: pg.Client): Promise<void> {
  await client.query('ROLLBACK');
  await client.end();
}

test('GIVEN no timeouts configured THEN pooled sessions start with 30 s and 10 s; configured ones as given', async () => {
  assert.deepEqual(await settings(poolOf(await open())), ['30s', '10s']);
  assert.deepEqual(await settings(poolOf(await open({ statementMs: 1500, lockMs: 250 }))), ['1500ms', '250ms']);
  assert.deepEqual(
    storeLocation({ dbPath: 'x', databaseUrl: url, postgresTimeouts: { statementMs: 1, lockMs: 2 } }),
    { engine: 'postgres', url, timeouts: { statementMs: 1, lockMs: 2 } },
    'the index worker gets them with the location',
  );
});

test('GIVEN a row another session holds THEN a write waits only lock_timeout, then fails; statement_timeout too', async () => {
  const store = await open({ statementMs: 30_000, lockMs: 200 });
  await store.meta.set('held', 'before');
  const other = await holder();
  try {
    await other.query("UPDATE meta SET value = 'theirs' WHERE key = 'held'");
    await assert.rejects(store.meta.set('held', 'mine'), (error: { code?: string }) => error.code === '55P03');
    const slow = await open({ statementMs: 200, lockMs: 0 });
    await assert.rejects(slow.meta.set('held', 'mine'), (error: { code?: string }) => error.code === '57014');
  } finally {
    await release(other);
  }
  await store.meta.set('held', 'after');
  assert.equal(await store.meta.get('held'), 'after', 'the connections are usable again');
});

test('GIVEN a migration slower than the statement timeout THEN it completes, and sessions keep their limits', async () => {
  const store = await open({ statementMs: 200, lockMs: 200 });
  const pool = poolOf(store);
  const slow = { version: 999, description: 'slow on purpose', sql: 'SELECT pg_sleep(0.5)' };
  await migrate(pool, [...migrations, slow]);
  const [row] = (
    await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations WHERE version = 999')
  ).rows;
  assert.equal(row?.n, 1);
  assert.deepEqual(await settings(pool), ['200ms', '200ms'], 'lifted for the migration only');
  await pool.query('DELETE FROM schema_migrations WHERE version = 999');
});

test('GIVEN another writer holding the paper-write lock longer than both timeouts THEN a write queues, then lands', async () => {
  const store = await open({ statementMs: 200, lockMs: 100 });
  const other = await holder();
  await other.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, LOCKS.paperChanges]);
  const normalized = normalizePaper({ id: 'queued-1', title: 'A paper that waited its turn' }, 'test');
  assert.ok(normalized.ok);
  let settled = false;
  const writing = store.papers.upsert(normalized.paper).finally(() => {
    settled = true;
  });
  // Until the write has waited for the lock longer than both timeouts (as the server's clock says).
  const waitedLong = `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND NOT l.granted AND clock_timestamp() - a.query_start > interval '400 ms'
      AND a.datname = current_database()`;
  while ((await other.query<{ n: number }>(waitedLong)).rows[0]?.n !== 1) {
    assert.equal(settled, false, 'the write neither failed nor landed while the lock was held');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(settled, false, 'still queueing, not cut short by lock_timeout or statement_timeout');
  await release(other);
  assert.equal((await writing).outcome, 'added');
  assert.equal((await store.papers.get('queued-1'))?.title, 'A paper that waited its turn');
  assert.deepEqual(await settings(poolOf(store)), ['200ms', '100ms']);
});
