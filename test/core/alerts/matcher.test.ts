import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusVocabulary, matchBatch, queryProblem } from '../../../src/core/alerts/matcher.ts';
import type { Paper } from '../../../src/core/papers/paper.ts';
import { learnAcronyms } from '../../../src/core/search/acronyms.ts';
import { papersSnapshot } from '../../../src/core/search/snapshot.ts';
import type { Subscription } from '../../../src/core/store/store.ts';

function paper(id: string, title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    arxivId: id,
    title,
    abstract,
    authors: ['Ann Author'],
    categories: ['cs.CL'],
    source: 'test',
    published: '2025-03-18',
    ...extra,
  };
}

function sub(id: number, query: string): Subscription {
  return {
    id,
    platform: 'console',
    workspaceId: '',
    channelId: `c${id}`,
    query,
    mode: 'instant',
    createdAt: '2025-01-01T00:00:00Z',
  };
}

const PAPERS = [
  paper(
    '2503.00001',
    'LoRA adapters for small models',
    'We fine-tune small language models with low-rank adapters and study reasoning.',
  ),
  paper('2503.00002', 'Video diffusion at scale', 'A diffusion model for video generation with adapters.', {
    categories: ['cs.CV'],
    authors: ['Yann Example'],
  }),
  paper('2503.00003', 'Speculative decoding survey', 'A survey of speculative decoding for large language models.', {
    categories: ['cs.CL'],
  }),
  paper('2503.00004', 'Image diffusion transformers', 'Diffusion transformers for image synthesis.', {
    categories: ['cs.CV'],
  }),
];

function ids(query: string, papers = PAPERS): string[] {
  return matchBatch(papers, [sub(1, query)])
    .map((m) => m.paper.id)
    .sort();
}

test(
  'GIVEN the query language ' +
    'THEN alert matching means what search means: all words, phrases, exclusions, author:, cat:',
  () => {
    assert.deepEqual(ids('diffusion'), ['2503.00002', '2503.00004']);
    assert.deepEqual(ids('diffusion -video'), ['2503.00004']);
    assert.deepEqual(ids('"speculative decoding"'), ['2503.00003']);
    assert.deepEqual(ids('author:yann'), ['2503.00002']);
    assert.deepEqual(ids('diffusion cat:cs.CV -transformers'), ['2503.00002']);
    assert.deepEqual(ids('adapters'), ['2503.00001', '2503.00002']);
  },
);

test('GIVEN a paper matching only some words THEN it does not alert (no partial matches)', () => {
  assert.deepEqual(ids('diffusion reasoning'), []);
  assert.deepEqual(ids('lora reasoning'), ['2503.00001']);
});

test('GIVEN a match THEN it says which words matched', () => {
  const [match] = matchBatch(PAPERS, [sub(1, 'lora reasoning')]);
  assert.deepEqual(match!.matched, ['lora', 'reasoning']);
  const [filterOnly] = matchBatch(PAPERS, [sub(2, 'cat:cs.CL speculative')]);
  assert.deepEqual(filterOnly!.matched, ['speculative']);
});

test('GIVEN the corpus vocabulary THEN an acronym finds its long form in a batch too small to learn it', () => {
  const corpus = [
    paper(
      '2401.1',
      'Low-rank adaptation (LoRA) of large language models',
      'We propose low-rank adaptation (LoRA), which freezes weights.',
    ),
  ];
  const snapshot = papersSnapshot(corpus, learnAcronyms(corpus));
  const batch = [
    paper('2503.9', 'Efficient low-rank adaptation for speech', 'We adapt speech models with low-rank adaptation.'),
  ];
  const matches = matchBatch(batch, [sub(1, 'lora')], corpusVocabulary(snapshot));
  assert.equal(matches.length, 1);
  assert.equal(matchBatch(batch, [sub(1, 'lora')]).length, 0, 'without the corpus vocabulary there is no expansion');
});

test('GIVEN many subscriptions THEN each gets exactly its own matches from the batch', () => {
  const subs = Array.from({ length: 50 }, (_, i) => sub(i + 1, i % 2 ? 'diffusion' : 'lora'));
  const matches = matchBatch(PAPERS, subs);
  assert.equal(matches.length, 25 * 2 + 25 * 1);
  for (const s of subs) {
    const papers = matches.filter((m) => m.subscription.id === s.id).map((m) => m.paper.id);
    assert.deepEqual(papers.sort(), ids(s.query), `subscription ${s.id} (${s.query})`);
  }
  assert.equal(matchBatch([], subs).length, 0);
});

test('GIVEN an unusable query THEN subscribing explains why', () => {
  assert.match(queryProblem('-everything') ?? '', /no words/);
  assert.equal(queryProblem('lora'), undefined);
  assert.ok(queryProblem('x'.repeat(5000)));
});
