/** What only the SQLite store does: WAL and migrations on a file, a read-only second connection, the busy gate. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import { openDatabase } from '../../../src/core/store/sqlite/database.ts';
import { migrations } from '../../../src/core/store/sqlite/migrations.ts';
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
