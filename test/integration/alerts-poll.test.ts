/**
 * The poller end to end against the fake paper sources (Hugging Face daily papers + arXiv RSS on 127.0.0.1):
 * fetch → store → match → outbox → console delivery, with the failures real sources have.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { createConsoleDelivery } from '../../src/adapters/console/alert-delivery.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import {
  type CorpusPaper,
  FIXTURE,
  fixture,
  type PaperSourceServer,
  renderAtomFeed,
  renderDailyPapers,
  renderRssFeed,
  startPaperSourceServer,
} from '../fakes/paper-source-server.ts';

const LORA: CorpusPaper = {
  id: '2503.00001',
  title: 'LoRA Adapters for Tiny Language Models',
  abstract:
    'We propose a low-rank adapter method that fine-tunes small language models with few parameters. ' +
    'Results show strong gains on reasoning benchmarks while training one percent of the weights.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.CL'],
  published: '2025-03-18',
};
const ROBOT: CorpusPaper = {
  id: '2503.00002',
  title: 'Grasping Robots that Learn from Play',
  abstract:
    'We present a robot learning system that acquires grasping skills from unstructured play data. ' +
    'Experiments on two arms show higher success rates than imitation baselines.',
  authors: ['Grace Hopper'],
  categories: ['cs.RO'],
  published: '2025-03-18',
};
const DIFFUSION: CorpusPaper = {
  id: '2503.00003',
  title: 'Diffusion Transformers with LoRA Adapters for Video',
  abstract:
    'We introduce an adapter for video diffusion transformers. Our method reduces memory ' +
    'by half while keeping quality, and we release code and models for the community.',
  authors: ['Katherine Johnson'],
  categories: ['cs.CV'],
  published: '2025-03-18',
};

let server: PaperSourceServer;
let temp: ReturnType<typeof tempDir>;
let pb: Paperboy;
let printed: string[];

before(async () => {
  server = await startPaperSourceServer();
});
after(async () => {
  await server.close();
});
beforeEach(async () => {
  temp = tempDir();
  pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
  printed = [];
  server.requests.length = 0;
  server.faults(undefined);
});
afterEach(async () => {
  await pb.close();
  temp.cleanup();
});

function system(options: { now?: () => Date; waits?: number[]; logPath?: string } = {}) {
  const sleeps = options.waits;
  return createAlertSystem({
    core: pb,
    config: alertsConfig(server.url),
    deliveries: [createConsoleDelivery({ write: (t) => printed.push(t), logPath: options.logPath })],
    logger: silentLogger,
    now: options.now ?? (() => new Date('2025-03-18T12:00:00Z')),
    sourceDeps: {
      ...FAST_SOURCES,
      httpOptions: { ...FAST_SOURCES.httpOptions, sleep: async (ms: number) => void sleeps?.push(ms) },
    },
  });
}

function serve(hf: CorpusPaper[], rss: CorpusPaper[], day = '2025-03-18'): void {
  server.route('/api/daily_papers', {
    body: renderDailyPapers(hf.map((p) => ({ ...p, upvotes: 42 }))),
    contentType: 'application/json',
  });
  server.route('/rss/cs.CL+cs.LG', {
    body: renderRssFeed(rss, { day, categories: ['cs.CL', 'cs.LG'] }),
    contentType: 'application/rss+xml',
  });
}

async function subscribe(channel: string, text: string): Promise<void> {
  const reply = await pb.dispatcher.runText(`subscribe ${text}`, invoker(channel));
  assert.match(reply.fallback, /Subscribed/, reply.fallback);
}

test(
  'GIVEN subscriptions in two channels WHEN a round finds new papers ' +
    'THEN each channel gets its matches once, saying why, with the summary in the thread',
  async () => {
    await subscribe('ml', 'lora adapter');
    await subscribe('robots', 'robot -simulation');
    serve([LORA], [ROBOT, DIFFUSION]);
    const { poller } = system();
    const report = await poller.pollOnce();
    assert.deepEqual(
      report.sources.map((s) => [s.name, s.error]),
      [
        ['huggingface', undefined],
        ['arxiv-rss', undefined],
      ],
    );
    const posts = printed.filter((t) => t.startsWith('── #'));
    assert.equal(posts.length, 3, printed.join('\n---\n'));
    const ml = posts.filter((t) => t.startsWith('── #ml'));
    assert.equal(ml.length, 2);
    assert.ok(
      ml.some(
        (t) =>
          t.includes('LoRA Adapters for Tiny Language Models') &&
          /why: Matched your subscription #\d+ "lora adapter": lora, adapter/.test(t) &&
          t.includes('▲ 42'),
      ),
    );
    assert.ok(ml.some((t) => t.includes('Diffusion Transformers')));
    assert.ok(
      posts.some(
        (t) =>
          t.startsWith('── #robots') &&
          t.includes('Grasping Robots') &&
          /why: Matched your subscription #\d+ "robot -simulation": robot/.test(t),
      ),
    );
    // Every card has its summary in its thread.
    assert.equal(printed.filter((t) => t.includes('TL;DR')).length, 3);
    // Searchable right away, and the subscription list shows the last match.
    assert.equal((await pb.services.search.search('grasping play')).hits[0]?.paper.id, '2503.00002');
    const list = await pb.dispatcher.runText('subscriptions', invoker('ml'));
    assert.match(list.fallback, /last match: 2025-03-18/);

    const again = await poller.pollOnce();
    assert.equal(again.alertsQueued, 0);
    assert.equal(printed.filter((t) => t.startsWith('── #')).length, 3, 'a second round alerts nothing');
  },
);

test('GIVEN a paper announced as a replacement or cross-list THEN it is stored but never alerted', async () => {
  await subscribe('ml', 'adapter');
  server.route('/api/daily_papers', { body: '[]', contentType: 'application/json' });
  server.route('/rss/cs.CL+cs.LG', {
    body: renderRssFeed([LORA, DIFFUSION], {
      day: '2025-03-18',
      announce: (p) => (p.id === LORA.id ? 'replace' : 'cross'),
    }),
    contentType: 'application/rss+xml',
  });
  const report = await system().poller.pollOnce();
  assert.equal(report.sources[1]!.added, 2);
  assert.equal(report.alertsQueued, 0);
  assert.ok(await pb.papers.get('2503.00001'));
  assert.equal(printed.length, 0);
});

test(
  'GIVEN a paper fetched on demand before any source listed it (a digest, /paper summary, a library import) ' +
    'THEN it alerts every channel it matches once when a source lists it, and a re-listing never again',
  async () => {
    await subscribe('ml', 'lora adapter');
    await subscribe('tiny', 'tiny language models');
    // How an on-demand arXiv look-up stores what it fetched (src/summary-services.ts).
    await pb.importer.importInputs([{ ...LORA, arxivId: LORA.id }], 'arxiv-api');
    serve([LORA], []);
    const { poller } = system();
    const report = await poller.pollOnce();
    assert.equal(report.sources[0]!.added, 0, 'the store held it already');
    assert.equal(report.alertsQueued, 2);
    const posts = () => printed.filter((t) => t.startsWith('── #') && t.includes(LORA.title));
    assert.deepEqual(
      posts()
        .map((t) => /^── #(\S+)/.exec(t)?.[1])
        .sort(),
      ['ml', 'tiny'],
    );
    // Listed again, by both sources, and fetched on demand again: nothing more.
    await pb.importer.importInputs([{ ...LORA, arxivId: LORA.id, abstract: `${LORA.abstract} Revised.` }], 'arxiv-api');
    serve([LORA], [LORA]);
    assert.equal((await poller.pollOnce()).alertsQueued, 0);
    assert.equal(posts().length, 2);
  },
);

test(
  'GIVEN a cross-list the arXiv source does not alert on ' +
    'THEN it is not news yet: alerted once when a source lists it as new',
  async () => {
    await subscribe('video', 'video diffusion');
    serve([], [DIFFUSION]);
    server.route('/rss/cs.CL+cs.LG', {
      body: renderRssFeed([DIFFUSION], { day: '2025-03-18', announce: () => 'cross' }),
      contentType: 'application/rss+xml',
    });
    const { poller } = system();
    assert.equal((await poller.pollOnce()).alertsQueued, 0);
    serve([DIFFUSION], []);
    assert.equal((await poller.pollOnce()).alertsQueued, 1);
    assert.equal((await poller.pollOnce()).alertsQueued, 0);
    assert.equal(printed.filter((t) => t.startsWith('── #video')).length, 1);
  },
);

test(
  'GIVEN 429 with Retry-After and a 503 ' +
    'THEN the source retries (honouring Retry-After) and the round still alerts',
  async () => {
    await subscribe('ml', 'lora');
    serve([LORA], []);
    server.enqueue('/api/daily_papers', { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' });
    server.enqueue('/rss/cs.CL+cs.LG', { status: 503, body: 'busy' });
    const waits: number[] = [];
    const report = await system({ waits }).poller.pollOnce();
    assert.ok(waits.includes(7000), `waited ${waits.join(', ')}`);
    assert.equal(server.requestsTo('/api/daily_papers').length, 2);
    assert.equal(server.requestsTo('/rss/cs.CL+cs.LG').length, 2);
    assert.deepEqual(
      report.sources.map((s) => s.error),
      [undefined, undefined],
    );
    assert.equal(printed.filter((t) => t.startsWith('── #ml')).length, 1);
  },
);

test(
  'GIVEN one source keeps failing (503, timeout, malformed JSON) ' +
    'THEN the other still alerts, and the failed one alerts next round',
  async () => {
    await subscribe('ml', 'lora');
    await subscribe('robots', 'robot');
    serve([LORA], [ROBOT]);
    const { poller } = system();
    for (const [failure, tries] of [
      [{ status: 503, body: 'down' }, 2],
      [{ fault: 'hang' as const }, 2],
      [{ body: '[{"paper": {"id": "2503.0', contentType: 'application/json' }, 1], // a bad body is not retried at once
    ] as const) {
      for (let i = 0; i < tries; i++) server.enqueue('/api/daily_papers', failure);
      const report = await poller.pollOnce();
      assert.ok(report.sources[0]!.error, `huggingface should fail on ${JSON.stringify(failure).slice(0, 40)}`);
      assert.equal(report.sources[1]!.error, undefined);
    }
    assert.equal(
      printed.filter((t) => t.startsWith('── #robots')).length,
      1,
      'the RSS paper alerted once despite three rounds',
    );
    assert.equal(printed.filter((t) => t.startsWith('── #ml')).length, 0);
    const report = await poller.pollOnce();
    assert.equal(report.sources[0]!.error, undefined);
    assert.equal(printed.filter((t) => t.startsWith('── #ml')).length, 1);
  },
);

test('GIVEN an empty weekend feed THEN the round succeeds quietly', async () => {
  await subscribe('ml', 'lora');
  server.route('/api/daily_papers', { body: '[]', contentType: 'application/json' });
  server.route('/rss/cs.CL+cs.LG', { body: fixture(FIXTURE.rssEmpty), contentType: 'application/rss+xml' });
  const report = await system({ now: () => new Date('2025-03-22T12:00:00Z') }).poller.pollOnce();
  assert.deepEqual(
    report.sources.map((s) => [s.error, s.fetched]),
    [
      [undefined, 0],
      [undefined, 0],
    ],
  );
  assert.equal(printed.length, 0);
});

test(
  'GIVEN the bot was down for two days ' +
    'THEN the missed Hugging Face days and arXiv listings are back-filled and alerted once',
  async () => {
    await subscribe('ml', 'lora');
    await subscribe('robots', 'robot');
    serve([], []);
    let now = new Date('2025-03-17T12:00:00Z');
    const { poller } = system({ now: () => now });
    await poller.pollOnce();
    // Down on the 18th and 19th: on the 20th the HF days and the API back-fill bring what was missed.
    server.route('/api/daily_papers', (request) => ({
      body: request.query.get('date') === '2025-03-18' ? renderDailyPapers([LORA]) : '[]',
      contentType: 'application/json',
    }));
    server.route('/api/query', { body: renderAtomFeed([ROBOT]), contentType: 'application/atom+xml' });
    now = new Date('2025-03-20T12:00:00Z');
    const report = await poller.pollOnce();
    assert.deepEqual(
      server
        .requestsTo('/api/daily_papers')
        .map((r) => r.query.get('date'))
        .filter(Boolean),
      ['2025-03-18', '2025-03-19'],
    );
    const api = server.requestsTo('/api/query')[0]!;
    assert.match(api.query.get('search_query') ?? '', /submittedDate:\[202503170000 TO 202503192359\]/);
    assert.deepEqual(
      report.sources.map((s) => s.error),
      [undefined, undefined],
    );
    assert.equal(printed.filter((t) => t.startsWith('── #ml')).length, 1);
    assert.equal(printed.filter((t) => t.startsWith('── #robots')).length, 1);
    now = new Date('2025-03-21T12:00:00Z');
    await poller.pollOnce();
    assert.equal(printed.filter((t) => t.startsWith('── #')).length, 2, 'no second alert the next day');
  },
);

test(
  'GIVEN a daily digest subscription ' +
    'THEN matches wait for the digest time in the channel time zone and go out as one message',
  async () => {
    const reply = await pb.dispatcher.runText('subscribe adapter --daily 09:30 --tz Europe/Berlin', invoker('digest'));
    assert.match(reply.fallback, /daily digest at 09:30 \(Europe\/Berlin\)/);
    serve([LORA], [DIFFUSION]);
    let now = new Date('2025-03-18T06:00:00Z');
    const { poller } = system({ now: () => now });
    await poller.pollOnce();
    assert.equal(printed.length, 0, 'nothing before 09:30 Berlin (08:30 UTC)');
    now = new Date('2025-03-18T08:31:00Z');
    await poller.deliverDue();
    const posts = printed.filter((t) => t.startsWith('── #digest'));
    assert.equal(posts.length, 1);
    assert.match(posts[0]!, /Daily digest: 2 new papers/);
    assert.ok(posts[0]!.includes('LoRA Adapters') && posts[0]!.includes('Diffusion Transformers'));
  },
);

test(
  'GIVEN many matches at once ' + 'THEN the channel gets one digest with the top papers and the rest in its thread',
  async () => {
    await subscribe('busy', 'model');
    const modelAbstract =
      'We propose yet another model and evaluate the model carefully on several benchmarks, finding it useful.';
    const many: CorpusPaper[] = Array.from({ length: 8 }, (_, i) => ({
      id: `2503.1000${i}`,
      title: `Model number ${i} for things`,
      abstract: `A model paper ${i}. ${modelAbstract}`,
      authors: ['A. Author'],
      categories: ['cs.LG'],
      published: '2025-03-18',
    }));
    serve([], many);
    const logPath = join(temp.dir, 'delivered.jsonl');
    await system({ logPath }).poller.pollOnce();
    const log = readFileSync(logPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; text: string });
    assert.equal(log.filter((e) => e.kind === 'post').length, 1);
    assert.match(log[0]!.text, /8 new papers/);
    assert.match(log[0]!.text, /3 more in the thread/);
    assert.equal((log[1]!.text.match(/Model number/g) ?? []).length, 3);
    assert.ok((await pb.alerts.rows()).every((r) => r.state === 'sent'));
  },
);

test('GIVEN a second process holds the poll lock THEN a round does nothing', async () => {
  await subscribe('ml', 'lora');
  serve([LORA], []);
  const first = system();
  const second = system();
  assert.ok(await first.poller.lock.acquire());
  const report = await second.poller.pollOnce();
  assert.equal(report.locked, true);
  assert.equal(server.requests.length, 0);
  await first.poller.lock.release();
  const ok = await second.poller.pollOnce();
  assert.equal(ok.locked, undefined);
  assert.equal(printed.filter((t) => t.startsWith('── #ml')).length, 1);
});
