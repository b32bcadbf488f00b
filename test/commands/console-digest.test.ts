/** The thread digest in the console chat: its thread is the last posted card plus what is written with "> ". */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ConsoleChat } from '../../src/adapters/console/chat.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { testPaperboy } from '../support/paperboy.ts';

const PAPERS: PaperInput[] = [1, 2, 3].map((n) => ({
  arxivId: `2504.1000${n}`,
  title: `Retrieval-Augmented Generation, part ${n}`,
  abstract: `We propose retrieval-augmented generation method ${n}. Retrieval cuts hallucinations by ${n}0%.`,
  authors: ['Ada Lovelace'],
  published: '2025-04-01',
  categories: ['cs.CL'],
}));

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy({ papers: PAPERS, builtin: false });
});

test('GIVEN no thread yet THEN "@paperboy summarize" says to ask in a thread', async () => {
  const chat = new ConsoleChat(pb.dispatcher);
  assert.match((await chat.handle('@paperboy summarize')).join('\n'), /Mention me inside a thread/);
});

test(
  'GIVEN a card thread with nothing else ' + 'THEN "summarize" is its summary; with papers written in, the digest',
  async () => {
    const chat = new ConsoleChat(pb.dispatcher);
    await chat.handle('/paper share 2504.10001');
    assert.match(
      (await chat.handle('@paperboy summarize')).join('\n'),
      /│ TL;DR: We propose retrieval-augmented generation method 1/,
    );
    assert.deepEqual(await chat.handle('> also https://arxiv.org/abs/2504.10002v1 and 2504.10003'), [
      '    │ you: also https://arxiv.org/abs/2504.10002v1 and 2504.10003',
    ]);
    const digest = (await chat.handle('@paperboy summarize')).join('\n');
    assert.match(digest, /│ Thread digest: 3 papers, in the order first shared/);
    assert.match(
      digest,
      /│ 1\. Retrieval-Augmented Generation, part 1 {2}<https:\/\/arxiv\.org\/abs\/2504\.10001>\n.*shared by paperboy/,
    );
    assert.match(digest, /│ 2\. Retrieval-Augmented Generation, part 2 .*\n.*shared by you/);
    assert.match(digest, /│ 3\. Retrieval-Augmented Generation, part 3 .*\n.*shared by you/);
    assert.match(digest, /│ Common ground: .*retrieval-augmented \(3 papers\)/, 'a hyphenated term stays whole');
  },
);
