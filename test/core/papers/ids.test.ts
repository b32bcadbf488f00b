import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalId,
  findArxivIds,
  findLinkedArxivIds,
  normalizeTitle,
  parseArxivId,
  titleId,
} from '../../../src/core/papers/ids.ts';

test('GIVEN the ways people write an arXiv id THEN the canonical id has no version', () => {
  const cases: [string, string][] = [
    ['2503.20680v2', '2503.20680'],
    ['2503.20680', '2503.20680'],
    ['arXiv:2503.20680', '2503.20680'],
    ['https://arxiv.org/abs/2503.20680v1', '2503.20680'],
    ['https://arxiv.org/pdf/2503.20680.pdf', '2503.20680'],
    ['https://arxiv.org/pdf/2503.20680v3', '2503.20680'],
    ['https://huggingface.co/papers/2503.20680', '2503.20680'],
    ['hep-th/9901001', 'hep-th/9901001'],
    ['https://arxiv.org/abs/hep-th/9901001v2', 'hep-th/9901001'],
    ['math.GT/0309136', 'math.GT/0309136'],
    ['1412.6980', '1412.6980'],
  ];
  for (const [input, expected] of cases) assert.equal(parseArxivId(input), expected, input);
});

test('GIVEN text that is not an arXiv id THEN there is none', () => {
  for (const input of [
    '',
    'lora',
    '2025.13',
    '1234.5678901',
    '9913.12345',
    '3.14159',
    'v2',
    'https://example.com/abs/x',
  ]) {
    assert.equal(parseArxivId(input), undefined, input);
  }
});

test('GIVEN a message with paper links THEN each linked id is found once, in order', () => {
  const text =
    'see <https://arxiv.org/abs/2503.20680v2|this> and https://huggingface.co/papers/2401.00001 ' +
    'and again https://arxiv.org/pdf/2503.20680.pdf, not 2402.00002';
  assert.deepEqual(findLinkedArxivIds(text), ['2503.20680', '2401.00001']);
});

test('GIVEN alphaXiv and arXiv html links THEN their ids are found too', () => {
  const text =
    'https://www.alphaxiv.org/abs/2503.20680v2 https://alphaxiv.org/overview/2401.00001 ' +
    'https://arxiv.org/html/2402.00002v1';
  assert.deepEqual(findLinkedArxivIds(text), ['2503.20680', '2401.00001', '2402.00002']);
});

test('GIVEN ids written out in a message THEN each is found once, in order; numbers and paths are not ids', () => {
  const text =
    'read cs/0112017, then 2503.20680v2 and arXiv:1412.6980 (not 3.14159, 2025.13 or and/1234567), 2503.20680';
  assert.deepEqual(findArxivIds(text), ['cs/0112017', '2503.20680', '1412.6980']);
  assert.deepEqual(findArxivIds('math.GT/0309136 hep-th/9901001v3 cs/0113017 foo/0101001'), [
    'math.GT/0309136',
    'hep-th/9901001',
  ]);
});

test('GIVEN a paper without an arXiv id THEN its id is stable and derived from the normalized title', () => {
  assert.equal(normalizeTitle('  LoRA: Low-Rank   Adaptation!  '), 'lora low rank adaptation');
  assert.equal(titleId('LoRA: Low-Rank Adaptation'), titleId('lora  low rank adaptation'));
  assert.match(titleId('x'), /^t-[0-9a-f]{12}$/);
  assert.equal(canonicalId({ title: 'A', arxivId: '2503.20680' }), '2503.20680');
  assert.equal(canonicalId({ title: 'A', id: 'arXiv:2503.20680v4' }), '2503.20680');
  assert.equal(canonicalId({ title: 'A' }), titleId('A'));
});
