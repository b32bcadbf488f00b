/**
 * What only the PostgreSQL store does: migrations under an advisory lock (two instances starting together), a newer
 * schema refused, change numbers handed out in commit order, text PostgreSQL cannot hold, and the one-line errors of
 * a database that cannot be used.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import type { Paper } from '../../../src/core/papers/paper.ts';
import { openStore } from '../../../src/core/store/open.ts';
import { migrate, migrations } from '../../../src/core/store/postgres/migrations.ts';
import type { Store } from '../../../src/core/store/store.ts';
import { StoreError } from '../../../src/core/store/store-error.ts';
import { testPostgres } from '../../support/postgres.ts';

const postgres = testPostgres();
after(() => postgres.stop());

function paper(id: string, title: string, abstract = ''): Paper {
  const result = normalizePaper({ id, title, abstract }, 'test');
  assert.ok(result.ok);
  return result.paper;
}

async function open(url: string): Promise<Store> {
  return openStore({ engine: 'postgres', url }, { poolSize: 3 });
}

async function query<R extends object>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

test('GIVEN several instances starting together on an empty database THEN each migration is applied once', async () => {
  const url = await postgres.freshDatabase();
  const stores = await Promise.all([open(url), open(url), open(url), open(url)]);
  try {
    const applied = await query<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      applied.map((row) => row.version),
      migrations.map((m) => m.version),
    );
    await stores[0]!.papers.upsert(paper('2501.00001', 'Shared'));
    assert.equal(await stores[3]!.papers.count(), 1);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});

test('GIVEN a database migrated by a newer paperboy THEN opening it is refused, nothing changed', async () => {
  const url = await postgres.freshDatabase();
  await (await open(url)).close();
  await query(url, "INSERT INTO schema_migrations (version, description) VALUES (999, 'from the future')");
  await assert.rejects(open(url), (error: Error) => {
    assert.ok(error instanceof StoreError);
    assert.match(error.message, /schema is version 999, newer than this paperboy knows/);
    return true;
  });
});

test(
  'GIVEN two writers WHEN the first holds its transaction open ' +
    'THEN the second gets a higher change number and waits',
  async () => {
    const url = await postgres.freshDatabase();
    const store = await open(url);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstWrote!: () => void;
    const wrote = new Promise<void>((resolve) => {
      firstWrote = resolve;
    });
    try {
      const first = store.transaction(async (tx) => {
        await tx.papers.upsert(paper('2501.00001', 'First'));
        firstWrote();
        await held;
      });
      await wrote;
      let secondDone = false;
      const second = store.papers.upsert(paper('2501.00002', 'Second')).then(() => {
        secondDone = true;
      });
      // Until the server shows the second writer queued behind a lock (rather than a fixed pause).
      const waiting =
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
      const deadline = Date.now() + 10_000;
      while ((await query<{ n: number }>(url, waiting))[0]!.n === 0) {
        assert.equal(secondDone, false, 'the second writer waits for the first to commit');
        assert.ok(Date.now() < deadline, 'the second writer never queued behind the first');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(secondDone, false, 'the second writer waits for the first to commit');
      assert.equal(await store.papers.version(), 0, 'nothing is visible before a commit');
      release();
      await first;
      await second;
      const changes = await store.papers.changedSince(0);
      assert.deepEqual(
        changes.map((c) => c.paper.id),
        ['2501.00001', '2501.00002'],
      );
      assert.ok(changes[0]!.seq < changes[1]!.seq);
    } finally {
      release();
      await store.close();
    }
  },
);

test(
  'GIVEN text PostgreSQL cannot hold (NUL, a lone surrogate) ' + 'THEN it is stored without them, not refused',
  async () => {
    const store = await open(await postgres.freshDatabase());
    try {
      const odd = {
        ...paper('2501.00009', 'Odd Text'),
        abstract: 'before\u0000after \ud800 end',
        authors: ['A\u0000B'],
      };
      await store.papers.upsert(odd);
      const read = (await store.papers.get('2501.00009'))!;
      assert.equal(read.abstract, 'beforeafter \ufffd end');
      assert.deepEqual(read.authors, ['AB']);
      await store.stash.put('k', 'a query with \u0000 in it');
      assert.equal(await store.stash.get('k'), 'a query with  in it');
      assert.equal(await store.papers.get('no\u0000such'), undefined);
    } finally {
      await store.close();
    }
  },
);

test('GIVEN a database that does not exist THEN a StoreError names it, without the password', async () => {
  const url = new URL(await postgres.freshDatabase());
  url.pathname = '/no_such_database';
  await assert.rejects(open(url.toString()), (error: Error) => {
    assert.ok(error instanceof StoreError);
    assert.match(error.message, /^cannot connect to PostgreSQL at .*\/no_such_database: the database does not exist/);
    assert.ok(!url.password || !error.message.includes(decodeURIComponent(url.password)));
    return true;
  });
});

test(
  'GIVEN a version-5 database with papers and alerts WHEN it is upgraded ' +
    'THEN its papers count as already listed (nothing old alerts), its alerts are kept and may become dead letters',
  async () => {
    const url = await postgres.freshDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migrate(
        pool,
        migrations.filter((m) => m.version <= 5),
      );
      await pool.query(
        `INSERT INTO papers (id, arxiv_id, title, title_norm, source, added_at, changed_at, seq)
         VALUES ('2401.00001', '2401.00001', 'Old Paper', 'old paper', 'arxiv', '2024-01-02T00:00:00Z',
           '2024-01-02T00:00:00Z', nextval('paper_seq'))`,
      );
      await pool.query(
        `INSERT INTO alert_outbox (platform, channel_id, paper_id, subscription_id, due_at, created_at)
         VALUES ('slack', 'C1', '2401.00001', 1, '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z')`,
      );
    } finally {
      await pool.end();
    }

    const store = await open(url);
    try {
      const applied = await query<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.equal(applied.at(-1)!.version, Math.max(...migrations.map((m) => m.version)));
      const listed = await query<{ listed_at: Date }>(url, 'SELECT listed_at FROM papers');
      assert.deepEqual(
        listed.map((row) => row.listed_at.toISOString()),
        ['2024-01-02T00:00:00.000Z'],
        'listed when it was added',
      );
      assert.deepEqual(await store.papers.markListed(['2401.00001'], '2025-03-18T12:00:00.000Z'), []);
      await store.papers.upsert(paper('2503.00001', 'Fetched Later'));
      assert.deepEqual(await store.papers.markListed(['2503.00001'], '2025-03-18T12:00:00.000Z'), ['2503.00001']);
      const [row] = await store.alerts.claimDue('slack', '2025-03-18T12:00:00.000Z', { owner: 'A', ttlMs: 60_000 });
      assert.deepEqual([row!.state, row!.attempts, row!.reconcileRounds], ['pending', 0, 0]);
      assert.ok(row!.claimToken, 'a claim now carries a fencing token');
      const fence = { owner: 'A', token: row!.claimToken };
      assert.ok(await store.alerts.markSending([row!.id], 'k', '2025-03-18T12:00:01.000Z', fence));
      assert.equal(await store.alerts.markDead('k', 'rate limited 8 times', '2025-03-18T12:00:02.000Z', fence), 1);
      assert.equal((await store.alerts.row(row!.id))!.state, 'dead', "the state check accepts 'dead'");
    } finally {
      await store.close();
    }
  },
);
