/** The sentence retriever behind questions asked in a paper's thread: kinds of question, quotes, and no guessing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerQuestion, mostOverlapSentence, questionKind } from '../../../src/core/summarize/answer.ts';

const ABSTRACT = [
  'Large language models are costly to adapt.',
  'We propose QuokkaTune, a low-rank method for adapting them with few trainable weights.',
  'We evaluate on GSM8K and MMLU, two widely used benchmarks.',
  'Our 7B model outperforms LoRA and full fine-tuning while training 12% of the parameters.',
  'Code is available at https://github.com/example/quokkatune.',
].join(' ');

test('GIVEN questions THEN each is read as the kind of answer it asks for', () => {
  assert.equal(questionKind('Which datasets do they evaluate on?'), 'dataset');
  assert.equal(questionKind('how big is the model?'), 'size');
  assert.equal(questionKind('How many languages?'), 'count');
  assert.equal(questionKind('is code available?'), 'code');
  assert.equal(questionKind('what baselines do they beat?'), 'comparison');
  assert.equal(questionKind('why does it matter?'), 'general');
});

test('GIVEN a question THEN the sentence that answers it is quoted first', () => {
  const first = (question: string) => answerQuestion({ abstract: ABSTRACT }, question).quotes[0]?.index;
  assert.equal(first('which datasets?'), 2);
  assert.equal(first('what baselines do they beat?'), 3);
  assert.equal(first('how big is the model?'), 3);
  assert.equal(first('is code available?'), 4);
  assert.equal(first('what do they propose?'), 1);
});

test('GIVEN a question the abstract does not answer THEN nothing is quoted', () => {
  assert.deepEqual(answerQuestion({ abstract: ABSTRACT }, 'which hospital recruited the patients?').quotes, []);
  assert.deepEqual(answerQuestion({ abstract: '' }, 'which datasets?').quotes, []);
});

test('GIVEN the baseline THEN it is the sentence sharing most words with the question', () => {
  assert.equal(mostOverlapSentence({ abstract: ABSTRACT }, 'costly language models'), 0);
});
