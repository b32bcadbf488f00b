/**
 * `paperboy backup` and `paperboy restore`: a SQLite backup taken while another process writes through the store is
 * one consistent moment that restores with every subscription and library entry committed before it began; a restore
 * refuses a database in use (unless forced), a file that is not a paperboy database, and brings an older schema up
 * to date; for PostgreSQL both print the tool's line, without the password.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runCli } from '../../src/cli/main.ts';
import { openStore } from '../../src/core/store/open.ts';
import { migrate, migrations } from '../../src/core/store/sqlite/migrations.ts';

/** The schema this paperboy writes. */
const LATEST = Math.max(...migrations.map((m) => m.version));

import type { Store } from '../../src/core/store/store.ts';

const WRITER = fileURLToPath(new URL('./children/store-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paperboy-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The store-writer child: how far it has committed, and a way to wait for a number without sleeping. */
class Writer {
  committed = 0;
  private readonly child: ChildProcess;
  private readonly waiting: { n: number; resolve(): void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(db: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WRITER, db], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const n = Number(/^committed (\d+)$/.exec(line)?.[1]);
      if (!n) return;
      this.committed = n;
      for (const wait of this.waiting.filter((w) => w.n <= n)) {
        this.waiting.splice(this.waiting.indexOf(wait), 1);
        wait.resolve();
      }
    });
  }

  /** Resolves once `n` pairs are committed. */
  reach(n: number): Promise<void> {
    if (this.committed >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ n, resolve }));
  }

  async stop(): Promise<void> {
    this.child.stdin!.end();
    assert.equal(await this.exited, 0, 'the writer ended cleanly');
  }
}

/** Every subscription and library entry a writer committed: pairs 1..n, and no half of a pair. */
async function assertPairs(store: Store, n: number): Promise<void> {
  const subscriptions = await store.alerts.subscriptions();
  assert.deepEqual(
    subscriptions.map((s) => s.channelId),
    Array.from({ length: n }, (_, i) => `C${i + 1}`),
  );
  const channels = await store.library.channels();
  assert.equal(channels.length, n);
  for (const [i, channel] of channels.entries()) {
    const [item] = await store.library.items(channel);
    assert.equal(item?.paperId, `p${channel.channelId.slice(1)}`, `library entry ${i}`);
  }
}

describe('GIVEN a SQLite database another process keeps writing to', () => {
  const db = join(dir, 'live', 'paperboy.db');
  const backup = join(dir, 'backups', 'paperboy-backup.db');
  let writer: Writer;
  let atStart = 0;

  before(async () => {
    // Some bulk, so the copy is more than a few pages: 3,000 papers with 2 KB abstracts.
    const store = await openStore({ engine: 'sqlite', path: db });
    await store.papers.upsertMany(
      Array.from({ length: 3000 }, (_, i) => ({
        id: `2501.${String(i).padStart(5, '0')}`,
        arxivId: `2501.${String(i).padStart(5, '0')}`,
        title: `Paper number ${i}`,
        abstract: `An abstract about topic ${i}. `.repeat(70),
        authors: ['A. Author'],
        categories: ['cs.CL'],
        source: 'test',
      })),
    );
    await store.close();
    writer = new Writer(db);
    await writer.reach(20);
  });
  after(() => writer.stop().catch(() => undefined));

  test('WHEN paperboy backup runs THEN the copy is one consistent moment with every pair committed before it', async (t) => {
    atStart = writer.committed;
    const started = performance.now();
    const result = await cli(['backup', backup, '--db', db]);
    const atEnd = writer.committed;
    t.diagnostic(`backup: ${(performance.now() - started).toFixed(0)} ms; writer at ${atStart} before, ${atEnd} after`);
    assert.equal(result.code, 0, result.err);
    assert.match(
      result.out,
      new RegExp(
        `^backed up .*paperboy\\.db to .*paperboy-backup\\.db: schema ${LATEST}, 3000 papers, \\d+ subscriptions`,
      ),
    );
    assert.match(result.out, /restore it with: paperboy restore /);
    await writer.reach(atEnd + 20); // still writing after the backup: it never stopped for it

    const copy = new Database(backup, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'one self-contained file');
    copy.close();
    assert.deepEqual(
      readdirSync(join(dir, 'backups')).sort(),
      ['paperboy-backup.db'],
      'no partial file, no write-ahead log beside it',
    );
    assert.equal((await cli(['backup', backup, '--db', db])).code, 1, 'a backup never overwrites a file');
  });

  test('WHEN the backup is restored into a new file THEN every subscription and library entry is there', async (t) => {
    const restored = join(dir, 'restored', 'paperboy.db');
    const result = await cli(['restore', backup, '--db', restored]);
    assert.equal(result.code, 0, result.err);
    assert.match(
      result.out,
      new RegExp(`^restored .* into .*: schema ${LATEST}, 3000 papers, (\\d+) subscriptions, \\1 library items`),
    );
    const store = await openStore({ engine: 'sqlite', path: restored });
    try {
      const n = (await store.alerts.subscriptions()).length;
      assert.ok(n >= atStart, `every pair committed before the backup began (${atStart}) is there: ${n}`);
      await writer.reach(n); // and none the writer did not commit
      t.diagnostic(`restored ${n} subscription + library pairs`);
      await assertPairs(store, n);
      assert.equal(await store.papers.count(), 3000);
    } finally {
      await store.close();
    }
  });

  test('WHEN it is restored over the database the writer has open THEN it is refused, and nothing changes', async () => {
    const before = writer.committed;
    const result = await cli(['restore', backup, '--db', db]);
    assert.equal(result.code, 1);
    assert.match(result.err, /paperboy\.db is open in another process .*stop it and restore again, or add --force/);
    await writer.reach(before + 20);
    assert.deepEqual(
      readdirSync(join(dir, 'live')).filter((f) => f.includes('restor')),
      [],
      'nothing left behind',
    );
  });

  test('WHEN the writer has stopped THEN the restore replaces the database and keeps the old one aside', async () => {
    await writer.stop();
    const written = writer.committed;
    const result = await cli(['restore', backup, '--db', db]);
    assert.equal(result.code, 0, result.err);
    const aside = /the database it replaced is kept as (.*)$/m.exec(result.out)?.[1];
    assert.ok(aside && existsSync(aside), result.out);
    const store = await openStore({ engine: 'sqlite', path: db });
    const old = await openStore({ engine: 'sqlite', path: aside });
    try {
      await assertPairs(store, (await store.alerts.subscriptions()).length);
      assert.ok((await store.alerts.subscriptions()).length < written, 'the backup, not what was written since');
      await assertPairs(old, written);
    } finally {
      await store.close();
      await old.close();
    }
  });
});

