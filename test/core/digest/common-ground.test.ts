/** "Common ground": key terms several papers share, compared by stem, without the words every abstract uses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonGround } from '../../../src/core/digest/common-ground.ts';
import type { Paper } from '../../../src/core/papers/paper.ts';

const paper = (id: string, title: string, abstract: string, keywords?: string[]): Paper => ({
  id,
  title,
  abstract,
  authors: [],
  categories: [],
  source: 'test',
  ...(keywords ? { keywords } : {}),
});

const PAPERS = [
  paper('1', 'LoRA Adapters for Diffusion Transformers', 'We propose a novel method. Our method improves results.'),
  paper(
    '2',
    'Diffusion Sampling with Fewer Steps',
    'We propose adapters. The adapter trains fast; the adapter is small.',
  ),
  paper(
    '3',
    'Speculative Decoding',
    'We use LoRA to fine-tune draft models; unlike diffusion decoders, they need no diffusion.',
    ['decoding'],
  ),
];

test('GIVEN papers sharing words THEN the most shared come first, by stem, as the papers write them', () => {
  const shared = commonGround(PAPERS);
  assert.deepEqual(shared.slice(0, 3), [
    { term: 'diffusion', papers: 3 },
    { term: 'adapter', papers: 2 },
    { term: 'LoRA', papers: 2 },
  ]);
});

test(
  'GIVEN words every abstract uses ("propose", "method", "results") or a word of one paper ' +
    'THEN they are not common ground',
  () => {
    const terms = commonGround(PAPERS, 20).map((shared) => shared.term.toLowerCase());
    for (const generic of ['propose', 'method', 'results', 'novel', 'improves'])
      assert.ok(!terms.includes(generic), generic);
    assert.ok(!terms.includes('speculative'), 'one paper only');
    assert.ok(!terms.includes('sampling'), 'one paper only');
  },
);

test('GIVEN one paper, or none THEN there is no common ground', () => {
  assert.deepEqual(commonGround(PAPERS.slice(0, 1)), []);
  assert.deepEqual(commonGround([]), []);
});
