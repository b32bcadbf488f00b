/**
 * What several instances on one PostgreSQL database rely on, each instance a store of its own on a real server:
 * outbox claims split rows between them and pass a dead one's rows on once its claim runs out, and their fencing
 * tokens keep a stalled drain from overwriting the new owner's rows; the poll lock is an
 * advisory lock that dies with its connection, and the leadership built on it moves to another instance; Slack event
 * ids are deduplicated across instances and expire; a paper written by one instance is heard by the others.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import type { AlertDelivery } from '../../../src/core/alerts/delivery.ts';
import { PollLeadership } from '../../../src/core/alerts/leadership.ts';
import { Outbox } from '../../../src/core/alerts/outbox.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import type { Paper } from '../../../src/core/papers/paper.ts';
import { openStore } from '../../../src/core/store/open.ts';
import { POLL_LOCK_SPACE } from '../../../src/core/store/postgres/sql.ts';
import type { NewAlert, Store } from '../../../src/core/store/store.ts';
import { openPaperboy, type Paperboy } from '../../../src/paperboy.ts';
import { testPostgres } from '../../support/postgres.ts';

const postgres = testPostgres();
after(() => postgres.stop());

/** Two (or more) instances' stores on one fresh database, closed when the test ends. */
async function instances(
  t: { after(fn: () => Promise<void>): void },
  n = 2,
): Promise<{ url: string; stores: Store[] }> {
  const url = await postgres.freshDatabase();
  const stores: Store[] = [];
  for (let i = 0; i < n; i++) stores.push(await openStore({ engine: 'postgres', url }, { poolSize: 3 }));
  t.after(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });
  return { url, stores };
}

