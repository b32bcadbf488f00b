/**
 * The real discord.js Client against the fake Discord (REST + gateway on 127.0.0.1): slash commands,
 * autocomplete, buttons, threads, mentions and the error paths, asserted on the calls the client makes.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningDiscord } from '../../src/adapters/discord/client.ts';
import { discordUsage } from '../../src/adapters/discord/definitions.ts';
import { classifyError } from '../../src/adapters/discord/errors.ts';
import { LIMITS } from '../../src/adapters/discord/limits.ts';
import { explainDiscordPause } from '../../src/adapters/discord/pause-explanations.ts';
import { createLogger } from '../../src/core/logger.ts';
import { buttonsIn, type FakeDiscord, type RecordedRequest, type StoredMessage } from '../fakes/discord-api.ts';
import { createTestDispatcher, HOSTILE_TITLE, type Seen } from '../fakes/discord-dispatcher.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import {
  autocomplete,
  buttonClick,
  chatInput,
  defaultWorld,
  threadChannel,
  userMessage,
} from '../fakes/discord-payloads.ts';

const EPHEMERAL = 64;
const NO_MANAGE_CHANNELS = String(1024 | 2048); // View Channel + Send Messages
const world = defaultWorld();
const logs: string[] = [];
const seen: Seen[] = [];
let harness: DiscordHarness;
let fake: FakeDiscord;
let bot: RunningDiscord;
let interact: DiscordHarness['interact'];

before(async () => {
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  harness = await startHarness({ world, dispatcher: createTestDispatcher({ seen, logger }), logger });
  ({ fake, bot, interact } = harness);
});

after(async () => {
  await harness?.close();
});

const lastSeen = () => seen[seen.length - 1]!;
const isChannelPost = (channelId: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/channels/${channelId}/messages`;
const isFollowUp = (token: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/webhooks/${world.appId}/${token}`;

test('GIVEN the client logs in THEN it identifies with the Guilds, GuildMessages and GuildMessageReactions intents only', () => {
  const identify = fake.gatewayFrames.find((frame) => frame.op === 2);
  assert.ok(identify, 'the client sent IDENTIFY');
  assert.equal(
    identify.d.intents,
    1 | 512 | 1024,
    'Guilds | GuildMessages | GuildMessageReactions, no Message Content',
  );
  assert.ok(bot.client.isReady(), 'bot.client.isReady()');
});

test('GIVEN /paper query:lora THEN search runs and answers ephemerally with cards and Share buttons', async () => {
  const payload = chatInput(world, { name: 'paper', options: { query: 'lora' } });
  const callback = await interact(payload);
  assert.equal(callback.body.type, 4);
  assert.equal(callback.body.data?.flags, EPHEMERAL);
  assert.equal(callback.body.data?.embeds?.length, 3);
  assert.deepEqual(callback.body.data?.allowed_mentions, { parse: [] });
  const buttons = buttonsIn(callback.body.data);
  assert.ok(
    buttons.some((b) => b.custom_id === 'pb:h:2106.09685' && /Share/.test(b.label ?? '')),
    'a Share button',
  );
  assert.deepEqual(lastSeen().options, { query: 'lora' });
  const { channelsOf, ...invoker } = lastSeen().invoker;
  assert.equal(typeof channelsOf, 'function', "the member's channels, read when a command asks (/paperboy me)");
  assert.deepEqual(invoker, {
    platform: 'discord',
    userId: world.userId,
    userName: 'Test User',
    channelId: world.channelId,
    workspaceId: world.guildId,
    canManageChannel: true,
    managers: 'members with the Manage Channels permission',
    // A member of the server: may save to the channel's library and say 👎 for it.
    isMember: true,
    members: 'members of this server',
    explainPause: explainDiscordPause,
    syntax: discordUsage,
  });
});

test(
  'GIVEN a hostile paper title ' + 'THEN the embed shows it as text: no mention, no markdown, no masked link',
  async () => {
    const payload = chatInput(world, { name: 'paper', options: { query: 'hostile' } });
    const callback = await interact(payload);
    const title = callback.body.data?.embeds?.[0]?.title ?? '';
    assert.ok(title.includes('\\<@1033044521375764530>'), title);
    assert.ok(title.includes('@\u200beveryone'), title);
    assert.ok(title.includes('\\*\\*bold\\*\\*'), title);
    assert.ok(title.includes('\\[click\\]'), title);
    assert.notEqual(title, HOSTILE_TITLE);
  },
);

test('GIVEN /paper with a command name first ("related 1706.03762") THEN that command runs, as on Slack', async () => {
  const callback = await interact(chatInput(world, { name: 'paper', options: { query: 'related 1706.03762' } }));
  assert.equal(callback.body.data?.flags, EPHEMERAL);
  assert.equal(lastSeen().command, 'related');
  assert.deepEqual(lastSeen().options, { paper: '1706.03762' });
});

test('GIVEN /paperboy random THEN the card is a public interaction reply', async () => {
  const payload = chatInput(world, { name: 'paperboy', subcommand: 'random', options: { topic: 'diffusion' } });
  const callback = await interact(payload);
  assert.equal(callback.body.type, 4);
  assert.equal(callback.body.data?.flags ?? 0, 0, 'not ephemeral');
  assert.equal(callback.body.data?.embeds?.[0]?.footer?.text.startsWith('paper 2006.11239'), true);
  assert.equal(lastSeen().command, 'random');
  assert.deepEqual(lastSeen().options, { topic: 'diffusion' });
});

test(
  'GIVEN /paperboy summary ' + 'THEN the card is posted publicly, a thread starts on it and the summary goes inside',
  async () => {
    const from = fake.requests.length;
    const payload = chatInput(world, { name: 'paperboy', subcommand: 'summary', options: { paper: '2106.09685' } });
    const callback = await interact(payload);
    assert.equal(callback.body.data?.flags ?? 0, 0);
    assert.equal(callback.query.get('with_response'), 'true', 'asks for the message to start a thread on');
    const card = fake.originalOf(payload.token)!;
    const threadStart = await fake.next(
      from,
      (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages/${card.id}/threads`,
    );
    assert.ok(threadStart.body.name!.length <= LIMITS.threadName, 'threadStart.body.name.length <= LIMITS.threadName');
    assert.ok(threadStart.body.name!.startsWith('LoRA'), "threadStart.body.name.startsWith('LoRA')");
    const summary = await fake.next(from, isChannelPost(card.id));
    assert.match(summary.body.content ?? '', /\*\*TL;DR\*\*/);
    assert.match(summary.body.content ?? '', /@\u200beveryone/);
    assert.deepEqual(summary.body.allowed_mentions, { parse: [] });
  },
);

