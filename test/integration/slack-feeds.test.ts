/**
 * Issue 23 through the real Bolt App and the real Slack WebClient against the fake Slack, with Hugging Face's
 * daily_papers answer as captured (test/fixtures/hf): every alert card (query, trending, library) says why it came and
 * has a 👎 button; a 👎 reaction on an alert card says no (removing it takes it back) and the 👎 button on
 * `/paper recommend` changes the next recommendations for good; `/paper trending` lists the fixture's papers by
 * upvotes, updated in place by a later poll, and a trending subscription alerts each paper once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type types, webApi } from '@slack/bolt';
import { createSlackDelivery } from '../../src/adapters/slack/alert-delivery.ts';
import type { SlackHandle } from '../../src/adapters/slack/app.ts';
import type { Poller } from '../../src/core/alerts/poller.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import type { Invoker } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openPaperboy, type Paperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.ts';
import {
  blockActionBody,
  blockActionPayload,
  postSigned,
  reactionEvent,
  slashCommandFields,
} from '../fakes/slack-requests.ts';
import { startSlackHttp } from '../support/slack-http.ts';

/** The library channel as the installed workspace sees it. */
const CLIB = { platform: 'slack', workspaceId: slashCommandFields().team_id!, channelId: 'CLIB' };
const SECRET = 'feeds-secret';
const FIXTURE = readFileSync(
  new URL('../fixtures/hf/daily_papers_2024-10-25_first3_trimmed.json', import.meta.url),
  'utf8',
);
/** The fixture's papers: 74, 45 and 40 upvotes; 3, 2 and 2 comments; featured on 2024-10-25. */
const [MEMORY, EDITING, LOGO] = ['2410.17243', '2410.16251', '2410.18533'];
/** The channel Slack's captured button clicks come from: recommendations are asked for there too. */
const CLICK_CHANNEL = 'C08REALCHAN1';
const CLICK_USER = 'U08REALUSER1';

let temp: ReturnType<typeof tempDir>;
let pb: Paperboy;
let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;
let sources: PaperSourceServer;
let poller: Poller;
let clock = new Date('2030-01-02T12:00:00Z');
let subs: { query: number; trending: number; library: number };

const manager = (channelId: string): Invoker => ({
  platform: 'slack',
  userId: 'UADA',
  userName: 'ada',
  channelId,
  canManageChannel: true,
});

