import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { createConsoleDelivery } from '../../../src/adapters/console/alert-delivery.ts';
import type { AlertDelivery, DeliveryFailure } from '../../../src/core/alerts/delivery.ts';
import { messageKey, Outbox, type OutboxOptions } from '../../../src/core/alerts/outbox.ts';
import { createAlertSystem } from '../../../src/core/alerts/system.ts';
import type { ChannelKey } from '../../../src/core/channel-key.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { CounterName, Metrics } from '../../../src/core/metrics.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Paperboy } from '../../../src/paperboy.ts';
import { CaptureLogger } from '../../fakes/slack-logger.ts';
import { alertsConfig, invoker, openTestPaperboy, tempDir } from './support.ts';

class ScriptedError extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super(failure.code);
  }
}

/** A platform whose answers the test scripts: a queue of failures per call, a record of what it "has". */
class ScriptedDelivery implements AlertDelivery {
  readonly platform = 'console';
  readonly minIntervalMs = 0;
  readonly posted: { key: string; text: string; workspaceId: string }[] = [];
  readonly threads: string[] = [];
  failures: DeliveryFailure[] = [];
  /** Accept the post but fail the call (the answer was lost). */
  loseNextAnswer = false;
  findThrows = false;

  async post(channel: ChannelKey, reply: Reply, key: string): Promise<string> {
    const failure = this.failures.shift();
    if (failure) throw new ScriptedError(failure);
    this.posted.push({ key, text: reply.fallback, workspaceId: channel.workspaceId });
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new ScriptedError({ kind: 'unknown', code: 'timeout' });
    }
    return `ref-${key}`;
  }
  async postThread(_channel: ChannelKey, _ref: string, _root: Reply, key: string): Promise<void> {
    this.threads.push(key);
  }
  async find(_channel: ChannelKey, key: string): Promise<string | undefined> {
    if (this.findThrows) throw new ScriptedError({ kind: 'rejected', code: 'history_unavailable' });
    return this.posted.some((p) => p.key === key) ? `ref-${key}` : undefined;
  }
  classify(error: unknown): DeliveryFailure {
    return error instanceof ScriptedError ? error.failure : { kind: 'unknown', code: 'bug' };
  }
}

let temp: ReturnType<typeof tempDir>;
let pb: Paperboy;
let now: Date;
beforeEach(async () => {
  temp = tempDir();
  pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
  now = new Date('2025-03-18T12:00:00Z');
});
afterEach(async () => {
  await pb.close();
  temp.cleanup();
});

async function queueAlert(paperId = '2503.00001'): Promise<void> {
  await pb.importer.importInputs(
    [
      {
        arxivId: paperId,
        title: `Paper ${paperId} on adapters`,
        abstract: 'We propose adapters. They work well on many tasks and benchmarks.',
      },
    ],
    'test',
  );
  const sub =
    (await pb.alerts.subscriptions())[0] ??
    (await pb.alerts.addSubscription({
      platform: 'console',
      workspaceId: '',
      channelId: 'c1',
      query: 'adapters',
      mode: 'instant',
      createdBy: 'U1',
    }));
  await pb.alerts.enqueue({
    platform: 'console',
    workspaceId: '',
    channelId: 'c1',
    paperId,
    subscriptionId: sub.id,
    matched: ['adapters'],
    score: 1,
    digest: false,
    dueAt: now.toISOString(),
  });
}

function outbox(delivery: AlertDelivery, options: Partial<OutboxOptions> = {}): Outbox {
  return new Outbox({
    repo: pb.alerts,
    delivery,
    papers: pb.papers,
    messages: { buttons: pb.dispatcher.buttons, summarize: pb.services.summarize },
    logger: silentLogger,
    now: () => now,
    retryBaseMs: 60_000,
    maxAttempts: 3,
    ...options,
  });
}

/** Records what was counted, by counter. */
class CountingMetrics implements Metrics {
  private readonly recorded: { name: string; labels: Record<string, string>; by: number }[] = [];
  count(name: CounterName, labels: Record<string, string>, by = 1): void {
    this.recorded.push({ name, labels, by });
  }
  observe(): void {}
  counts(name: CounterName) {
    return this.recorded.filter((r) => r.name === name).map(({ labels, by }) => ({ labels, by }));
  }
}