test('GIVEN /paperboy help THEN the help text comes back ephemerally', async () => {
  const callback = await interact(chatInput(world, { name: 'paperboy', subcommand: 'help' }));
  assert.equal(callback.body.data?.flags, EPHEMERAL);
  assert.equal(callback.body.data?.content, 'Try /paper lora.');
});

test('GIVEN /paperboy-alerts subscribe by a member without Manage Channels THEN refused; with it, it runs', async () => {
  const refused = await interact(
    chatInput(
      world,
      { name: 'paperboy-alerts', subcommand: 'subscribe', options: { topic: 'gans' } },
      { permissions: NO_MANAGE_CHANNELS },
    ),
  );
  assert.equal(refused.body.data?.flags, EPHEMERAL);
  assert.match(
    refused.body.data?.content ?? '',
    /Only members with the Manage Channels permission may change this channel's alerts\./,
  );

  const allowed = await interact(
    chatInput(world, { name: 'paperboy-alerts', subcommand: 'subscribe', options: { topic: 'gans' } }),
  );
  assert.match(allowed.body.data?.content ?? '', /Subscribed this channel to gans/);
  assert.equal(lastSeen().invoker.canManageChannel, true);
});

test(
  'GIVEN typing in a paper option ' + 'THEN autocomplete answers with at most 25 unique choices within 100 characters',
  async () => {
    const callback = await interact(
      autocomplete(world, { name: 'paperboy', subcommand: 'related', focused: 'paper', options: { paper: 'atten' } }),
    );
    assert.equal(callback.body.type, 8);
    const choices = (callback.body.data?.choices ?? []) as { name: string; value: string }[];
    assert.ok(
      choices.length > 0 && choices.length <= LIMITS.autocompleteChoices,
      'choices.length > 0 && choices.length <= LIMITS.autocompleteChoices',
    );
    assert.deepEqual(choices[0], { name: 'Attention Is All You Need', value: '1706.03762' });
    for (const choice of choices) {
      assert.ok(choice.name.length >= 1 && choice.name.length <= 100, choice.name);
      assert.ok(choice.value.length <= 100, 'choice.value.length <= 100');
    }
    assert.equal(new Set(choices.map((c) => c.value)).size, choices.length, 'no duplicate values');
  },
);

