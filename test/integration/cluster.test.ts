/**
 * Three paperboy processes and one PostgreSQL database (a real server: an embedded one for this file, or
 * PAPERBOY_TEST_DATABASE_URL's), Slack in HTTP mode against a fake Web API:
 * - exactly one instance leads polling; 200 slash commands spread over the three are each acked within Slack's 3 s
 *   and answered exactly once; a paper stored by another process becomes searchable on all three;
 * - 50 alerts (50 channels) are delivered exactly once while the leader is killed with SIGKILL mid-delivery (one post
 *   accepted by Slack but never answered): another instance takes over the lead within 60 s, waits out the dead
 *   one's claims and reconciles by key;
 * - two `paperboy poll` runs at once make one round: one polls and delivers, the other is turned away.
 * About 90 s on a 2-core machine, most of it the three start-ups and Slack's pacing of alert threads (1.1 s each).
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizePaper } from '../../src/core/papers/normalize.ts';
import { openStore } from '../../src/core/store/open.ts';
import type { Store } from '../../src/core/store/store.ts';
import { tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { MiniSlack } from '../fakes/slack-outbox.ts';
import { postSigned, slashCommandBody } from '../fakes/slack-requests.ts';
import { testPostgres } from '../support/postgres.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));
const SECRET = 'cluster-test-signing-secret';
/** Slack's deadline for acknowledging a slash command. */
const ACK_DEADLINE_MS = 3_000;

const postgres = testPostgres();
const temp = tempDir('paperboy-cluster-');
const children = new Set<ChildProcess>();
let sources: PaperSourceServer;
before(async () => {
  sources = await startPaperSourceServer();
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sources?.close();
  await postgres.stop();
  temp.cleanup();
});

const LORA = {
  id: '2503.00001',
  title: 'LoRA Adapters for Tiny Language Models',
  abstract:
    'We propose a low-rank adapter method that fine-tunes small language models with few parameters. ' +
    'Results show strong gains on reasoning benchmarks while training one percent of the weights.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.CL'],
  published: '2025-03-18',
};

interface Instance {
  name: string;
  child: ChildProcess;
  port: number;
  log: () => string;
  exited: Promise<number | null>;
}