async function query<R extends object>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Kills the server sessions of connections named like `prefix%` (what a dead process's connections become). */
async function terminate(url: string, prefix: string): Promise<number> {
  const rows = await query<{ done: boolean }>(
    url,
    'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name LIKE $1 AND datname = current_database()',
    [`${prefix}%`],
  );
  return rows.length;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - started;
}

function paper(id: string, title: string): Paper {
  const result = normalizePaper({ id, title, abstract: 'An abstract.' }, 'test');
  assert.ok(result.ok);
  return result.paper;
}

function alert(i: number): NewAlert {
  return {
    platform: 'slack',
    workspaceId: 'T1',
    channelId: `C${i % 2}`,
    paperId: `2503.0000${i}`,
    subscriptionId: 1,
    matched: ['lora'],
    score: i,
    digest: false,
    dueAt: '2025-03-18T12:00:00.000Z',
  };
}

test('GIVEN two instances claiming due alerts at once THEN they split the rows, none twice', async (t) => {
  const { stores } = await instances(t);
  const [a, b] = stores as [Store, Store];
  for (let i = 0; i < 8; i++) assert.ok(await a.alerts.enqueue(alert(i)));
  const now = '2025-03-18T12:01:00.000Z';
  const [mine, theirs] = await Promise.all([
    a.alerts.claimDue('slack', now, { owner: 'A', ttlMs: 60_000 }),
    b.alerts.claimDue('slack', now, { owner: 'B', ttlMs: 60_000 }),
  ]);
  const ids = [...mine, ...theirs].map((row) => row.id).sort((x, y) => x - y);
  assert.equal(ids.length, 8, 'every row claimed');
  assert.equal(new Set(ids).size, 8, 'no row claimed twice');
  // Whoever got rows holds them: a second claim by the other finds none of them.
  const again = await b.alerts.claimDue('slack', now, { owner: 'B', ttlMs: 60_000 });
  assert.deepEqual(
    again.map((r) => r.id).sort((x, y) => x - y),
    theirs.map((r) => r.id).sort((x, y) => x - y),
    'B re-claims only its own',
  );
  // Claimed rows come in `due`'s order: channel, then best score first.
  const order = mine.map((r) => `${r.channelId}:${r.score}`);
  assert.deepEqual(
    order,
    [...mine]
      .sort((x, y) => x.channelId.localeCompare(y.channelId) || y.score - x.score)
      .map((r) => `${r.channelId}:${r.score}`),
  );
});

test(
  'GIVEN rows claimed by an instance that died THEN nobody may send them until the claim runs out, ' +
    'then another instance takes them over (in flight ones too)',
  async (t) => {
    const { stores } = await instances(t);
    const [a, b] = stores as [Store, Store];
    for (let i = 0; i < 3; i++) await a.alerts.enqueue(alert(i));
    const t0 = Date.parse('2025-03-18T12:01:00.000Z');
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const claimA = { owner: 'A', ttlMs: 60_000 };
    const claimB = { owner: 'B', ttlMs: 60_000 };
    const rows = await a.alerts.claimDue('slack', at(0), claimA);
    assert.equal(rows.length, 3);
    const [first, ...rest] = rows;
    // A marks one row sending and "dies" (no renewal, no release).
    assert.ok(await a.alerts.markSending([first!.id], 'key-a', at(1_000), { owner: 'A', token: first!.claimToken }));
    assert.equal(await b.alerts.markSending([rest[0]!.id], 'key-b', at(2_000), { owner: 'B' }), false, "not B's claim");
    assert.deepEqual(await b.alerts.claimDue('slack', at(30_000), claimB), [], 'A still holds them');
    assert.deepEqual(await b.alerts.claimInFlight('slack', at(30_000), claimB), []);
    // Renewed claims last: A renews at 50 s, so at 90 s they still hold.
    assert.equal(await a.alerts.renewClaims(claimA, at(50_000)), 3);
    assert.deepEqual(await b.alerts.claimDue('slack', at(90_000), claimB), []);
    // A died after that renewal: at 111 s its claims ran out.
    const pending = await b.alerts.claimDue('slack', at(111_000), claimB);
    assert.deepEqual(pending.map((r) => r.id).sort(), rest.map((r) => r.id).sort());
    const inFlight = await b.alerts.claimInFlight('slack', at(111_000), claimB);
    assert.deepEqual(
      inFlight.map((r) => [r.id, r.messageKey]),
      [[first!.id, 'key-a']],
      'the interrupted row, to reconcile by its key',
    );
    assert.equal(
      await a.alerts.markSending([rest[0]!.id], 'key-late', at(112_000), { owner: 'A', token: first!.claimToken }),
      false,
      'A lost them',
    );
    assert.ok(
      await b.alerts.markSending([rest[0]!.id], 'key-b', at(112_000), { owner: 'B', token: pending[0]!.claimToken }),
    );
    await b.alerts.markSent('key-b', at(113_000));
    await b.alerts.releaseClaims('B');
    const left = await query<{ claimed: string }>(
      b.location.engine === 'postgres' ? b.location.url : '',
      'SELECT count(*) AS claimed FROM alert_outbox WHERE claim_owner IS NOT NULL',
    );
    assert.equal(Number(left[0]!.claimed), 0, 'released');
  },
);

test(
  'GIVEN a drain whose claim ran out while its send was in flight WHEN another instance took the row over ' +
    "THEN the late drain's writes (posted, sent, retry, dead, uncertain) change nothing, and the new owner's count",
  async (t) => {
    const { stores } = await instances(t);
    const [a, b] = stores as [Store, Store];
    await a.alerts.enqueue(alert(1));
    const t0 = Date.parse('2025-03-18T12:01:00.000Z');
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const [mine] = await a.alerts.claimDue('slack', at(0), { owner: 'A', ttlMs: 60_000 });
    const fenceA = { owner: 'A', token: mine!.claimToken };
    assert.ok(fenceA.token, 'a claim carries a fencing token');
    assert.ok(await a.alerts.markSending([mine!.id], 'key-1', at(1_000), fenceA));
    // A stalls in the platform call past its claim; B takes the row over under a newer token.
    const [taken] = await b.alerts.claimInFlight('slack', at(70_000), { owner: 'B', ttlMs: 60_000 });
    assert.equal(taken?.id, mine!.id);
    const fenceB = { owner: 'B', token: taken!.claimToken };
    assert.ok(fenceB.token! > fenceA.token!, 'tokens only grow');
    assert.equal(await b.alerts.markPosted('key-1', 'ts-by-b', fenceB), true);

    assert.equal(await a.alerts.markPosted('key-1', 'ts-by-a', fenceA), false, 'A posted late: not recorded');
    await a.alerts.markSent('key-1', at(71_000), fenceA);
    await a.alerts.markRetry('key-1', 'ratelimited', at(71_000), fenceA);
    assert.equal(await a.alerts.markDead('key-1', 'rate limited 8 times', at(71_000), fenceA), 0);
    assert.equal(await a.alerts.noteUncertain('key-1', 'timeout', fenceA), 0);
    const held = (await a.alerts.row(mine!.id))!;
    assert.deepEqual(
      [held.state, held.messageRef, held.sentAt, held.lastError, held.claimToken],
      ['posted', 'ts-by-b', undefined, undefined, fenceB.token],
      "B's claimed row is as B left it",
    );
    await b.alerts.markSent('key-1', at(72_000), fenceB);
    assert.deepEqual(
      [(await b.alerts.row(mine!.id))!.state, (await b.alerts.row(mine!.id))!.sentAt],
      ['sent', at(72_000)],
    );
    // A claim that ran out but was not taken over still records what its drain did: nobody else holds the row.
    await a.alerts.enqueue(alert(2));
    const [lone] = await a.alerts.claimDue('slack', at(100_000), { owner: 'A', ttlMs: 1_000 });
    const fence = { owner: 'A', token: lone!.claimToken };
    assert.ok(await a.alerts.markSending([lone!.id], 'key-2', at(100_100), fence));
    assert.equal(await a.alerts.markPosted('key-2', 'ts-2', fence), true);
  },
);

test(
  'GIVEN two outboxes on two instances WHEN the first stalls mid-post past its claim and the second takes over ' +
    "THEN the alert is posted once, its thread once, and the first's late answer marks nothing",
  async (t) => {
    const { url } = await instances(t, 0);
    const temp = mkdtempSync(join(tmpdir(), 'paperboy-fence-'));
    const open = (name: string) =>
      openPaperboy({
        dbPath: join(temp, `${name}.db`),
        databaseUrl: url,
        indexDir: join(temp, `index-${name}`),
        logger: silentLogger,
        builtinCorpus: false,
        useWorker: false,
      });
    const first = await open('a');
    const second = await open('b');
    t.after(async () => {
      await first.close();
      await second.close();
      rmSync(temp, { recursive: true, force: true });
    });
    await first.importer.importInputs([{ arxivId: '2503.00001', title: 'LoRA', abstract: 'Adapters work.' }], 'test');
    const sub = await first.alerts.addSubscription({
      platform: 'slack',
      workspaceId: 'T1',
      channelId: 'C1',
      query: 'lora',
      mode: 'instant',
    });
    await first.alerts.enqueue({ ...alert(1), channelId: 'C1', paperId: '2503.00001', subscriptionId: sub.id });

    // One platform both instances post to. The first's answer to its post is held; so is the second's thread, so
    // the first's late answer arrives while the second is finishing the alert.
    const posts: { key: string; ref: string }[] = [];
    const threads: string[] = [];
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { open, opened };
    };
    const firstPosting = gate();
    const firstAnswer = gate();
    const secondThreading = gate();
    const secondThread = gate();
    const platform = (name: string): AlertDelivery => ({
      platform: 'slack',
      minIntervalMs: 0,
      async post(_channel, _reply, key) {
        const ref = `ts-${posts.length + 1}`;
        posts.push({ key, ref });
        if (name === 'first') {
          firstPosting.open();
          await firstAnswer.opened;
        }
        return ref;
      },
      async postThread(_channel, _ref, _root, key) {
        if (name === 'second') {
          secondThreading.open();
          await secondThread.opened;
        }
        threads.push(`${name}:${key}`);
      },
      async find(_channel, key) {
        return posts.find((p) => p.key === key)?.ref;
      },
      async threadPosted(_channel, _ref, key) {
        return threads.some((thread) => thread.endsWith(`:${key}`));
      },
      classify: () => ({ kind: 'unknown', code: 'bug' }),
    });
    const t0 = Date.parse('2025-03-18T12:01:00.000Z');
    const outbox = (pb: Paperboy, name: string, nowMs: number) =>
      new Outbox({
        repo: pb.alerts,
        delivery: platform(name),
        papers: pb.papers,
        messages: { buttons: pb.dispatcher.buttons, summarize: pb.services.summarize },
        logger: silentLogger,
        now: () => new Date(nowMs),
        claimTtlMs: 60_000,
        claimOwner: name,
      });
    const stalled = outbox(first, 'first', t0).drain();
    await firstPosting.opened;
    // Two minutes later by the second's clock the first's claim has run out: the second takes the row over, finds the
    // message by its key, records it posted and starts its thread...
    const takeover = outbox(second, 'second', t0 + 120_000).drain();
    await secondThreading.opened;
    // ...when the first finally hears that its post went through.
    firstAnswer.open();
    const late = await stalled;
    assert.equal(late.messages, 0, 'the first neither counts nor finishes a message it no longer holds');
    secondThread.open();
    assert.equal((await takeover).reconciled, 1);
    assert.equal(posts.length, 1, 'posted once');
    assert.equal(threads.length, 1, 'its thread once');
    assert.match(threads[0]!, /^second:/);
    const [row] = await second.alerts.rows();
    assert.deepEqual(
      [row!.state, row!.messageRef, row!.sentAt],
      ['sent', 'ts-1', new Date(t0 + 120_000).toISOString()],
    );
  },
);

