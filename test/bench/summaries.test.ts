/** The SciTLDR summary eval: ROUGE by hand-computed cases, the loader, and the runner on a tiny SciTLDR-shaped set. */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { lcsLength, rougeMax, rougeTokens } from '../../bench/summaries/rouge.ts';
import { formatSummaryTable, runSummaryEval, SUMMARY_TARGETS } from '../../bench/summaries/run.ts';
import { loadScitldr, scitldrFile, type TldrPaper } from '../../bench/summaries/scitldr.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-scitldr-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeJsonl(name: string, rows: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`);
  return file;
}

test('GIVEN text THEN ROUGE words are lower-cased, split on non-alphanumerics and Porter-stemmed', () => {
  assert.deepEqual(rougeTokens('Training GANs: faster-convergence (2x)!'), ['train', 'gan', 'faster', 'converg', '2x']);
});

test('GIVEN hand-computed pairs THEN ROUGE-1, -2 and -L F1 match, and the best reference counts', () => {
  const r = rougeMax('the cat sat on the mat', ['the cat lay on the mat']);
  assert.equal(r.r1, 5 / 6); // the ×2, cat, on, mat of 6 words each side
  assert.equal(r.r2, 3 / 5); // "the cat", "on the", "the mat" of 5 bigrams each side
  assert.equal(r.rL, 5 / 6); // the cat on the mat
  assert.deepEqual(rougeMax('a b c', ['x y', 'a b c']), { r1: 1, r2: 1, rL: 1 });
  assert.deepEqual(rougeMax('a b c', ['x y']), { r1: 0, r2: 0, rL: 0 });
  assert.equal(lcsLength(['a', 'b', 'c', 'd'], ['b', 'x', 'd']), 2);
});

const FIXTURE: TldrPaper[] = [
  {
    id: 'p1',
    title: 'Sparse Routing for Mixtures',
    sentences: ['Mixture models are slow to serve.', 'We propose sparse routing for mixture models.'],
    targets: ['We propose sparse routing for mixture models.', 'Sparse routing makes mixtures fast.'],
  },
  {
    id: 'p2',
    title: 'Calibrated Dropout',
    sentences: [
      'Dropout is a common regularizer.',
      'In this paper, we introduce calibrated dropout for uncertainty.',
      'Experiments show better calibration.',
    ],
    targets: ['We introduce calibrated dropout for uncertainty.'],
  },
  {
    id: 'p3',
    title: 'Graph Cache',
    sentences: ['Graphs are large.', 'We design a graph cache that halves memory.'],
    targets: ['A graph cache that halves memory.'],
  },
];

test('GIVEN a SciTLDR-shaped file THEN papers load with sentences and targets; bad lines fail with their number', () => {
  const rows = FIXTURE.map((p) => ({ paper_id: p.id, title: p.title, source: p.sentences, target: p.targets }));
  assert.deepEqual(loadScitldr(writeJsonl('ok.jsonl', rows)), FIXTURE);
  assert.throws(() => loadScitldr(writeJsonl('bad.jsonl', [rows[0], '{oops'])), /bad\.jsonl:2: invalid JSON/);
  assert.throws(
    () => loadScitldr(writeJsonl('empty.jsonl', [{ paper_id: 'x', source: ['A.'], target: [] }])),
    /empty\.jsonl:1: no "source" or "target"/,
  );
  assert.throws(() => loadScitldr(path.join(dir, 'missing.jsonl')), /eval data not found/);
});

test('GIVEN the shared dev split THEN it holds 619 papers, each with sentences and references', () => {
  const papers = loadScitldr(scitldrFile());
  assert.equal(papers.length, 619);
  assert.ok(papers.every((p) => p.sentences.length > 0 && p.targets.length > 0));
});

test('GIVEN a tiny set whose references are the contributions THEN paperboy beats the lead and the targets pass', () => {
  const report = runSummaryEval(FIXTURE);
  assert.equal(report.papers, 3);
  const by = Object.fromEntries(report.systems.map((s) => [s.name, s.rouge]));
  assert.deepEqual(Object.keys(by), [
    'first sentence (lead)',
    'best single sentence (oracle)',
    'paperboy before: TL;DR',
    'paperboy before: "What they did"',
    'paperboy TL;DR',
  ]);
  // p1 and p2 match a reference word for word (p2 after its lead-in is dropped); p3 only partly.
  assert.ok(report.paperboy.r1 > 90, `${report.paperboy.r1}`);
  assert.ok(by['first sentence (lead)']!.r1 < 30);
  assert.ok(by['best single sentence (oracle)']!.r1 >= by['first sentence (lead)']!.r1);
  assert.deepEqual(
    report.ablations.map((a) => a.rule),
    [
      'contribution cue',
      'title coverage',
      'title density',
      'centrality',
      'position',
      'first own-work sentence',
      'lead-in trimming',
    ],
  );
  const leadIn = report.ablations.find((a) => a.rule === 'lead-in trimming')!;
  assert.ok(leadIn.rouge.r1 < report.paperboy.r1, 'without trimming, p2 keeps "In this paper," and scores less');
  assert.equal(report.folds.length, 2);
  assert.ok(Number.isFinite(report.msPerPaper.mean) && report.msPerPaper.max >= report.msPerPaper.mean);
  assert.deepEqual(
    report.targets.map((t) => t.pass),
    [true, true, true, report.msPerPaper.mean < SUMMARY_TARGETS.msPerPaper],
  );
  const table = formatSummaryTable(report);
  assert.match(table, /paperboy TL;DR\s+\d+\.\d/);
  assert.match(table, /without lead-in trimming/);
  assert.match(table, /tuned on half 1/);
  assert.match(table, /ms per paper/);
});

test('GIVEN references unlike any sentence THEN the targets fail and the table says FAIL', () => {
  const report = runSummaryEval(FIXTURE.map((p) => ({ ...p, targets: ['Completely unrelated words here.'] })));
  assert.equal(report.pass, false);
  assert.equal(report.paperboy.r1, 0);
  assert.ok(report.targets.slice(0, 3).every((t) => !t.pass));
  assert.match(formatSummaryTable(report), /FAIL\s+ROUGE-1 >= 42/);
  assert.match(formatSummaryTable(report), /FAIL$/);
});
