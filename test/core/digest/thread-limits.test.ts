/** How much of a thread a digest reads: messages, characters per message and in all; what is cut is said. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capThread, type DigestLimits } from '../../../src/core/digest/thread-limits.ts';
import type { ThreadMessage } from '../../../src/core/thread.ts';

const LIMITS: DigestLimits = { maxMessages: 200, maxMessageChars: 1000, maxThreadChars: 5000 };

const message = (i: number, text: string, links: string[] = []): ThreadMessage => ({
  author: `U${i}`,
  text,
  links,
  paperIds: [],
  ts: String(i),
});

test('GIVEN a thread within every limit THEN it is read whole and nothing is said', () => {
  const messages = [message(1, 'see https://arxiv.org/abs/2501.00001', ['https://arxiv.org/abs/2501.00001'])];
  assert.deepEqual(capThread({ messages }, LIMITS), { messages });
});

test('GIVEN more messages than the limit THEN the first are read and the answer says how many', () => {
  const messages = Array.from({ length: 250 }, (_, i) => message(i, `message ${i}`));
  const read = capThread({ messages }, LIMITS);
  assert.equal(read.messages.length, 200);
  assert.equal(read.messages.at(-1)?.ts, '199');
  assert.equal(read.notice, 'This thread is long: I read its first 200 messages.');
});

test('GIVEN a reader that stopped at the limit THEN the answer says which messages it read', () => {
  const messages = [message(1, 'hi')];
  assert.match(capThread({ messages, read: 'first' }, LIMITS).notice ?? '', /I read its first 1 messages\./);
  const latest = capThread({ messages, read: 'latest', notice: 'Turn on Message Content.' }, LIMITS);
  assert.equal(latest.notice, 'This thread is long: I read its latest 1 messages. Turn on Message Content.');
});

test('GIVEN long messages THEN each is read to the limit, its links first, and the answer says so', () => {
  const link = 'https://arxiv.org/abs/2501.00002';
  const read = capThread({ messages: [message(1, 'x'.repeat(39_000), [link]), message(2, 'short')] }, LIMITS);
  assert.deepEqual(read.messages[0]?.links, [link]);
  assert.equal(read.messages[0]!.text.length, 1000 - link.length);
  assert.equal(read.messages[1]?.text, 'short');
  assert.equal(read.notice, 'One message was long: I read the first 1,000 characters of it.');
  const three = capThread({ messages: [1, 2, 3].map((i) => message(i, 'y'.repeat(2000))) }, LIMITS);
  assert.equal(three.notice, '3 messages were long: I read the first 1,000 characters of each.');
});

test('GIVEN more text in all than the thread limit THEN reading stops there and the answer says so', () => {
  const messages = Array.from({ length: 8 }, (_, i) => message(i, 'z'.repeat(900)));
  const read = capThread({ messages }, LIMITS);
  assert.equal(
    read.messages.map((m) => m.text.length).reduce((a, b) => a + b),
    5000,
  );
  assert.equal(read.messages.length, 6, 'five whole messages and the start of the sixth');
  assert.equal(read.notice, 'This thread is long: I read its first 6 messages (5,000 characters).');
});
