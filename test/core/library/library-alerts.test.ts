/**
 * `/paper subscribe --like-library`: new papers scored by the channel's library model, with the threshold calibrated
 * on the corpus's recent days, alerted through the poll round and its outbox (the inbox source, console delivery).
 */
import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createConsoleDelivery } from '../../../src/adapters/console/alert-delivery.ts';
import { Poller } from '../../../src/core/alerts/poller.ts';
import type { PollSource } from '../../../src/core/alerts/sources.ts';
import { createAlertSystem } from '../../../src/core/alerts/system.ts';
import { libraryAlertMatcher } from '../../../src/core/library/library-alerts.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { PaperInput } from '../../../src/core/papers/paper.ts';
import type { SourceBatch } from '../../../src/core/sources/types.ts';
import { testPaperboy } from '../../support/paperboy.ts';
import { alertsConfig, invoker, tempDir } from '../alerts/support.ts';

const temp = tempDir('paperboy-library-alerts-');
after(() => temp.cleanup());

const TOPICS = [
  'relational database query optimization',
  'compiler register allocation',
  'robot grasping control',
  'protein structure prediction',
  'speech recognition acoustic models',
  'graph partitioning algorithms',
];

function paper(id: string, title: string, abstract: string, day: string): PaperInput {
  return { arxivId: id, title, abstract, published: day, categories: ['cs.LG'], authors: ['A. Author'] };
}

const LIBRARY: PaperInput[] = [
  paper(
    '2503.00001',
    'Skip connections in diffusion samplers',
    'Diffusion sampling with tuned skip connections in the UNet denoiser reduces sampling steps.',
    '2025-03-01',
  ),
  paper(
    '2503.00002',
    'Fewer sampling steps for diffusion models',
    'We reduce diffusion sampling steps with a skip connection schedule for the denoiser.',
    '2025-03-02',
  ),
  paper(
    '2503.00003',
    'UNet denoisers and skip connections',
    'Skip connections of the UNet denoiser shape diffusion sampling quality and steps.',
    '2025-03-03',
  ),
];
// The corpus's recent days (the library is older): two days of papers, two loosely about diffusion, the rest not.
const RECENT: PaperInput[] = [
  paper('2503.10001', 'Diffusion models for image editing', 'A diffusion model edits images from text.', '2025-03-10'),
  paper('2503.10002', 'Video generation with diffusion', 'We generate video with a diffusion model.', '2025-03-11'),
  ...Array.from({ length: 38 }, (_, i) =>
    paper(
      `2503.${String(10003 + i)}`,
      `${TOPICS[i % TOPICS.length]} study ${i}`,
      `We study ${TOPICS[i % TOPICS.length]} in depth, case ${i}.`,
      i % 2 ? '2025-03-10' : '2025-03-11',
    ),
  ),
];

