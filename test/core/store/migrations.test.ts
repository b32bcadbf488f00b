/**
 * Schema 6 (data keyed by workspace as well as channel) applied to a version-5 database with rows in every table, on
 * SQLite and on a real PostgreSQL: nothing is lost, and each row gets its workspace where the data tells it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ChannelKey } from '../../../src/core/channel-key.ts';
import { openStore } from '../../../src/core/store/open.ts';
import {
  migrate as migratePostgres,
  migrations as postgresMigrations,
} from '../../../src/core/store/postgres/migrations.ts';
import { migrate as migrateSqlite, migrations as sqliteMigrations } from '../../../src/core/store/sqlite/migrations.ts';
import type { Store } from '../../../src/core/store/store.ts';
import { testPostgres } from '../../support/postgres.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-migrations-'));
const postgres = testPostgres();
after(async () => {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
});

const T = '2025-03-01T00:00:00.000Z';

/**
 * A version-5 database's rows, in SQL both engines take. Slack has two workspaces (T1, T2: both subscribed in the
 * shared channel C1), Discord one (G1), the console none.
 */
const VERSION_5_ROWS = [
  `INSERT INTO papers (id, arxiv_id, title, title_norm, source, added_at, changed_at, seq)
   VALUES ('2503.00001', '2503.00001', 'Sparse LoRA', 'sparse lora', 'test', '${T}', '${T}', 1)`,
  `INSERT INTO paper_aliases (alias, paper_id) VALUES ('t-sparse-lora', '2503.00001')`,
  `INSERT INTO meta (key, value) VALUES ('corpus_id', 'corpus-1')`,
  `INSERT INTO stash (key, value, created_at) VALUES ('k1', 'a long query', '${T}')`,
  // Subscriptions 1-6; 6 is then deleted: its id must never be handed out again.
  ...[
    ['slack', 'C1', `'T1'`, 'lora'],
    ['slack', 'C1', `'T2'`, 'diffusion'],
    ['slack', 'C2', 'NULL', 'rlhf'],
    ['console', 'console', 'NULL', 'agents'],
    ['discord', 'D1', `'G1'`, 'vision'],
    ['slack', 'C5', `'T1'`, 'deleted'],
  ].map(
    ([platform, channel, workspace, query]) =>
      `INSERT INTO subscriptions (platform, channel_id, workspace_id, query, mode, created_at)
       VALUES ('${platform}', '${channel}', ${workspace}, '${query}', 'instant', '${T}')`,
  ),
  `DELETE FROM subscriptions WHERE query = 'deleted'`,
  ...[
    ['slack', 'C1', 'p1', 1, 'pending'],
    ['discord', 'D1', 'p2', 5, 'pending'],
    ['slack', 'C3', 'p3', 99, 'sent'],
    ['discord', 'D2', 'p4', 99, 'dropped'],
    ['console', 'console', 'p5', 4, 'pending'],
  ].map(
    ([platform, channel, paper, subscription, state]) =>
      `INSERT INTO alert_outbox (platform, channel_id, paper_id, subscription_id, matched, score, digest, due_at,
         state, created_at)
       VALUES ('${platform}', '${channel}', '${paper}', ${subscription}, '["lora"]', 1.5, FALSE, '${T}', '${state}', '${T}')`,
  ),
  ...[
    ['slack', 'C1', 'not_in_channel'],
    ['discord', 'D3', '50013'],
    ['console', 'console', 'error'],
  ].map(
    ([platform, channel, reason]) =>
      `INSERT INTO alert_channels (platform, channel_id, paused_at, pause_reason)
       VALUES ('${platform}', '${channel}', '${T}', '${reason}')`,
  ),
  `INSERT INTO source_state (key, value) VALUES ('lastDay:huggingface', '2025-03-01')`,
  `INSERT INTO poll_lock (name, owner, pid, host, expires_at) VALUES ('poller', 'o1', 1, 'elsewhere', 1)`,
  `INSERT INTO generated_tldrs (paper_id, model, prompt_hash, text, created_at)
   VALUES ('2503.00001', 'tiny', 'h1', 'A TL;DR.', '${T}')`,
  `INSERT INTO installations (platform, workspace_id, org_wide, sealed, installed_at)
   VALUES ('slack', 'T1', FALSE, 'pb1.sealed', '${T}')`,
  ...[
    ['slack', 'C1', 'p1', 'U1'],
    ['slack', 'C4', 'p2', 'U2'],
    ['discord', 'D9', 'p3', 'U3'],
    ['console', 'console', 'p4', 'U4'],
  ].map(
    ([platform, channel, paper, user]) =>
      `INSERT INTO library_items (platform, channel_id, paper_id, saved_by, saved_by_name, saved_at)
       VALUES ('${platform}', '${channel}', '${paper}', '${user}', 'name', '${T}')`,
  ),
];

const key = (platform: string, workspaceId: string, channelId: string): ChannelKey => ({
  platform,
  workspaceId,
  channelId,
});

