/** Issue 13's ranking rules, each on a small corpus where the rule decides the order (and the order differs without it). */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RANKING } from '../../../src/core/search/engine.ts';
import { planQuery } from '../../../src/core/search/query-plan.ts';
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

test('GIVEN a paper named by its title (LISA: …) THEN the query lisa finds it first, and does not without the rule', async () => {
  assert.match(await first('lisa'), /^LISA:/);
  assert.match(await first('LISA'), /^LISA:/);
  await without('titleMatchFirst', false, async () => assert.doesNotMatch(await first('lisa'), /^LISA:/));
});

test('GIVEN a query that is a whole title THEN that paper is first', async () => {
  assert.equal(await first('robot position estimation'), 'Robot position estimation');
  assert.equal(await first('Efficient inference'), 'Efficient inference');
});

test('GIVEN a name written like a common word (Position: …) THEN the query position is a topic, not that name', async () => {
  assert.equal(await first('position'), 'Robot position estimation');
  await without('wordNameMaxDocShare', 1, async () =>
    assert.equal(await first('position'), 'Position: Agents Need Memory'),
  );
});

test('GIVEN a short query that stands as a phrase in one title THEN that paper outranks one that only repeats it', async () => {
  assert.match(await first('kv cache compression'), /^KV Cache Compression/);
  await without('titlePhraseFirst', false, async () =>
    assert.equal(await first('kv cache compression'), 'Cache compression of KV pairs'),
  );
});

test('GIVEN a prose query THEN only the opening request is dropped; topic words and subscriptions keep every word', async () => {
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