test('GIVEN a library subscription WHEN new papers arrive THEN only those past the calibrated threshold alert', async () => {
  const pb = await testPaperboy({ builtin: false, papers: [...LIBRARY, ...RECENT] });
  after(() => pb.close());
  const c1 = invoker('c1');
  const empty = await pb.dispatcher.runText('subscribe --like-library', c1);
  assert.match(empty.fallback, /library is empty/);
  for (const p of LIBRARY) await pb.dispatcher.runText(`save ${p.arxivId}`, c1);
  assert.match((await pb.dispatcher.runText('subscribe --like-library lora', c1)).fallback, /give no other words/);
  assert.match((await pb.dispatcher.runText('subscribe --like-library --per-day 0', c1)).fallback, /from 1 to 50/);
  const subscribed = await pb.dispatcher.runText('subscribe --like-library --per-day 1', c1);
  assert.match(subscribed.fallback, /Subscribed this channel to: papers like this channel's library \(about 1 a day\)/);
  assert.match(
    (await pb.dispatcher.runText('subscriptions', c1)).fallback +
      JSON.stringify((await pb.dispatcher.runText('subscriptions', c1)).blocks),
    /papers like this channel's library/,
  );

  const inbox = join(temp.dir, 'inbox');
  mkdirSync(inbox);
  const file = join(inbox, 'new.jsonl');
  const fresh = [
    {
      arxiv_id: '2503.20001',
      title: 'Tuning skip connections speeds up diffusion sampling',
      abstract: 'Skip connections of the UNet denoiser, tuned, cut diffusion sampling steps.',
      published: '2025-03-12',
    },
    {
      arxiv_id: '2503.20002',
      title: 'Cardinality estimation for relational database query optimization',
      abstract: 'We estimate cardinalities for query optimization in relational databases.',
      published: '2025-03-12',
    },
  ];
  writeFileSync(file, `${fresh.map((f) => JSON.stringify(f)).join('\n')}\n`);
  utimesSync(file, new Date('2025-03-12T00:00:00Z'), new Date('2025-03-12T00:00:00Z'));
  const printed: string[] = [];
  const { poller } = createAlertSystem({
    core: pb,
    config: alertsConfig('http://127.0.0.1:9', { sources: ['inbox'], inboxDir: inbox }),
    deliveries: [createConsoleDelivery({ write: (t) => printed.push(t) })],
    logger: silentLogger,
    now: () => new Date('2025-03-12T12:00:00Z'),
  });
  await poller.pollOnce();
  const rows = await pb.alerts.rows();
  assert.deepEqual(
    rows.map((row) => row.paperId),
    ['2503.20001'],
  );
  assert.ok(rows[0]!.matched.includes('skip'), `shared terms: ${rows[0]!.matched.join(', ')}`);
  assert.ok(printed.some((t) => t.includes('Tuning skip connections speeds up diffusion sampling')));
});

test('GIVEN a poll round of several batches from two sources THEN each library model is trained once, and scores every batch', async () => {
  const pb = await testPaperboy({ builtin: false, papers: [...LIBRARY, ...RECENT] });
  after(() => pb.close());
  const c2 = invoker('c2');
  const c3 = invoker('c3');
  for (const p of LIBRARY) {
    await pb.dispatcher.runText(`save ${p.arxivId}`, c2);
    await pb.dispatcher.runText(`save ${p.arxivId}`, c3);
  }
  assert.match((await pb.dispatcher.runText('subscribe --like-library --per-day 1', c2)).fallback, /Subscribed/);
  assert.match((await pb.dispatcher.runText('subscribe --like-library --per-day 1', c3)).fallback, /Subscribed/);
  const diffusion = (id: string, day: string) =>
    paper(
      id,
      `Skip connections tuned for diffusion sampling, ${id}`,
      'Skip connections of the UNet denoiser cut diffusion sampling steps.',
      day,
    );
  const batch = (name: string, papers: PaperInput[]): SourceBatch => ({
    source: name,
    papers: papers.map((p) => ({ ...p, source: name })),
    notModified: false,
    problems: [],
    commit: async () => {},
  });
  const source = (name: string, batches: SourceBatch[]): PollSource => ({
    name,
    includeCross: false,
    fetchRound: async () => batches,
  });
  let trainings = 0;
  const poller = new Poller({
    store: pb.store,
    repo: pb.alerts,
    outboxes: [],
    sources: [
      source('one', [
        batch('one', [diffusion('2503.30001', '2025-03-12')]),
        batch('one', [diffusion('2503.30002', '2025-03-12')]),
      ]),
      source('two', [batch('two', []), batch('two', [diffusion('2503.30003', '2025-03-12')])]),
    ],
    libraryMatcher: async (subscriptions) => {
      trainings++;
      return libraryAlertMatcher(pb.services.library!, subscriptions, pb.index.snapshot, pb.papers);
    },
    logger: silentLogger,
    now: () => new Date('2025-03-12T12:00:00Z'),
  });
  const report = await poller.pollOnce();
  assert.equal(trainings, 1, 'one training for the round, not one per batch');
  assert.deepEqual(
    report.sources.map((s) => [s.name, s.added, s.alerts]),
    [
      ['one', 2, 4],
      ['two', 1, 2],
    ],
    'each new paper alerted in both channels',
  );
  await poller.pollOnce();
  assert.equal(trainings, 2, 'the next round trains again (the libraries may have changed)');
});

test('GIVEN the channel said 👎 to a paper WHEN a copy of it arrives THEN it is not alerted, and the others say why', async () => {
  const pb = await testPaperboy({ builtin: false, papers: [...LIBRARY, ...RECENT] });
  after(() => pb.close());
  const c2 = { ...invoker('c2'), userName: 'ada' };
  for (const p of LIBRARY) await pb.dispatcher.runText(`save ${p.arxivId}`, c2);
  await pb.dispatcher.runText('subscribe --like-library --per-day 50', c2);
  const declined = await pb.dispatcher.runText('feedback add 2503.10001', c2);
  assert.match(declined.fallback, /👎 Noted: "Diffusion models for image editing"/);

  const inbox = join(temp.dir, 'inbox-2');
  mkdirSync(inbox);
  const file = join(inbox, 'new.jsonl');
  const fresh = [
    {
      arxiv_id: '2503.20011',
      title: 'Diffusion Models for Image Editing',
      abstract: 'A diffusion model edits images from text, with skip connections in its denoiser.',
      published: '2025-03-12',
    },
    {
      arxiv_id: '2503.20012',
      title: 'Skip connections cut diffusion sampling steps again',
      abstract: 'Tuned skip connections of the UNet denoiser cut diffusion sampling steps.',
      published: '2025-03-12',
    },
  ];
  writeFileSync(file, `${fresh.map((f) => JSON.stringify(f)).join('\n')}\n`);
  utimesSync(file, new Date('2025-03-12T00:00:00Z'), new Date('2025-03-12T00:00:00Z'));
  const printed: string[] = [];
  const { poller } = createAlertSystem({
    core: pb,
    config: alertsConfig('http://127.0.0.1:9', { sources: ['inbox'], inboxDir: inbox }),
    deliveries: [createConsoleDelivery({ write: (t) => printed.push(t) })],
    logger: silentLogger,
    now: () => new Date('2025-03-12T12:00:00Z'),
  });
  await poller.pollOnce();
  assert.deepEqual(
    (await pb.alerts.rows()).map((row) => row.paperId),
    ['2503.20012'],
    'the copy of the paper said 👎 to is left out (same title), the other alerts',
  );
  assert.ok(
    printed.some((t) => /why: Like ".+" \(saved by ada\): shared terms .*skip/.test(t)),
    printed.join('\n'),
  );
});