/** What schema 6 must make of VERSION_5_ROWS, read through the store. */
async function assertMigrated(store: Store): Promise<void> {
  assert.deepEqual(
    (await store.alerts.subscriptions()).map((s) => [s.id, s.platform, s.workspaceId, s.channelId, s.query]),
    [
      [1, 'slack', 'T1', 'C1', 'lora'],
      [2, 'slack', 'T2', 'C1', 'diffusion'],
      [3, 'slack', '', 'C2', 'rlhf'],
      [4, 'console', '', 'console', 'agents'],
      [5, 'discord', 'G1', 'D1', 'vision'],
    ],
    "each subscription keeps its workspace; '' where there was none and more than one could be meant",
  );
  assert.deepEqual(
    (await store.alerts.channelSubscriptions(key('slack', 'T2', 'C1'))).map((s) => s.query),
    ['diffusion'],
  );
  assert.deepEqual(
    (await store.alerts.rows()).map((r) => [r.paperId, r.workspaceId, r.state]),
    [
      ['p1', 'T1', 'pending'],
      ['p2', 'G1', 'pending'],
      ['p3', '', 'sent'],
      ['p4', 'G1', 'dropped'],
      ['p5', '', 'pending'],
    ],
    "an alert gets its subscription's workspace, else the platform's only one",
  );
  const row = (await store.alerts.rows())[0]!;
  assert.deepEqual([row.matched, row.score, row.digest, row.dueAt], [['lora'], 1.5, false, T]);
  const order = (a: ChannelKey, b: ChannelKey) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  assert.deepEqual(
    (await store.alerts.pausedChannels()).sort(order),
    [
      key('console', '', 'console'),
      key('discord', 'G1', 'D3'),
      key('slack', 'T1', 'C1'),
      key('slack', 'T2', 'C1'),
    ].sort(order),
    'a pause in a channel shared by two workspaces stays a pause for both',
  );
  assert.equal((await store.alerts.channelPause(key('slack', 'T2', 'C1')))?.reason, 'not_in_channel');
  assert.deepEqual(
    (await store.library.channels()).map((c) => [c.platform, c.workspaceId, c.channelId]),
    [
      ['console', '', 'console'],
      ['discord', 'G1', 'D9'],
      ['slack', '', 'C4'],
      ['slack', 'T1', 'C1'],
      ['slack', 'T2', 'C1'],
    ],
    "the shared channel's library is each workspace's; the rest goes where it can be told",
  );
  for (const workspace of ['T1', 'T2']) {
    const [saved] = await store.library.items(key('slack', workspace, 'C1'));
    assert.deepEqual([saved?.paperId, saved?.savedBy, saved?.savedByName, saved?.savedAt], ['p1', 'U1', 'name', T]);
  }

  // The tables schema 6 did not touch.
  assert.equal(await store.papers.count(), 1);
  assert.equal((await store.papers.get('t-sparse-lora'))?.id, '2503.00001');
  assert.equal(await store.meta.get('corpus_id'), 'corpus-1');
  assert.equal(await store.stash.get('k1'), 'a long query');
  assert.equal(await store.alerts.getState('lastDay:huggingface'), '2025-03-01');
  assert.equal(await store.generatedTldrs.get('2503.00001', 'tiny', 'h1'), 'A TL;DR.');
  assert.equal((await store.installations.get('slack', 'T1'))?.sealed, 'pb1.sealed');

  // Keys work as keys: a new subscription gets a new id (6 was used), a library save of a paper the other
  // workspace has is new, a second save is not.
  const next = await store.alerts.addSubscription({ ...key('slack', 'T1', 'C1'), query: 'new', mode: 'instant' });
  assert.equal(next.id, 7);
  const item = { paperId: 'p1', savedBy: 'U9', savedAt: T };
  assert.equal((await store.library.save({ ...key('slack', 'G9', 'C1'), ...item })).added, true);
  assert.equal((await store.library.save({ ...key('slack', 'T2', 'C1'), ...item })).added, false);
  assert.equal(await store.alerts.enqueue({ ...row, workspaceId: 'T2' }), false, 'still one alert per channel+paper');

  // The first command in C2 from a workspace claims what could not be told.
  assert.equal(await store.workspaces.adopt(key('slack', 'T2', 'C2')), 1);
  assert.deepEqual(
    (await store.alerts.channelSubscriptions(key('slack', 'T2', 'C2'))).map((s) => s.id),
    [3],
  );
}

