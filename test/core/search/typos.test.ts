/** Typo correction only for likely misspellings: fixes of words that look right are offered, never applied. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { type LabelledSet, score } from '../../../bench/typos/measure.ts';
import { ConsoleChat } from '../../../src/adapters/console/chat.ts';
import { AUTO_MIN_PAPERS, loadKnownWords, looksSpelledRight } from '../../../src/core/search/typos.ts';
import type { Paperboy } from '../../../src/paperboy.ts';
import { testPaperboy } from '../../support/paperboy.ts';

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy();
});

test('GIVEN words typed THEN known English and technical words, and words with digits, look spelled right', () => {
  for (const word of ['speculative', 'Speculative', 'relu', 'softmax', 'lora', 'zebra', 'gpt4', 'c_190473'])
    assert.ok(looksSpelledRight(word), word);
  for (const word of ['difusion', 'trasnformer', 'speculatve', 'atention']) assert.ok(!looksSpelledRight(word), word);
  assert.ok(loadKnownWords().size > 50_000);
});

test(
  'GIVEN the labelled set from the built-in corpus THEN few real words are changed and most misspellings are fixed ' +
    'or offered, where correcting every close word changed them all',
  () => {
    const set = JSON.parse(
      readFileSync(new URL('../../fixtures/typos-labelled.json', import.meta.url), 'utf8'),
    ) as LabelledSet;
    const index = pb.index.snapshot.index;
    const known = loadKnownWords();
    const shipped = score(set, index, (word) => known.has(word), AUTO_MIN_PAPERS);
    assert.ok(shipped.realChanged <= 0.03, `real words changed: ${shipped.changedWords.join(', ')}`);
    assert.ok(shipped.fixed >= 0.5, `misspellings fixed on their own: ${shipped.fixed}`);
    assert.ok(shipped.offered >= 0.8, `misspellings fixed or offered: ${shipped.offered}`);
    const blind = score(set, index, () => false, 1);
    assert.equal(blind.realChanged, 1, 'every real word in the set has a close corpus word');
  },
);

test('GIVEN a real word the corpus lacks THEN no silent correction: the fix is only offered', async () => {
  const result = await pb.services.search.search('speculative decoding');
  assert.equal(result.correctedQuery, undefined);
  assert.equal(result.didYouMean, 'specific decoding');
  assert.ok(result.hits.every((hit) => /decod/i.test(`${hit.paper.title} ${hit.paper.abstract}`)));
  const alone = await pb.services.search.search('speculative');
  assert.equal(alone.hits.length, 0);
  assert.equal(alone.didYouMean, 'specific');
  assert.equal((await pb.services.search.search('speculative', { literal: true })).didYouMean, undefined);
});

test('GIVEN a misspelling THEN it is corrected at once, with nothing more to offer', async () => {
  const result = await pb.services.search.search('difusion modles');
  assert.equal(result.correctedQuery, 'diffusion models');
  assert.equal(result.didYouMean, undefined);
  assert.ok(result.hits.length > 0);
});

test('GIVEN the console chat THEN "Did you mean" is a button that runs the fix; a typo shows its fix', async () => {
  const chat = new ConsoleChat(pb.dispatcher);
  const asked = (await chat.handle('/paper speculative')).join('\n');
  assert.match(asked, /No papers match "speculative"\./);
  assert.doesNotMatch(asked, /Showing results for/);
  const button = /\[(\d+)\] Did you mean "specific"\?/.exec(asked);
  assert.ok(button, asked);
  const pressed = (await chat.handle(button[1]!)).join('\n');
  assert.match(pressed, /Results for "specific" \(1–/);
  const partial = (await chat.handle('/paper speculative decoding')).join('\n');
  assert.match(partial, /No paper matches every word; showing the best partial matches\./);
  assert.match(partial, /\[\d+\] Did you mean "specific decoding"\?/);
  const typo = (await chat.handle('/paper difusion')).join('\n');
  assert.match(typo, /Showing results for "diffusion" \(nothing matched "difusion"\)\./);
  assert.match(typo, /\[\d+\] Search "difusion" instead/);
  assert.doesNotMatch(typo, /Did you mean/);
});
