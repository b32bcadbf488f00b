/** The relevance harness end to end on a tiny eval set: engines side by side, targets, table, JSON-ready report. */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkTargets, formatTable, loadPaperboyFactory, rankingWithoutSelf, runEval } from '../../bench/eval.ts';

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
      { id: 'c1', title: 'Sorting algorithms on tape', abstract: '', authors: ['Knuth, D. E.'] },
      { id: 'c2', title: 'Matrix inversion', abstract: 'Gaussian elimination', authors: ['Forsythe, G.'] },
      { id: 'c3', title: 'Compiler construction', abstract: 'Parsing and code generation', authors: [] },
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
      assert.equal(e.macro, 1);
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
    report.targets.map((t) => [t.name, t.pass]),
    [
      ['CACM nDCG@10 >= plain Lunr x 1.05 (1.050)', false],
      ['CSFCube nDCG@10 >= plain Lunr x 1.05 (1.050)', false],
      ['CISI nDCG@10 >= plain Lunr x 1.05 (1.050)', false],
      ['method-name MRR@10 >= plain Lunr (1.000)', true],
      ['method-name success@1 >= 0.85', true],
    ],
  );
  assert.equal(report.pass, false);
  assert.deepEqual(report.engines[0]!.sets.cacm?.perQuery, { q1: 1, q2: 1 });
  assert.deepEqual(report.engines[0]!.sets.methodNames?.perQuery, { lisa: 1 });
  const table = formatTable(report);
  assert.match(
    table,
    /^engine\s+CACM nDCG@10\s+CSFCube nDCG@10\s+CISI nDCG@10\s+method names s@1\s+method names s@3\s+method names MRR@10\s+macro/,
  );
  assert.match(table, /paperboy(\s+1\.000){7}/);
  assert.match(table, /targets: paperboy >= plain Lunr x 1\.05 on CACM, CSFCube and CISI/);
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

test('targets: 5 % over plain Lunr on each ranked collection, no set below it, method names found first', () => {
  const score = (main: number, metrics: Record<string, number> = { ndcg10: main }) => ({ main, metrics, seconds: 0 });
  const engines = (pb: number[], lunr: number[], success1: number) => [
    {
      engine: 'paperboy',
      sets: {
        cacm: score(pb[0]!),
        csfcube: score(pb[1]!),
        cisi: score(pb[2]!),
        methodNames: score(0.9, { success1, success3: 1, mrr10: 0.9 }),
      },
      macro: 0,
    },
    {
      engine: 'plain Lunr',
      sets: { cacm: score(lunr[0]!), csfcube: score(lunr[1]!), cisi: score(lunr[2]!) },
      macro: 0,
    },
  ];
  assert.ok(checkTargets(engines([0.526, 0.43, 0.43], [0.5, 0.4, 0.4], 0.85)).every((t) => t.pass));
  assert.deepEqual(
    checkTargets(engines([0.524, 0.43, 0.419], [0.5, 0.4, 0.4], 0.849)).map((t) => t.pass),
    [false, true, false, false],
  );
  const lunrNames = engines([0.526, 0.43, 0.43], [0.5, 0.4, 0.4], 0.85);
  lunrNames[1]!.sets = { ...lunrNames[1]!.sets, methodNames: score(0.95, { success1: 0.9, success3: 1, mrr10: 0.95 }) };
  assert.deepEqual(
    checkTargets(lunrNames).map((t) => [t.name, t.pass]),
    [
      ['CACM nDCG@10 >= plain Lunr x 1.05 (0.525)', true],
      ['CSFCube nDCG@10 >= plain Lunr x 1.05 (0.420)', true],
      ['CISI nDCG@10 >= plain Lunr x 1.05 (0.420)', true],
      ['method-name MRR@10 >= plain Lunr (0.950)', false],
      ['method-name success@1 >= 0.85', true],
    ],
  );
});