test(
  'GIVEN the answer to a post is lost ' +
    'THEN the row stays "sending" and the next drain finds the message instead of posting it again',
  async () => {
    await queueAlert();
    const delivery = new ScriptedDelivery();
    delivery.loseNextAnswer = true;
    const box = outbox(delivery);
    await box.drain();
    assert.equal((await pb.alerts.rows())[0]!.state, 'sending');
    const report = await box.drain();
    assert.equal(report.reconciled, 1);
    assert.equal(delivery.posted.length, 1);
    assert.equal(delivery.threads.length, 1);
    assert.equal((await pb.alerts.rows())[0]!.state, 'sent');
  },
);

test('GIVEN a post that never reached the platform THEN reconciling resends it with the same key', async () => {
  await queueAlert();
  const row = (await pb.alerts.rows())[0]!;
  const key = messageKey('console', 'c1', [row.id]);
  await pb.alerts.markSending([row.id], key, now.toISOString()); // as if the process died right after this
  const delivery = new ScriptedDelivery();
  delivery.findThrows = true;
  await outbox(delivery).drain();
  assert.equal(delivery.posted.length, 0, 'when the platform cannot tell, nothing is sent');
  delivery.findThrows = false;
  await outbox(delivery).drain();
  assert.deepEqual(
    delivery.posted.map((p) => p.key),
    [key],
  );
  assert.equal((await pb.alerts.rows())[0]!.state, 'sent');
});

test(
  'GIVEN refusals ' +
    'THEN retries back off, and after the attempt limit the alert is a dead letter with its reason; ' +
    'an unpostable message is one at once',
  async () => {
    await queueAlert();
    const delivery = new ScriptedDelivery();
    const metrics = new CountingMetrics();
    const box = outbox(delivery, { metrics });
    delivery.failures = [
      { kind: 'rejected', code: 'internal_error' },
      { kind: 'rejected', code: 'internal_error' },
      { kind: 'rejected', code: 'internal_error' },
    ];
    await box.drain();
    const first = (await pb.alerts.rows())[0]!;
    assert.equal(first.state, 'pending');
    assert.equal(first.nextAttemptAt, '2025-03-18T12:01:00.000Z');
    await box.drain();
    assert.equal(delivery.failures.length, 2, 'not retried before its time');
    now = new Date('2025-03-18T12:01:00Z');
    await box.drain();
    assert.equal((await pb.alerts.rows())[0]!.nextAttemptAt, '2025-03-18T12:03:00.000Z', 'doubled');
    now = new Date('2025-03-18T12:03:00Z');
    const report = await box.drain();
    assert.equal(report.dead, 1);
    const dead = (await pb.alerts.rows())[0]!;
    assert.deepEqual([dead.state, dead.lastError], ['dead', 'refused 3 times (internal_error)']);

    await queueAlert('2503.00002');
    delivery.failures = [{ kind: 'message', code: 'msg_too_long' }];
    await box.drain();
    const refused = (await pb.alerts.rows())[1]!;
    assert.deepEqual([refused.state, refused.lastError], ['dead', 'the platform refused the message (msg_too_long)']);
    assert.equal(delivery.posted.length, 0);
    assert.deepEqual(metrics.counts('alertsDead'), [
      { labels: { platform: 'console', reason: 'refused' }, by: 1 },
      { labels: { platform: 'console', reason: 'message_refused' }, by: 1 },
    ]);
  },
);

test(
  'GIVEN a rate limit on every attempt ' +
    'THEN the dead letter says "rate limited N times", is logged with how to retry, and re-queued goes out once',
  async () => {
    await queueAlert();
    const delivery = new ScriptedDelivery();
    const logger = new CaptureLogger();
    const box = outbox(delivery, { logger, retryBaseMs: 0 });
    const limited = { kind: 'rejected', code: 'ratelimited', rateLimited: true, retryAfterMs: 0 } as const;
    delivery.failures = [limited, limited, limited];
    for (let i = 0; i < 3; i++) await box.drain();
    assert.deepEqual(
      (await pb.alerts.rows()).map((r) => [r.state, r.lastError]),
      [['dead', 'rate limited 3 times']],
    );
    const logged = logger.lines.find((line) => line.startsWith('error ') && line.includes('dead letters'));
    assert.ok(logged, 'an error line says the alerts were given up');
    assert.match(logged, /"reason":"rate limited 3 times"/);
    assert.match(logged, /paperboy alerts retry --channel console:c1/);
    await box.drain();
    assert.equal(delivery.posted.length, 0, 'a dead letter is not retried by itself');

    const listed = await pb.dispatcher.runText('subscriptions', invoker('c1'));
    assert.match(listed.fallback, /1 alert could not be delivered: rate limited 3 times\. To try again, run/);
    const resumed = await pb.dispatcher.runText('subscriptions resume', invoker('c1'));
    assert.match(resumed.fallback, /1 undelivered alert queued again/);
    assert.doesNotMatch(resumed.fallback, /could not be delivered/);
    await box.drain();
    await box.drain();
    assert.equal(delivery.posted.length, 1);
    assert.equal((await pb.alerts.rows())[0]!.state, 'sent');
  },
);

