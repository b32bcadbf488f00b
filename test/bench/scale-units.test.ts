/** The scale bench's building blocks: query sets, measurement, fidelity verdicts, corpus split, report and checks. */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createPlainLunrEngine } from '../../bench/baselines/plain-lunr.ts';
import type { CorpusPaper } from '../../bench/scale/corpus.ts';
import { batchSizeFor, parsePaperLine, readFirstLines } from '../../bench/scale/corpus.ts';
import {
  addVerdict,
  emptyFidelity,
  fidelityLine,
  type LunrHit,
  sameTopK,
  verdictFor,
} from '../../bench/scale/fidelity.ts';
import { bytesOnDisk, latencyDuring, percentile } from '../../bench/scale/measure.ts';
import {
  benchQueries,
  REAL_QUERIES,
  seededRandom,
  subscriptionQueries,
  titleQueries,
  titleWords,
} from '../../bench/scale/queries.ts';
import { correctnessFailures, type EngineResult, formatTable } from '../../bench/scale/report.ts';
import { movedArxivId, pollDay as pollDayPapers, scaledPapers } from '../../bench/scale/scaled-corpus.ts';
import { parseArxivId } from '../../src/core/papers/ids.ts';

const VOCABULARY = [
  'sparse',
  'dense',
  'graph',
  'neural',
  'retrieval',
  'attention',
  'kernels',
  'lora',
  'adapters',
  'diffusion',
  'policy',
  'reward',
  'vision',
  'speech',
  'tokens',
  'agents',
  'memory',
  'routing',
  'experts',
  'pruning',
];
const word = (i: number) => `${VOCABULARY[i % VOCABULARY.length]}${Math.floor(i / VOCABULARY.length)}`;
const titles = Array.from({ length: 400 }, (_, i) => ({
  id: `p${i}`,
  title: `${word(i)} and ${word(i + 7)}: the ${word(i * 3 + 1)} of ${word(i * 5 + 2)} with ${word(i * 7 + 3)} in 2025`,
}));

test(
  'GIVEN the same corpus and seed ' + 'THEN the bench queries are the same, 2–3 title words, real queries included',
  () => {
    const a = benchQueries(titles);
    const b = benchQueries(titles);
    assert.deepEqual(a, b);
    assert.ok(a.length >= 300);
    for (const real of REAL_QUERIES)
      assert.ok(
        a.some((q) => q.text === real),
        real,
      );
    for (const q of a.filter((q) => q.sourceId)) {
      const words = q.text.split(' ');
      assert.ok(words.length >= 2 && words.length <= 3, q.text);
      const source = titles.find((t) => t.id === q.sourceId)!;
      assert.ok(titleWords(source.title).join(' ').includes(q.text), `${q.text} comes from its title`);
    }
    assert.equal(new Set(a.map((q) => q.text)).size, a.length, 'no duplicates');
  },
);

test('title words drop stop words, bare numbers and punctuation', () => {
  assert.deepEqual(titleWords('LoRA: Low-Rank Adaptation of the 7B Models in 2025!'), [
    'lora',
    'low',
    'rank',
    'adaptation',
    '7b',
    'models',
  ]);
});

test('seeded random is deterministic and in [0, 1)', () => {
  const r1 = seededRandom(42);
  const r2 = seededRandom(42);
  for (let i = 0; i < 100; i++) {
    const x = r1();
    assert.equal(x, r2());
    assert.ok(x >= 0 && x < 1);
  }
  assert.notEqual(seededRandom(1)(), seededRandom(2)());
});

test('subscriptions: exactly the count asked for, deterministic, the real queries first', () => {
  const subs = subscriptionQueries(titles, 1000);
  assert.equal(subs.length, 1000);
  assert.deepEqual(subs, subscriptionQueries(titles, 1000));
  assert.deepEqual(subs.slice(0, REAL_QUERIES.length), [...REAL_QUERIES]);
  assert.deepEqual(titleQueries([], 5, 1), []);
});

test('percentile is nearest-rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile([5], 99), 5);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('latency under load counts from arrival: queries arriving during a stalled event loop wait for it', async () => {
  let served = 0;
  const sample = await latencyDuring(
    () => {
      const until = performance.now() + 60;
      while (performance.now() < until) {
        /* a synchronous rebuild blocks the event loop */
      }
    },
    () => served++,
    5,
  );
  assert.ok(sample.latencies.length >= 3, `${sample.latencies.length} queries arrived during the stall`);
  assert.equal(served, sample.latencies.length);
  assert.ok(Math.max(...sample.latencies) >= 40, 'the query that arrived first waited for the stall');
  assert.ok(sample.seconds >= 0.06);
});