/** Environment for a child paperboy: nothing from a developer's .env leaks in (set, even empty, wins over .env). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PAPERBOY_DB: join(temp.dir, 'unused.db'),
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    SLACK_BOT_TOKEN: '',
    SLACK_APP_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    DISCORD_TOKEN: '',
    DISCORD_APP_ID: '',
    HEALTH_PORT: '',
    SOURCES: 'huggingface',
    HF_API_URL: sources.url,
    ALERTS_LOG: join(temp.dir, 'alerts.jsonl'),
    ...extra,
  };
}

function spawnPaperboy(file: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, out: () => out, err: () => err, exited };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

const LEADS = 'this instance now leads polling and alert delivery';

test(
  'GIVEN three instances on one PostgreSQL WHEN 200 slash commands are spread over them, a paper is stored, ' +
    'and the leader is killed with SIGKILL while it delivers 50 alerts ' +
    'THEN one leads at a time, every command is acked in time and answered once, the paper is searchable ' +
    'everywhere, another instance takes over, and each alert is delivered exactly once',
  async () => {
    const databaseUrl = await postgres.freshDatabase();
    const slack = await new MiniSlack({ realClock: true }).start();
    after(() => slack.close());
    sources.route('/api/daily_papers', { body: renderDailyPapers([]), contentType: 'application/json' });

    const instances: Instance[] = [];
    for (const name of ['a', 'b', 'c']) {
      const port = await freePort();
      const run = spawnPaperboy(
        MAIN,
        [],
        childEnv({
          DATABASE_URL: databaseUrl,
          PAPERBOY_INDEX_DIR: join(temp.dir, `index-${name}`),
          SLACK_BOT_TOKEN: 'xoxb-cluster-test',
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_PORT: String(port),
          SLACK_API_URL: slack.url,
          POLL_INTERVAL_MINUTES: '60',
          LEADER_RETRY_SECONDS: '1',
          OUTBOX_CLAIM_SECONDS: '3',
          ALERTS_DRAIN_SECONDS: '1',
        }),
      );
      instances.push({ name, child: run.child, port, log: run.err, exited: run.exited });
    }
    for (const instance of instances)
      await until(
        `instance ${instance.name} to start`,
        () => instance.log().includes('paperboy is running on'),
        120_000,
      );
    await until('a leader', () => instances.some((i) => i.log().includes(LEADS)), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // more than two leadership tries of the others
    const leaders = instances.filter((i) => i.log().includes(LEADS));
    assert.equal(leaders.length, 1, 'exactly one instance leads');
    const leader = leaders[0]!;
    for (const other of instances.filter((i) => i !== leader))
      assert.match(other.log(), /another instance leads polling; standing by/);

    // ---- 200 slash commands, round-robin over the instances, 25 a second (a busy workspace) ----
    const queries = ['lora', 'diffusion', 'attention', 'transformer', 'reinforcement learning', 'graph neural network'];
    const acks = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const instance = instances[i % 3]!;
        await new Promise((resolve) => setTimeout(resolve, i * 40));
        const started = performance.now();
        const response = await postSigned(
          `http://127.0.0.1:${instance.port}/slack/events`,
          SECRET,
          slashCommandBody(queries[i % queries.length]!, slack.responseUrl(`cmd-${i}`)),
          'application/x-www-form-urlencoded',
        );
        return { status: response.status, ms: performance.now() - started };
      }),
    );
    assert.deepEqual(
      acks.filter((a) => a.status !== 200),
      [],
      'every command acked',
    );
    const times = acks.map((a) => Math.round(a.ms)).sort((x, y) => x - y);
    assert.ok(
      times.at(-1)! < ACK_DEADLINE_MS,
      `every ack within Slack's 3 s (median ${times[100]} ms, slowest ${times.at(-1)} ms)`,
    );
    await until('200 answers', () => new Set(slack.responses.map((r) => r.target)).size === 200, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answers = new Map<string, number>();
    for (const r of slack.responses) answers.set(r.target, (answers.get(r.target) ?? 0) + 1);
    assert.deepEqual(
      [...answers].filter(([, n]) => n !== 1),
      [],
      'each command answered exactly once',
    );

    // ---- a paper stored by another process: every instance can find it ----
    const store: Store = await openStore({ engine: 'postgres', url: databaseUrl }, { poolSize: 2 });
    after(() => store.close());
    const normalized = normalizePaper(LORA, 'test');
    assert.ok(normalized.ok);
    const stored = await store.papers.upsert(normalized.paper);
    for (const instance of instances) {
      const target = `new-paper-${instance.name}`;
      const ms = await until(`instance ${instance.name} to find the new paper`, async () => {
        const before = slack.responses.length;
        await postSigned(
          `http://127.0.0.1:${instance.port}/slack/events`,
          SECRET,
          slashCommandBody('"tiny language models"', slack.responseUrl(target)),
          'application/x-www-form-urlencoded',
        );
        await until('its answer', () => slack.responses.length > before, 10_000);
        return JSON.stringify(slack.responses.at(-1)?.body).includes('LoRA Adapters for Tiny Language Models');
      });
      assert.ok(ms < 60_000, `searchable on ${instance.name} after ${ms} ms`);
    }

    // ---- 50 alerts; the leader dies mid-delivery ----
    const channels = Array.from({ length: 50 }, (_, i) => `C${String(i).padStart(3, '0')}`);
    const now = new Date().toISOString();
    for (const channelId of channels) {
      const channel = { platform: 'slack', workspaceId: 'T1', channelId };
      const sub = await store.alerts.addSubscription({ ...channel, query: 'lora', mode: 'instant' });
      await store.alerts.enqueue({
        ...channel,
        paperId: stored.id,
        subscriptionId: sub.id,
        matched: ['lora'],
        score: 1,
        digest: false,
        dueAt: now,
      });
    }
    let killedAt = 0;
    let roots = 0;
    slack.onPost = async (post) => {
      if (!post.metadata || post.thread_ts) return false;
      roots++;
      if (roots !== 10) return false;
      // Slack took the 10th alert; its poster dies before it hears so.
      leader.child.kill('SIGKILL');
      killedAt = Date.now();
      return true;
    };
    await until('the leader to be killed', () => killedAt > 0, 60_000);
    assert.equal(await leader.exited, null, 'killed by a signal');
    const survivors = instances.filter((i) => i !== leader);
    const takeover = await until(
      'another instance to lead',
      () => survivors.some((i) => i.log().includes(LEADS)),
      60_000,
    );
    assert.ok(takeover < 60_000, `a new leader ${takeover} ms after the kill`);
    await until(
      'every alert sent',
      async () => (await store.alerts.rows()).filter((r) => r.state === 'sent').length === 50,
      120_000,
    );
    const perChannel = new Map<string, number>();
    for (const post of slack.posted)
      if (post.metadata && !post.thread_ts) perChannel.set(post.channel, (perChannel.get(post.channel) ?? 0) + 1);
    assert.deepEqual([...perChannel.keys()].sort(), channels, 'every channel got its alert');
    assert.deepEqual(
      [...perChannel].filter(([, n]) => n !== 1),
      [],
      'and exactly once, the one posted by the dead leader included',
    );
    assert.equal(survivors.filter((i) => i.log().includes(LEADS)).length, 1, 'one new leader');
  },
);

test('GIVEN two `paperboy poll` runs at once on one database THEN one round is made, no alert twice', async () => {
  const databaseUrl = await postgres.freshDatabase();
  const store = await openStore({ engine: 'postgres', url: databaseUrl }, { poolSize: 2 });
  after(() => store.close());
  await store.alerts.addSubscription({
    platform: 'console',
    workspaceId: '',
    channelId: 'console',
    query: 'lora',
    mode: 'instant',
  });
  const runs: ReturnType<typeof spawnPaperboy>[] = [];
  // The source answers only once one run has ended: the other is then certainly mid-round, holding the lock.
  const oneEnded = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    const watch = setInterval(() => {
      if (runs.some((r) => r.child.exitCode !== null)) {
        clearInterval(watch);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
  });
  sources.route('/api/daily_papers', async () => {
    await oneEnded;
    return { body: renderDailyPapers([{ ...LORA, upvotes: 7 }]), contentType: 'application/json' };
  });
  const env = childEnv({ DATABASE_URL: databaseUrl, PAPERBOY_INDEX_DIR: join(temp.dir, 'index-poll') });
  const before = sources.requestsTo('/api/daily_papers').length;
  runs.push(spawnPaperboy(CLI, ['poll'], env), spawnPaperboy(CLI, ['poll'], env));
  const codes = await Promise.all(runs.map((r) => r.exited));
  assert.deepEqual([...codes].sort(), [0, 3], runs.map((r) => r.err()).join('\n'));
  const polled = runs[codes.indexOf(0)]!;
  const refused = runs[codes.indexOf(3)]!;
  assert.match(refused.err(), /another paperboy process is polling this database/);
  assert.match(polled.out(), /huggingface: 1 fetched, 1 new, 1 alerts queued/);
  assert.match(polled.out(), /console: 1 messages \(1 alerts\)/);
  assert.equal(sources.requestsTo('/api/daily_papers').length - before, 1, 'the source was fetched once');
  const rows = await store.alerts.rows();
  assert.deepEqual(
    rows.map((r) => r.state),
    ['sent'],
  );
});
