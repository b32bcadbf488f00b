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
  mkdirSync(cacm, { recursive: true });
  mkdirSync(csf, { recursive: true });
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
      assert.equal(e.cacm.ndcg, 1);
      assert.equal(e.csfcube.ndcg, 1);
      assert.equal(e.cacm.perQuery, undefined);
    }
    assert.match(formatTable(report), /FAIL {2}paperboy engine available/);
  },
);

test('GIVEN a paperboy engine as good as plain Lunr on an easy set THEN every target passes', async () => {
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
  assert.equal(report.targets.length, 4);
  assert.equal(report.pass, true);
  assert.deepEqual(report.engines[0]!.cacm.perQuery, { q1: 1, q2: 1 });
  const table = formatTable(report);
  assert.match(table, /^engine\s+CACM nDCG@10\s+CSFCube nDCG@10/);
  assert.match(table, /paperboy\s+1\.000\s+1\.000/);
  assert.match(table, /targets: paperboy >= 0\.525 CACM, >= 0\.458 CSFCube, never below plain Lunr/);
  assert.match(table, /\nPASS$/);
  assert.deepEqual(JSON.parse(JSON.stringify(report)).engines.length, 3);
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
    assert.equal(paperboy.cacm.ndcg, 0);
    assert.equal(paperboy.csfcube.ndcg, 0);
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

test('targets: absolute thresholds and never below plain Lunr', () => {
  const score = (ndcg: number) => ({ ndcg, seconds: 0 });
  const engines = (pb: [number, number], lunr: [number, number]) => [
    { engine: 'paperboy', cacm: score(pb[0]), csfcube: score(pb[1]) },
    { engine: 'plain Lunr', cacm: score(lunr[0]), csfcube: score(lunr[1]) },
  ];
  assert.ok(checkTargets(engines([0.525, 0.458], [0.5, 0.436])).every((t) => t.pass));
  assert.deepEqual(
    checkTargets(engines([0.53, 0.457], [0.5, 0.436])).map((t) => t.pass),
    [true, false, true, true],
  );
  assert.deepEqual(
    checkTargets(engines([0.53, 0.46], [0.54, 0.436])).map((t) => t.pass),
    [true, true, false, true],
  );
});