test('bytes on disk: a file, a folder (recursively), a missing path', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-scale-'));
  try {
    writeFileSync(path.join(dir, 'a'), 'x'.repeat(10));
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'b'), 'y'.repeat(5));
    assert.equal(bytesOnDisk(path.join(dir, 'a')), 10);
    assert.equal(bytesOnDisk(dir), 15);
    assert.equal(bytesOnDisk(path.join(dir, 'missing')), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the corpus reader takes the first n papers from gzip or plain JSONL; the batch is 500 or a third', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-scale-'));
  try {
    const rows = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({
        id: `2501.${i}`,
        title: `T${i}`,
        abstract: 'a',
        authors: ['A B'],
        categories: ['cs.CL'],
        published: '2025-01-01',
      }),
    );
    writeFileSync(path.join(dir, 'c.jsonl.gz'), gzipSync(`${rows.join('\n')}\n\n`));
    writeFileSync(path.join(dir, 'c.jsonl'), `${rows.join('\n')}\n`);
    assert.deepEqual(await readFirstLines(path.join(dir, 'c.jsonl.gz'), 4), rows.slice(0, 4));
    assert.deepEqual(await readFirstLines(path.join(dir, 'c.jsonl'), 100), rows);
    assert.deepEqual(parsePaperLine(rows[0]!), {
      id: '2501.0',
      title: 'T0',
      abstract: 'a',
      authors: ['A B'],
      categories: ['cs.CL'],
      published: '2025-01-01',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(batchSizeFor(74_728), 500);
  assert.equal(batchSizeFor(1500), 500);
  assert.equal(batchSizeFor(900), 300);
});

const hit = (id: string, score: number, allWords = true): LunrHit => ({ id, score, allWords });

test('same top k: equal ids and scores; tied documents may swap; any other difference is not the same', () => {
  const reference = [hit('a', 3), hit('b', 2), hit('c', 2), hit('d', 1)];
  assert.ok(sameTopK([hit('a', 3), hit('b', 2), hit('c', 2)], reference, 3));
  assert.ok(sameTopK([hit('a', 3), hit('c', 2), hit('b', 2)], reference, 3), 'ties swap');
  assert.ok(sameTopK([hit('a', 3), hit('c', 2)], [hit('a', 3), hit('b', 2), hit('c', 2)], 2), 'a tie at the cut-off');
  assert.ok(!sameTopK([hit('a', 3), hit('b', 2.1), hit('c', 2)], reference, 3), 'score off');
  assert.ok(!sameTopK([hit('a', 3), hit('d', 2), hit('c', 2)], reference, 3), 'a different document');
  assert.ok(!sameTopK([hit('a', 3), hit('b', 2)], reference, 3), 'too few');
  assert.ok(!sameTopK([hit('a', 3), hit('b', 2), hit('b', 2)], reference, 3), 'a duplicate');
  assert.ok(sameTopK([hit('a', 3 + 1e-9)], reference, 1), 'within 1e-6');
});

test('fidelity verdicts name the deliberate differences and flag the rest', () => {
  const lunr = [hit('p1', 9, false), hit('f1', 8), hit('f2', 7), hit('p2', 6, false)];
  const none = { expanded: false, corrected: false };
  assert.equal(verdictFor(lunr, lunr, none), 'identical');
  assert.equal(verdictFor([hit('f1', 8), hit('f2', 7), hit('p1', 9)], lunr, none), 'all-words-first');
  assert.equal(verdictFor([hit('f2', 7), hit('f1', 8)], lunr, none), 're-ranked');
  assert.equal(verdictFor([hit('f1', 80)], lunr, { expanded: true, corrected: false }), 'expansion');
  assert.equal(verdictFor([hit('x', 1)], lunr, { expanded: false, corrected: true }), 'typo-correction');
  assert.equal(verdictFor([hit('zz', 1)], lunr, none), 'different', 'a paper Lunr does not match at all');

  const report = emptyFidelity();
  addVerdict(report, 'identical', { query: 'a', paperboy: [], lunr: [] });
  addVerdict(report, 're-ranked', { query: 'b', paperboy: [], lunr: [] });
  addVerdict(report, 'different', { query: 'c', paperboy: [], lunr: [] });
  assert.equal(report.total, 3);
  assert.equal(report.unexplained, 1);
  assert.equal(report.examples[0]!.query, 'c');
  assert.match(
    fidelityLine(report),
    /search 1\/3 identical, 1 deliberately different \(re-ranked among the papers Lunr matches 1\), 1 unexplained/,
  );
});

const ok: EngineResult = {
  engine: 'SQLite FTS5',
  importS: 1,
  indexBuildS: 3.5,
  coldStartS: 0.4,
  steadyRssMB: 450,
  indexDiskMB: 120,
  queryP50Ms: 11,
  queryP99Ms: 39,
  batchIngestS: 0.05,
  ingestQueryP99Ms: null,
  alertMatchS: 0.3,
  queries: 312,
  titleQueries: 300,
  answered: 312,
  batchSearchable: true,
  coldAnswered: true,
  coldRebuilt: false,
  alertMatches: 900,
};

