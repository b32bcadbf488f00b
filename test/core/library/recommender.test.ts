/**
 * The library model learns from the channel's 👎s as negatives (src/core/library/recommender.ts): a paper like a
 * 👎'd one drops in the ranking, and the 👎'd paper itself is never recommended.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recommend, trainLibrary } from '../../../src/core/library/recommender.ts';
import type { Paper } from '../../../src/core/papers/paper.ts';
import { papersInMemory } from '../../../src/core/search/paper-search.ts';
import { papersSnapshot } from '../../../src/core/search/snapshot.ts';

const paper = (id: string, title: string, abstract: string): Paper => ({
  id,
  title,
  abstract,
  authors: [],
  categories: ['cs.LG'],
  source: 'test',
});

const saved = [
  paper('s1', 'Graph neural networks for molecular property prediction', 'Message passing over molecular graphs.'),
  paper('s2', 'Equivariant graph neural networks for molecules', 'Molecular property prediction with symmetry.'),
  paper('s3', 'Pretraining graph neural networks on molecular graphs', 'Self-supervised molecular representations.'),
  paper('s4', 'Graph transformers for molecular property prediction', 'Attention over molecular graphs and bonds.'),
];
const disliked = paper(
  'd1',
  'Graph neural networks for traffic forecasting',
  'Spatio-temporal message passing over road sensor graphs predicts traffic speed.',
);
const likeDisliked = paper(
  'c-traffic',
  'Spatio-temporal graph neural networks for traffic speed forecasting',
  'Road sensor graphs and message passing forecast traffic.',
);
const wanted = [
  paper('c-mol1', 'Graph neural networks for molecular toxicity prediction', 'Molecular graphs and message passing.'),
  paper('c-mol2', 'Contrastive graph neural networks for molecules', 'Molecular property prediction from graphs.'),
  paper('c-crystal', 'Neural networks for property prediction of crystals', 'Materials and their properties.'),
  paper('c-protein', 'Property prediction for proteins', 'Message passing over residue contacts.'),
  paper('c-bonds', 'Learning chemical bonds', 'Bonds and atoms in molecular graphs.'),
];
const filler = Array.from({ length: 24 }, (_, i) =>
  paper(
    `f${i}`,
    ['Speech recognition with transformers', 'Image segmentation benchmarks', 'Reinforcement learning for robots'][
      i % 3
    ]!,
    `Unrelated study number ${['one', 'two', 'three', 'four'][i % 4]} about audio, pixels and rewards.`,
  ),
);
const corpus = [...saved, disliked, likeDisliked, ...wanted, ...filler];

test('GIVEN a 👎 on a paper WHEN recommending again THEN a paper like it drops, and the 👎d paper never shows', async () => {
  const snapshot = papersSnapshot(corpus);
  const fetch = papersInMemory(new Map(corpus.map((p) => [p.id, p])));
  const ranking = async (dislikes: Paper[]) => {
    const trained = await trainLibrary(saved, snapshot, fetch, 'classifier', dislikes);
    return (await recommend(trained, snapshot, fetch, { limit: 10 })).map((r) => r.paper.id);
  };
  const withDisliked = await ranking([]);
  const after = await ranking([disliked]);
  assert.ok(withDisliked.includes('d1'), 'without the 👎 the paper is recommended');
  assert.ok(!after.includes('d1'), 'the 👎d paper is never recommended');
  // Positions among the same papers: the 👎d one left out of the first ranking too.
  const before = withDisliked.filter((id) => id !== 'd1');
  const position = (ranking: string[], id: string) => (ranking.includes(id) ? ranking.indexOf(id) : ranking.length);
  assert.ok(before.includes('c-traffic'));
  assert.ok(
    position(after, 'c-traffic') > position(before, 'c-traffic'),
    `the paper like the 👎d one drops: ${before.join(' ')} → ${after.join(' ')}`,
  );
  assert.ok(position(after, 'c-mol1') <= position(before, 'c-mol1'), 'a wanted paper does not drop');
});
