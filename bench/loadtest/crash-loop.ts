/**
 * The crash loop (`npm run loadtest -- --crash-loop 20`, and 3 kills in
 * test/integration/reliability-crash-loop.test.ts): a poll + delivery process (test/core/alerts/crash-child.ts: one
 * round against the fake sources, posting to a fake Slack through the real WebClient) is SIGKILLed at N seeded random
 * points (right after Slack accepted a card or a summary but before the answer went back, right after the answer, or at
 * a random moment of the round, store transactions included), restarted each time, with new papers arriving between
 * runs; then it runs to the end. Counts: papers that should have alerted but were never posted (lost), cards posted
 * more than once (duplicates), cards with more than one summary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/core/logger.ts';
import { openPaperboy } from '../../src/paperboy.ts';
import {
  alertTestPaper,
  type CorpusPaper,
  mulberry32,
  renderDailyPapers,
  startPaperSourceServer,
} from '../../test/fakes/paper-source-server.ts';

import { MiniSlack, type Posted } from '../../test/fakes/slack-outbox.ts';

const CHILD = fileURLToPath(new URL('../../test/core/alerts/crash-child.ts', import.meta.url));

export interface CrashLoopResult {
  kills: number;
  killPoints: Record<string, number>;
  runs: number;
  expected: number;
  posted: number;
  lost: number;
  duplicates: number;
  withSummary: number;
  extraSummaries: number;
  seconds: number;
}

const paper = (i: number, matching: boolean): CorpusPaper => alertTestPaper(i, matching, 32000);

type KillPoint = 'card-accepted' | 'summary-accepted' | 'after-answer' | 'random-moment';
const KILL_POINTS: KillPoint[] = ['card-accepted', 'summary-accepted', 'after-answer', 'random-moment'];

export async function runCrashLoop(options: {
  kills: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<CrashLoopResult> {
  const started = performance.now();
  const random = mulberry32(options.seed ?? 1);
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-crashloop-'));
  const dbPath = join(dir, 'crash.db');
  const sources = await startPaperSourceServer();
  const slack = await new MiniSlack().start();
  const children = new Set<ChildProcess>();
  const served: CorpusPaper[] = [];
  const expected: CorpusPaper[] = [];
  const addPapers = (count: number) => {
    for (let j = 0; j < count; j++) {
      const i = served.length;
      const p = paper(i, i % 3 !== 2);
      served.push(p);
      if (i % 3 !== 2) expected.push(p);
    }
    sources.route('/api/daily_papers', { body: renderDailyPapers(served), contentType: 'application/json' });
  };
  const killPoints: Record<string, number> = {};
  let runs = 0;
  try {
    const pb = await openPaperboy({ dbPath, logger: silentLogger, builtinCorpus: false, useWorker: false });
    await pb.dispatcher.runText('subscribe quantized attention', {
      platform: 'slack',
      userId: 'U1',
      channelId: 'C9',
      canManageChannel: true,
    });
    await pb.close();
    addPapers(6);

    const run = () => {
      runs++;
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, sources.url, slack.url], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
        child.once('exit', (code, signal) => {
          children.delete(child);
          resolve({ code, signal, out });
        }),
      );
      return { child, done };
    };

    // Until N kills landed (a run may finish before its kill point), at most 2N runs.
    let landed = 0;
    for (let attempt = 0; landed < options.kills && attempt < 2 * options.kills; attempt++) {
      const point = KILL_POINTS[Math.floor(random() * KILL_POINTS.length)]!;
      const nth = 1 + Math.floor(random() * 3);
      const delayMs = Math.floor(random() * 2500);
      const current = run();
      let seen = 0;
      let killed = false;
      const killNow = async () => {
        if (killed) return;
        killed = true;
        current.child.kill('SIGKILL');
        await current.done;
      };
      slack.onPost = async (post) => {
        const isThread = Boolean(post.thread_ts);
        if (point === 'card-accepted' && !isThread && ++seen === nth) return killNow().then(() => true);
        if (point === 'summary-accepted' && isThread && ++seen === nth) return killNow().then(() => true);
        if (point === 'after-answer' && ++seen === nth) setImmediate(() => void killNow());
        return false;
      };
      let timer: NodeJS.Timeout | undefined;
      if (point === 'random-moment') {
        // Measured from the child's first source request, so the kill lands inside the round, not in module loading.
        const first = sources.requests.length;
        const poll = setInterval(() => {
          if (sources.requests.length > first) {
            clearInterval(poll);
            timer = setTimeout(() => void killNow(), Math.floor(delayMs / 5));
          }
        }, 5);
        void current.done.then(() => clearInterval(poll));
      }
      const result = await current.done;
      clearTimeout(timer);
      slack.onPost = async () => false;
      const how =
        result.signal === 'SIGKILL'
          ? `killed at ${point}${point === 'random-moment' ? ` +${Math.floor(delayMs / 5)} ms` : ` #${nth}`}`
          : `finished before ${point} (exit ${result.code})`;
      if (result.signal === 'SIGKILL') {
        killPoints[point] = (killPoints[point] ?? 0) + 1;
        landed++;
      }
      log(`run ${runs}: ${how}; ${slack.posted.filter((p) => !p.thread_ts).length} cards so far`);
      if (result.signal !== 'SIGKILL' && result.code !== 0)
        throw new Error(`the poll process failed: ${result.out.slice(-2000)}`);
      // New papers arrive between some runs.
      if (random() < 0.5) addPapers(3);
    }

    // Then run to the end: until a run finishes with every alert sent.
    for (let final = 0; final < 5; final++) {
      const result = await run().done;
      if (result.code !== 0) throw new Error(`the final poll failed: ${result.out.slice(-2000)}`);
      const check = await openPaperboy({ dbPath, logger: silentLogger, builtinCorpus: false, useWorker: false });
      const rows = await check.alerts.rows();
      await check.close();
      if (rows.length === expected.length && rows.every((r) => r.state === 'sent')) break;
    }
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await sources.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const cards = slack.posted.filter((p) => !p.thread_ts && p.channel === 'C9');
  // "part 1" must not count "part 12".
  const shows = (card: Posted, p: CorpusPaper) =>
    new RegExp(`${p.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`).test(card.text);
  let lost = 0;
  let duplicates = 0;
  for (const p of expected) {
    const n = cards.filter((c) => shows(c, p)).length;
    if (n === 0) lost++;
    if (n > 1) duplicates += n - 1;
  }
  const unexpected = cards.filter((c) => !expected.some((p) => shows(c, p))).length;
  const summaryCounts = cards.map((card) => slack.posted.filter((p) => p.thread_ts === card.ts).length);
  return {
    kills: Object.values(killPoints).reduce((a, b) => a + b, 0),
    killPoints,
    runs,
    expected: expected.length,
    posted: cards.length,
    lost,
    duplicates: duplicates + unexpected,
    withSummary: summaryCounts.filter((n) => n >= 1).length,
    extraSummaries: summaryCounts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    seconds: (performance.now() - started) / 1000,
  };
}

export function formatCrashLoop(result: CrashLoopResult): string {
  return [
    `crash loop: ${result.kills} SIGKILLs (${Object.entries(result.killPoints)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}) over ${result.runs} runs, ${result.seconds.toFixed(0)} s`,
    `  ${result.expected} alerts expected, ${result.posted} cards posted: ` +
      `${result.lost} lost, ${result.duplicates} duplicates`,
    `  summaries: ${result.withSummary}/${result.posted} cards have one, ${result.extraSummaries} extra`,
    JSON.stringify(result),
  ].join('\n');
}
