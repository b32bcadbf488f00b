/**
 * 👎 Not for us through the dispatcher and the console chat: the button on a recommendation changes the next
 * recommendations and the paper never comes back; pressing again takes it back; `/paper feedback` lists who said no,
 * by name; `feedback remove` is the giver's or a channel manager's; the model learns from the 👎 as a negative.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ConsoleChat } from '../../src/adapters/console/chat.ts';
import type { Invoker } from '../../src/core/command.ts';
import type { PaperCard, Reply } from '../../src/core/reply.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { testPaperboy } from '../support/paperboy.ts';

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy();
  for (const paper of ['skip-tuning diffusion', 'lisa layerwise importance sampling', 'lora'])
    await pb.dispatcher.runText(`save ${paper}`, ADA);
});

// Members of the channel (the platform said yes), one of them a channel manager.
const ADA: Invoker = { platform: 'slack', userId: 'U1', userName: 'ada', channelId: 'C1', isMember: true };
const BOB: Invoker = { platform: 'slack', userId: 'U2', userName: 'bob @everyone', channelId: 'C1', isMember: true };
const CAROL: Invoker = {
  platform: 'slack',
  userId: 'U3',
  userName: 'carol',
  channelId: 'C1',
  isMember: true,
  canManageChannel: false,
};
const MANAGER: Invoker = { platform: 'slack', userId: 'U4', userName: 'mia', channelId: 'C1', canManageChannel: true };

const text = (reply: Reply) => reply.blocks.map((b) => ('text' in b ? b.text : '')).join('\n');
const cards = (reply: Reply): PaperCard[] => reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : []));
const recommended = async (invoker: Invoker = ADA) => cards(await pb.dispatcher.runText('recommend 20', invoker));

test('GIVEN a recommendation WHEN 👎 Not for us is pressed THEN it never comes back, and pressing again takes it back', async () => {
  const before = await recommended();
  assert.ok(before.length >= 5);
  const first = before[0]!;
  const button = first.actions.find((a) => a.label === '👎 Not for us');
  assert.ok(button, 'a 👎 button on every recommendation');
  const noted = await pb.dispatcher.runAction(button.id, BOB);
  assert.equal(noted.visibility, 'ephemeral');
  assert.match(text(noted), /^👎 Noted: ".+" will not be recommended or alerted in this channel again/);
  const after = await recommended();
  assert.ok(!after.some((c) => c.paperId === first.paperId), 'the paper never comes back');
  assert.notDeepEqual(
    after.map((c) => c.paperId),
    before.map((c) => c.paperId),
  );
  // Nor for what one person saved, nor after another save: the channel said no.
  await pb.dispatcher.runText('save pretraining data', ADA);
  assert.ok(!(await recommended()).some((c) => c.paperId === first.paperId));
  assert.ok(!(await recommended({ ...ADA, channelId: 'C1' })).some((c) => c.paperId === first.paperId));

  const takenBack = await pb.dispatcher.runAction(button.id, BOB);
  assert.match(text(takenBack), /^Took back your 👎 on ".+"\. It may be recommended here again\.$/);
  assert.equal((await pb.store.feedback.items({ platform: 'slack', workspaceId: '', channelId: 'C1' })).length, 0);
  await pb.dispatcher.runAction(button.id, BOB);
});

test('GIVEN 👎s THEN /paper feedback lists them with who said no, by name, never a mention', async () => {
  const list = await pb.dispatcher.runText('feedback', ADA);
  assert.equal(list.visibility, 'ephemeral');
  assert.match(text(list), /This channel said 👎 Not for us to 1 paper/);
  const [card] = cards(list);
  assert.match(card?.gist ?? '', /^👎 by bob @everyone \(\d{4}-\d\d-\d\d\)$/);
  assert.ok(card?.actions.some((a) => a.label === 'Take back 👎'));
  assert.match(text(await pb.dispatcher.runText('feedback', { ...ADA, channelId: 'C2' })), /said 👎 to no paper yet/);
});

test('GIVEN bob 👎 a paper THEN carol may not take it back, a channel manager may (said in the channel)', async () => {
  const [entry] = await pb.store.feedback.items({ platform: 'slack', workspaceId: '', channelId: 'C1' });
  assert.ok(entry);
  const refused = await pb.dispatcher.runText(`feedback remove ${entry.paperId}`, CAROL);
  assert.match(
    text(refused),
    /^Only the member who said 👎 to ".+" \(bob @everyone\), or channel managers, may take it back\.$/,
  );
  assert.equal((await pb.store.feedback.items({ platform: 'slack', workspaceId: '', channelId: 'C1' })).length, 1);
  const removed = await pb.dispatcher.runText(`feedback remove ${entry.paperId}`, MANAGER);
  assert.equal(removed.visibility, 'public');
  assert.equal(removed.attributed, true);
  assert.match(
    text(removed),
    /^mia took back the 👎 on ".+" \(given by bob @everyone\): it may be recommended here again\.$/,
  );
  assert.equal((await pb.store.feedback.items({ platform: 'slack', workspaceId: '', channelId: 'C1' })).length, 0);
  assert.match(text(await pb.dispatcher.runText(`feedback remove ${entry.paperId}`, MANAGER)), /has not said 👎/);
});

test('GIVEN a 👎 THEN the model learns from it: papers like it score lower than before', async () => {
  const scope = { platform: 'slack', workspaceId: '', channelId: 'C3' };
  for (const paper of ['skip-tuning diffusion', 'lisa layerwise importance sampling', 'lora'])
    await pb.dispatcher.runText(`save ${paper}`, { ...ADA, channelId: 'C3' });
  const before = await pb.services.library!.recommend(scope, 20);
  const disliked = before[0]!;
  await pb.dispatcher.runText(`feedback add ${disliked.paper.id}`, { ...BOB, channelId: 'C3' });
  const after = await pb.services.library!.recommend(scope, 20);
  const scoreOf = (list: typeof before, id: string) => list.find((r) => r.paper.id === id)?.score;
  // The paper most like the disliked one (among those recommended both times) lost score.
  const shared = before.slice(1).filter((r) => scoreOf(after, r.paper.id) !== undefined);
  assert.ok(shared.length > 3);
  const lower = shared.filter((r) => scoreOf(after, r.paper.id)! < r.score);
  assert.ok(lower.length > 0, 'some papers rank lower once the channel said no to one like them');
});

test('GIVEN the console chat THEN "👎 2" says no to the 2nd card of the last answer, "-👎 2" takes it back', async () => {
  const chat = new ConsoleChat(pb.dispatcher, {
    platform: 'console',
    userId: 'you',
    channelId: 'console',
    canManageChannel: true,
  });
  await chat.handle('/paper save skip-tuning diffusion');
  const shown = (await chat.handle('/paper recommend')).join('\n');
  assert.match(shown, /why: Like "The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling": shared terms/);
  assert.match(shown, /\[\d+\] 👎 Not for us/);
  const noted = (await chat.handle('👎 2')).join('\n');
  assert.match(noted, /👎 Noted: /);
  const [given] = await pb.store.feedback.items({ platform: 'console', workspaceId: '', channelId: 'console' });
  assert.ok(given);
  assert.match((await chat.handle('-👎 2')).join('\n'), /Took back your 👎 on /);
  assert.equal(
    (await pb.store.feedback.items({ platform: 'console', workspaceId: '', channelId: 'console' })).length,
    0,
  );
  await chat.handle('👎 2');
  assert.match((await chat.handle('/paper feedback')).join('\n'), /👎 by you/);
  assert.match((await chat.handle('👎 9')).join('\n'), /There is no card 9 in the last answer\./);
});
