import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { before, test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { keptAcronymsJSON, persistedAcronymsJSON } from '../../../src/core/search/acronym-snapshot.ts';
import {
  type AcronymPair,
  AcronymTable,
  extractAcronymPairs,
  learnAcronyms,
  normalizeLongForm,
  shortFormKey,
  singularizePair,
} from '../../../src/core/search/acronyms.ts';
import { compactKey, splitCompound, tokenize } from '../../../src/core/search/text-variants.ts';

const CORPUS = new URL('../../../../shared/corpus/arxiv-cs-2025-26.jsonl.gz', import.meta.url);
const LABELED = new URL('../../fixtures/acronyms-labeled.json', import.meta.url);
const CORPUS_LINES = 3000;

interface CorpusPaper {
  id: string;
  title: string;
  abstract: string;
}

/** The first `limit` papers of the real corpus, streamed (the whole file is 40 MB gzipped). */
async function readCorpusHead(limit: number): Promise<CorpusPaper[]> {
  const stream = createReadStream(CORPUS).pipe(createGunzip());
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const papers: CorpusPaper[] = [];
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      papers.push(JSON.parse(line) as CorpusPaper);
      if (papers.length >= limit) break;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return papers;
}

const pairKey = (pair: AcronymPair): string => {
  const p = singularizePair(pair);
  return `${shortFormKey(p.short)}=${compactKey(p.long)}`;
};
const keys = (pairs: AcronymPair[]): string[] => pairs.map(pairKey);

// ---------------------------------------------------------------------------------------------------------
// Extraction

test('GIVEN "long form (SF)" definitions THEN the pairs are extracted, hyphenated and plural ones included', () => {
  const text =
    'We study Low-Rank Adaptation (LoRA) and reinforcement learning from human feedback (RLHF) for large ' +
    'language models (LLMs), and compress the Key-Value (KV) cache with a Mixture-of-Experts (MoE) router.';
  assert.deepEqual(extractAcronymPairs(text), [
    { short: 'LoRA', long: 'Low-Rank Adaptation' },
    { short: 'RLHF', long: 'reinforcement learning from human feedback' },
    { short: 'LLMs', long: 'large language models' },
    { short: 'KV', long: 'Key-Value' },
    { short: 'MoE', long: 'Mixture-of-Experts' },
  ]);
});

test('GIVEN "SF (long form)" THEN the short form before the parenthesis is paired with its content', () => {
  assert.deepEqual(
    extractAcronymPairs('We present VISTA (Viewpoint-based Image selection with Semantic Task Awareness), a method.'),
    [{ short: 'VISTA', long: 'Viewpoint-based Image selection with Semantic Task Awareness' }],
  );
  assert.deepEqual(extractAcronymPairs('We fine-tune with LoRA (Low-Rank Adaptation) on each task.'), [
    { short: 'LoRA', long: 'Low-Rank Adaptation' },
  ]);
});

test('GIVEN a citation after the short form THEN only the short form is used', () => {
  assert.deepEqual(extractAcronymPairs('Low-Rank Adaptation (LoRA; Hu et al., 2021) freezes the weights.'), [
    { short: 'LoRA', long: 'Low-Rank Adaptation' },
  ]);
});

test('GIVEN the nearest match is too short THEN the word-initial alignment is preferred', () => {
  // Plain Schwartz & Hearst returns "Policy Optimization" and "Local Adapter" here.
  assert.deepEqual(keys(extractAcronymPairs('by revisiting Proximal Policy Optimization (PPO), we')), [
    'ppo=proximalpolicyoptimization',
  ]);
  assert.deepEqual(keys(extractAcronymPairs('we propose Ladder Local Adapter (LLA) to refocus')), [
    'lla=ladderlocaladapter',
  ]);
  // ...but not at the price of reaching back over unrelated words.
  assert.deepEqual(keys(extractAcronymPairs('To address this, we introduce the Attribute (Att) head.')), [
    'att=attribute',
  ]);
});

test('GIVEN a digit 2 THEN it can stand for "to"', () => {
  assert.deepEqual(keys(extractAcronymPairs('Text-to-Image (T2I) and Sequence-to-Sequence (Seq2Seq) models')), [
    't2i=texttoimage',
    'seq2seq=sequencetosequence',
  ]);
});

test('GIVEN a generic head noun after the name THEN it is dropped from the long form', () => {
  assert.deepEqual(extractAcronymPairs('a Semantic-Driven Visual Prompt Tuning framework (SDVPT) that'), [
    { short: 'SDVPT', long: 'Semantic-Driven Visual Prompt Tuning' },
  ]);
  // A noun that belongs to the name stays.
  assert.deepEqual(extractAcronymPairs('a Graph Neural Network (GNN) and a large language model (LLM)'), [
    { short: 'GNN', long: 'Graph Neural Network' },
    { short: 'LLM', long: 'large language model' },
  ]);
});

test('GIVEN parentheses that are not definitions THEN nothing is extracted', () => {
  const garbage = [
    'strong baselines (e.g., BERT) are used',
    'as shown before (Smith et al., 2020) in detail',
    'accuracy improves (see Fig. 3) over time',
    'results in 2023 (2023) were',
    'the steps are (i) retrieve and (ii) rank, then (III) verify',
    'our approach (ours) wins',
    'the BERT model (BERT) is fine-tuned',
    'and their code-mixed variants (Te-En, Hi-En, Ka-En, Ta-En), including',
    'and faster encoding, we propose an alternate optimization strategy (A-RDO).',
    'skin color measurement methods from dermatoscopic images using a synthetic (S-SYNTH) pipeline',
    'the speedup is large (+12.5%) on GPUs (NVIDIA A100)',
    'unbalanced (( nested (LoRA) parens',
    '',
    '(LoRA)',
    'Low-Rank Adaptation ()',
  ];
  for (const text of garbage) assert.deepEqual(extractAcronymPairs(text), [], text);
});

// Sized like a backtracking regex's worst cases; speed itself is not asserted (npm test has no timing checks).
test('GIVEN hostile input THEN extraction never throws, and each of 400 repeated definitions is found', () => {
  const inputs = [
    '('.repeat(5000),
    ')'.repeat(5000),
    `${'a '.repeat(3000)}(AAAAAAAAAA)`,
    `${'Low-Rank Adaptation (LoRA) '.repeat(400)}`,
    '\u200B(\u200BLoRA\u200B)\uFEFF 🚀 (🚀🚀) שלום (ABC) مرحبا',
    '\uD800 (\uDC00X) lone surrogates',
  ];
  for (const input of inputs) assert.ok(Array.isArray(extractAcronymPairs(input)));
  assert.equal(extractAcronymPairs(`${'Low-Rank Adaptation (LoRA) '.repeat(400)}`).length, 400);
});

// ---------------------------------------------------------------------------------------------------------
// Normalization and the table

test('GIVEN pairs THEN long forms are normalized and plural short forms singularized', () => {
  assert.equal(normalizeLongForm('Low-Rank  Adaptation'), 'low rank adaptation');
  assert.equal(shortFormKey('RL-HF'), 'rlhf');
  assert.deepEqual(singularizePair({ short: 'LLMs', long: 'Large Language Models' }), {
    short: 'LLM',
    long: 'Large Language Model',
  });
  assert.deepEqual(
    singularizePair({ short: 'EHRs', long: 'electronic health records' }).long,
    'electronic health record',
  );
  assert.deepEqual(singularizePair({ short: 'GVAs', long: 'Generalist Virtual Agents' }).short, 'GVA');
  assert.deepEqual(singularizePair({ short: 'LoRA', long: 'Low-Rank Adaptation' }).short, 'LoRA');
  assert.deepEqual(singularizePair({ short: 'CSS', long: 'cascading style sheets' }).short, 'CSS');
});

test('GIVEN a table THEN expand works both ways, spacing- and plural-insensitive', () => {
  const table = new AcronymTable();
  table.addDocument('We use Low-Rank Adaptation (LoRA) for large language models (LLMs).');
  table.addDocument('Reinforcement Learning from Human Feedback (RLHF) aligns a large language model (LLM).');
  assert.deepEqual(table.expand('lora'), ['low rank adaptation']);
  assert.deepEqual(table.expand('LoRA'), ['low rank adaptation']);
  assert.deepEqual(table.expand('low-rank adaptation'), ['lora']);
  assert.deepEqual(table.expand('low rank adaptation'), ['lora']);
  assert.deepEqual(table.expand('lowrank adaptation'), ['lora']);
  assert.deepEqual(table.expand('rlhf'), ['reinforcement learning from human feedback']);
  assert.deepEqual(table.expand('reinforcement learning from human feedback'), ['rlhf']);
  assert.deepEqual(table.expand('llms'), ['large language model']);
  assert.deepEqual(table.expand('large language models'), ['llm']);
  assert.deepEqual(table.expand('transformer'), []);
  assert.deepEqual(table.expand(''), []);
  assert.deepEqual(table.expand('x'.repeat(10_000)), []);
  const lora = table.entries().find((e) => e.short === 'lora');
  assert.deepEqual(lora, {
    short: 'lora',
    display: 'LoRA',
    longForms: [{ long: 'low rank adaptation', count: 1 }],
    total: 1,
  });
});

test('GIVEN competing long forms THEN the most frequent few are kept, rare ones dropped by share', () => {
  const table = new AcronymTable({ maxLongForms: 2, minShare: 0.15 });
  for (let i = 0; i < 6; i++) table.addPair({ short: 'RL', long: 'reinforcement learning' });
  for (let i = 0; i < 3; i++) table.addPair({ short: 'RL', long: 'representation learning' });
  table.addPair({ short: 'RL', long: 'robot locomotion' }); // 1 of 10: below the share
  assert.deepEqual(table.expand('rl'), ['reinforcement learning', 'representation learning']);
  assert.deepEqual(table.expand('representation learning'), ['rl']);
  assert.deepEqual(table.expand('robot locomotion'), []);
  // A minimum count applies as well.
  const strict = new AcronymTable({ minCount: 4 });
  for (let i = 0; i < 6; i++) strict.addPair({ short: 'RL', long: 'reinforcement learning' });
  for (let i = 0; i < 3; i++) strict.addPair({ short: 'RL', long: 'representation learning' });
  assert.deepEqual(strict.expand('rl'), ['reinforcement learning']);
});

test('GIVEN spelling variants of one long form THEN they count together', () => {
  const table = new AcronymTable();
  table.addPair({ short: 'LoRA', long: 'low-rank adaptation' });
  table.addPair({ short: 'LoRA', long: 'Low Rank Adaptation' });
  table.addPair({ short: 'LoRA', long: 'lowrank adaptation' });
  assert.deepEqual(table.entries(), [
    { short: 'lora', display: 'LoRA', longForms: [{ long: 'low rank adaptation', count: 3 }], total: 3 },
  ]);
});

test('GIVEN a document repeating a definition THEN it counts once', () => {
  const table = new AcronymTable();
  const doc = 'Low-Rank Adaptation (LoRA) is cheap. Low-Rank Adaptation (LoRA) is popular.';
  assert.equal(table.addDocument(doc).length, 1);
  assert.equal(table.entries()[0]?.longForms[0]?.count, 1);
  table.addDocument('Low-Rank Adaptation (LoRA) again.');
  assert.equal(table.entries()[0]?.longForms[0]?.count, 2);
});

test('GIVEN papers THEN learnAcronyms learns from their titles and abstracts', () => {
  const table = learnAcronyms([
    { title: 'Key-Value (KV) cache compression', abstract: 'We compress caches.' },
    { title: 'Adapters', abstract: 'We use Low-Rank Adaptation (LoRA) for large language models.' },
  ]);
  assert.deepEqual(table.expand('kv'), ['key value']);
  assert.deepEqual(table.expand('lora'), ['low rank adaptation']);
});

test('GIVEN a short form that is an everyday word THEN it is never expanded', () => {
  const table = new AcronymTable();
  table.addPair({ short: 'AS', long: 'autonomous systems' });
  table.addPair({ short: 'IT', long: 'information technology' });
  assert.deepEqual(table.expand('as'), []);
  assert.deepEqual(table.expand('autonomous systems'), []);
  assert.deepEqual(table.expand('it'), []);
});

test('GIVEN toJSON THEN fromJSON restores the same expansions; bad JSON gives an empty table', () => {
  const table = new AcronymTable();
  table.addDocument('Low-Rank Adaptation (LoRA) and Key-Value (KV) cache and Vision-Language Models (VLMs).');
  const json = JSON.parse(JSON.stringify(table.toJSON())) as unknown;
  const restored = AcronymTable.fromJSON(json);
  assert.deepEqual(restored.entries(), table.entries());
  assert.deepEqual(restored.expand('kv'), ['key value']);
  assert.deepEqual(restored.expand('vision language model'), ['vlm']);
  for (const bad of [
    null,
    undefined,
    42,
    'x',
    {},
    { pairs: 'x' },
    { pairs: [[1, 2, 3], ['A'], null, ['AB', 'a b', -1]] },
  ]) {
    assert.equal(AcronymTable.fromJSON(bad).size, 0);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Hyphen and spacing variants

test('GIVEN low-rank, low rank and lowrank THEN they share one compact key', () => {
  assert.equal(compactKey('low-rank'), 'lowrank');
  assert.equal(compactKey('Low Rank'), 'lowrank');
  assert.equal(compactKey('lowrank'), 'lowrank');
  assert.equal(compactKey('low\u2010rank'), 'lowrank'); // Unicode hyphen
  assert.equal(compactKey('LOW–RANK'), 'lowrank'); // en dash
});

test('GIVEN a joined word THEN compound splits give the spaced spellings', () => {
  const vocabulary = new Set(['low', 'rank', 'lowr', 'ank']);
  assert.deepEqual(
    splitCompound('lowrank', (w) => vocabulary.has(w)),
    [
      ['low', 'rank'],
      ['lowr', 'ank'],
    ],
  );
  assert.deepEqual(
    splitCompound('ab', () => true),
    [],
  );
});

test('GIVEN invisible and typographic characters THEN tokenize cleans them', () => {
  assert.deepEqual(tokenize('lo\u200Bra\u00AD BERT? (RLHF)! “quoted” ＬｏＲＡ naïve 3.5 cs.CL'), [
    'lora',
    'bert',
    'rlhf',
    'quoted',
    'lora',
    'naïve',
    '3.5',
    'cs.cl',
  ]);
  assert.deepEqual(tokenize('🚀🚀 ... ---'), []);
});

// ---------------------------------------------------------------------------------------------------------
// Real abstracts

interface LabeledItem {
  id: string;
  kind: 'random' | 'hard' | 'negative';
  snippet: string;
  expected: AcronymPair[];
}

let papers: CorpusPaper[] = [];
const labeled = (JSON.parse(readFileSync(LABELED, 'utf8')) as { items: LabeledItem[] }).items;

before(async () => {
  papers = await readCorpusHead(CORPUS_LINES);
});

test('GIVEN the labeled sample THEN every snippet is real text from the corpus head', () => {
  assert.equal(papers.length, CORPUS_LINES);
  assert.ok(labeled.length >= 60);
  const byId = new Map(papers.map((p) => [p.id, p]));
  for (const item of labeled) {
    const paper = byId.get(item.id);
    assert.ok(paper, `paper ${item.id} is in the first ${CORPUS_LINES} lines`);
    assert.ok(paper.abstract.includes(item.snippet), `snippet of ${item.id} is in its abstract`);
  }
});

test('GIVEN the hand-labeled sample of real abstracts THEN extraction precision is at least 0.9', () => {
  let extracted = 0;
  let correct = 0;
  let expected = 0;
  let found = 0;
  const wrong: string[] = [];
  for (const item of labeled) {
    const got = new Set(keys(extractAcronymPairs(item.snippet)));
    const want = new Set(keys(item.expected));
    extracted += got.size;
    expected += want.size;
    for (const key of got) {
      if (want.has(key)) correct++;
      else wrong.push(`${item.id}: ${key}`);
    }
    for (const key of want) if (got.has(key)) found++;
  }
  const precision = correct / extracted;
  const recall = found / expected;
  assert.ok(extracted >= 60, `at least 60 extracted pairs are checked (got ${extracted})`);
  assert.ok(precision >= 0.9, `precision ${precision.toFixed(3)} (wrong: ${wrong.join('; ')})`);
  assert.ok(recall >= 0.8, `recall ${recall.toFixed(3)}`);
});

test('GIVEN the corpus head THEN the learned table expands lora and rlhf both ways, and survives storage', () => {
  const table = new AcronymTable();
  let pairs = 0;
  for (const paper of papers) pairs += table.addDocument(`${paper.title}. ${paper.abstract}`).length;
  assert.ok(pairs > 2000, `found ${pairs} definitions`);
  assert.ok(table.expand('lora').includes('low rank adaptation'));
  assert.ok(table.expand('low-rank adaptation').includes('lora'));
  assert.ok(table.expand('rlhf').includes('reinforcement learning from human feedback'));
  assert.ok(table.expand('reinforcement learning from human feedback').includes('rlhf'));
  assert.ok(table.expand('kv').includes('key value'));
  assert.ok(table.expand('llm').includes('large language model'));
  assert.ok(table.expand('vision-language models').includes('vlm'));
  // The table survives storage.
  const restored = AcronymTable.fromJSON(JSON.parse(JSON.stringify(table)));
  assert.deepEqual(restored.expand('lora'), table.expand('lora'));
});

test(
  'GIVEN the table learned from the corpus head ' +
    'THEN its stored lookup view answers every lookup exactly as the table of its kept pairs (what loads used to rebuild)',
  () => {
    const learned = learnAcronyms(papers);
    const kept = AcronymTable.fromJSON(keptAcronymsJSON(learned));
    const stored = AcronymTable.fromJSON(JSON.parse(JSON.stringify(persistedAcronymsJSON(learned))));
    assert.ok(kept.size > 200, `${kept.size} short forms`);
    assert.equal(stored.size, kept.size);
    assert.deepEqual(stored.entries(), kept.entries());
    const probes = new Set<string>(['lora', 'llms', 'kv', 'low-rank adaptation', 'large language models', 'as', 'it']);
    for (const entry of kept.entries()) {
      probes.add(entry.short);
      for (const { long } of entry.longForms) probes.add(long);
    }
    for (const probe of probes) {
      assert.deepEqual(stored.expand(probe), kept.expand(probe), probe);
      assert.deepEqual(stored.expandCertain(probe), kept.expandCertain(probe), probe);
      assert.deepEqual(stored.longFormsOf(probe), kept.longFormsOf(probe), probe);
      assert.deepEqual(stored.shortFormsOf(probe), kept.shortFormsOf(probe), probe);
    }
    assert.deepEqual(stored.toJSON(), persistedAcronymsJSON(learned), 'saved again as loaded');
    assert.throws(() => stored.addPair({ short: 'XY', long: 'x y' }), /no more pairs/);
  },
);
