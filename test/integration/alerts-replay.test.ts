/**
 * Seven consecutive days of the shared arXiv corpus (papers carry their listing day in `published`), each served as
 * that day's arXiv RSS listing by the fake source server (the weekend ones empty), polled once a day with a few
 * subscriptions. Every expected paper alerts exactly once, in the right channel; replaying the week again, or
 * re-importing the papers, alerts nothing. The expectation is computed by scanning each paper's analyzed text,
 * independently of the index the matcher uses.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createConsoleDelivery } from '../../src/adapters/console/alert-delivery.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { normalizeTitle } from '../../src/core/papers/ids.ts';
import { analyze } from '../../src/core/search/search-index.ts';
import { alertsConfig, corpusDays, FAST_SOURCES, invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import {
  type CorpusPaper,
  type PaperSourceServer,
  renderRssFeed,
  startPaperSourceServer,
} from '../fakes/paper-source-server.ts';

const DAYS = ['2025-03-18', '2025-03-19', '2025-03-20', '2025-03-21', '2025-03-22', '2025-03-23', '2025-03-24'];
const PER_DAY = 30;

/** Subscriptions and, for each, an independent test of a paper's text. */
const SUBSCRIPTIONS: { channel: string; query: string; expect: (p: CorpusPaper) => boolean }[] = [
  { channel: 'gen', query: 'diffusion -video', expect: (p) => tokens(p).has('diffus') && !tokens(p).has('video') },
  { channel: 'robots', query: 'robot*', expect: (p) => [...tokens(p)].some((t) => t.startsWith('robot')) },
  {
    channel: 'llm',
    query: '"large language"',
    expect: (p) => ` ${normalizeTitle(p.title)} ${normalizeTitle(p.abstract)} `.includes(' large language '),
  },
];

function tokens(p: CorpusPaper): Set<string> {
  return new Set(analyze(`${p.title} ${p.abstract} ${p.authors.join(', ')}`));
}

let server: PaperSourceServer;
let byDay: Map<string, CorpusPaper[]>;
const temp = tempDir();

before(async () => {
  server = await startPaperSourceServer();
  byDay = await corpusDays(DAYS, PER_DAY);
});
after(async () => {
  await server.close();
  temp.cleanup();
});

test(
  'GIVEN a week of arXiv listings polled daily ' +
    'THEN each expected paper alerts once in its channel, and a second replay alerts nothing',
  async () => {
    assert.equal(byDay.get('2025-03-22')!.length, 0, 'the corpus has no Saturday listing (an empty weekend feed)');
    assert.ok(byDay.get('2025-03-18')!.length === PER_DAY);
    const pb = await openTestPaperboy(join(temp.dir, 'replay.db'));
    const logPath = join(temp.dir, 'delivered.jsonl');
    const delivery = createConsoleDelivery({ logPath, write: () => {} });
    let today = DAYS[0]!;
    server.route('/rss/cs', () => ({
      body: renderRssFeed(byDay.get(today) ?? [], { day: today, categories: ['cs'] }),
      contentType: 'application/rss+xml',
    }));
    const { poller } = createAlertSystem({
      core: pb,
      config: alertsConfig(server.url, { sources: ['arxiv'], arxivCategories: ['cs'] }),
      deliveries: [delivery],
      logger: silentLogger,
      now: () => new Date(`${today}T12:00:00Z`),
      sourceDeps: FAST_SOURCES,
      outbox: { burstThreshold: 1000 },
    });
    try {
      for (const s of SUBSCRIPTIONS) {
        const reply = await pb.dispatcher.runText(`subscribe ${s.query}`, invoker(s.channel));
        assert.match(reply.fallback, /Subscribed/);
      }
      const replay = async () => {
        for (const day of DAYS) {
          today = day;
          const report = await poller.pollOnce();
          assert.equal(report.sources[0]!.error, undefined, `${day}: ${report.sources[0]!.error}`);
        }
      };
      await replay();

      const posts = delivery.entries().filter((e) => e.kind === 'post');
      const served = DAYS.flatMap((d) => byDay.get(d)!);
      for (const s of SUBSCRIPTIONS) {
        const expected = served
          .filter(s.expect)
          .map((p) => p.id)
          .sort();
        const got = posts
          .filter((e) => e.channel === s.channel)
          .map((e) => /arxiv\.org\/abs\/([\d.]+)/.exec(e.text)?.[1])
          .sort();
        assert.ok(expected.length >= 2, `${s.query}: the slice should hold a few matches (has ${expected.length})`);
        assert.deepEqual(got, expected, `channel ${s.channel} (${s.query})`);
      }
      const total = posts.length;

      // The same week again, then the same papers re-imported: nothing new, nothing re-alerted.
      await replay();
      await pb.importer.importInputs(
        served.map((p) => ({ ...p, arxivId: p.id })),
        'import',
      );
      today = '2025-03-25';
      await poller.pollOnce();
      assert.equal(delivery.entries().filter((e) => e.kind === 'post').length, total);
      assert.equal((await pb.alerts.rows()).length, total);
      assert.ok((await pb.alerts.rows()).every((r) => r.state === 'sent'));
    } finally {
      await pb.close();
    }
  },
);
