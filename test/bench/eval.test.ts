/** The relevance harness end to end on a tiny eval set: engines side by side, targets, table, JSON-ready report. */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checkTargets,
  formatTable,
  loadPaperboyFactory,
  pairedMargin,
  rankingWithoutSelf,
  runEval,
} from '../../bench/eval.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let shared = '';

const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

before(() => {
  shared = mkdtempSync(path.join(tmpdir(), 'paperboy-eval-'));
  const cacm = path.join(shared, 'eval', 'cacm');
  const csf = path.join(shared, 'eval', 'csfcube');
  const cisi = path.join(shared, 'eval', 'cisi');
  const corpus = path.join(shared, 'corpus');
  for (const dir of [cacm, csf, cisi, corpus]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(cacm, 'corpus.jsonl'),
    jsonl([
      {
        id: 'c1',
        title: 'Sorting algorithms on tape',
        abstract: '',
        authors: ['Knuth, D. E.'],
        published: 'CACM January, 1960',
        citation_links: ['c2', 'c3', 'c4'],
      },
      {
        id: 'c2',
        title: 'Matrix inversion',
        abstract: 'Gaussian elimination',
        authors: ['Forsythe, G.'],
        published: 'CACM March,1961',
        citation_links: ['c1'],
      },
      {
        id: 'c3',
        title: 'Compiler construction',
        abstract: 'Parsing and code generation',
        authors: [],
        published: 'CACM May, 1962',
        citation_links: ['c1'],
      },
      {
        id: 'c4',
        title: 'Records on magnetic tape',
        abstract: 'Tape storage, again.',
        authors: [],
        published: 'CACM May, 1962',
        citation_links: ['c1'],
      },
    ]),
  );
  writeFileSync(
    path.join(cacm, 'qrels.jsonl'),
    jsonl([
      { query_id: 'q1', query: 'Sorting?', relevant_ids: ['c1'] },
      { query_id: 'q2', query: 'articles by Forsythe on matrix inversion', relevant_ids: ['c2'] },
    ]),
  );
  writeFileSync(
    path.join(csf, 'corpus.jsonl'),
    jsonl([
      {
        id: 'p1',
        title: 'Neural machine translation with attention',
        abstract: 'Attention aligns source and target.',
        published: '2015',
      },
      {
        id: 'p2',
        title: 'Attention for neural translation',
        abstract: 'Source target alignment by attention.',
        published: '2016',
      },
      { id: 'p3', title: 'Image segmentation', abstract: 'Pixels into regions.', published: '2017' },
    ]),
  );
  writeFileSync(
    path.join(csf, 'qrels.jsonl'),
    jsonl([{ query_id: 'p1-method', facet: 'method', query_paper_id: 'p1', graded: { p2: 3, p3: 0 } }]),
  );
  writeFileSync(
    path.join(cisi, 'corpus.jsonl'),
    jsonl([
      { id: 'i1', title: 'Indexing by thesaurus', abstract: 'A thesaurus for indexing documents.', authors: [] },
      { id: 'i2', title: 'Library circulation', abstract: 'Loans and circulation of books.', authors: [] },
    ]),
  );
  writeFileSync(
    path.join(cisi, 'qrels.jsonl'),
    jsonl([{ query_id: 'iq1', query: 'How is a thesaurus used in indexing?', relevant_ids: ['i1'] }]),
  );
  // Plain JSONL under the shared corpus's name (the reader detects gzip by its magic bytes).
  writeFileSync(
    path.join(corpus, 'arxiv-cs-2025-26.jsonl.gz'),
    jsonl([
      { id: 'm1', title: 'LISA: Reasoning Segmentation', abstract: 'Segmentation by reasoning.', authors: [] },
      {
        id: 'm4',
        title: 'Grounded reasoning segmentation with large multimodal language models',
        abstract: 'Pixels from words.',
        authors: [],
      },
      {
        id: 'm2',
        title: 'Segmentation survey',
        abstract: 'We compare LISA with many other segmenters on many benchmarks of many kinds.',
        authors: [],
      },
      {
        id: 'm3',
        title: 'Reasoning models',
        abstract: 'A LISA-based reasoning model, trained on many tasks with many kinds of supervision.',
        authors: [],
      },
      ...['Graph networks', 'Speech recognition', 'Robot grasping', 'Code generation'].map((title, i) => ({
        id: `f${i}`,
        title,
        abstract: `${title} at scale.`,
        authors: [],
      })),
    ]),
  );
});