describe('GIVEN files to restore', () => {
  test('WHEN the file is not a paperboy database, or from a newer paperboy THEN one clear line, nothing changed', async () => {
    const target = join(dir, 'checks', 'paperboy.db');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all\n'.repeat(100));
    const other = join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)');
    const newer = join(dir, 'newer.db');
    const future = new Database(newer);
    migrate(future);
    future.pragma('user_version = 99');
    future.close();
    for (const [file, message] of [
      [text, /notes\.txt is not a SQLite database/],
      [other, /other\.db is not a paperboy database/],
      [
        newer,
        new RegExp(`newer\\.db is from a newer paperboy \\(schema 99; this one knows ${LATEST}\\): upgrade first`),
      ],
      [join(dir, 'missing.db'), /there is no backup at .*missing\.db/],
    ] as const) {
      const result = await cli(['restore', file, '--db', target]);
      assert.equal(result.code, 1, String(file));
      assert.match(result.err, message);
      assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
    }
    assert.equal(existsSync(target), false);
    assert.equal((await cli(['backup', join(dir, 'x.db'), '--db', join(dir, 'nothing.db')])).code, 1);
    assert.equal((await cli(['restore'])).code, 2);
  });

  test('WHEN a backup from an older schema is restored THEN it is brought up to date', async () => {
    const old = join(dir, 'v5.db');
    const v5 = new Database(old);
    migrate(
      v5,
      migrations.filter((m) => m.version <= 5),
    );
    v5.exec(`INSERT INTO library_items (platform, channel_id, paper_id, saved_by, saved_at)
             VALUES ('console', 'console', 'p1', 'U1', '2025-03-01T00:00:00.000Z')`);
    v5.close();
    const target = join(dir, 'upgraded', 'paperboy.db');
    const result = await cli(['restore', old, '--db', target]);
    assert.equal(result.code, 0, result.err);
    assert.match(
      result.out,
      new RegExp(`\\(schema 5 brought up to date\\): schema ${LATEST}, 0 papers, 0 subscriptions, 1 library items`),
    );
    const store = await openStore({ engine: 'sqlite', path: target });
    try {
      assert.equal(await store.library.count({ platform: 'console', workspaceId: '', channelId: 'console' }), 1);
    } finally {
      await store.close();
    }
  });

  test('WHEN --force restores over a database in use THEN it is replaced, and the user is told to restart', async () => {
    const target = join(dir, 'forced', 'paperboy.db');
    const source = join(dir, 'forced-source.db');
    const seed = await openStore({ engine: 'sqlite', path: source });
    await seed.alerts.addSubscription({
      platform: 'console',
      workspaceId: '',
      channelId: 'c',
      query: 'q',
      mode: 'instant',
    });
    await seed.close();
    const inUse = await openStore({ engine: 'sqlite', path: target });
    try {
      const result = await cli(['restore', source, '--db', target, '--force']);
      assert.equal(result.code, 0, result.err);
      assert.match(result.err, /was open in another process: restart it now/);
    } finally {
      await inUse.close();
    }
    const store = await openStore({ engine: 'sqlite', path: target });
    try {
      assert.equal((await store.alerts.subscriptions()).length, 1);
    } finally {
      await store.close();
    }
  });
});

test('GIVEN PostgreSQL THEN backup and restore print the pg_dump and pg_restore lines, never the password', async () => {
  const url = 'postgres://paperboy:s3cr%27et@db.example:5432/paperboy?sslmode=require';
  const backup = await cli(['backup', 'paperboy.dump', '--db', url]);
  assert.equal(backup.code, 0, backup.err);
  assert.match(
    backup.out,
    /pg_dump --format=custom --no-owner --file=paperboy\.dump --dbname='postgres:\/\/paperboy@db\.example:5432\/paperboy\?sslmode=require'/,
  );
  assert.match(backup.out, /PGPASSWORD or ~\/\.pgpass/);
  const restore = await cli(['restore', 'my dump.dump', '--db', url]);
  assert.equal(restore.code, 0, restore.err);
  assert.match(
    restore.out,
    /pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname=\S+ 'my dump\.dump'/,
  );
  assert.match(restore.out, /Stop every paperboy instance first/);
  for (const output of [backup.out, backup.err, restore.out, restore.err]) {
    assert.ok(!output.includes('s3cr'), 'no password');
  }
});
