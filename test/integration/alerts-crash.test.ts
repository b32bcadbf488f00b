/**
 * Crash safety: a child process polls and delivers to a (minimal, metadata-aware) fake Slack; the test SIGKILLs it
 * at the worst instants: after Slack accepted a card but before the answer arrived, and after a thread summary was
 * accepted. Restarted, it reconciles by key (conversations.history / replies with metadata) and finishes. Every
 * paper is posted exactly once, with exactly one summary in its thread.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import {
  type CorpusPaper,
  type PaperSourceServer,
  renderDailyPapers,
  startPaperSourceServer,
} from '../fakes/paper-source-server.ts';

import { MiniSlack } from '../fakes/slack-outbox.ts';

const CHILD = fileURLToPath(new URL('../core/alerts/crash-child.ts', import.meta.url));
const KERNEL_RESULTS = 'Experiments show lower memory use and faster decoding on common benchmarks.';

function paper(i: number): CorpusPaper {
  return {
    id: `2503.3000${i}`,
    title: `Quantized attention kernels, part ${i}`,
    abstract: `We propose quantized attention kernel number ${i} for long sequences. ${KERNEL_RESULTS}`,
    authors: [`Author ${i}`],
    categories: ['cs.LG'],
    published: '2025-03-18',
  };
}

const PAPERS = Array.from({ length: 6 }, (_, i) => paper(i + 1));
let sources: PaperSourceServer;
let slack: MiniSlack;
const temp = tempDir();

before(async () => {
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', { body: renderDailyPapers(PAPERS), contentType: 'application/json' });
  slack = await new MiniSlack().start();
});
after(async () => {
  await sources.close();
  await slack.close();
  temp.cleanup();
});

function run(dbPath: string): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; out: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, sources.url, slack.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

test(
  'GIVEN a poll killed with SIGKILL mid-delivery (twice) WHEN restarted ' +
    'THEN every alert is posted exactly once, each with one summary',
  async () => {
    const dbPath = join(temp.dir, 'crash.db');
    const pb = await openTestPaperboy(dbPath);
    await pb.dispatcher.runText('subscribe quantized attention', invoker('C9', 'slack'));
    await pb.close();

    // Run 1: killed right after Slack accepted the 2nd card, before the answer reached the process.
    let first = run(dbPath);
    let roots = 0;
    slack.onPost = async (post) => {
      if (post.thread_ts) return false;
      if (++roots !== 2) return false;
      first.child.kill('SIGKILL');
      await first.done;
      return true;
    };
    const r1 = await first.done;
    assert.equal(r1.signal, 'SIGKILL');

    // Run 2: killed right after the 4th thread summary was accepted.
    let threads = 0;
    const second = run(dbPath);
    slack.onPost = async (post) => {
      if (!post.thread_ts || ++threads !== 4) return false;
      second.child.kill('SIGKILL');
      await second.done;
      return true;
    };
    first = second;
    const r2 = await second.done;
    assert.equal(r2.signal, 'SIGKILL', r2.out);

    // Run 3: runs to the end.
    slack.onPost = async () => false;
    const third = run(dbPath);
    const r3 = await third.done;
    assert.equal(r3.code, 0, r3.out);
    assert.match(r3.out, /"locked":false/);

    const cards = slack.posted.filter((p) => !p.thread_ts);
    const keys = cards.map((p) => p.metadata?.event_payload.key);
    assert.equal(cards.length, PAPERS.length, `cards: ${cards.map((c) => c.text).join(' | ')}`);
    assert.equal(new Set(keys).size, PAPERS.length, 'no card twice');
    for (const p of PAPERS)
      assert.equal(cards.filter((c) => c.text.includes(`part ${p.id.slice(-1)}`)).length, 1, `paper ${p.id} once`);
    for (const card of cards) {
      assert.equal(slack.posted.filter((p) => p.thread_ts === card.ts).length, 1, `one summary under ${card.ts}`);
    }
    const check = await openTestPaperboy(dbPath);
    try {
      assert.ok((await check.alerts.rows()).every((r) => r.state === 'sent'));
      assert.equal((await check.alerts.rows()).length, PAPERS.length);
    } finally {
      await check.close();
    }
  },
);
