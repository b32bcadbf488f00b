/** Finding the papers a thread mentions: cards, links in every form people paste, bare ids; first mention wins. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPaperMentions } from '../../../src/core/digest/paper-mentions.ts';
import type { ThreadMessage } from '../../../src/core/thread.ts';

let ts = 0;
const message = (author: string, text: string, extra: Partial<ThreadMessage> = {}): ThreadMessage => ({
  author,
  text,
  links: [],
  paperIds: [],
  ts: String(++ts),
  ...extra,
});

test('GIVEN cards, links of every kind and bare ids THEN each paper once, in order of first mention', () => {
  const mentions = findPaperMentions([
    message('paperboy', 'LoRA', { paperIds: ['2106.09685'] }),
    message('Ada', 'compare with', { links: ['https://arxiv.org/abs/1706.03762v5'] }),
    message('Alan', 'HF page https://huggingface.co/papers/2503.20680 and the pdf https://arxiv.org/pdf/2401.00001v2.'),
    message('Grace', 'alphaXiv: https://www.alphaxiv.org/abs/2502.00002 and https://alphaxiv.org/overview/2502.00003'),
    message('Grace', 'html https://arxiv.org/html/2502.00004v1 and again https://arxiv.org/abs/2106.09685'),
    message('Ada', 'bare ids: 2502.00005v2, arXiv:2502.00006 and the classic cs/0112017 (also hep-th/9901001v2)'),
    message('Alan', 'nothing here: 3.14159, v2, 2025.13, and/1234567, https://github.com/x/2502.00099-code'),
    message('Ada', 'the card again', { paperIds: ['t-0123456789ab'] }),
  ]);
  assert.deepEqual(
    mentions.map((m) => [m.id, m.sharedBy]),
    [
      ['2106.09685', 'paperboy'],
      ['1706.03762', 'Ada'],
      ['2503.20680', 'Alan'],
      ['2401.00001', 'Alan'],
      ['2502.00002', 'Grace'],
      ['2502.00003', 'Grace'],
      ['2502.00004', 'Grace'],
      ['2502.00005', 'Ada'],
      ['2502.00006', 'Ada'],
      ['cs/0112017', 'Ada'],
      ['hep-th/9901001', 'Ada'],
      ['t-0123456789ab', 'Ada'],
    ],
  );
  const pdf = mentions.find((m) => m.id === '2401.00001');
  assert.equal(pdf?.link, 'https://arxiv.org/pdf/2401.00001v2', 'the link as shared, without the trailing dot');
  assert.equal(mentions.at(-1)?.arxivId, undefined, 'a card of a paper without an arXiv id has none');
});

test('GIVEN the same paper as a card, a link and an id THEN the first mention says who shared it', () => {
  const mentions = findPaperMentions([
    message('Ada', 'have a look at 2106.09685'),
    message('paperboy', 'card', { paperIds: ['2106.09685'] }),
    message('Alan', 'https://huggingface.co/papers/2106.09685'),
  ]);
  assert.deepEqual(mentions, [{ id: '2106.09685', arxivId: '2106.09685', sharedBy: 'Ada' }]);
});

test('GIVEN a thread without papers THEN none', () => {
  assert.deepEqual(
    findPaperMentions([message('Ada', 'see https://example.com/abs/x, 1234.5678901 and 9913.12345')]),
    [],
  );
});

test('GIVEN a link followed by a 40,000-character run of ")" THEN its paper is found, and a run that ends it is cut', () => {
  const link = 'https://arxiv.org/abs/2501.00001';
  const [ending] = findPaperMentions([message('Eve', `${link}${')'.repeat(40_000)}`)]);
  assert.equal(ending?.id, '2501.00001');
  assert.equal(ending?.link, link);
  const [followed] = findPaperMentions([message('Eve', `${link}${')'.repeat(40_000)}a`)]);
  assert.equal(followed?.id, '2501.00001', 'a letter after the run: the paper is still found');
});
