import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { createConsoleDelivery } from '../../../src/adapters/console/alert-delivery.ts';
import type { AlertDelivery, DeliveryFailure } from '../../../src/core/alerts/delivery.ts';
import { messageKey, Outbox } from '../../../src/core/alerts/outbox.ts';
import { createAlertSystem } from '../../../src/core/alerts/system.ts';
import type { ChannelKey } from '../../../src/core/channel-key.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Paperboy } from '../../../src/paperboy.ts';
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

function outbox(delivery: AlertDelivery): Outbox {
  return new Outbox({
    repo: pb.alerts,
    delivery,
    papers: pb.papers,
    messages: { buttons: pb.dispatcher.buttons, summarize: pb.services.summarize },
    logger: silentLogger,
    now: () => now,
    retryBaseMs: 60_000,
    maxAttempts: 3,
  });
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
  'GIVEN refusals ' + 'THEN retries back off, and give up after the attempt limit; an unpostable message is dropped',
  async () => {
    await queueAlert();
    const delivery = new ScriptedDelivery();
    const box = outbox(delivery);
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
    await box.drain();
    assert.equal((await pb.alerts.rows())[0]!.state, 'dropped');

    await queueAlert('2503.00002');
    delivery.failures = [{ kind: 'message', code: 'msg_too_long' }];
    await box.drain();
    assert.equal((await pb.alerts.rows())[1]!.state, 'dropped');
    assert.equal(delivery.posted.length, 0);
  },
);

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
  });
  delivery.failures = [{ kind: 'channel', code: 'missing_access' }];
  const report = await outbox(delivery).drain();
  assert.deepEqual(report.paused, ['c1']);
  assert.deepEqual(
    notices.map((n) => n.user),
    ['U1'],
  );
  assert.match(notices[0]!.text, /then run \/paperboy subscriptions action:resume there/);
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