after(() => rmSync(shared, { recursive: true, force: true }));

test(
  'GIVEN no paperboy engine yet ' + 'THEN the baselines run, paperboy is reported missing, and the run fails',
  async () => {
    const lines: string[] = [];
    const report = await runEval({
      sharedDir: shared,
      perQuery: false,
      log: (l) => lines.push(l),
      paperboyFile: path.join(fixtures, 'does-not-exist.ts'),
    });
    assert.deepEqual(lines, ['paperboy: not available yet (bench/paperboy-engine.ts is missing)']);
    assert.deepEqual(
      report.engines.map((e) => e.engine),
      ['plain Lunr', 'SQLite FTS5'],
    );
    assert.equal(report.paperboyAvailable, false);
    assert.equal(report.pass, false);
    for (const e of report.engines) {
      assert.equal(e.sets.cacm?.main, 1);
      assert.equal(e.sets.csfcube?.main, 1);
      assert.equal(e.sets.cisi?.main, 1);
      assert.deepEqual(e.sets.methodNames?.metrics, { success1: 1, success3: 1, mrr10: 1 });
      // One query, c1's title: c1 hashes into half B, half A is empty.
      assert.deepEqual(e.sets.cacmCiting?.halfQueries, { a: 0, b: 1 });
      assert.equal(e.sets.cacmCiting?.halves.b, e.sets.cacmCiting?.main);
      assert.ok(e.macro < 1, 'the citing query finds one of its three citing articles');
      assert.equal(e.sets.cacm?.perQuery, undefined);
    }
    assert.match(formatTable(report), /FAIL {2}paperboy engine available/);
  },
);

test('GIVEN a paperboy engine only as good as plain Lunr THEN every set is printed and the 5 % targets fail', async () => {
  const report = await runEval({
    sharedDir: shared,
    perQuery: true,
    log: () => {},
    paperboyFile: path.join(fixtures, 'lunr-as-paperboy.ts'),
  });
  assert.deepEqual(
    report.engines.map((e) => e.engine),
    ['paperboy', 'plain Lunr', 'SQLite FTS5'],
  );
  assert.deepEqual(
    report.targets.filter((t) => !t.name.includes(' half ')).map((t) => [t.name.replace(/ [\d.]+ >=.*/, ''), t.pass]),
    [
      ['CACM nDCG@10', false],
      ['CSFCube nDCG@10', false],
      ['CISI nDCG@10', false],
      ['method names MRR@10', false],
      ['title items MRR@10', false],
      ['CACM citing nDCG@10', false],
      ['method-name success@1', true],
    ],
  );
  assert.equal(report.pass, false);
  assert.deepEqual(report.engines[0]!.sets.cacm?.perQuery, { q1: 1, q2: 1 });
  assert.deepEqual(report.engines[0]!.sets.methodNames?.perQuery, { lisa: 1 });
  const table = formatTable(report);
  assert.match(
    table,
    /^engine\s+CACM nDCG@10\s+CSFCube nDCG@10\s+CISI nDCG@10\s+method names s@1\s+method names s@3\s+method names MRR@10\s+title items s@1\s+title items s@3\s+title items MRR@10\s+CACM citing nDCG@10\s+macro/,
  );
  assert.match(table, /paperboy(\s+1\.000){7}/);
  assert.match(table, /main figure by half/);
  assert.match(table, /targets: paperboy >= plain Lunr x 1\.03 on every set and both its halves/);
  assert.match(table, /\nFAIL$/);
  assert.deepEqual(JSON.parse(JSON.stringify(report)).engines.length, 3);
});

