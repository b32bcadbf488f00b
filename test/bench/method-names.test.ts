/** The method-name known-item set: the builder's rule and edge cases, the sample, the known-item figures. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleCorpus } from '../../bench/datasets/method-names.ts';
import { firstKnownRank, knownItemScores } from '../../bench/known-item.ts';
import { buildMethodNameSet, namedStrings, titleName } from '../../bench/method-names/build.ts';

test('a title name is the one word before the colon, of a name shape', () => {
  assert.equal(titleName('LISA: Reasoning Segmentation via Large Language Model'), 'LISA');
  assert.equal(titleName('GPT-4o: a report'), 'GPT-4o');
  assert.equal(titleName('Qwen2.5-VL: a report'), 'Qwen2.5-VL');
  assert.equal(titleName('DuQuant++: rotations'), 'DuQuant++');
  assert.equal(titleName('Position Paper: words'), undefined);
  assert.equal(titleName('$\\pi$-RL: symbols'), undefined);
  assert.equal(titleName('3D: one letter'), undefined);
  assert.equal(titleName('X: too short'), undefined);
  assert.equal(titleName('LISA:no space after the colon'), undefined);
  assert.equal(titleName('No colon here'), undefined);
});

test('a text names every run and every part of a run between connectors', () => {
  const named = namedStrings('A LISA-based model beats GPT-4o-mini (and LISA).');
  for (const s of ['LISA-based', 'LISA', 'based', 'GPT-4o-mini', 'GPT-4o', '4o-mini', 'model']) {
    assert.ok(named.has(s), s);
  }
  assert.ok(!named.has('LISA).'));
  assert.deepEqual([...namedStrings('DuQuant++ wins', new Set(['DuQuant++']))], ['DuQuant++']);
});

const paper = (id: string, title: string, abstract = '') => ({ id, title, abstract });

test('the rule: named by two other papers, mostly a name, one query per lower-cased name', () => {
  const set = buildMethodNameSet([
    paper('1', 'LISA: Reasoning Segmentation'),
    paper('2', 'Segmentation', 'We compare with LISA.'),
    paper('3', 'Reasoning', 'A LISA-based model.'),
    // Named by one other paper only.
    paper('4', 'RARE: a method'),
    paper('5', 'Other', 'RARE is cited once.'),
    // Written as an ordinary word by more papers than as a name.
    paper('6', 'METHOD: a general approach'),
    paper('7', 'A', 'METHOD and METHOD.'),
    paper('8', 'B', 'Our METHOD here.'),
    paper('9', 'C', 'This method works.'),
    paper('10', 'D', 'The method fails.'),
    paper('11', 'E', 'No method at all.'),
    // Two spellings, two papers: one query, both known items.
    paper('12', 'Mosaic: tiles'),
    paper('13', 'MOSAIC: more tiles'),
    paper('14', 'F', 'Mosaic and MOSAIC differ.'),
    paper('15', 'G', 'Mosaic again, MOSAIC again.'),
    // Another spelling named by no one else: still a right answer to the query its twin passes.
    paper('19', 'Lisa: a different paper'),
    // All lower case: a word, never a name.
    paper('16', 'cubic: splines'),
    paper('17', 'H', 'cubic cubic'),
    paper('18', 'I', 'cubic'),
  ]);
  assert.deepEqual(
    set.queries.map((q) => [q.query, q.names, q.knownIds]),
    [
      ['lisa', ['LISA', 'Lisa'], ['1', '19']],
      ['mosaic', ['MOSAIC', 'Mosaic'], ['12', '13']],
    ],
  );
  assert.deepEqual(set.stats, {
    papers: 19,
    namedTitles: 7,
    distinctNames: 7,
    droppedFewMentions: 2,
    droppedCommonWord: 2,
  });
});

test('the sample keeps every known item plus N others, the same ones on every run, in corpus order', () => {
  const papers = Array.from({ length: 50 }, (_, i) => ({ id: `p${i}` }));
  const a = sampleCorpus(papers, new Set(['p7', 'p42']), 5);
  assert.equal(a.length, 7);
  assert.ok(a.some((p) => p.id === 'p7') && a.some((p) => p.id === 'p42'));
  assert.deepEqual(a, sampleCorpus(papers, new Set(['p7', 'p42']), 5));
  assert.deepEqual(
    a.map((p) => Number(p.id.slice(1))),
    a.map((p) => Number(p.id.slice(1))).sort((x, y) => x - y),
  );
});

test('known-item figures: rank of the first known item, success@1/@3, MRR@10', () => {
  const known = new Set(['b', 'd']);
  assert.equal(firstKnownRank(['a', 'b', 'd'], known, 10), 2);
  assert.equal(firstKnownRank(['a', 'c'], known, 10), undefined);
  assert.equal(firstKnownRank(['a', 'c', 'b'], known, 2), undefined);
  assert.deepEqual(knownItemScores(1), { success1: 1, success3: 1, mrr10: 1 });
  assert.deepEqual(knownItemScores(3), { success1: 0, success3: 1, mrr10: 1 / 3 });
  assert.deepEqual(knownItemScores(11), { success1: 0, success3: 0, mrr10: 0 });
  assert.deepEqual(knownItemScores(undefined), { success1: 0, success3: 0, mrr10: 0 });
});
