/** Save, library, recommend and export through the dispatcher, as the console chat runs them. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ConsoleChat } from '../../src/adapters/console/chat.ts';
import type { Invoker } from '../../src/core/command.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { testPaperboy } from '../support/paperboy.ts';

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy();
});

// Members of the channel: the platform said yes (deny by default: without it, nothing is saved).
const member = { platform: 'slack', channelId: 'C1', workspaceId: 'T1', isMember: true } as const;
const ADA: Invoker = { ...member, userId: 'U1', userName: 'ada' };
const BOB: Invoker = { ...member, userId: 'U2', userName: 'bob' };
/** C1 as the workspace of ADA and BOB sees it. */
const C1 = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const text = (reply: { blocks: { kind: string; text?: string }[] }) => reply.blocks.map((b) => b.text ?? '').join('\n');

test('GIVEN a paper saved twice THEN the second save says who saved it first, and the library lists it', async () => {
  const first = await pb.dispatcher.runText('save skip-tuning diffusion', ADA);
  assert.match(
    text(first),
    /⭐ Saved "The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling" .*\(1 paper\)/,
  );
  const again = await pb.dispatcher.runText('save skip-tuning diffusion', BOB);
  assert.match(text(again), /already in this channel's library \(saved by ada on \d{4}-\d\d-\d\d\)/);
  const list = await pb.dispatcher.runText('library', BOB);
  const cards = list.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : []));
  assert.equal(cards.length, 1);
  assert.match(cards[0]!.gist ?? '', /^Saved by ada on /);
  assert.ok(cards[0]!.actions.some((a) => a.label === 'Remove from library'));
  // Another channel's library is its own.
  assert.match(text(await pb.dispatcher.runText('library', { ...ADA, channelId: 'C2' })), /nothing yet/);
});

test('GIVEN a channel shared with another workspace THEN its members see, save, and remove in their own library only', async () => {
  const CAROL: Invoker = { ...member, userId: 'U9', userName: 'carol', workspaceId: 'T2' };
  assert.match(text(await pb.dispatcher.runText('library', CAROL)), /nothing yet/);
  assert.match(text(await pb.dispatcher.runText('recommend', CAROL)), /nothing to learn from/);
  assert.match(
    text(await pb.dispatcher.runText('library remove skip-tuning diffusion', CAROL)),
    /is not in this channel's library/,
  );
  assert.match(text(await pb.dispatcher.runText('save skip-tuning diffusion', CAROL)), /⭐ Saved .*\(1 paper\)/);
  const theirs = { ...C1, workspaceId: 'T2' };
  assert.deepEqual(
    (await pb.store.library.items(theirs)).map((i) => i.savedBy),
    ['U9'],
  );
  assert.equal((await pb.store.library.item(C1, (await pb.store.library.items(theirs))[0]!.paperId))?.savedBy, 'U1');
  assert.match(text(await pb.dispatcher.runText('library remove skip-tuning diffusion', CAROL)), /^carol removed "/);
  assert.equal(await pb.store.library.count(theirs), 0);
  assert.equal(await pb.store.library.count(C1), 1, "ada's save is still there");
});

test('GIVEN the Save button on a search card THEN pressing it saves that paper for the presser', async () => {
  const results = await pb.dispatcher.runText('lora', BOB);
  const card = results.blocks.find((b) => b.kind === 'paper');
  assert.ok(card?.kind === 'paper');
  const saveButton = card.card.actions.find((a) => a.label === '⭐ Save');
  assert.ok(saveButton, 'a Save button on the card');
  assert.match(text(await pb.dispatcher.runAction(saveButton.id, BOB)), /⭐ Saved/);
  const mine = await pb.dispatcher.runText('library mine', BOB);
  assert.deepEqual(
    mine.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.paperId] : [])),
    [card.card.paperId],
  );
});