/** Runs `/paper lora` and returns the ephemeral results message the fake stored. */
async function searchResults(): Promise<StoredMessage> {
  const payload = chatInput(world, { name: 'paper', options: { query: 'lora' } });
  await interact(payload);
  return fake.originalOf(payload.token)!;
}

test('GIVEN Share is clicked on ephemeral results THEN the card is posted in the channel for everyone', async () => {
  const results = await searchResults();
  assert.equal(results.flags, EPHEMERAL);
  const from = fake.requests.length;
  const click = buttonClick(world, 'pb:h:2006.11239', results);
  const callback = await interact(click);
  assert.equal(callback.body.type, 6, 'acknowledged without changing the results');
  const post = await fake.next(from, isChannelPost(world.channelId));
  assert.equal(post.body.embeds?.length, 1);
  assert.equal(post.body.embeds?.[0]?.footer?.text.split(' · ')[0], 'paper 2006.11239');
  assert.match(post.body.content ?? '', new RegExp(`Shared by <@${world.userId}>`));
  assert.deepEqual(post.body.allowed_mentions, { parse: [] }, 'naming the sharer does not ping them');
  assert.equal(post.body.flags ?? 0, 0);
});

test(
  'GIVEN Summary is clicked on ephemeral results ' + 'THEN card in the channel, thread on it, summary inside',
  async () => {
    const results = await searchResults();
    const from = fake.requests.length;
    await interact(buttonClick(world, 'pb:s:2106.09685', results));
    const post = await fake.next(from, isChannelPost(world.channelId));
    const cardId = [...fake.messages.values()].find(
      (m) =>
        m.channel_id === world.channelId &&
        m.embeds?.[0]?.footer?.text.startsWith('paper 2106.09685') &&
        m.content.startsWith('-# Shared'),
    )?.id;
    assert.ok(post && cardId, 'post && cardId');
    await fake.next(
      from,
      (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages/${cardId}/threads`,
    );
    const summary = await fake.next(from, isChannelPost(cardId));
    assert.match(summary.body.content ?? '', /TL;DR/);
    assert.equal(seen.filter((s) => s.command === 'summary').at(-1)!.options.paper, '2106.09685');
  },
);

test(
  'GIVEN Summary is clicked on a public card ' + 'THEN the thread starts on that card and it is not posted twice',
  async () => {
    const payload = chatInput(world, { name: 'paperboy', subcommand: 'random' });
    await interact(payload);
    const card = fake.originalOf(payload.token)!;
    const from = fake.requests.length;
    await interact(buttonClick(world, 'pb:s:2006.11239', card));
    await fake.next(
      from,
      (r) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages/${card.id}/threads`,
    );
    const summary = await fake.next(from, isChannelPost(card.id));
    assert.match(summary.body.content ?? '', /TL;DR/);
    assert.equal(fake.since(from).filter(isChannelPost(world.channelId)).length, 0, 'no second card');
  },
);

test('GIVEN Next page is clicked THEN the results message is updated in place', async () => {
  const results = await searchResults();
  const callback = await interact(buttonClick(world, 'pb:q2:lora', results));
  assert.equal(callback.body.type, 7, 'UPDATE_MESSAGE');
  assert.equal(callback.body.data?.content, '**Results for lora (page 2)**');
  assert.deepEqual(callback.body.data?.allowed_mentions, { parse: [] });
});

test('GIVEN Related is clicked THEN the related papers come back ephemerally', async () => {
  const results = await searchResults();
  const callback = await interact(buttonClick(world, 'pb:r:2006.11239', results));
  assert.equal(callback.body.type, 4);
  assert.equal(callback.body.data?.flags, EPHEMERAL);
  assert.equal(callback.body.data?.embeds?.length, 2);
});

test('GIVEN a forged button id THEN the user is told it is no longer valid', async () => {
  const results = await searchResults();
  const callback = await interact(buttonClick(world, 'pb:z:nonsense', results));
  assert.equal(callback.body.data?.flags, EPHEMERAL);
  assert.match(callback.body.data?.content ?? '', /no longer valid/);
});

test('GIVEN the recorded mention "<@bot> Hey" THEN the bot answers in the channel as a reply', async () => {
  const from = fake.requests.length;
  const message = userMessage(world, `<@${world.botId}> Hey`);
  fake.dispatch('MESSAGE_CREATE', message);
  const post = await fake.next(from, isChannelPost(world.channelId));
  assert.equal(post.body.message_reference?.message_id, message.id);
  assert.deepEqual(post.body.allowed_mentions, { parse: [] });
  assert.equal(lastSeen().command, 'search');
  assert.deepEqual(lastSeen().options, { query: 'Hey' });
  assert.equal(lastSeen().invoker.canManageChannel, false, 'the member has no Manage Channels here');
});

test(
  'GIVEN a mention inside a thread on our card ' + "THEN the bare mention posts that paper's summary in the thread",
  async () => {
    const card = fake.storeMessage(
      world.channelId,
      { embeds: [{ title: 'LoRA', footer: { text: 'paper 2106.09685 · ▲ 12' } }] },
      false,
    );
    fake.dispatch('THREAD_CREATE', threadChannel(world, card.id, 'LoRA'));
    const from = fake.requests.length;
    fake.dispatch('MESSAGE_CREATE', userMessage(world, `<@${world.botId}>`, { channelId: card.id, channelType: 11 }));
    await fake.next(from, (r) => r.method === 'GET' && r.path === `/channels/${world.channelId}/messages/${card.id}`);
    const post = await fake.next(from, isChannelPost(card.id));
    assert.match(post.body.content ?? '', /TL;DR/, 'the summary, without re-posting the card');
    assert.equal(lastSeen().command, 'summary');
    assert.equal(lastSeen().options.paper, '2106.09685');
  },
);

test(
  'GIVEN a mention in a thread on a user message with an arXiv link ' + 'THEN "related" is about that paper',
  async () => {
    const starter = fake.storeMessage(
      world.channelId,
      { content: 'look at https://arxiv.org/abs/1706.03762v5 !' },
      false,
    );
    starter.author = world.user;
    fake.dispatch('THREAD_CREATE', threadChannel(world, starter.id, 'attention'));
    const from = fake.requests.length;
    fake.dispatch(
      'MESSAGE_CREATE',
      userMessage(world, `<@${world.botId}> related`, { channelId: starter.id, channelType: 11 }),
    );
    const post = await fake.next(from, isChannelPost(starter.id));
    assert.equal(lastSeen().command, 'related');
    assert.deepEqual(lastSeen().options, { paper: '1706.03762' });
    assert.equal(post.body.embeds?.length, 2);
  },
);

test('GIVEN messages from bots or without a mention THEN the bot stays quiet', async () => {
  const fromBot = userMessage(world, `<@${world.botId}> lora`, { bot: true });
  const noMention = userMessage(world, 'https://arxiv.org/abs/1706.03762', { mentionBot: false });
  const from = fake.requests.length;
  fake.dispatch('MESSAGE_CREATE', fromBot);
  fake.dispatch('MESSAGE_CREATE', noMention);
  // Gateway events are handled in order: once this one is answered, the two before were handled.
  const marker = userMessage(world, `<@${world.botId}> marker`);
  fake.dispatch('MESSAGE_CREATE', marker);
  await fake.next(from, (r) => isChannelPost(world.channelId)(r) && r.body.message_reference?.message_id === marker.id);
  const answered = fake
    .since(from)
    .filter(isChannelPost(world.channelId))
    .map((r) => r.body.message_reference?.message_id);
  assert.deepEqual(answered, [marker.id]);
});

test(
  'GIVEN posting is forbidden (50013) ' + 'THEN the user gets a private explanation and the error is logged',
  async () => {
    const results = await searchResults();
    fake.failNext('POST', new RegExp(`^/channels/${world.channelId}/messages$`), {
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
    });
    const from = fake.requests.length;
    const click = buttonClick(world, 'pb:h:1706.03762', results);
    await interact(click);
    const followUp = await fake.next(from, isFollowUp(click.token));
    assert.equal(followUp.body.flags, EPHEMERAL);
    assert.match(followUp.body.content ?? '', /missing a permission/);
    assert.deepEqual(followUp.body.allowed_mentions, { parse: [] });
    assert.ok(
      logs.some((line) => line.includes('missing-permissions') && line.includes('50013')),
      "logs.some((line) => line.includes('missing-permissions') && line.includes('50",
    );
  },
);

test('GIVEN a thread cannot be created (50013) THEN the card stays and the summary comes privately', async () => {
  const results = await searchResults();
  fake.failNext('POST', /\/threads$/, { status: 403, code: 50013, message: 'Missing Permissions' });
  const from = fake.requests.length;
  const click = buttonClick(world, 'pb:s:1706.03762', results);
  await interact(click);
  await fake.next(from, isChannelPost(world.channelId));
  const notice = await fake.next(from, isFollowUp(click.token));
  assert.match(notice.body.content ?? '', /Create Public Threads/);
  const privateSummary = await fake.next(from, (r) => isFollowUp(click.token)(r) && r !== notice);
  assert.equal(privateSummary.body.flags, EPHEMERAL);
  assert.match(privateSummary.body.content ?? '', /TL;DR/);
});

test(
  'GIVEN the interaction expired (10062) ' + 'THEN it is logged, nobody is messaged, and the bot keeps working',
  async () => {
    const payload = chatInput(world, { name: 'paper', options: { query: 'lora' } });
    fake.failNext('POST', new RegExp(`^/interactions/${payload.id}/`), {
      status: 404,
      code: 10062,
      message: 'Unknown interaction',
    });
    await interact(payload);
    const next = chatInput(world, { name: 'paperboy', subcommand: 'help' });
    const callback = await interact(next);
    assert.equal(callback.body.data?.content, 'Try /paper lora.');
    assert.equal(fake.requests.filter((r) => r.path.includes(payload.token)).length, 1, 'no retry, no follow-up');
    assert.ok(
      logs.some((line) => line.includes('expired-interaction')),
      "logs.some((line) => line.includes('expired-interaction'))",
    );
  },
);

test(
  'GIVEN Discord rate limits the channel for 30 s ' + 'THEN the user is told to retry and the bot does not wait',
  async () => {
    const results = await searchResults();
    fake.failNext('POST', new RegExp(`^/channels/${world.channelId}/messages$`), { rateLimitSeconds: 30 });
    const from = fake.requests.length;
    const click = buttonClick(world, 'pb:h:2106.09685', results);
    await interact(click);
    const followUp = await fake.next(from, isFollowUp(click.token));
    assert.match(followUp.body.content ?? '', /rate limiting me/);
    assert.match(followUp.body.content ?? '', /30 seconds/);
    assert.ok(
      logs.some((line) => line.includes('rate-limited')),
      "logs.some((line) => line.includes('rate-limited'))",
    );
  },
);

test('GIVEN the channel is gone (10003) THEN the user is told so', async () => {
  const results = await searchResults();
  fake.failNext('POST', new RegExp(`^/channels/${world.channelId}/messages$`), {
    status: 404,
    code: 10003,
    message: 'Unknown Channel',
  });
  const from = fake.requests.length;
  const click = buttonClick(world, 'pb:h:2106.09685', results);
  await interact(click);
  const followUp = await fake.next(from, isFollowUp(click.token));
  assert.match(followUp.body.content ?? '', /channel no longer exists/);
});

test(
  'GIVEN an alert to post ' + 'THEN post() puts the card and its thread in the channel; a gone channel rejects',
  async () => {
    const from = fake.requests.length;
    const alert = {
      blocks: [
        { kind: 'paper' as const, card: { paperId: '2106.09685', title: 'New: LoRA', authors: 'E. Hu', actions: [] } },
      ],
      visibility: 'public' as const,
      thread: [
        {
          blocks: [{ kind: 'text' as const, text: 'Matched your subscription "lora".' }],
          visibility: 'public' as const,
          fallback: 'why',
        },
      ],
      fallback: 'New paper',
    };
    const posted = await bot.post(world.channelId, alert);
    assert.equal(posted.threadId, posted.messageId, "a thread on the card has the card's id");
    const send = await fake.next(from, isChannelPost(world.channelId));
    assert.deepEqual(send.body.allowed_mentions, { parse: [] });
    await fake.next(from, isChannelPost(posted.messageId));
    await assert.rejects(
      bot.post('999999999999999999', alert),
      (error: unknown) => classifyError(error).kind === 'unknown-channel',
    );
  },
);

test('GIVEN everything the bot sent in this file THEN every message carried allowed_mentions parse []', () => {
  const sends = fake.messageSends();
  assert.ok(sends.length >= 20, `saw ${sends.length} sends`);
  for (const send of sends) {
    const data = send.path.endsWith('/callback') ? send.body.data : send.body;
    assert.deepEqual(data?.allowed_mentions, { parse: [] }, `${send.method} ${send.path}`);
  }
});
