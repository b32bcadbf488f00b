/** What only the SQLite store does: WAL and migrations on a file, a read-only second connection, the busy gate. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import { openDatabase } from '../../../src/core/store/sqlite/database.ts';
import { migrate, migrations } from '../../../src/core/store/sqlite/migrations.ts';
import { SqliteStore } from '../../../src/core/store/sqlite/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function paper(id: string, title: string) {
  const result = normalizePaper({ id, title }, 'test');
  assert.ok(result.ok);
  return result.paper;
}

test(
  'GIVEN a new database file' + ' THEN it is in WAL mode with the latest schema version, and reopening changes nothing',
  async () => {
    const file = join(dir, 'new.db');
    const store = SqliteStore.open(file);
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    const latest = Math.max(...migrations.map((m) => m.version));
    assert.equal(store.db.pragma('user_version', { simple: true }), latest);
    await store.papers.upsert(paper('2501.00001', 'Kept'));
    await store.close();
    const again = SqliteStore.open(file);
    assert.equal(await again.papers.count(), 1);
    await again.close();
  },
);

test('GIVEN a database from a newer paperboy THEN opening it is refused, not written', () => {
  const file = join(dir, 'newer.db');
  const db = openDatabase(file);
  db.pragma('user_version = 99');
  db.close();
  assert.throws(() => openDatabase(file), /schema is version 99, newer than this paperboy knows/);
});

test('GIVEN a second, read-only connection THEN it reads what the first committed and cannot write', async () => {
  const file = join(dir, 'shared.db');
  const writer = SqliteStore.open(file);
  await writer.papers.upsert(paper('2501.00001', 'Shared'));
  const reader = SqliteStore.open(file, { readOnly: true });
  try {
    assert.equal((await reader.papers.get('2501.00001'))?.title, 'Shared');
    await assert.rejects(reader.papers.upsert(paper('2501.00002', 'Nope')), /readonly/);
  } finally {
    await reader.close();
    await writer.close();
  }
});

test(
  'GIVEN a transaction awaiting between statements' + ' THEN calls from outside wait for it instead of joining it',
  async () => {
    const store = SqliteStore.open(':memory:');
    let release!: () => void;
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tx = store
      .transaction(async (inside) => {
        await inside.papers.upsert(paper('2501.00001', 'Inside'));
        await paused;
        throw new Error('rolled back');
      })
      .catch((error: Error) => error.message);
    // Issued while the transaction holds the connection: it must not become part of the transaction (and be rolled
    // back with it).
    const outside = store.papers.upsert(paper('2501.00002', 'Outside'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    assert.equal(await tx, 'rolled back');
    await outside;
    assert.deepEqual(
      (await store.papers.changedSince(0)).map((c) => c.paper.id),
      ['2501.00002'],
    );
    await store.close();
  },
);

test(
  'GIVEN a version-5 database with papers and alerts WHEN it is upgraded ' +
    'THEN its papers count as already listed (nothing old alerts) and its alerts are kept',
  async () => {
    const file = join(dir, 'version5.db');
    const old = new Database(file);
    migrate(
      old,
      migrations.filter((m) => m.version <= 5),
    );
    old
      .prepare(
        `INSERT INTO papers (id, arxiv_id, title, title_norm, source, added_at, changed_at, seq)
         VALUES ('2401.00001', '2401.00001', 'Old Paper', 'old paper', 'arxiv', '2024-01-02T00:00:00.000Z',
           '2024-01-02T00:00:00.000Z', 1)`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO alert_outbox (platform, channel_id, paper_id, subscription_id, due_at, created_at)
         VALUES ('slack', 'C1', '2401.00001', 1, '2024-01-02T00:00:00.000Z', '2024-01-02T00:00:00.000Z')`,
      )
      .run();
    old.close();

    const store = SqliteStore.open(file);
    try {
      assert.equal(store.db.pragma('user_version', { simple: true }), Math.max(...migrations.map((m) => m.version)));
      assert.deepEqual(
        store.db.prepare('SELECT listed_at FROM papers').all(),
        [{ listed_at: '2024-01-02T00:00:00.000Z' }],
        'listed when it was added',
      );
      assert.deepEqual(await store.papers.markListed(['2401.00001'], '2025-03-18T12:00:00.000Z'), []);
      await store.papers.upsert(paper('2503.00001', 'Fetched Later'));
      assert.deepEqual(await store.papers.markListed(['2503.00001'], '2025-03-18T12:00:00.000Z'), ['2503.00001']);
      const [row] = await store.alerts.rows();
      assert.deepEqual([row!.state, row!.attempts, row!.reconcileRounds, row!.deadAt], ['pending', 0, 0, undefined]);
    } finally {
      await store.close();
    }
  },
);
