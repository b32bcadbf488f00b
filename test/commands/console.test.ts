import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { before, test } from 'node:test';
import { ConsoleChat, runConsoleChat } from '../../src/adapters/console/chat.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';

let pb: Paperboy;
let chat: ConsoleChat;
before(async () => {
  pb = await testPaperboy({ papers: [HOSTILE_PAPER] });
  chat = new ConsoleChat(pb.dispatcher);
});

const joined = async (line: string) => (await chat.handle(line)).join('\n');

test('GIVEN /paper lora THEN five numbered cards with gists and actions, and More results', async () => {
  const out = await joined('/paper lora');
  assert.match(out, /Results for "lora" \(1–5 of \d+\)/);
  assert.equal((out.match(/^\d\. /gm) ?? []).length, 5);
  assert.match(out, /\[1\] Summary {2}\[2\] Related {2}\[3\] 🎲 Random related {2}\[4\] Share {2}\[5\] ⭐ Save/);
  assert.match(out, /\[26\] More results/);
  const page2 = await joined('26');
  assert.match(page2, /Results for "lora" \(6–/);
});

test('GIVEN a Summary click THEN the card is posted publicly and the summary sits indented in its thread', async () => {
  await chat.handle('/paper lora');
  const out = await joined('1');
  assert.doesNotMatch(out, /only you can see this/);
  assert.match(out, / {4}│ \(in thread\)\n {4}│ TL;DR: /);
  assert.match(out, / {4}│ Results: /);
});

test('GIVEN a mention after a posted card THEN it answers about that paper in the thread', async () => {
  await chat.handle('/paper summary skip-tuning diffusion');
  const related = await joined('@paperboy related');
  assert.match(related, /│ Related to "The Surprising Effectiveness of Skip-Tuning/);
  const summary = await joined('@paperboy');
  assert.match(summary, /│ TL;DR: We propose Skip-Tuning, a simple yet surprisingly effective/);
  const random = await joined('@paperboy random related');
  assert.match(random, /🎲 A random paper related to/);
  const topic = await joined('@paperboy something random about diffusion');
  assert.match(topic, /🎲 A random paper about "diffusion"/);
});

test('GIVEN every command THEN each answers', async () => {
  assert.match(await joined('/paper random'), /🎲 A random paper/);
  assert.match(await joined('/paper random diffusion'), /about "diffusion"/);
  assert.match(await joined('/paper related skip-tuning diffusion'), /Related to/);
  assert.match(await joined('/paper share skip-tuning diffusion'), /Skip-Tuning/);
  const help = await joined('/paper help');
  const told = ['/paper <query>', '/paper random', '/paper related', '/paper summary', 'author:'];
  // What changed in issue #13: papers by their own ids, and corrections only for misspellings.
  told.push("a DOI in any case, or the record's own id such as c_190473", 'offers "Did you mean …?" as a button');
  for (const name of told) assert.ok(help.includes(name), name);
  assert.match(await joined('/paper'), /paperboy help/);
});

test('GIVEN nothing matches THEN it says so and suggests something', async () => {
  const out = await joined('/paper zzqxv wwxqz');
  assert.match(out, /No papers match "zzqxv wwxqz"\. Try fewer words/);
});

test('GIVEN bad input THEN clear messages, no crash', async () => {
  assert.match(await joined('99'), /There is no button 99/);
  assert.match(await joined('/paper related 9999.99999'), /not in the corpus|No paper/);
  assert.match(await joined('/paper related'), /Which paper\?/);
  assert.match(await joined(`/paper ${'x'.repeat(5000)}`), /please keep it under 4,000/);
  // Each says what is wrong with the query (a crash would be "Sorry, something went wrong").
  for (const q of ['foo:', '~', '-', '+', 'x^', '"', 'title:'])
    assert.match(await joined(`/paper ${q}`), /That query has no words to search for|No papers match/, q);
});

test('GIVEN a paper title with pings and control characters THEN the console prints it without them', async () => {
  const out = await joined('/paper share 2501.00001');
  assert.match(out, /Attention Is All You Need/);
  assert.doesNotMatch(out, /[\u200b\u202e]/);
});

test('GIVEN typed lines on stdin THEN the chat loop answers and quits', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => {
    printed += chunk;
  });
  const done = runConsoleChat(pb.dispatcher, input, output);
  input.write('/paper lora\n/quit\n');
  await done;
  assert.match(printed, /Results for "lora"/);
});
