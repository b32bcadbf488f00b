import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import type { Paper } from '../../../src/core/papers/paper.ts';
import { splitSentences } from '../../../src/core/summarize/sentences.ts';
import { SUMMARY_BUDGET, summarize } from '../../../src/core/summarize/summarize.ts';
import { isWordSubsequence } from './support.ts';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus/arxiv-cs-2025-26.jsonl.gz');

async function realPapers(n: number): Promise<Paper[]> {
  const papers: Paper[] = [];
  const lines = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()) });
  for await (const line of lines) {
    const result = normalizePaper(JSON.parse(line), 'corpus');
    if (result.ok) papers.push(result.paper);
    if (papers.length >= n) break;
  }
  lines.close();
  return papers;
}

test('GIVEN abbreviations and decimals THEN sentences are not split inside them', () => {
  assert.deepEqual(splitSentences('We use e.g. LoRA. It gets 1.5 points vs. the baseline. Done!'), [
    'We use e.g. LoRA.',
    'It gets 1.5 points vs. the baseline.',
    'Done!',
  ]);
});

test(
  'GIVEN real abstracts ' + 'THEN summaries are extracted sentences within the budget, deterministic, with links',
  async () => {
    const papers = await realPapers(300);
    let withContribution = 0;
    let withResults = 0;
    for (const paper of papers) {
      const summary = summarize(paper);
      assert.deepEqual(summarize(paper), summary, 'deterministic');
      const text = [summary.tldr, summary.contribution, summary.results].filter(Boolean).join(' ');
      assert.ok(text.length <= SUMMARY_BUDGET, `${paper.id}: ${text.length}`);
      // Never invents text: the TL;DR is the abstract's words in order; the other sections are its sentences
      // (possibly clipped with an ellipsis), and none repeats another.
      assert.ok(isWordSubsequence(summary.tldr, paper.abstract), `${paper.id}: "${summary.tldr}"`);
      for (const part of [summary.contribution, summary.results]) {
        if (part) assert.ok(paper.abstract.includes(part.replace(/…$/, '')), `${paper.id}: "${part}"`);
      }
      const parts = [summary.tldr, summary.contribution, summary.results].filter(Boolean).map((p) => p!.slice(-40));
      assert.equal(new Set(parts).size, parts.length, `${paper.id}: a section repeats another`);
      assert.equal(summary.links[0]?.url, `https://arxiv.org/abs/${paper.id}`);
      if (summary.contribution) withContribution++;
      if (summary.results) withResults++;
    }
    assert.ok(withContribution > papers.length * 0.6, `contribution found in ${withContribution}/${papers.length}`);
    assert.ok(withResults > papers.length * 0.5, `results found in ${withResults}/${papers.length}`);
  },
);

test('GIVEN a known abstract THEN the sections pick the right sentences', () => {
  const paper = normalizePaper(
    {
      id: '2503.11742',
      title: 'Safe Vision-Language Models via Unsafe Weights Manipulation',
      abstract:
        'Vision-language models (VLMs) often inherit the biases and unsafe associations present within ' +
        'their large-scale training dataset. While recent approaches mitigate unsafe behaviors, ' +
        'their evaluation focuses on how safe the model is on unsafe inputs, ignoring potential shortcomings ' +
        'on safe ones. In this paper, we first revise safety evaluation by introducing SafeGround, ' +
        'a new set of metrics that evaluate safety at different levels of granularity. Experiments show that ' +
        'UWM achieves the best tradeoff between safety and knowledge preservation, consistently improving ' +
        'VLMs on unsafe queries while outperforming even training-based state-of-the-art methods on safe ones.',
    },
    'test',
  );
  assert.ok(paper.ok);
  const summary = summarize(paper.paper);
  // The contribution, not the background, and without its "In this paper," lead-in.
  assert.match(summary.tldr, /^We first revise safety evaluation by introducing SafeGround/);
  // No other sentence speaks of the paper's own work, and the TL;DR is not repeated.
  assert.equal(summary.contribution, undefined);
  assert.match(summary.results!, /^Experiments show that UWM achieves/);
  assert.ok(summary.keyTerms.includes('VLMs'));
});

test('GIVEN Hugging Face AI summary THEN it is kept, labelled as theirs', () => {
  const paper = normalizePaper(
    { id: '2410.00001', title: 'T', abstract: 'We propose X. It works.', aiSummary: 'HF says X is good.' },
    'huggingface',
  );
  assert.ok(paper.ok);
  assert.equal(summarize(paper.paper).huggingFace, 'HF says X is good.');
});

test('GIVEN an empty abstract THEN the title stands in and nothing throws', () => {
  const paper = normalizePaper({ title: 'Only A Title' }, 'test');
  assert.ok(paper.ok);
  assert.equal(summarize(paper.paper).tldr, 'Only A Title');
});
