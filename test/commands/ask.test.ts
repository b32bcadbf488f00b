/**
 * A question said to the bot in a paper's thread is told apart from the words that meant something there before: a
 * bare mention (the summary), summarize, related, random related, search words; and `/paper ask` typed anywhere.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isQuestion, splitAskText } from '../../commands/ask.ts';
import type { Invoker } from '../../src/core/command.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { testPaperboy } from '../support/paperboy.ts';

const PAPER = {
  arxivId: '2505.00001',
  title: 'Low-Rank Adapters for Diffusion',
  abstract:
    'Fine-tuning diffusion models is costly. We propose low-rank adapters for diffusion models. ' +
    'We evaluate on ImageNet and MS-COCO. Code is available at https://github.com/example/adapters.',
  authors: ['Ada Lovelace'],
  published: '2025-05-01',
  categories: ['cs.CV'],
};
const INVOKER: Invoker = { platform: 'console', userId: 'u', channelId: 'c' };
let pb: Paperboy;

before(async () => {
  pb = await testPaperboy({ papers: [PAPER] });
});
after(() => pb.close());

const text = (reply: Reply) => JSON.stringify(reply.blocks);

test('GIVEN words said in a paper thread THEN questions are told apart from the other requests', async () => {
  const say = (words: string) => pb.dispatcher.runMention(words, INVOKER, PAPER.arxivId);
  assert.match(text(await say('')), /TL;DR/, 'a bare mention: the summary');
  assert.match(text(await say('summarize')), /TL;DR/, 'summarize: the summary of a one-paper thread');
  assert.match(text(await say('related')), /Related to/);
  assert.match(text(await say('random related')), /random paper related to/);
  assert.match(text(await say('diffusion')), /Results for \\"diffusion\\"/, 'words that are no question: a search');
  const answer = await say('which datasets do they use?');
  assert.match(text(answer), /"kind":"quote","text":"We evaluate on ImageNet and MS-COCO\."/);
  assert.equal(answer.visibility, 'public');
  assert.match(text(await say('is code available')), /github\.com\/example\/adapters/);
});

test('GIVEN /paper ask typed THEN the paper comes first, then the question', async () => {
  assert.deepEqual(splitAskText({ paper: '2505.00001 which datasets?' }), {
    paper: '2505.00001',
    question: 'which datasets?',
  });
  assert.deepEqual(splitAskText({ paper: 'https://arxiv.org/abs/2505.00001 how big?' }), {
    paper: 'https://arxiv.org/abs/2505.00001',
    question: 'how big?',
  });
  assert.deepEqual(splitAskText({ paper: '2505.00001', question: 'how big?' }), {
    paper: '2505.00001',
    question: 'how big?',
  });
  const typed = await pb.dispatcher.runText('ask 2505.00001 which datasets?', INVOKER);
  assert.match(text(typed), /ImageNet and MS-COCO/);
  const noPaper = await pb.dispatcher.runText('ask which datasets?', INVOKER);
  assert.match(text(noPaper), /Ask me under a paper's card, or name the paper/);
  assert.ok(isQuestion('Does it work on video?') && isQuestion('lora?') && !isQuestion('lora adapters'));
});