test(
  'GIVEN a platform that cannot tell whether an interrupted alert was posted ' +
    'THEN it is asked for 5 rounds, then the alert is a dead letter "could not tell whether it was sent"',
  async () => {
    await queueAlert();
    const row = (await pb.alerts.rows())[0]!;
    const key = messageKey('console', 'c1', [row.id]);
    await pb.alerts.markSending([row.id], key, now.toISOString()); // as if the process died right after this
    const delivery = new ScriptedDelivery();
    delivery.findThrows = true;
    let finds = 0;
    const find = delivery.find.bind(delivery);
    delivery.find = (channel, k) => {
      finds++;
      return find(channel, k);
    };
    const metrics = new CountingMetrics();
    const box = outbox(delivery, { metrics });
    for (let round = 1; round <= 4; round++) {
      await box.drain();
      assert.deepEqual(
        [(await pb.alerts.row(row.id))!.state, (await pb.alerts.row(row.id))!.reconcileRounds],
        ['sending', round],
      );
    }
    const report = await box.drain();
    assert.equal(report.dead, 1);
    const dead = (await pb.alerts.row(row.id))!;
    assert.deepEqual([dead.state, dead.lastError], ['dead', 'could not tell whether it was sent']);
    await box.drain();
    await box.drain();
    assert.equal(finds, 5, 'no more look-ups once it is given up');
    assert.equal(delivery.posted.length, 0, 'nothing was sent while its fate was unknown');
    assert.deepEqual(metrics.counts('alertsDead'), [
      { labels: { platform: 'console', reason: 'outcome_unknown' }, by: 1 },
    ]);

    // Re-queued, it is asked about again first; the platform can tell now: not there, so it is sent, with its key.
    assert.equal(await pb.alerts.requeueDead({ platform: 'console', channelId: 'c1' }), 1);
    delivery.findThrows = false;
    await box.drain();
    assert.equal(finds, 6);
    assert.deepEqual(
      delivery.posted.map((p) => p.key),
      [key],
    );
    assert.equal((await pb.alerts.row(row.id))!.state, 'sent');
  },
);

test(
  'GIVEN posts that never get an answer and are not there after ' +
    'THEN they are resent with their key up to the attempt limit, then dead-lettered',
  async () => {
    await queueAlert();
    const delivery = new ScriptedDelivery();
    const box = outbox(delivery);
    const noAnswer = { kind: 'unknown', code: 'timeout' } as const;
    delivery.failures = [noAnswer, noAnswer, noAnswer];
    for (let i = 0; i < 4; i++) await box.drain();
    const dead = (await pb.alerts.rows())[0]!;
    assert.deepEqual([dead.state, dead.lastError, dead.attempts], ['dead', 'no answer after 3 attempts', 3]);
    assert.equal(delivery.failures.length, 0, 'three posts were tried');
  },
);

test('GIVEN an alert whose paper is gone from the store THEN it is a dead letter saying so', async () => {
  await queueAlert();
  const row = (await pb.alerts.rows())[0]!;
  const sub = (await pb.alerts.subscriptions())[0]!;
  await pb.alerts.enqueue({ ...row, paperId: 'no-such-paper', subscriptionId: sub.id, channelId: 'c1' });
  const box = outbox(new ScriptedDelivery());
  await box.drain();
  assert.deepEqual(
    (await pb.alerts.rows()).map((r) => [r.paperId, r.state, r.lastError]),
    [
      ['2503.00001', 'sent', undefined],
      ['no-such-paper', 'dead', 'the paper is no longer in the store'],
    ],
  );
});

test('GIVEN an unsubscribe THEN its pending alerts are dropped', async () => {
  await queueAlert();
  await pb.dispatcher.runText('unsubscribe 1', invoker('c1'));
  await outbox(new ScriptedDelivery()).drain();
  assert.equal((await pb.alerts.rows())[0]!.state, 'dropped');
});

