import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  findArxivIds,
  findLinkedArxivIds,
  idCandidates,
  isTitleId,
  MAX_ID_LENGTH,
  normalizeTitle,
  parseArxivId,
  recordId,
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
});

test('GIVEN records with their own ids THEN each is kept verbatim (trimmed); DOIs lower-cased; arXiv normalized', () => {
  const cases: [unknown, string, string | undefined][] = [
    ['c_190473', 'c_190473', undefined],
    ['  W2741809807 ', 'W2741809807', undefined],
    ['649def34f8be52c8b66281af98ae884c09aef38b', '649def34f8be52c8b66281af98ae884c09aef38b', undefined],
    [190473, '190473', undefined],
    ['10.1145/3290605.3300857', '10.1145/3290605.3300857', undefined],
    ['10.1007/ABC-Def_1', '10.1007/abc-def_1', undefined],
    ['doi:10.1007/ABC', '10.1007/abc', undefined],
    ['https://doi.org/10.1145%2F3290605.3300857', '10.1145/3290605.3300857', undefined],
    ['https://openalex.org/W2741809807', 'https://openalex.org/W2741809807', undefined],
    ['lab:set#12 part B', 'lab:set#12 part B', undefined],
    // An id that merely contains something arXiv-like is the record's own, not an arXiv id.
    ['c_2101.12345', 'c_2101.12345', undefined],
    ['2101.12345v3', '2101.12345', '2101.12345'],
    ['arXiv:2101.12345', '2101.12345', '2101.12345'],
    ['https://arxiv.org/abs/2101.12345v2', '2101.12345', '2101.12345'],
    ['10.48550/arXiv.2303.08774', '2303.08774', '2303.08774'],
    ['hep-th/9901001', 'hep-th/9901001', 'hep-th/9901001'],
  ];
  for (const [raw, id, arxivId] of cases) {
    assert.deepEqual(recordId(raw), arxivId ? { kind: 'id', id, arxivId } : { kind: 'id', id }, String(raw));
  }
  assert.deepEqual(recordId(undefined), { kind: 'none' });
  assert.deepEqual(recordId(null), { kind: 'none' });
});

test('GIVEN unusable ids THEN each says why', () => {
  const cases: [unknown, RegExp][] = [
    ['', /^empty id$/],
    ['   ', /^empty id$/],
    ['a\u0007b', /control characters/],
    ['line\nbreak', /control characters or line breaks/],
    ['x'.repeat(MAX_ID_LENGTH + 1), /^id longer than 200 characters \(201\)$/],
    [2 ** 60, /can be kept exactly; quote it/],
    [1.5, /quote it/],
    [{ id: 1 }, /neither a string nor a number/],
    [true, /neither a string nor a number/],
  ];
  for (const [raw, reason] of cases) {
    const result = recordId(raw);
    assert.equal(result.kind, 'bad', String(raw));
    assert.match((result as { reason: string }).reason, reason);
  }
  assert.equal(recordId('x'.repeat(MAX_ID_LENGTH)).kind, 'id', 'the limit itself is allowed');
});

test('GIVEN what a user types for a paper THEN the id forms to look up, the text itself first', () => {
  assert.deepEqual(idCandidates(' c_190473 '), ['c_190473']);
  assert.deepEqual(idCandidates('10.1145/ABC'), ['10.1145/ABC', '10.1145/abc']);
  assert.deepEqual(idCandidates('https://doi.org/10.1145/abc'), ['https://doi.org/10.1145/abc', '10.1145/abc']);
  assert.deepEqual(idCandidates('arXiv:2101.12345v2'), ['arXiv:2101.12345v2', '2101.12345']);
  assert.ok(isTitleId(titleId('A title')));
  assert.ok(!isTitleId('t-190473'));
});