test('GIVEN a library THEN recommend leaves saved papers out and says why each is there', async () => {
  const reply = await pb.dispatcher.runText('recommend 4', ADA);
  const cards = reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : []));
  assert.equal(cards.length, 4);
  const saved = new Set((await pb.store.library.items(C1)).map((item) => item.paperId));
  for (const card of cards) {
    assert.ok(!saved.has(card.paperId), `${card.paperId} is saved already`);
    assert.match(card.why ?? '', /^Like ".+" \(saved by (ada|bob)\): shared terms \w+/);
    assert.ok(
      card.actions.some((a) => a.label === '👎 Not for us'),
      'a 👎 button',
    );
  }
  assert.match(text(await pb.dispatcher.runText('recommend', { ...ADA, channelId: 'C9' })), /nothing to learn from/);
  assert.match(text(await pb.dispatcher.runText('recommend lots', ADA)), /I don't understand "lots"/);
});

test('GIVEN export THEN the reply carries the library as BibTeX; remove takes a paper out', async () => {
  const reply = await pb.dispatcher.runText('library export', ADA);
  const file = reply.files?.[0];
  assert.equal(file?.name, 'library.bib');
  assert.equal(typeof file.content, 'string', 'BibTeX is text');
  const content = String(file.content);
  assert.equal((content.match(/^@misc\{/gm) ?? []).length, 2);
  assert.match(content, /title = \{\{The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling\}\}/);
  const removed = await pb.dispatcher.runText('library remove skip-tuning diffusion', ADA);
  assert.match(text(removed), /^ada removed "The Surprising .*" from this channel's library\.$/);
  assert.equal(removed.visibility, 'public');
  assert.match(text(await pb.dispatcher.runText('library remove skip-tuning diffusion', ADA)), /is not in this/);
  assert.equal(await pb.store.library.count(C1), 1);
});

test('GIVEN the console chat THEN export prints the BibTeX', async () => {
  const chat = new ConsoleChat(pb.dispatcher);
  await chat.handle('/paper save skip-tuning diffusion');
  const out = (await chat.handle('/paper library export')).join('\n');
  assert.match(out, /--- library\.bib ---\n@misc\{/);
});

test('GIVEN a user the platform gave no yes THEN save, the ⭐ button, the shortcut and remove are refused; the list is not', async () => {
  const STRANGER: Invoker = { platform: 'slack', userId: 'U7', userName: 'eve', channelId: 'C1', workspaceId: 'T1' };
  const before = await pb.store.library.count(C1);
  const refused = await pb.dispatcher.runText('save lora', STRANGER);
  assert.equal(refused.visibility, 'ephemeral');
  assert.equal(text(refused), "Only members of this channel may save papers to this channel's library.");
  const card = (await pb.dispatcher.runText('lora', STRANGER)).blocks.find((b) => b.kind === 'paper');
  assert.ok(card?.kind === 'paper', 'searching changes nothing: anyone may');
  const save = card.card.actions.find((a) => a.label === '⭐ Save')!;
  assert.match(text(await pb.dispatcher.runAction(save.id, STRANGER)), /^Only members of this channel may save/);
  const message = {
    author: 'ada',
    text: `see https://arxiv.org/abs/${card.card.paperId}`,
    links: [],
    paperIds: [],
    ts: '1',
  };
  const shortcut = await pb.dispatcher.runMessageAction('save', message, STRANGER);
  assert.equal(text(shortcut), "Only members of this channel may save papers to this channel's library.", 'said once');
  assert.match(
    text(await pb.dispatcher.runText('library remove lisa', STRANGER)),
    /^Only members of this channel may remove papers from this channel's library\./,
  );
  assert.equal(await pb.store.library.count(C1), before, 'nothing saved or removed');
  assert.match(text(await pb.dispatcher.runText('library', STRANGER)), /This channel's library/);
  // A channel manager's yes is a member's too.
  const manager = { ...STRANGER, channelId: 'C5', canManageChannel: true };
  assert.match(text(await pb.dispatcher.runText('save lora', manager)), /⭐ Saved/);
});
