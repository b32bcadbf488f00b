import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { WalCheckpointer } from '../../../src/core/store/sqlite/wal-checkpointer.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-wal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  'GIVEN a database whose writes sit in its write-ahead log WHEN checkpointed from the worker ' +
    'THEN they reach the database file',
  async () => {
    const file = join(dir, 'a.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x TEXT)');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
    })();
    const before = statSync(file).size;
    const checkpointer = new WalCheckpointer(file);
    try {
      await checkpointer.checkpoint();
      assert.ok(statSync(file).size > before + 200_000, `database file grew from ${before} to ${statSync(file).size}`);
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 2000);
    } finally {
      checkpointer.close();
      db.close();
    }
  },
);

test(
  'GIVEN a database file that does not exist ' + 'THEN the checkpoint fails with a message and nothing hangs',
  async () => {
    const checkpointer = new WalCheckpointer(join(dir, 'missing.db'));
    try {
      await assert.rejects(checkpointer.checkpoint(), /missing|exist|unable to open/i);
    } finally {
      checkpointer.close();
    }
  },
);
