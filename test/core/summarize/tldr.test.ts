/** The TL;DR's sentence choice and trimming, one rule per case, on hand-written abstracts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { contributionCue } from '../../../src/core/summarize/cues.ts';
import { splitSentences } from '../../../src/core/summarize/sentences.ts';
import { summarize } from '../../../src/core/summarize/summarize.ts';
import {
  pickTldr,
  sentenceFeatures,
  TLDR_RULES,
  type TldrRules,
  tldrScore,
  trimSentence,
} from '../../../src/core/summarize/tldr.ts';
import { isWordSubsequence } from './support.ts';

function tldrOf(title: string, abstract: string, rules: TldrRules = TLDR_RULES): string {
  const sentences = splitSentences(abstract);
  return pickTldr(sentences, sentenceFeatures(sentences, title), rules).text;
}

const paper = (title: string, abstract: string) => ({
  id: 't-1',
  title,
  abstract,
  authors: [],
  categories: [],
  source: 'test',
});

test('GIVEN background first and the contribution later THEN the TL;DR is the contribution', () => {
  const title = 'An Eviction Policy for Attention Caches';
  const abstract =
    'Serving language models needs a large cache of attention keys. ' +
    'The cache of attention keys grows with the context of language models. ' +
    'We propose an eviction policy for the cache.';
  assert.equal(tldrOf(title, abstract), 'We propose an eviction policy for the cache.');
  // Without the cue, the first background sentence (as central, and earlier) wins: the cue is what decides here.
  assert.equal(
    tldrOf(title, abstract, { ...TLDR_RULES, cue: 0, firstOwn: 0 }),
    'Serving language models needs a large cache of attention keys.',
  );
});

test('GIVEN the cue phrases THEN proposals weigh 1, claimed findings and own-voice openings 0.5, the rest 0', () => {
  assert.equal(contributionCue('We introduce a benchmark for code repair.'), 1);
  assert.equal(contributionCue('This paper presents a new optimizer.'), 1);
  assert.equal(contributionCue('In this work we carefully study dropout.'), 1);
  assert.equal(contributionCue('We show that dropout hurts calibration.'), 0.5);
  assert.equal(contributionCue('Here, we train on larger data.'), 0.5);
  assert.equal(contributionCue('Dropout is a common regularizer.'), 0);
});

test('GIVEN two contribution sentences THEN the one covering the title wins', () => {
  const abstract =
    'We propose a method that trains quickly on small devices with limited memory. ' +
    'We introduce sparse attention routing for long documents.';
  assert.equal(
    tldrOf('Sparse Attention Routing', abstract),
    'We introduce sparse attention routing for long documents.',
  );
  const [first, second] = sentenceFeatures(splitSentences(abstract), 'Sparse Attention Routing');
  assert.equal(first!.title, 0);
  assert.equal(second!.title, 1);
  // Title density: 3 of the 6 content words (introduc, spars, attent, rout, long, document) are the title's.
  assert.equal(second!.titleDensity, 3 / 6);
});

test('GIVEN sentences alike in cue and title THEN the one closest to the rest of the abstract wins', () => {
  const abstract =
    'Graph networks learn molecule properties. ' +
    'Weather was sunny yesterday. ' +
    'Molecule graphs have atoms and bonds. ' +
    'Graph networks pass messages over molecule bonds.';
  const features = sentenceFeatures(splitSentences(abstract), 'Untitled');
  assert.ok(features[3]!.centrality > features[1]!.centrality);
  assert.equal(features[1]!.centrality, 0, 'nothing shared with the rest');
  assert.equal(tldrOf('Untitled', abstract, { ...TLDR_RULES, position: 0 }), abstract.split('. ')[3]);
});

test('GIVEN otherwise equal sentences THEN position favours the earlier and the first own-work sentence gets its bonus', () => {
  const same = { cue: 1, title: 0.5, titleDensity: 0.2, centrality: 0.3, firstOwn: false };
  assert.ok(tldrScore({ ...same, position: 0 }) > tldrScore({ ...same, position: 1 }));
  assert.ok(tldrScore({ ...same, position: 0.5, firstOwn: true }) > tldrScore({ ...same, position: 0.5 }));
  const features = sentenceFeatures(['Models are big.', 'We propose A.', 'We propose B.'], 'T');
  assert.deepEqual(
    features.map((f) => f.firstOwn),
    [false, true, false],
  );
});

test('GIVEN a lead-in before "we" THEN it is dropped and the sentence starts with a capital', () => {
  const trim = (s: string) => trimSentence(s, TLDR_RULES);
  assert.equal(trim('In this paper, we propose a new optimizer.'), 'We propose a new optimizer.');
  assert.equal(trim('In this paper we propose a new optimizer.'), 'We propose a new optimizer.');
  assert.equal(trim('To address this issue, we design a new optimizer.'), 'We design a new optimizer.');
  assert.equal(trim('Here, we study sparse models.'), 'We study sparse models.');
  assert.equal(trim('In this work, a new optimizer is proposed.'), 'A new optimizer is proposed.');
});

test("GIVEN a lead-in that is most of the sentence, cut inside brackets or in the paper's voice THEN it stays", () => {
  const trim = (s: string) => trimSentence(s, TLDR_RULES);
  const long = 'Motivated by the many failures of current optimizers on sparse and noisy problems, we fix it.';
  assert.equal(trim(long), long);
  const bracket = 'Using a prior (as in earlier work, we note) we train it on more data than before.';
  assert.equal(trim(bracket), bracket);
  const ownVoice = 'We adapt training to meta-learning, we then propose a robust variant for few-shot tasks.';
  assert.equal(trim(ownVoice), ownVoice);
  assert.equal(trimSentence('In this paper, we propose X.', { trimLeadIn: false }), 'In this paper, we propose X.');
});

test('GIVEN abstracts of one sentence, none, or with a Hugging Face summary THEN the old behaviour holds', () => {
  const one = summarize(paper('T', 'In this paper, we propose X for Y.'));
  assert.equal(one.tldr, 'We propose X for Y.');
  assert.equal(one.contribution, undefined);
  assert.equal(one.results, undefined);
  assert.equal(summarize(paper('Only A Title', '')).tldr, 'Only A Title');
  const hf = summarize({ ...paper('T', 'We propose Xnet. It works.'), aiSummary: 'HF says Xnet is good.' });
  assert.equal(hf.huggingFace, 'HF says Xnet is good.');
  assert.equal(hf.tldr, 'We propose Xnet.');
});

test('GIVEN a TL;DR that is the contribution THEN "What they did" and "Results" are other sentences', () => {
  const summary = summarize(
    paper(
      'Fast Sparse Routing',
      'Routing is slow. We propose fast sparse routing for mixture models. ' +
        'We also study its memory use on long inputs. Experiments show a 3x speedup over dense routing.',
    ),
  );
  assert.equal(summary.tldr, 'We propose fast sparse routing for mixture models.');
  assert.equal(summary.contribution, 'We also study its memory use on long inputs.');
  assert.equal(summary.results, 'Experiments show a 3x speedup over dense routing.');
});

const WORDS = ['we', 'propose', 'show', 'that', 'in', 'this', 'paper', 'model', 'graph', 'data', '(a)', 'Here,'];
const sentence = fc
  .array(fc.constantFrom(...WORDS, 'To address this,', 'fast', 'new', 'results'), { minLength: 1, maxLength: 14 })
  .map((w) => `${w.join(' ')}.`);

test("GIVEN any abstract THEN the TL;DR is the abstract's own words in order, deterministic and capitalised", () => {
  fc.assert(
    fc.property(fc.array(sentence, { minLength: 1, maxLength: 8 }), fc.string({ maxLength: 30 }), (parts, title) => {
      const abstract = parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
      const summary = summarize(paper(title || 'T', abstract));
      assert.ok(isWordSubsequence(summary.tldr, abstract), `"${summary.tldr}" from "${abstract}"`);
      assert.deepEqual(summarize(paper(title || 'T', abstract)), summary);
      const first = summary.tldr.charAt(0);
      assert.equal(first, first.toUpperCase());
      assert.doesNotMatch(summary.tldr, /^[\s,;:]/);
    }),
    { numRuns: 300 },
  );
});