test(
  'GIVEN the poll lock held by one instance WHEN its connection dies (kill -9) ' +
    'THEN the lock is free at once and the leadership moves to another instance',
  async (t) => {
    const { url, stores } = await instances(t);
    const [a, b] = stores as [Store, Store];
    const lockA = a.pollLock();
    const lockB = b.pollLock();
    t.after(async () => {
      await lockA.release();
      await lockB.release();
    });
    assert.ok(await lockA.acquire());
    assert.ok(await lockA.acquire(), 'taking it again is fine');
    assert.equal(await lockB.acquire(), false);
    assert.deepEqual(await lockB.holder(), { pid: process.pid, host: (await lockA.holder())!.host });
    assert.ok(await lockA.heartbeat());
    const events: string[] = [];
    const poller = (name: string) => ({
      start: () => void events.push(`${name} starts`),
      pause: () => void events.push(`${name} pauses`),
      stop: async () => void events.push(`${name} stops`),
    });
    await lockA.release();
    const leaderA = new PollLeadership({
      poller: poller('A'),
      lock: lockA,
      pollIntervalMs: 60_000,
      logger: silentLogger,
    });
    const leaderB = new PollLeadership({
      poller: poller('B'),
      lock: lockB,
      pollIntervalMs: 60_000,
      logger: silentLogger,
    });
    await leaderA.tick();
    await leaderB.tick();
    assert.equal(leaderA.leading, true);
    assert.equal(leaderB.leading, false);
    await leaderB.tick();
    assert.equal(leaderB.leading, false, 'a follower stays one while the leader lives');
    // What kill -9 does to the leader's lock: its session ends.
    const [killed] = await query<{ name: string }>(
      url,
      `SELECT a.application_name AS name, pg_terminate_backend(a.pid) FROM pg_locks l
       JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1
         AND a.datname = current_database()`,
      [POLL_LOCK_SPACE],
    );
    assert.match(killed!.name, /^paperboy-lock:/, 'held on a connection of its own, not a pooled one');
    await leaderB.tick();
    assert.equal(leaderB.leading, true, 'the lock was free at once');
    await leaderA.tick();
    assert.equal(leaderA.leading, false, 'the old leader notices and steps down');
    assert.deepEqual(events, ['A starts', 'B starts', 'A pauses']);
    await leaderA.stop();
    await leaderB.stop();
    assert.equal(await lockA.holder(), undefined, 'stopping released it');
  },
);