test(
  'GIVEN the inbox source ' + 'THEN a dropped JSONL file alerts once, and an unchanged file is not read again',
  async () => {
    const inbox = join(temp.dir, 'inbox');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inbox);
    const file = join(inbox, 'mine.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({
        arxiv_id: '2503.55555',
        title: 'Adapters everywhere',
        abstract: 'We propose adapters for everything, and they work.',
      })}\n{broken\n`,
    );
    utimesSync(file, new Date('2025-03-17T00:00:00Z'), new Date('2025-03-17T00:00:00Z'));
    await pb.dispatcher.runText('subscribe adapters', invoker('c1'));
    const printed: string[] = [];
    const { poller } = createAlertSystem({
      core: pb,
      config: alertsConfig('http://127.0.0.1:9', { sources: ['inbox'], inboxDir: inbox }),
      deliveries: [createConsoleDelivery({ write: (t) => printed.push(t) })],
      logger: silentLogger,
      now: () => now,
    });
    const report = await poller.pollOnce();
    assert.equal(report.sources[0]!.added, 1);
    assert.equal(report.sources[0]!.problems.length, 1);
    await poller.pollOnce();
    assert.equal(printed.filter((t) => t.includes('Adapters everywhere') && t.startsWith('── #c1')).length, 1);
  },
);

test('GIVEN a channel the bot cannot post in THEN its subscriber is told how to resume, in their platform syntax', async () => {
  await queueAlert();
  const notices: { user: string; text: string }[] = [];
  const delivery = Object.assign(new ScriptedDelivery(), {
    async notifyUser(user: string, text: string) {
      notices.push({ user, text });
    },
    commandLine: (text: string) => text.replace('/paper subscriptions resume', '/paperboy subscriptions action:resume'),
    // The platform's words for its codes.
    explainPause: (code: string) =>
      code === 'missing_access' ? { why: 'I cannot see this channel', fix: 'Give my role access to it' } : undefined,
  });
  delivery.failures = [{ kind: 'channel', code: 'missing_access' }];
  const report = await outbox(delivery).drain();
  assert.deepEqual(report.paused, ['c1']);
  assert.deepEqual(
    notices.map((n) => n.user),
    ['U1'],
  );
  assert.equal(
    notices[0]!.text,
    'paperboy cannot post new-paper alerts in channel c1, so they are paused: I cannot see this channel. ' +
      'Give my role access to it, then run /paperboy subscriptions action:resume there.',
  );
});

test(
  'GIVEN alerts for one channel from two workspaces sharing it ' +
    "THEN each workspace's go out in its own message with its own credentials, and one's pause holds back only its own",
  async () => {
    await pb.importer.importInputs(
      ['2503.00011', '2503.00012', '2503.00013'].map((arxivId) => ({
        arxivId,
        title: `Paper ${arxivId} on adapters`,
        abstract: 'We propose adapters. They work well on many tasks and benchmarks.',
      })),
      'test',
    );
    const shared = (workspaceId: string): ChannelKey => ({ platform: 'console', workspaceId, channelId: 'shared' });
    for (const [workspaceId, paperId] of [
      ['T1', '2503.00011'],
      ['T2', '2503.00012'],
      ['T2', '2503.00013'],
    ] as const) {
      const sub = await pb.alerts.addSubscription({ ...shared(workspaceId), query: 'adapters', mode: 'instant' });
      await pb.alerts.enqueue({
        ...shared(workspaceId),
        paperId,
        subscriptionId: sub.id,
        matched: ['adapters'],
        score: 1,
        digest: false,
        dueAt: now.toISOString(),
      });
    }
    await pb.alerts.pauseChannel(shared('T2'), 'app_uninstalled');
    const delivery = new ScriptedDelivery();
    await outbox(delivery).drain();
    assert.deepEqual(
      delivery.posted.map((p) => p.workspaceId),
      ['T1'],
      "the paused workspace's alerts wait",
    );
    await pb.alerts.resumeChannel(shared('T2'));
    await outbox(delivery).drain();
    assert.deepEqual(
      delivery.posted.map((p) => p.workspaceId),
      ['T1', 'T2', 'T2'],
    );
    assert.ok(delivery.posted.every((p) => p.text.includes('2503.0001')));
  },
);
