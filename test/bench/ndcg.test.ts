/** nDCG@10 of the relevance harness, checked against values worked out by hand. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dcg, mean, ndcgAt } from '../../bench/ndcg.ts';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);

test('dcg uses gain 2^g - 1 and discount log2(rank + 1)', () => {
  // ranks 1..3 with grades 3, 0, 1: 7/1 + 0/log2(3) + 1/log2(4) = 7.5
  close(dcg([3, 0, 1]), 7.5);
  close(dcg([]), 0);
});

test('binary relevance: a miss at rank 2 pushes the second hit to rank 3', () => {
  const gains = new Map([
    ['a', 1],
    ['b', 1],
  ]);
  // DCG = 1 + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3)
  close(ndcgAt(10, ['a', 'x', 'b'], gains), 1.5 / (1 + 1 / Math.log2(3)));
});

test('graded relevance: the grade-2 paper before the grade-3 paper', () => {
  const gains = new Map([
    ['a', 3],
    ['b', 2],
    ['c', 0],
  ]);
  // DCG = 3/1 + 7/log2(3); ideal = 7/1 + 3/log2(3)
  close(ndcgAt(10, ['b', 'a'], gains), (3 + 7 / Math.log2(3)) / (7 + 3 / Math.log2(3)));
  close(ndcgAt(10, ['a', 'b', 'c'], gains), 1);
});

test('only the first k results count, and the ideal uses the best k gains', () => {
  const ids = Array.from({ length: 12 }, (_, i) => `d${i}`);
  const gains = new Map(ids.map((id) => [id, 1]));
  close(ndcgAt(10, ids.slice(0, 10), gains), 1);
  const hitAt11 = [...Array.from({ length: 10 }, (_, i) => `miss${i}`), 'd0'];
  close(ndcgAt(10, hitAt11, gains), 0);
});

test('unjudged ids, judged-zero ids, empty rankings and empty judgments score nothing', () => {
  const gains = new Map([
    ['a', 0],
    ['b', 1],
  ]);
  close(ndcgAt(10, ['a', 'zzz'], gains), 0);
  close(ndcgAt(10, [], gains), 0);
  close(ndcgAt(10, ['a'], new Map()), 0);
  close(ndcgAt(10, ['a'], new Map([['a', 0]])), 0);
});

test('a repeated id earns its gain only once', () => {
  const gains = new Map([
    ['a', 1],
    ['b', 1],
  ]);
  // ranking a, a: DCG = 1 (second a earns 0); ideal = 1 + 1/log2(3)
  close(ndcgAt(10, ['a', 'a'], gains), 1 / (1 + 1 / Math.log2(3)));
});

test('mean of per-query scores, 0 for no queries', () => {
  close(mean([1, 0.5, 0]), 0.5);
  close(mean([]), 0);
});
