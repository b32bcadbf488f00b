/**
 * Faults: several poll + delivery rounds against the fake paper sources and a fake Slack, both failing at random
 * (seeded): sources answer 429 with Retry-After, 500, 503, hang past the timeout, drop the connection (before or in
 * the middle of the body) or send garbage; Slack rate-limits, fails with 500 before posting, or ACCEPTS the post and
 * then answers 503, drops the connection or never answers (the cases where only reconciliation by key can tell).
 * New papers keep arriving between rounds. At the end every matching paper is posted exactly once per channel, each
 * with exactly one summary in its thread (a failed summary is checked by key and retried on the next round).
 */

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { createSlackDelivery } from '../../src/adapters/slack/alert-delivery.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { alertsConfig, FAST_SOURCES, invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { closeServer, listenLocal } from '../fakes/local-server.ts';
import {
  alertTestPaper,
  type CorpusPaper,
  mulberry32,
  type PaperSourceServer,
  renderDailyPapers,
  startPaperSourceServer,
} from '../fakes/paper-source-server.ts';
import { channelHistory, type Posted, postedMessage, readSlackCall, threadReplies } from '../fakes/slack-outbox.ts';

type SlackFault = '429' | '500-before' | 'drop-before' | '503-after' | 'drop-after' | 'hang-after';
const SLACK_FAULTS: SlackFault[] = ['429', '500-before', 'drop-before', '503-after', 'drop-after', 'hang-after'];

/** Slack's chat.postMessage and conversations.history / replies (with metadata), failing at a seeded random rate. */
class FlakySlack {
  readonly posted: Posted[] = [];
  readonly injected = new Map<string, number>();
  private server: Server | undefined;
  private next = 1;
  private readonly hung = new Set<ServerResponse>();
  url = '';

  constructor(
    private readonly random: () => number,
    private readonly rate: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.url = `http://127.0.0.1:${await listenLocal(this.server)}/api/`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    if (this.server) await closeServer(this.server);
  }

  private fault(): SlackFault | undefined {
    const roll = this.random();
    const pick = this.random();
    if (roll >= this.rate) return undefined;
    const fault = SLACK_FAULTS[Math.floor(pick * SLACK_FAULTS.length)]!;
    this.injected.set(fault, (this.injected.get(fault) ?? 0) + 1);
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, args } = await readSlackCall(req);
    const answer = (body: object, status = 200, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (method === 'chat.postMessage') {
      const fault = this.fault();
      if (fault === '429') return answer({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '1' });
      if (fault === '500-before') return answer({ ok: false, error: 'internal_error' }, 500);
      if (fault === 'drop-before') return void res.destroy();
      const ts = `1742299200.${String(this.next++).padStart(6, '0')}`;
      const post = postedMessage(args, ts);
      this.posted.push(post);
      if (fault === '503-after') return answer({ ok: false, error: 'service_unavailable' }, 503);
      if (fault === 'drop-after') return void res.destroy();
      if (fault === 'hang-after') return void this.hung.add(res);
      return answer({ ok: true, channel: args.channel, ts, message: post });
    }
    if (method === 'conversations.history') {
      if (this.random() < this.rate / 3) return answer({ ok: false, error: 'internal_error' }, 500);
      return answer({ ok: true, messages: channelHistory(this.posted, args), has_more: false });
    }
    if (method === 'conversations.replies')
      return answer({ ok: true, messages: threadReplies(this.posted, args), has_more: false });
    return answer({ ok: true });
  }
}

const paper = (i: number, matching: boolean): CorpusPaper => alertTestPaper(i, matching, 31000);

const SEEDS = [11, 2026];
const ROUNDS_WITH_NEW_PAPERS = 5;
const PER_ROUND = 4;
const CHANNELS = ['C1', 'C2'];

let sources: PaperSourceServer;
const temp = tempDir('paperboy-faults-');
before(async () => {
  sources = await startPaperSourceServer();
});
after(async () => {
  await sources.close();
  temp.cleanup();
});