test('--sets and --method-sample: only the sets asked for run; a sampled corpus is said so', async () => {
  const report = await runEval({
    sharedDir: shared,
    perQuery: false,
    log: () => {},
    paperboyFile: path.join(fixtures, 'lunr-as-paperboy.ts'),
    sets: ['methodNames'],
    methodSample: 0,
  });
  assert.deepEqual(Object.keys(report.engines[0]!.sets), ['methodNames']);
  assert.equal(report.methodSample, 0);
  assert.match(formatTable(report), /known items \+ 0 other papers \(seeded sample\)/);
});

test(
  'GIVEN a paperboy engine that finds nothing and relates a paper to itself ' + 'THEN it scores 0 and fails',
  async () => {
    const report = await runEval({
      sharedDir: shared,
      perQuery: false,
      log: () => {},
      paperboyFile: path.join(fixtures, 'cheating-paperboy.ts'),
    });
    const paperboy = report.engines[0]!;
    assert.equal(paperboy.engine, 'paperboy');
    assert.equal(paperboy.sets.cacm?.main, 0);
    assert.equal(paperboy.sets.csfcube?.main, 0);
    assert.equal(paperboy.sets.methodNames?.main, 0);
    assert.equal(report.pass, false);
    assert.ok(report.targets.every((t) => !t.pass));
  },
);

test('a paperboy-engine.ts without the factory export is an error, not a silent skip', async () => {
  await assert.rejects(
    loadPaperboyFactory(path.join(fixtures, 'not-an-engine.ts')),
    /must export createPaperboyEngine/,
  );
});

test('the query paper earns nothing in its own related ranking', () => {
  assert.deepEqual(rankingWithoutSelf('p1', ['p1', 'p2']), ['', 'p2']);
});

test('targets: 3 % over plain Lunr on every set and both halves, method names found first', () => {
  const score = (main: number, halves = { a: main, b: main }, metrics: Record<string, number> = { ndcg10: main }) => ({
    main,
    metrics,
    halves,
    halfQueries: { a: 1, b: 1 },
    seconds: 0,
  });
  const engines = (pb: number[], lunr: number[], success1: number, cisiHalves = { a: pb[2]!, b: pb[2]! }) => [
    {
      engine: 'paperboy',
      sets: {
        cacm: score(pb[0]!),
        cisi: score(pb[2]!, cisiHalves),
        methodNames: score(0.99, undefined, { success1, success3: 1, mrr10: 0.99 }),
      },
      macro: 0,
    },
    {
      engine: 'plain Lunr',
      sets: {
        cacm: score(lunr[0]!),
        cisi: score(lunr[2]!),
        methodNames: score(0.9, undefined, { success1: 0.8, success3: 1, mrr10: 0.9 }),
      },
      macro: 0,
    },
  ];
  assert.ok(checkTargets(engines([0.516, 0, 0.42], [0.5, 0, 0.4], 0.95)).every((t) => t.pass));
  // A better whole is not enough: half B of CISI below plain Lunr x 1.03 fails.
  const checks = checkTargets(engines([0.516, 0, 0.42], [0.5, 0, 0.4], 0.949, { a: 0.44, b: 0.41 }));
  assert.deepEqual(
    checks.filter((t) => !t.pass).map((t) => t.name),
    ['CISI half B nDCG@10 0.410 >= plain Lunr x 1.03 (0.412)', 'method-name success@1 0.949 >= 0.95'],
  );
});

test('the margin over plain Lunr is the paired per-query difference, its noise two standard errors', () => {
  const margin = pairedMargin({ q1: 1, q2: 0.5, q3: 0 }, { q1: 0.5, q2: 0.5, q3: 0, q4: 1 });
  assert.ok(Math.abs(margin.difference - 0.5 / 3) < 1e-12);
  // Differences 0.5, 0, 0: sample sd 0.2887, standard error 0.1667.
  assert.ok(Math.abs(margin.noise - 2 * Math.sqrt(1 / 12 / 3)) < 1e-12);
  assert.deepEqual(pairedMargin({ q1: 1 }, { q1: 1 }), { difference: 0, noise: 0 });
});