describe('GIVEN a version-5 database with rows in every table', () => {
  test('WHEN SQLite opens it THEN schema 6 keeps every row, keyed by workspace', async (t) => {
    const file = join(dir, 'v5.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    migrateSqlite(
      db,
      sqliteMigrations.filter((m) => m.version <= 5),
    );
    for (const sql of VERSION_5_ROWS) db.exec(sql);
    assert.equal(db.pragma('user_version', { simple: true }), 5);
    db.close();

    const store = await openStore({ engine: 'sqlite', path: file });
    t.after(() => store.close());
    await assertMigrated(store);
    const reopened = new Database(file, { readonly: true });
    t.after(() => reopened.close());
    assert.equal(
      reopened.pragma('user_version', { simple: true }),
      Math.max(...sqliteMigrations.map((m) => m.version)),
    );
    assert.equal(reopened.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(reopened.prepare<[], { host: string }>('SELECT host FROM poll_lock').get()?.host, 'elsewhere');
  });

  test('WHEN PostgreSQL opens it THEN schema 6 keeps every row, keyed by workspace', async (t) => {
    const url = await postgres.freshDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migratePostgres(
        pool,
        postgresMigrations.filter((m) => m.version <= 5),
      );
      for (const sql of VERSION_5_ROWS) await pool.query(sql);
      await pool.query(`INSERT INTO seen_events (id, expires_at) VALUES ('slack:Ev1', '2099-01-01T00:00:00Z')`);
    } finally {
      await pool.end();
    }

    const store = await openStore({ engine: 'postgres', url }, { poolSize: 2 });
    t.after(() => store.close());
    await assertMigrated(store);
    assert.equal(await store.events.firstSeen('slack:Ev1', 60_000), false, 'seen events are kept');
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    t.after(() => check.end());
    const { rows } = await check.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
    assert.equal(rows[0]?.v, Math.max(...postgresMigrations.map((m) => m.version)));
    const lock = await check.query<{ host: string }>('SELECT host FROM poll_lock');
    assert.equal(lock.rows[0]?.host, 'elsewhere');
  });
});

/** A version-8 database's papers: stored under a DOI, merged with a DOI record (its alias), and neither. */
const VERSION_8_PAPERS = [
  `INSERT INTO papers (id, title, title_norm, source, added_at, changed_at, seq)
   VALUES ('10.1145/361002.361007', 'Fast Pattern Matching in Strings', 'fast pattern matching in strings', 'test',
     '${T}', '${T}', 1)`,
  `INSERT INTO papers (id, arxiv_id, title, title_norm, source, added_at, changed_at, seq)
   VALUES ('1706.03762', '1706.03762', 'Attention Is All You Need', 'attention is all you need', 'test', '${T}',
     '${T}', 2)`,
  `INSERT INTO paper_aliases (alias, paper_id) VALUES ('10.5555/3295222.3295349', '1706.03762')`,
  `INSERT INTO paper_aliases (alias, paper_id) VALUES ('t-0123456789ab', '1706.03762')`,
  `INSERT INTO papers (id, title, title_norm, source, added_at, changed_at, seq)
   VALUES ('10.x/not-a-doi', 'An Own Id That Only Looks Like One', 'an own id that only looks like one', 'test',
     '${T}', '${T}', 3)`,
];

/** Schema 9 gives every stored paper its DOI, and the DOI rule then holds for what comes next. */
async function assertDoisKept(store: Store): Promise<void> {
  const { papers } = store;
  assert.equal((await papers.get('10.1145/361002.361007'))?.doi, '10.1145/361002.361007');
  assert.equal((await papers.get('1706.03762'))?.doi, '10.5555/3295222.3295349');
  assert.equal((await papers.get('10.x/not-a-doi'))?.doi, undefined);
  // A record naming a stored DOI in a field is that paper; another DOI under the same title is another paper.
  const [byDoi] = await papers.upsertMany([
    {
      id: 'W1',
      doi: '10.5555/3295222.3295349',
      title: 'Transformers',
      abstract: '',
      authors: [],
      categories: [],
      source: 'test',
    },
  ]);
  assert.deepEqual(byDoi, {
    outcome: 'unchanged',
    id: '1706.03762',
    merge: { ids: ['1706.03762', 'W1'], keptId: '1706.03762', rule: 'doi' },
  });
  const [other] = await papers.upsertMany([
    {
      id: '10.1137/0206024',
      doi: '10.1137/0206024',
      title: 'Fast Pattern Matching in Strings',
      abstract: '',
      authors: [],
      categories: [],
      source: 'test',
    },
  ]);
  assert.equal(other?.outcome, 'added');
  assert.equal(await papers.count(), 4);
}

describe('GIVEN a version-8 database with papers known by DOIs', () => {
  test('WHEN SQLite opens it THEN schema 9 keeps each DOI on its paper', async (t) => {
    const file = join(dir, 'v8.db');
    const db = new Database(file);
    migrateSqlite(
      db,
      sqliteMigrations.filter((m) => m.version <= 8),
    );
    for (const sql of VERSION_8_PAPERS) db.exec(sql);
    db.close();
    const store = await openStore({ engine: 'sqlite', path: file });
    t.after(() => store.close());
    await assertDoisKept(store);
  });

  test('WHEN PostgreSQL opens it THEN schema 9 keeps each DOI on its paper', async (t) => {
    const url = await postgres.freshDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migratePostgres(
        pool,
        postgresMigrations.filter((m) => m.version <= 8),
      );
      for (const sql of VERSION_8_PAPERS) await pool.query(sql);
      // The rows above took their change numbers by hand: later writes draw theirs after them.
      await pool.query(`SELECT setval('paper_seq', 3)`);
    } finally {
      await pool.end();
    }
    const store = await openStore({ engine: 'postgres', url }, { poolSize: 2 });
    t.after(() => store.close());
    await assertDoisKept(store);
  });
});
