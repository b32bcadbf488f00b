import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import lunr from 'lunr';
import { parsePaperLine, readFirstLines } from '../../../bench/scale/corpus.ts';
import { benchQueries } from '../../../bench/scale/queries.ts';
import { buildReferenceLunrIndex, compareWithLunr } from '../../../bench/support/lunr-reference.ts';
import { toIndexDoc } from '../../../src/core/search/paper-segment.ts';
import { buildSearchIndex, type Clause, type IndexDoc, LUNR_SCORING } from '../../../src/core/search/search-index.ts';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/arxiv-cs-2025-26.jsonl.gz', import.meta.url));
const SMALL: IndexDoc[] = [
  {
    id: 'a',
    title: 'LoRA: Low-Rank Adaptation of Large Language Models',
    abstract: 'We adapt large models with low-rank updates (LoRA) -- cheaply.',
    authors: 'Edward Hu, Yelong Shen',
  },
  {
    id: 'b',
    title: 'Diffusion models beat GANs',
    abstract: 'Diffusion, diffusion and more diffusion: image synthesis with — score models.',
    authors: 'Prafulla Dhariwal',
  },
  {
    id: 'c',
    title: 'Attention is all you need',
    abstract: 'The transformer, a model of attention only ( ) for translation.',
    authors: 'Ashish Vaswani, Noam Shazeer',
  },
  {
    id: 'd',
    title: 'Transformers for language',
    abstract: 'Transformer language models, transformations and attention heads.',
    authors: '',
  },
];

test(
  'GIVEN a few documents ' + "THEN the search index gives lunr.Index#query's results and scores for every clause kind",
  () => {
    const lunrIndex = buildReferenceLunrIndex(SMALL);
    const index = buildSearchIndex(SMALL, LUNR_SCORING);
    const cases: [string, (q: lunr.Query) => void, Clause[]][] = [
      [
        'optional',
        (q) => {
          q.term('attent', { usePipeline: false });
          q.term('model', { usePipeline: false });
        },
        [
          { term: 'attent', analyzed: true },
          { term: 'model', analyzed: true },
        ],
      ],
      [
        'required + prohibited',
        (q) => {
          q.term('model', { usePipeline: false, presence: lunr.Query.presence.REQUIRED });
          q.term('diffus', { usePipeline: false, presence: lunr.Query.presence.PROHIBITED });
        },
        [
          { term: 'model', analyzed: true, presence: 'required' },
          { term: 'diffus', analyzed: true, presence: 'prohibited' },
        ],
      ],
      [
        'fields + boost',
        (q) => {
          q.term('attent', { usePipeline: false, fields: ['title'], boost: 3 });
          q.term('languag', { usePipeline: false, boost: 0.5 });
        },
        [
          { term: 'attent', analyzed: true, fields: ['title'], boost: 3 },
          { term: 'languag', analyzed: true, boost: 0.5 },
        ],
      ],
      [
        'prefix',
        (q) => {
          q.term('transform', { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, fields: ['title'] });
        },
        [{ term: 'transform', prefix: true, fields: ['title'] }],
      ],
      [
        'pipeline',
        (q) => {
          q.term('models', {});
        },
        [{ term: 'models' }],
      ],
    ];
    for (const [name, build, clauses] of cases) {
      const expected = lunrIndex
        .query(build)
        .map((r) => ({ ref: r.ref, score: r.score, matched: Object.keys(r.matchData.metadata).sort() }));
      const actual = index
        .top(clauses, Number.POSITIVE_INFINITY)
        .map((s) => ({ ref: s.ref, score: s.score, matched: [...s.matched.keys()].sort() }));
      assert.equal(actual.length, expected.length, name);
      for (let i = 0; i < expected.length; i++) {
        assert.ok(
          Math.abs(actual[i]!.score - expected[i]!.score) < 1e-9,
          `${name}: score ${actual[i]!.score} vs ${expected[i]!.score}`,
        );
        assert.deepEqual(actual.map((a) => a.ref).sort(), expected.map((e) => e.ref).sort(), name);
      }
      for (const e of expected)
        assert.deepEqual(actual.find((a) => a.ref === e.ref)!.matched, e.matched, `${name}: matched of ${e.ref}`);
    }
  },
);

test("GIVEN 3,000 real papers THEN every bench query has Lunr's top 10 with scores within 1e-6", {
  skip: !existsSync(CORPUS) && 'shared corpus missing',
}, async () => {
  const papers = (await readFirstLines(CORPUS, 3000)).map(parsePaperLine);
  const docs = papers.map(toIndexDoc);
  const queries = benchQueries(papers.map((p) => ({ id: p.id, title: p.title }))).map((q) => q.text);
  const result = compareWithLunr(docs, queries);
  assert.ok(result.total >= 300, `${result.total} queries`);
  assert.equal(result.identical, result.total, JSON.stringify(result.failures.slice(0, 2)));
});