before(async () => {
  temp = tempDir('paperboy-feeds-');
  pb = await openPaperboy({
    dbPath: join(temp.dir, 'pb.db'),
    logger: silentLogger,
    builtinCorpus: true,
    useWorker: false,
    random: () => 0.42,
  });
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', { body: FIXTURE, contentType: 'application/json' });
  api = await new FakeSlackApi({ botUserId: 'UBOT' }).start();
  api.putUser('U0REACTOR', { profile: { display_name: 'Rea <!channel>' }, team_id: 'T00FAKE00BB' });
  // The people of the captured slash command and click, full members of the slash commands' workspace.
  for (const user of [slashCommandFields().user_id!, CLICK_USER]) api.putUser(user, { team_id: CLIB.workspaceId });
  ({ handle, eventsUrl } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-feeds',
    signingSecret: SECRET,
    botUserId: 'UBOT',
  }));
  const client = new webApi.WebClient('xoxb-feeds', { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
  ({ poller } = createAlertSystem({
    core: pb,
    config: alertsConfig(sources.url, { sources: ['huggingface'] }),
    deliveries: [createSlackDelivery({ client, logger: silentLogger, sleep: async () => {} })],
    logger: silentLogger,
    now: () => clock,
    sourceDeps: FAST_SOURCES,
    outbox: { sleep: async () => {}, retryBaseMs: 0 },
  }));
  for (const paper of ['skip-tuning diffusion', 'lisa layerwise importance sampling', 'lora'])
    for (const channel of ['CLIB', CLICK_CHANNEL]) await pb.dispatcher.runText(`save ${paper}`, manager(channel));
  const subscribe = async (channel: string, text: string) => {
    const reply = await pb.dispatcher.runText(`subscribe ${text}`, manager(channel));
    return Number(/subscription #(\d+)/.exec(reply.fallback)?.[1]);
  };
  subs = {
    query: await subscribe('CQUERY', 'contrastive loss'),
    trending: await subscribe('CTREND', '--trending --min-upvotes 44'),
    library: await subscribe('CLIB', '--like-library --per-day 50'),
  };
  await poller.pollOnce();
});

after(async () => {
  await handle.stop();
  await api.close();
  await sources.close();
  await pb.close();
  temp.cleanup();
});

/** The alert cards posted in a channel (root messages), by the paper they show. */
function alertCards(channel: string): Map<string, RecordedCall> {
  const cards = new Map<string, RecordedCall>();
  for (const call of api.callsTo('chat.postMessage')) {
    if (call.args.channel !== channel || call.args.thread_ts) continue;
    for (const block of call.args.blocks ?? [])
      if (block.block_id?.startsWith('paper:')) cards.set(block.block_id.slice('paper:'.length), call);
  }
  return cards;
}

function whyLines(blocks: readonly types.KnownBlock[] | undefined): string[] {
  return (blocks ?? []).flatMap((block) =>
    block.type === 'context'
      ? block.elements.flatMap((e) => ('text' in e && e.text.startsWith('💡 ') ? [e.text] : []))
      : [],
  );
}

function buttons(blocks: readonly types.KnownBlock[] | undefined): { label: string; id: string }[] {
  return (blocks ?? []).flatMap((block) =>
    block.type === 'actions'
      ? block.elements.flatMap((e) => (e.type === 'button' ? [{ label: e.text.text, id: e.action_id ?? '' }] : []))
      : [],
  );
}

async function slash(text: string, channel = CLICK_CHANNEL) {
  api.calls.length = 0;
  const body = new URLSearchParams({
    ...slashCommandFields(),
    command: '/paper',
    text,
    response_url: api.responseUrl(text),
    channel_id: channel,
    user_id: CLICK_USER,
  }).toString();
  await postSigned(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded');
  const [answer] = await api.waitFor('response_url');
  return answer!;
}

function reaction(type: 'reaction_added' | 'reaction_removed', reaction: string, channel: string, ts: string) {
  // In the workspace of the slash commands: the captured events come from another one.
  return JSON.stringify(
    reactionEvent(type, {
      reaction,
      user: 'U0REACTOR',
      channel,
      ts,
      itemUser: 'UBOT',
      eventId: `Ev${type}${ts}${reaction}`,
      teamId: CLIB.workspaceId,
    }),
  );
}

test('GIVEN a query, a trending and a library subscription WHEN a round polls THEN each card says why it came, with a 👎 button', async () => {
  const query = alertCards('CQUERY');
  assert.deepEqual([...query.keys()], [MEMORY]);
  assert.deepEqual(whyLines(query.get(MEMORY)!.args.blocks), [
    `💡 Matched your subscription #${subs.query} "contrastive loss": contrastive, loss`,
  ]);

  const trending = alertCards('CTREND');
  assert.deepEqual([...trending.keys()].sort(), [EDITING, MEMORY], 'the paper with 40 upvotes is below 44');
  assert.deepEqual(whyLines(trending.get(MEMORY)!.args.blocks), [
    "💡 Trending: 74 upvotes, 3 comments (on Hugging Face's list of 2024-10-25); passed 44",
  ]);

  const library = alertCards('CLIB');
  assert.deepEqual([...library.keys()].sort(), [EDITING, MEMORY, LOGO].sort());
  for (const card of library.values())
    assert.match(whyLines(card.args.blocks)[0] ?? '', /^💡 Like ".+" \(saved by ada\)(: shared terms \S.*)?$/);

  for (const card of [...query.values(), ...trending.values(), ...library.values()])
    assert.ok(
      buttons(card.args.blocks).some((b) => b.label === '👎 Not for us'),
      'every alert card has 👎 Not for us',
    );
});

test('GIVEN an alert card WHEN someone reacts 👎 THEN the channel said no (by their name), and removing it takes it back', async () => {
  const ts = alertCards('CLIB').get(EDITING)!.result!.ts as string;
  api.calls.length = 0;
  await postSigned(eventsUrl, SECRET, reaction('reaction_added', '-1', 'CLIB', ts), 'application/json');
  const [told] = await api.waitFor('chat.postEphemeral');
  assert.equal(told!.args.user, 'U0REACTOR');
  assert.match(told!.args.text ?? '', /👎 Noted: "Can Knowledge Editing Really Correct Hallucinations\?" will not be/);
  const [given] = await pb.store.feedback.items(CLIB);
  assert.deepEqual([given?.paperId, given?.givenBy, given?.givenByName], [EDITING, 'U0REACTOR', 'Rea <!channel>']);
  const recommended = await pb.services.library!.recommend(CLIB, 20);
  assert.ok(!recommended.some((r) => r.paper.id === EDITING), 'never recommended in that channel again');

  api.calls.length = 0;
  await postSigned(eventsUrl, SECRET, reaction('reaction_removed', '-1', 'CLIB', ts), 'application/json');
  const [back] = await api.waitFor('chat.postEphemeral');
  assert.match(back!.args.text ?? '', /Took back your 👎 on "Can Knowledge Editing/);
  assert.equal((await pb.store.feedback.items(CLIB)).length, 0);

  // A 👎 on a message showing several papers: which one is meant is not guessed.
  api.putMessage('CLIB', {
    ts: '1766458200.000009',
    user: 'UBOT',
    blocks: [
      { type: 'section', block_id: `paper:${MEMORY}`, text: { type: 'mrkdwn', text: 'one' } },
      { type: 'section', block_id: `paper:${LOGO}`, text: { type: 'mrkdwn', text: 'two' } },
    ],
  });
  api.calls.length = 0;
  await postSigned(
    eventsUrl,
    SECRET,
    reaction('reaction_added', '-1::skin-tone-3', 'CLIB', '1766458200.000009'),
    'application/json',
  );
  const [which] = await api.waitFor('chat.postEphemeral');
  assert.match(which!.args.text ?? '', /several papers: press 👎 Not for us under the one you mean/);
  assert.equal((await pb.store.feedback.items(CLIB)).length, 0);
});

test('GIVEN /paper recommend WHEN 👎 is pressed on a card THEN the next recommendations change and it never comes back', async () => {
  const first = await slash('recommend 5');
  const blocks = first.args.blocks as types.KnownBlock[];
  const why = whyLines(blocks);
  assert.equal(why.length, 5, 'a why line on each recommendation');
  for (const line of why) assert.match(line, /^💡 Like ".+" \(saved by ada\)(: shared terms \S.*)?$/);
  const firstPaper = blocks.find((b) => b.block_id?.startsWith('paper:'))!.block_id!.slice('paper:'.length);
  const dislike = buttons(blocks).find((b) => b.label === '👎 Not for us')!;
  assert.ok(dislike);

  api.calls.length = 0;
  const click = blockActionPayload(dislike.id, api.responseUrl('dislike'), { ephemeral: true });
  // Clicked in the workspace of the slash commands (the captured click comes from another one).
  click.team = { id: CLIB.workspaceId, domain: click.team?.domain ?? 'paperlab' };
  click.user = { ...click.user, team_id: CLIB.workspaceId };
  await postSigned(eventsUrl, SECRET, blockActionBody(click), 'application/x-www-form-urlencoded');
  const [noted] = await api.waitFor('response_url');
  assert.equal(noted!.args.response_type, 'ephemeral');
  assert.match(JSON.stringify(noted!.args.blocks), /👎 Noted/);

  const next = await slash('recommend 5');
  const nextPapers = (next.args.blocks as types.KnownBlock[])
    .flatMap((b) => (b.block_id?.startsWith('paper:') ? [b.block_id.slice('paper:'.length)] : []))
    .slice(0, 5);
  assert.ok(!nextPapers.includes(firstPaper), 'the next recommendations leave it out');
  const many = await slash('recommend 20');
  assert.doesNotMatch(JSON.stringify(many.args.blocks), new RegExp(`paper:${firstPaper.replace('.', '\\.')}"`));

  const list = await slash('feedback');
  assert.match(JSON.stringify(list.args.blocks), /👎 by you \(\d{4}-\d\d-\d\d\)/, 'the presser, named as you');
});

test('GIVEN the fixture polled THEN /paper trending lists it by upvotes; a later poll updates counts in place and alerts each paper once', async () => {
  const today = await slash('trending');
  const text = JSON.stringify(today.args.blocks);
  assert.match(text, /Trending on Hugging Face today \(2024-10-25\)/);
  const order = (today.args.blocks as types.KnownBlock[]).flatMap((b) =>
    b.block_id?.startsWith('paper:') ? [b.block_id.slice('paper:'.length)] : [],
  );
  assert.deepEqual(order, [MEMORY, EDITING, LOGO]);
  assert.deepEqual(whyLines(today.args.blocks).slice(0, 2), [
    "💡 Trending: 74 upvotes, 3 comments (on Hugging Face's list of 2024-10-25)",
    "💡 Trending: 45 upvotes, 2 comments (on Hugging Face's list of 2024-10-25)",
  ]);
  const topic = await slash('trending week contrastive');
  assert.deepEqual(
    (topic.args.blocks as types.KnownBlock[]).flatMap((b) =>
      b.block_id?.startsWith('paper:') ? [b.block_id.slice('paper:'.length)] : [],
    ),
    [MEMORY],
  );
  assert.match(JSON.stringify(topic.args.blocks), /1 of 1 matching \(of 3\) papers/);

  // The next poll: LOGO has climbed to 140 upvotes. Counts are updated, not duplicated; LOGO now crosses 44.
  const later = JSON.parse(FIXTURE) as { paper: { id: string; upvotes: number } }[];
  for (const item of later) if (item.paper.id === LOGO) item.paper.upvotes = 140;
  sources.route('/api/daily_papers', { body: JSON.stringify(later), contentType: 'application/json' });
  clock = new Date('2030-01-02T13:00:00Z');
  const postsBefore = alertCards('CTREND').size;
  await poller.pollOnce();
  const signals = await pb.store.signals.featured('huggingface', '2024-10-19', '2024-10-25', 10);
  assert.deepEqual(
    signals.map((s) => [s.paperId, s.upvotes]),
    [
      [LOGO, 140],
      [MEMORY, 74],
      [EDITING, 45],
    ],
  );
  assert.equal(signals[0]!.asOf, '2030-01-02T13:00:00.000Z');
  assert.equal(signals[0]!.firstSeenAt, '2030-01-02T12:00:00.000Z');
  assert.equal((await pb.papers.get(LOGO))?.upvotes, 140, 'the paper record shows the new count too');
  const trending = alertCards('CTREND');
  assert.equal(trending.size, postsBefore + 1, 'only the newly crossing paper');
  assert.deepEqual(whyLines(trending.get(LOGO)!.args.blocks), [
    "💡 Trending: 140 upvotes, 2 comments (on Hugging Face's list of 2024-10-25); passed 44",
  ]);
  const rows = (await pb.alerts.rows()).filter((r) => r.channelId === 'CTREND');
  assert.equal(rows.length, 3, 'one outbox row per paper, ever');
});