for (const seed of SEEDS) {
  const given = `GIVEN sources and Slack failing at random (seed ${seed})`;
  test(`${given} WHEN polls run until the outbox is empty THEN every alert is posted exactly once`, async (t) => {
    const random = mulberry32(seed);
    const slack = await new FlakySlack(random, 0.3).start();
    const dbPath = join(temp.dir, `faults-${seed}.db`);
    const pb = await openTestPaperboy(dbPath);
    let clock = Date.parse('2025-03-18T12:00:00Z');
    try {
      for (const channel of CHANNELS)
        await pb.dispatcher.runText('subscribe quantized attention', invoker(channel, 'slack'));
      const client = new webApi.WebClient('xoxb-faults-test', {
        slackApiUrl: slack.url,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: 300,
      });
      const { poller } = createAlertSystem({
        core: pb,
        config: alertsConfig(sources.url, { sources: ['huggingface'] }),
        deliveries: [createSlackDelivery({ client, logger: silentLogger, minIntervalMs: 0, sleep: async () => {} })],
        logger: silentLogger,
        now: () => new Date(clock),
        sourceDeps: FAST_SOURCES,
        outbox: { burstThreshold: 100, sleep: async () => {}, retryBaseMs: 0 },
      });
      sources.faults({
        seed,
        rate: 0.35,
        kinds: ['429', '500', '503', 'hang', 'drop', 'drop-mid-body', 'malformed'],
        retryAfterSeconds: 1,
      });

      const served: CorpusPaper[] = [];
      const expected: CorpusPaper[] = [];
      let rounds = 0;
      for (; rounds < 40; rounds++) {
        if (rounds < ROUNDS_WITH_NEW_PAPERS) {
          for (let j = 0; j < PER_ROUND; j++) {
            const p = paper(rounds * PER_ROUND + j, j % 2 === 0);
            served.push(p);
            if (j % 2 === 0) expected.push(p);
          }
          sources.route('/api/daily_papers', { body: renderDailyPapers(served), contentType: 'application/json' });
        }
        await poller.pollOnce();
        clock += 2 * 60_000; // past any Retry-After and backoff of the round before
        const rows = await pb.alerts.rows();
        const found = await pb.papers.getMany(expected.map((p) => p.id));
        const stored = expected.every((p) => found.has(p.id) || rows.some((r) => r.paperId === p.id));
        if (
          rounds >= ROUNDS_WITH_NEW_PAPERS &&
          stored &&
          rows.length === expected.length * CHANNELS.length &&
          rows.every((r) => r.state === 'sent')
        )
          break;
      }
      sources.faults(undefined);

      const rows = await pb.alerts.rows();
      assert.equal(rows.length, expected.length * CHANNELS.length, 'one outbox row per paper and channel');
      assert.deepEqual([...new Set(rows.map((r) => r.state))], ['sent'], `all sent after ${rounds + 1} rounds`);
      const cards = slack.posted.filter((p) => !p.thread_ts);
      for (const channel of CHANNELS) {
        for (const p of expected) {
          const n = cards.filter((c) => c.channel === channel && new RegExp(`${p.title}(?!\\d)`).test(c.text)).length;
          assert.equal(n, 1, `${p.id} in ${channel}: posted ${n} times`);
        }
      }
      assert.equal(cards.length, expected.length * CHANNELS.length, 'no other cards');
      for (const card of cards)
        assert.equal(
          slack.posted.filter((p) => p.thread_ts === card.ts).length,
          1,
          `exactly one summary under ${card.ts}`,
        );
      const faultsSeen =
        [...slack.injected.values()].reduce((a, b) => a + b, 0) + sources.requests.filter((r) => r.injected).length;
      assert.ok(faultsSeen >= 10, `faults were injected (${faultsSeen})`);
      assert.ok(
        slack.injected.get('503-after') || slack.injected.get('drop-after') || slack.injected.get('hang-after'),
        'some posts were accepted but not answered',
      );
      const summaries = cards.filter((card) => slack.posted.some((p) => p.thread_ts === card.ts)).length;
      t.diagnostic(
        `seed ${seed}: ${rounds + 1} rounds, ${cards.length} cards exactly once, ` +
          `${summaries}/${cards.length} summaries, faults: ` +
          `slack ${JSON.stringify(Object.fromEntries(slack.injected))}, ` +
          `sources ${sources.requests.filter((r) => r.injected).length}`,
      );
    } finally {
      await pb.close();
      await slack.close();
    }
  });
}
