/** The baseline engines of the relevance harness and scale bench: ranking basics and hostile queries. */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import lunr from 'lunr';
import { createFts5Engine, fts5OrQuery, fts5Words, RELATED_MAX_TERMS } from '../../bench/baselines/fts5.ts';
import { createPlainLunrEngine, plainQueryTokens } from '../../bench/baselines/plain-lunr.ts';
import type { EvalDoc } from '../../bench/engine.ts';

const docs: EvalDoc[] = [
  {
    id: 'lora',
    title: 'LoRA: Low-Rank Adaptation of Large Language Models',
    abstract: 'We freeze the pretrained weights and inject trainable rank decomposition matrices.',
    authors: ['Edward Hu', 'Yelong Shen'],
  },
  {
    id: 'qlora',
    title: 'QLoRA: Efficient Finetuning of Quantized LLMs',
    abstract: 'Low-rank adapters on a frozen 4-bit quantized language model; finetuning large language models cheaply.',
    authors: ['Tim Dettmers'],
  },
  {
    id: 'diffusion',
    title: 'Denoising Diffusion Probabilistic Models',
    abstract: 'High quality image synthesis with diffusion probabilistic models.',
    authors: ['Jonathan Ho', 'Pieter Abbeel'],
  },
  {
    id: 'mentions-diffusion',
    title: 'A survey of generative image models',
    abstract: 'GANs, VAEs and denoising diffusion.',
    authors: ['Edward Survey'],
  },
];

const hostile = [
  '',
  '   ',
  'foo:',
  'title:',
  '~',
  'x~',
  'x^',
  '-',
  '+',
  '*',
  '"',
  '""',
  '"unclosed',
  'bert?',
  '(time',
  'NEAR(a b)',
  'a AND OR NOT b',
  'col:lora',
  '^lora',
  '@everyone <!channel> <@U123>',
  '🦙 llama 🔥',
  "it's",
  'x'.repeat(4000),
  'lora '.repeat(800),
];

/** The baselines answer synchronously (paperboy's engine, over the store, does not; EvalEngine allows both). */
const engines: Array<[string, () => ReturnType<typeof createPlainLunrEngine | typeof createFts5Engine>]> = [
  ['plain Lunr', () => createPlainLunrEngine()],
  ['SQLite FTS5', () => createFts5Engine()],
];

for (const [name, create] of engines) {
  test(`${name}: finds papers by title, abstract and author words`, async () => {
    const engine = create();
    await engine.build(docs);
    assert.equal(engine.search('denoising diffusion models', 10)[0], 'diffusion');
    assert.ok(engine.search('dettmers', 10).includes('qlora'));
    assert.deepEqual(engine.search('nothing-matches-zzz', 10), []);
    assert.equal(engine.search('language models', 1).length, 1);
  });

  test(`${name}: related papers exclude the paper itself`, async () => {
    const engine = create();
    await engine.build(docs);
    const related = engine.related('lora', 10);
    assert.equal(related[0], 'qlora');
    assert.ok(!related.includes('lora'));
    assert.deepEqual(engine.related('no-such-id', 10), []);
  });

  test(`${name}: hostile and random queries never throw`, async () => {
    const engine = create();
    await engine.build(docs);
    for (const q of hostile) assert.ok(Array.isArray(engine.search(q, 10)), JSON.stringify(q));
    assert.equal(engine.search('(time bert? "lora"', 10)[0], 'lora');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (q) => Array.isArray(engine.search(q, 5))),
      { numRuns: 300 },
    );
  });
}

test('plain Lunr query words: lower-cased, split on spaces and hyphens, trimmed, no wildcards', () => {
  assert.deepEqual(plainQueryTokens('Low-Rank (LoRA) adapters? *'), ['low', 'rank', 'lora', 'adapters']);
  assert.deepEqual(plainQueryTokens('a*b'), ['ab']);
});

test('plain Lunr boosts: a title match outranks an abstract match only when title is boosted', () => {
  const corpus: EvalDoc[] = [
    { id: 'in-abstract', title: 'Other things', abstract: 'gradient gradient checkpointing', authors: [] },
    {
      id: 'in-title',
      title: 'Gradient notes',
      abstract: 'memory savings for training deep networks today',
      authors: [],
    },
  ];
  const plain = createPlainLunrEngine();
  plain.build(corpus);
  assert.equal(plain.search('gradient', 2)[0], 'in-abstract');
  const boosted = createPlainLunrEngine({ boosts: { title: 10, authors: 5 } });
  boosted.build(corpus);
  assert.equal(boosted.search('gradient', 2)[0], 'in-title');
  assert.ok(boosted.index instanceof lunr.Index);
});

test('FTS5 query: words OR-ed as quoted strings, capped, never raw syntax', () => {
  assert.deepEqual(fts5Words('LoRA: low-rank "adapters" NEAR(x) é'), [
    'lora',
    'low',
    'rank',
    'adapters',
    'near',
    'x',
    'é',
  ]);
  assert.equal(fts5OrQuery(['a', 'b', 'a']), '"a" OR "b"');
  assert.equal(fts5OrQuery(['say "hi"']), '"say ""hi"""');
  assert.equal(fts5OrQuery([]), '');
  assert.equal(fts5OrQuery(['a', 'b', 'c'], 2), '"a" OR "b"');
  assert.ok(RELATED_MAX_TERMS >= 100);
});

test('FTS5 weights: a title match outranks an abstract match only when title weighs more', () => {
  const corpus: EvalDoc[] = [
    { id: 'in-abstract', title: 'Other things', abstract: 'gradient gradient checkpointing', authors: [] },
    {
      id: 'in-title',
      title: 'Gradient notes',
      abstract: 'memory savings for training deep networks today',
      authors: [],
    },
  ];
  const plain = createFts5Engine();
  plain.build(corpus);
  assert.equal(plain.search('gradient', 2)[0], 'in-abstract');
  const weighted = createFts5Engine({ weights: { title: 10, authors: 5 } });
  weighted.build(corpus);
  assert.equal(weighted.search('gradient', 2)[0], 'in-title');
  plain.close();
  weighted.close();
});

test('FTS5 related: a long paper with more than the term cap still works', () => {
  const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
  const corpus: EvalDoc[] = [
    { id: 'long', title: 'Long', abstract: words.join(' '), authors: [] },
    { id: 'early', title: 'Early', abstract: words.slice(0, 50).join(' '), authors: [] },
    { id: 'late', title: 'Late', abstract: words.slice(300).join(' '), authors: [] },
  ];
  const engine = createFts5Engine();
  engine.build(corpus);
  // only the first RELATED_MAX_TERMS distinct words are used, so 'late' cannot match
  assert.deepEqual(engine.related('long', 10), ['early']);
  engine.close();
});

test('FTS5 on disk: build once, open later (cold start), rebuild replaces; bad weights are refused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-fts5-'));
  const filename = path.join(dir, 'index.db');
  try {
    const first = createFts5Engine({ filename });
    first.build(docs);
    first.build(docs);
    first.close();
    const reopened = createFts5Engine({ filename });
    reopened.open();
    assert.equal(reopened.search('denoising diffusion', 10).filter((id) => id === 'diffusion').length, 1);
    assert.equal(reopened.related('lora', 10)[0], 'qlora');
    assert.ok(!reopened.related('lora', 10).includes('lora'));
    reopened.close();
    assert.throws(() => createFts5Engine({ filename: path.join(dir, 'missing.db') }).open());
    assert.throws(() => createFts5Engine({ weights: { title: Number.NaN } }), /finite number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