test('GIVEN a Slack event seen by one instance THEN another sees it as a repeat until it expires', async (t) => {
  const { url, stores } = await instances(t);
  const [a, b] = stores as [Store, Store];
  const now = Date.now();
  assert.equal(await a.events.firstSeen('slack:Ev1', 60_000, now), true);
  assert.equal(await b.events.firstSeen('slack:Ev1', 60_000, now + 1_000), false, 'the retry on the other instance');
  assert.equal(await a.events.firstSeen('slack:Ev1', 60_000, now + 2_000), false);
  assert.equal(await b.events.firstSeen('slack:Ev2', 60_000, now + 2_000), true, 'another event');
  const racing = await Promise.all([
    a.events.firstSeen('slack:Ev3', 60_000, now),
    b.events.firstSeen('slack:Ev3', 60_000, now),
  ]);
  assert.deepEqual(racing.sort(), [false, true], 'two deliveries at once: exactly one goes through');
  assert.equal(await b.events.firstSeen('slack:Ev1', 60_000, now + 61_000), true, 'expired: seen afresh');
  assert.equal(await a.events.purgeExpired(now + 200_000), 3, 'expired rows deleted');
  const [row] = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM seen_events');
  assert.equal(Number(row!.n), 0);
});

test(
  'GIVEN an instance watching for papers WHEN another stores one THEN it hears at once, ' +
    'and after its listening connection is cut it catches up on what it missed',
  async (t) => {
    const { url, stores } = await instances(t);
    const [a, b] = stores as [Store, Store];
    let heard = 0;
    const watch = b.watchPapers(() => heard++, { checkEveryMs: 600_000 });
    t.after(() => watch.close());
    await until('the listener', async () => heard > 0, 10_000); // the catch-up call after connecting
    const before = heard;
    await a.papers.upsert(paper('2503.00001', 'Heard Across Instances'));
    const ms = await until('the notification', () => heard > before);
    assert.ok(ms < 5_000, `heard after ${ms} ms`);
    // Nothing is heard for a write that rolls back.
    const settled = heard;
    await assert.rejects(
      a.transaction(async (tx) => {
        await tx.papers.upsert(paper('2503.00002', 'Rolled Back'));
        throw new Error('no');
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(heard, settled, 'a rolled-back write is not announced');
    // The listener's connection dies; a paper is written meanwhile; the reconnect reports a change.
    assert.equal(await terminate(url, 'paperboy-listen'), 1);
    await a.papers.upsert(paper('2503.00003', 'Written While Nobody Listened'));
    const cut = heard;
    await until('the catch-up after reconnecting', () => heard > cut, 15_000);
    assert.equal((await b.papers.changedSince(0)).length, 2);
  },
);