test('the table has one row per engine, every column, a dash for missing figures and marks failed engines', () => {
  const table = formatTable([ok, { engine: 'plain Lunr', error: 'full run exited with SIGKILL' }]);
  const lines = table.split('\n');
  assert.equal(lines.length, 4);
  for (const column of [
    'import s',
    'index build s',
    'cold start s',
    'steady RSS MB',
    'index on disk MB',
    'query p50 ms',
    'query p99 ms',
    'batch ingest s',
    'p99 during ingest ms',
    'alert matching s',
  ]) {
    assert.ok(lines[0]!.includes(column), column);
  }
  assert.match(lines[2]!, /SQLite FTS5 .*\| +3\.5 \|/);
  assert.match(lines[3]!, /plain Lunr \(failed\)/);
  assert.ok(lines[2]!.includes('–'), 'no samples during ingest');
});

test('correctness checks pass a healthy run and name each failure', () => {
  assert.deepEqual(correctnessFailures([ok]), []);
  const fidelity = emptyFidelity();
  fidelity.engine = { total: 2, identical: 1, examples: [{ query: 'kv cache', paperboy: [], lunr: [] }] };
  fidelity.unexplained = 1;
  const failures = correctnessFailures([
    { engine: 'plain Lunr', error: 'full run exited with code 1' },
    { ...ok, engine: 'paperboy', batchSearchable: false, coldRebuilt: true, answered: 250, fidelity },
  ]);
  assert.equal(failures.length, 6);
  assert.match(failures.join('\n'), /exited with code 1/);
  assert.match(failures.join('\n'), /not searchable/);
  assert.match(failures.join('\n'), /rebuilt the index/);
  assert.match(failures.join('\n'), /answered only 250/);
  assert.match(failures.join('\n'), /differs from lunr.Index#query \(same clauses\) on 1 queries \(e.g. "kv cache"/);
  assert.match(failures.join('\n'), /1 queries rank differently/);
  assert.deepEqual(correctnessFailures([{ ...ok, engine: 'paperboy' }]), ['paperboy: no fidelity report']);
});

test('plain Lunr loaded from its serialized index (the cold start) answers like the engine that built it', () => {
  const docs = [
    {
      id: 'a',
      title: 'KV cache compression for long context',
      abstract: 'We compress the key value cache.',
      authors: ['A. Author'],
    },
    { id: 'b', title: 'Reward hacking in RLHF', abstract: 'Policies exploit reward models.', authors: ['B. Author'] },
  ];
  const built = createPlainLunrEngine({ boosts: { title: 10, abstract: 1, authors: 5 } });
  built.build(docs);
  const loaded = createPlainLunrEngine({ boosts: { title: 10, abstract: 1, authors: 5 } });
  loaded.load(JSON.parse(JSON.stringify(built.index)) as object);
  for (const query of ['kv cache', 'reward hacking', 'author'])
    assert.deepEqual(loaded.search(query, 10), built.search(query, 10), query);
  assert.deepEqual(loaded.search('kv cache', 10), ['a']);
  assert.deepEqual(loaded.related('a', 10), [], 'no text to relate from');
});

test('GIVEN the corpus scaled 3× THEN every copy has its own valid arXiv ids, other dates and other authors', () => {
  const papers: CorpusPaper[] = Array.from({ length: 5 }, (_, i) => ({
    id: `2503.1000${i}`,
    title: `Paper ${i}`,
    abstract: `Abstract ${i}`,
    authors: [`Author ${i}`],
    categories: ['cs.LG'],
    published: '2025-03-18',
  }));
  const scaled = [...scaledPapers(papers, 3)];
  assert.equal(scaled.length, 15);
  assert.equal(new Set(scaled.map((p) => p.id)).size, 15, 'ids never collide');
  assert.deepEqual(scaled.slice(10), papers, 'the corpus itself comes last (its last papers stay the daily batch)');
  assert.equal(scaled[0]!.id, '2903.10000');
  assert.equal(scaled[0]!.published, '2029-03-18');
  assert.ok(
    scaled.every((p) => parseArxivId(p.id) === p.id),
    'valid arXiv ids: the store keeps every copy',
  );
  assert.equal(scaled[5]!.title, 'Paper 0');
  assert.ok(
    scaled.slice(0, 10).some((p, i) => p.authors[0] !== papers[i % 5]!.authors[0]),
    'authors shuffled',
  );
  assert.equal(movedArxivId('2503.11731', 18), '4303.11731');
  const day = pollDayPapers(papers, 3, 5000);
  assert.equal(day[0]!.id, '3103.10000');
  assert.equal(day.length, 5);
  assert.ok(
    day.every((p) => !scaled.some((s) => s.id === p.id)),
    "the polled day's papers are new",
  );
});
