/** Issue 13's ranking rules, each on a small corpus where the rule decides the order (and it differs without it). */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RANKING } from '../../../src/core/search/engine.ts';
import { PLAN, planQuery } from '../../../src/core/search/query-plan.ts';
import type { Paperboy } from '../../../src/paperboy.ts';
import { testPaperboy } from '../../support/paperboy.ts';

let pb: Paperboy;
let n = 0;
const paper = (title: string, abstract: string) => ({
  arxivId: `2601.${String(++n).padStart(5, '0')}`,
  title,
  abstract,
  authors: ['A. Author'],
  published: '2026-01-01',
  categories: ['cs.LG'],
});
const filler = Array.from({ length: 120 }, (_, i) =>
  paper(`Filler study number ${i} of graphs`, `We study graphs and networks, case ${i}, with no other topic at all.`),
);

before(async () => {
  pb = await testPaperboy({
    builtin: false,
    papers: [
      paper('LISA: Layerwise Importance Sampling for Memory-Efficient Fine-Tuning', 'We sample layers by importance.'),
      paper(
        'Reasoning segmentation benchmarks',
        'We compare LISA, LISA-7B and LISA-13B; LISA wins on LISA-style reasoning segmentation.',
      ),
      paper('Position: Agents Need Memory', 'We argue agents need memory.'),
      paper('Robot position estimation', 'Position and position error of a robot: position filters for position.'),
      paper('KV Cache Compression for Long Context Language Models at Scale', 'We shrink memory use.'),
      paper('Efficient inference', 'We study inference.'),
      paper(
        'Cache compression of KV pairs',
        'KV cache compression, cache eviction and KV cache compression again: compression of the KV cache.',
      ),
      paper(
        'Sparse attention kernels',
        'Sparse attention kernels, and sparse attention kernels again: sparse attention kernels on GPUs.',
      ),
      paper('Notes on accelerators', 'A short note on pruning sparse attention kernels.'),
      ...filler,
    ],
  });
});

after(async () => {
  await pb.close();
});

const titles = async (query: string) =>
  (await pb.services.search.search(query, { limit: 3 })).hits.map((h) => h.paper.title);
const first = async (query: string) => (await titles(query))[0]!;

async function without<K extends keyof typeof RANKING>(
  key: K,
  value: (typeof RANKING)[K],
  run: () => Promise<void>,
): Promise<void> {
  const saved = RANKING[key];
  RANKING[key] = value;
  try {
    await run();
  } finally {
    RANKING[key] = saved;
  }
}

test('GIVEN a paper named by its title (LISA: …) THEN lisa finds it first, not without the rule', async () => {
  assert.match(await first('lisa'), /^LISA:/);
  assert.match(await first('LISA'), /^LISA:/);
  await without('titleMatchFirst', false, async () => assert.doesNotMatch(await first('lisa'), /^LISA:/));
});

test('GIVEN a query that is a whole title THEN that paper is first', async () => {
  assert.equal(await first('robot position estimation'), 'Robot position estimation');
  assert.equal(await first('Efficient inference'), 'Efficient inference');
});

test('GIVEN a name written like a word (Position: …) THEN the query position is a topic, not that name', async () => {
  assert.equal(await first('position'), 'Robot position estimation');
  await without('wordNameMaxDocShare', 1, async () =>
    assert.equal(await first('position'), 'Position: Agents Need Memory'),
  );
});

test('GIVEN a short query that is a phrase in one title THEN it outranks one that only repeats it', async () => {
  assert.match(await first('kv cache compression'), /^KV Cache Compression/);
  await without('titlePhraseFirst', false, async () =>
    assert.equal(await first('kv cache compression'), 'Cache compression of KV pairs'),
  );
});

test('GIVEN a prose query THEN only its opening request is dropped; subscriptions keep every word', async () => {
  const words = (q: string, subscription = false) => planQuery(q, undefined, { subscription }).words.map((w) => w.text);
  assert.deepEqual(words("I'd like papers on related work generation for scientific papers"), [
    'papers',
    'related',
    'work',
    'generation',
    'for',
    'scientific',
  ]);
  assert.deepEqual(words('What articles exist which deal with reference resolution in dialogue?'), [
    'reference',
    'resolution',
    'in',
    'dialogue',
  ]);
  assert.deepEqual(words('Documents clustering with examples of interest to library users'), [
    'documents',
    'clustering',
    'with',
    'examples',
    'of',
    'interest',
    'to',
    'library',
    'users',
  ]);
  assert.deepEqual(words("I'd like papers on related work generation for scientific papers", true), [
    "i'd",
    'like',
    'papers',
    'on',
    'related',
    'work',
    'generation',
    'for',
    'scientific',
  ]);
});

test(
  'GIVEN a short query THEN it is ranked over all its words, as prose is (issue 25); ' +
    'WITH all words first switched on THEN the paper with every word comes first',
  async () => {
    // "Notes on accelerators" is the one paper with every word; the other repeats three of them in title and abstract.
    assert.equal(planQuery('pruning sparse attention kernels').prose, undefined);
    assert.equal(planQuery('papers on pruning of sparse attention kernels').prose, true);
    assert.equal(await first('pruning sparse attention kernels'), 'Sparse attention kernels');
    RANKING.fullFirst = true;
    try {
      assert.equal(await first('pruning sparse attention kernels'), 'Notes on accelerators');
      const saved = PLAN.sentenceQueryWords;
      PLAN.sentenceQueryWords = 3;
      try {
        assert.equal(await first('pruning sparse attention kernels'), 'Sparse attention kernels');
      } finally {
        PLAN.sentenceQueryWords = saved;
      }
    } finally {
      RANKING.fullFirst = false;
    }
  },
);

test('GIVEN words that can be topics (related, works, example, interest, reference) THEN prose keeps them', () => {
  const words = (q: string) => planQuery(q).words.map((w) => w.text);
  const topics = ['related', 'works', 'example', 'interest', 'reference'];
  const kept = words("I'm interested in papers on example selection for related works, reference lists and interest");
  assert.equal(kept[0], 'example');
  for (const topic of topics) assert.ok(kept.includes(topic), `${topic} kept in ${kept.join(' ')}`);
  for (const topic of topics) assert.deepEqual(words(`${topic} extraction`), [topic, 'extraction']);
  const subscribed = planQuery('papers on related works and reference example interest', undefined, {
    subscription: true,
  });
  assert.deepEqual(
    subscribed.words.map((w) => w.text),
    ['papers', 'on', 'related', 'works', 'and', 'reference', 'example', 'interest'],
  );
});

test('GIVEN a fielded query (title:) THEN only title matches count, and the title/name rule stays out', async () => {
  // The benchmark paper names LISA only in its abstract.
  const found = await titles('title:lisa');
  assert.deepEqual(found, ['LISA: Layerwise Importance Sampling for Memory-Efficient Fine-Tuning']);
  assert.ok((await titles('lisa')).includes('Reasoning segmentation benchmarks'));
  assert.equal(await first('title:"kv cache"'), 'KV Cache Compression for Long Context Language Models at Scale');
  assert.equal(await first('title:position'), 'Robot position estimation');
});
