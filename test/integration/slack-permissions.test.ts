/**
 * Who may change a channel's alerts and library on Slack, through the real Bolt App (HTTP mode, signed requests)
 * against the fake Slack Web API, whose users.info knows a cast of users: full members, guests of both kinds, a
 * member of another organisation, a bot, an admin and an owner. Two apps share one paperboy: one with
 * SLACK_CHANNEL_MANAGERS=members (that learns its workspace from auth.test, as in production), one with `admins`.
 * Alerts are the managers' to change; what the channel keeps (saves by command, ⭐ button, ⭐ reaction and the Save to
 * library shortcut; 👎 by command, button and reaction) its full members', under either policy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi, type RecordedCall, type StoredUser } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import {
  appMentionEvent,
  blockActionBody,
  blockActionPayload,
  interactivityBody,
  messageShortcutPayload,
  postSigned,
  reactionEvent,
  slashCommandFields,
} from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'permissions-signing-secret';
const FORM = 'application/x-www-form-urlencoded';
/** The workspace and channel of the captured slash command. */
const TEAM = 'T00FAKE00BB';
const CHANNEL = 'C00FAKECHAN3';
const HERE = { platform: 'slack', workspaceId: TEAM, channelId: CHANNEL };
const PAPERS = ['2502.00011', '2502.00012', '2502.00013'] as const;

const USERS: Record<string, StoredUser> = {
  UCAROL: { name: 'carol', team_id: TEAM },
  UERIN: { name: 'erin', team_id: TEAM },
  UGUEST: { name: 'guest', team_id: TEAM, is_restricted: true },
  USINGLE: { name: 'single', team_id: TEAM, is_restricted: true, is_ultra_restricted: true },
  UOUTSIDER: { name: 'outsider', team_id: 'T0OTHERORG' },
  UROBOT: { name: 'robot', team_id: TEAM, is_bot: true },
  UADMIN: { name: 'dana', team_id: TEAM, is_admin: true },
  UOWNER: { name: 'olga', team_id: TEAM, is_owner: true, is_primary_owner: true },
};

let pb: Paperboy;
let api: FakeSlackApi;
let members: SlackHandle;
let admins: SlackHandle;
const logger = new CaptureLogger();

before(async () => {
  pb = await testPaperboy({
    logger,
    builtin: false,
    papers: PAPERS.map((arxivId, i) => ({
      arxivId,
      title: `Sparse Adapters, part ${i + 1}`,
      abstract: 'We study sparse low-rank adapters for language models.',
      authors: ['Ada Lovelace'],
      published: '2025-02-03',
      categories: ['cs.CL'],
    })),
  });
  api = await new FakeSlackApi({ botUserId: 'UBOT', botId: 'BBOT', teamId: TEAM }).start();
  for (const [id, user] of Object.entries(USERS)) api.putUser(id, user);
  // No bot ids given: the app asks auth.test at start, as in production, and learns its workspace there.
  members = await startSlack(
    { botToken: 'xoxb-members', signingSecret: SECRET, port: 0, host: '127.0.0.1', apiUrl: api.apiUrl, retries: 0 },
    { dispatcher: pb.dispatcher, logger, sleep: async () => {} },
  );
  ({ handle: admins } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-admins',
    signingSecret: SECRET,
    botUserId: 'UBOT',
    channelManagers: 'admins',
  }));
});

after(async () => {
  await members?.stop();
  await admins?.stop();
  await api?.close();
  await pb?.close();
});

const eventsUrl = (handle: SlackHandle) => `http://127.0.0.1:${handle.port}/slack/events`;
let sent = 0;

/** `/paper <text>` typed by `user` in the channel; resolves with the answer POSTed to its response_url. */
async function slash(handle: SlackHandle, user: string, text: string): Promise<RecordedCall> {
  const target = `${++sent} ${user}: ${text}`;
  const body = new URLSearchParams({
    ...slashCommandFields(),
    user_id: user,
    user_name: USERS[user]?.name ?? user,
    command: '/paper',
    text,
    response_url: api.responseUrl(target),
  }).toString();
  const answered = api.callsTo('response_url').length + 1;
  assert.equal((await postSigned(eventsUrl(handle), SECRET, body, FORM)).status, 200);
  await api.waitFor('response_url', answered);
  const answer = api.callsTo('response_url').find((call) => call.target === target);
  assert.ok(answer, `an answer to ${target}`);
  return answer;
}

/** A click on button `actionId` by `user` on an ephemeral message in the channel, in a body that names `team`. */
async function click(handle: SlackHandle, user: string, actionId: string, team = TEAM): Promise<void> {
  const payload: BlockAction<ButtonAction> = blockActionPayload(actionId, api.responseUrl(`click ${++sent}`), {
    ephemeral: true,
  });
  const name = USERS[user]?.name ?? user;
  payload.user = { id: user, name, username: name, team_id: team };
  payload.team = { id: team, domain: 'acme' };
  payload.channel = { id: CHANNEL, name: 'papers' };
  payload.container = { ...payload.container, channel_id: CHANNEL };
  assert.equal((await postSigned(eventsUrl(handle), SECRET, blockActionBody(payload), FORM)).status, 200);
}

const textOf = (call: RecordedCall) => call.args.text ?? '';
const usersInfoCalls = (user: string) => api.callsTo('users.info').filter((call) => call.args.user === user).length;
const subscriptions = () => pb.alerts.channelSubscriptions(HERE);

describe('GIVEN SLACK_CHANNEL_MANAGERS=members (the default)', () => {
  test('WHEN guests, a member of another organisation or a bot subscribe THEN each is told who may, and why', async () => {
    const refusals: [string, RegExp][] = [
      ['UGUEST', /Guest accounts cannot\./],
      ['USINGLE', /Guest accounts cannot\./],
      ['UOUTSIDER', /Your account belongs to another organisation/],
      ['UROBOT', /Bots and apps cannot\./],
    ];
    for (const [user, why] of refusals) {
      const answer = await slash(members, user, 'subscribe sparse adapters');
      assert.equal(answer.args.response_type, 'ephemeral', user);
      assert.match(textOf(answer), /^Only full members of this workspace may change this channel's alerts\. /, user);
      assert.match(textOf(answer), why, user);
    }
    for (const user of ['UGUEST', 'UOUTSIDER'])
      assert.match(textOf(await slash(members, user, 'subscribe --like-library')), /^Only full members/, user);
    assert.deepEqual(await subscriptions(), [], 'nothing subscribed');
    assert.ok(
      logger.lines.some((line) => line.includes('refused: not a channel manager') && line.includes('Guest accounts')),
      'each refusal is logged',
    );
  });

  test('WHEN a full member subscribes and unsubscribes THEN both run, and Slack was asked about them once', async () => {
    const searched = await slash(members, 'UCAROL', 'sparse adapters');
    assert.match(textOf(searched), /^Results for "sparse adapters"/);
    assert.equal(usersInfoCalls('UCAROL'), 0, 'a search never asks who the user is');
    const subscribed = await slash(members, 'UCAROL', 'subscribe sparse adapters');
    assert.equal(subscribed.args.response_type, 'in_channel');
    const id = /subscription #(\d+)/.exec(textOf(subscribed))?.[1];
    assert.ok(id, textOf(subscribed));
    assert.match(textOf(await slash(members, 'UCAROL', `unsubscribe ${id}`)), /^Unsubscribed this channel from/);
    assert.equal(usersInfoCalls('UCAROL'), 1, 'the users.info answer is kept for the second command');
    // Listing changes nothing: a guest may see what the channel follows, and Slack is not asked.
    assert.match(textOf(await slash(members, 'UGUEST', 'subscriptions')), /no subscriptions/);
  });

  test('WHEN users.info fails THEN the change is refused with a clear message, and a retry asks again', async () => {
    api.putUser('UFLAKY', { name: 'flaky', team_id: TEAM });
    api.failNext('users.info', 'internal_error');
    const refused = await slash(members, 'UFLAKY', 'subscribe sparse adapters');
    assert.match(textOf(refused), /^Only full members of this workspace may change this channel's alerts\./);
    assert.match(textOf(refused), /I could not check your account with Slack just now \(internal_error\)/);
    assert.match(textOf(refused), /I changed nothing\. Please try again in a minute\./);
    assert.deepEqual(await subscriptions(), []);
    const retried = await slash(members, 'UFLAKY', 'subscribe sparse adapters');
    assert.match(textOf(retried), /^Subscribed this channel/, 'a failure is not remembered');
    assert.equal(usersInfoCalls('UFLAKY'), 2);
    // An app installed without users:read: the message says what an admin can do.
    api.failNext('users.info', 'missing_scope');
    assert.match(textOf(await slash(members, 'UERIN', 'unsubscribe 1')), /lacks the `users:read` scope/);
    assert.equal((await subscriptions()).length, 1);
  });

  test('WHEN a guest clicks Unsubscribe THEN refused and the subscription stays; a full member may', async () => {
    const [subscription] = await subscriptions();
    assert.ok(subscription, 'the flaky user subscribed the channel');
    const unsubscribe = pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: String(subscription.id) });
    const answered = api.callsTo('response_url').length + 1;
    await click(members, 'UGUEST', unsubscribe);
    const [refusal] = (await api.waitFor('response_url', answered)).slice(-1);
    assert.match(textOf(refusal!), /^Only full members of this workspace .* Guest accounts cannot\./);
    assert.equal((await subscriptions()).length, 1);
    await click(members, 'UERIN', unsubscribe);
    const [posted] = await api.waitFor('chat.postMessage');
    assert.match(textOf(posted!), /^Unsubscribed this channel from #/);
    assert.deepEqual(await subscriptions(), []);
  });

  test('WHEN a member of another organisation clicks in a body naming their own team THEN still refused', async () => {
    // A Slack Connect click may name the clicker's workspace; the app judges by the workspace it is installed in.
    api.putUser('UCONNECT', { name: 'connect', team_id: 'T0CONNECT' });
    const unsubscribe = pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: '1' });
    const answered = api.callsTo('response_url').length + 1;
    await click(members, 'UCONNECT', unsubscribe, 'T0CONNECT');
    const [refusal] = (await api.waitFor('response_url', answered)).slice(-1);
    assert.match(textOf(refusal!), /Your account belongs to another organisation/);
  });
});

describe('GIVEN SLACK_CHANNEL_MANAGERS=admins', () => {
  test('WHEN a full member subscribes THEN refused, naming admins and owners; an admin and an owner may', async () => {
    const refused = await slash(admins, 'UCAROL', 'subscribe lora');
    assert.equal(
      textOf(refused),
      "Only workspace admins and owners (SLACK_CHANNEL_MANAGERS=admins) may change this channel's alerts.",
    );
    assert.match(textOf(await slash(admins, 'UADMIN', 'subscribe lora')), /^Subscribed this channel/);
    assert.match(textOf(await slash(admins, 'UOWNER', 'subscriptions resume')), /were not paused/);
    assert.match(textOf(await slash(admins, 'UGUEST', 'subscriptions resume')), /Guest accounts cannot\./);
  });

  test(
    'WHEN library papers are removed THEN the saver and an admin may, another member may not; ' +
      'each removal is said in the channel, by name',
    async () => {
      for (const paper of PAPERS.slice(0, 2))
        assert.match(textOf(await slash(admins, 'UCAROL', `save ${paper}`)), /⭐ Saved/);
      const refused = await slash(admins, 'UERIN', `library remove ${PAPERS[0]}`);
      assert.equal(refused.args.response_type, 'ephemeral');
      assert.equal(
        textOf(refused),
        'Only the member who saved "Sparse Adapters, part 1" (carol), or workspace admins and owners ' +
          "(SLACK_CHANNEL_MANAGERS=admins), may remove it from this channel's library.",
      );
      assert.equal(await pb.store.library.count(HERE), 2, 'nothing removed');

      const own = await slash(admins, 'UCAROL', `library remove ${PAPERS[0]}`);
      assert.equal(own.args.response_type, 'in_channel', 'posted in the channel, not whispered');
      assert.equal(textOf(own), 'carol removed "Sparse Adapters, part 1" from this channel\'s library.');

      // An admin removes carol's other paper with the button on the library list.
      const list = await slash(admins, 'UADMIN', 'library');
      const remove = JSON.stringify(list.args.blocks).match(/"action_id":"(pb:k:[^"]+)"/)?.[1];
      assert.ok(remove, 'a Remove from library button');
      const posts = api.callsTo('chat.postMessage').length + 1;
      await click(admins, 'UADMIN', remove);
      const post = (await api.waitFor('chat.postMessage', posts)).at(-1)!;
      assert.equal(post.args.channel, CHANNEL);
      assert.equal(
        textOf(post),
        'dana removed "Sparse Adapters, part 2" from this channel\'s library (saved by carol).',
      );
      assert.equal(await pb.store.library.count(HERE), 0);
      for (const said of [textOf(own), textOf(post), JSON.stringify(post.args.blocks)])
        assert.doesNotMatch(said, /<@|<!/, 'names, never a mention');
    },
  );

  test('WHEN an admin removes a paper by mentioning the bot THEN the channel is told their Slack name', async () => {
    assert.match(textOf(await slash(admins, 'UCAROL', `save ${PAPERS[0]}`)), /⭐ Saved/);
    const mention = appMentionEvent(`<@BOT> library remove ${PAPERS[0]}`, {
      botUserId: 'UBOT',
      channel: CHANNEL,
      eventId: 'EvREMOVE1',
    });
    mention.event.user = 'UADMIN';
    mention.team_id = TEAM;
    mention.authorizations![0]!.team_id = TEAM;
    const posts = api.callsTo('chat.postMessage').length + 1;
    await postSigned(eventsUrl(admins), SECRET, JSON.stringify(mention), 'application/json');
    const post = (await api.waitFor('chat.postMessage', posts)).at(-1)!;
    // A mention carries no name: the one users.info gave while checking the admin is used.
    assert.equal(textOf(post), 'dana removed "Sparse Adapters, part 1" from this channel\'s library (saved by carol).');
  });

  test('WHEN a guest removes a paper they saved before guests were refused THEN only a manager may', async () => {
    // Saved when guests still could (written as the platform would have said yes then).
    const then = { ...HERE, platform: 'slack' as const, userId: 'UGUEST', userName: 'guest', isMember: true };
    assert.match((await pb.dispatcher.runText(`save ${PAPERS[2]}`, then)).fallback, /⭐ Saved/);
    const refused = await slash(admins, 'UGUEST', `library remove ${PAPERS[2]}`);
    assert.equal(
      textOf(refused),
      "Only full members of this workspace may remove papers from this channel's library. Guest accounts cannot.",
    );
    assert.equal(await pb.store.library.count(HERE), 1);
    const removed = await slash(admins, 'UADMIN', `library remove ${PAPERS[2]}`);
    assert.equal(
      textOf(removed),
      'dana removed "Sparse Adapters, part 3" from this channel\'s library (saved by guest).',
    );
  });
});

describe("GIVEN either policy: what a channel keeps (its library, its 👎s) is its full members' to change", () => {
  const NOT_MEMBERS: [user: string, why: RegExp][] = [
    ['UGUEST', /Guest accounts cannot\./],
    ['USINGLE', /Guest accounts cannot\./],
    ['UOUTSIDER', /Your account belongs to another organisation/],
    ['UROBOT', /Bots and apps cannot\./],
  ];
  const SAVE_REFUSED = /^Only full members of this workspace may save papers to this channel's library\. /;
  const NOT_FOR_US_REFUSED =
    /^Only full members of this workspace may say 👎 Not for us for this channel, or take one back\. /;
  const paper = PAPERS[1];
  const kept = async () => ({
    saved: await pb.store.library.count(HERE),
    declined: (await pb.store.feedback.items(HERE)).length,
  });
  let ts = 1767300000;
  /** A card of the bot's in the channel, showing `paper`: what ⭐ and 👎 reactions land on. */
  const card = () => {
    const at = `${++ts}.000100`;
    api.putMessage(CHANNEL, {
      ts: at,
      user: 'UBOT',
      blocks: [{ type: 'section', block_id: `paper:${paper}`, text: { type: 'mrkdwn', text: 'card' } }],
    });
    return at;
  };
  /** `user` reacts to a card; resolves with what they were told privately. */
  const react = async (user: string, reaction: string): Promise<RecordedCall> => {
    const told = api.callsTo('chat.postEphemeral').length + 1;
    const event = reactionEvent('reaction_added', {
      reaction,
      user,
      channel: CHANNEL,
      ts: card(),
      itemUser: 'UBOT',
      eventId: `EvKEEP${++sent}`,
      teamId: TEAM,
    });
    assert.equal((await postSigned(eventsUrl(members), SECRET, JSON.stringify(event), 'application/json')).status, 200);
    const answer = (await api.waitFor('chat.postEphemeral', told)).at(-1)!;
    assert.equal(answer.args.user, user, 'told only to them');
    return answer;
  };
  /** `user` clicks a card button; resolves with the answer at its response_url. */
  const press = async (user: string, verb: string): Promise<RecordedCall> => {
    const answered = api.callsTo('response_url').length + 1;
    await click(members, user, pb.dispatcher.buttons.id({ verb, arg: paper }));
    return (await api.waitFor('response_url', answered)).at(-1)!;
  };

  test('WHEN guests, a member of another organisation or a bot save or say 👎 by command THEN each is told who may, and why', async () => {
    const before = await kept();
    for (const [user, why] of NOT_MEMBERS) {
      for (const handle of [members, admins]) {
        const saved = await slash(handle, user, `save ${paper}`);
        assert.equal(saved.args.response_type, 'ephemeral', user);
        assert.match(textOf(saved), SAVE_REFUSED, user);
        assert.match(textOf(saved), why, user);
      }
      for (const text of [`feedback add ${paper}`, `feedback remove ${paper}`]) {
        const declined = await slash(members, user, text);
        assert.match(textOf(declined), NOT_FOR_US_REFUSED, `${user}: ${text}`);
        assert.match(textOf(declined), why, user);
      }
    }
    assert.deepEqual(await kept(), before, 'nothing saved, no 👎');
    assert.ok(
      logger.lines.some((line) => line.includes('refused: not a channel member')),
      'each refusal is logged',
    );
  });

  test('WHEN a guest or a member of another organisation presses ⭐ Save or 👎 Not for us THEN refused, nothing kept', async () => {
    const before = await kept();
    for (const user of ['UGUEST', 'UOUTSIDER']) {
      assert.match(textOf(await press(user, 'save')), SAVE_REFUSED, user);
      assert.match(textOf(await press(user, 'not-for-us')), NOT_FOR_US_REFUSED, user);
    }
    assert.deepEqual(await kept(), before);
  });

  test('WHEN a guest or a member of another organisation reacts ⭐ or 👎 on a card THEN told privately, nothing kept', async () => {
    const before = await kept();
    for (const user of ['UGUEST', 'UOUTSIDER']) {
      assert.match(textOf(await react(user, 'star')), SAVE_REFUSED, user);
      assert.match(textOf(await react(user, '-1')), NOT_FOR_US_REFUSED, user);
    }
    assert.deepEqual(await kept(), before);
  });

  test('WHEN a guest uses Save to library on a message THEN refused once, before any paper is looked up', async () => {
    const before = await kept();
    const answered = api.callsTo('response_url').length + 1;
    const payload = messageShortcutPayload(
      'pb_save_papers',
      { ts: '1767300999.000100', text: `<https://arxiv.org/abs/${paper}> and <https://arxiv.org/abs/${PAPERS[0]}>` },
      { channel: CHANNEL, user: 'UGUEST', responseUrl: api.responseUrl(`shortcut ${++sent}`) },
    );
    await postSigned(eventsUrl(members), SECRET, interactivityBody(payload), FORM);
    const answer = (await api.waitFor('response_url', answered)).at(-1)!;
    assert.equal(
      textOf(answer),
      "Only full members of this workspace may save papers to this channel's library. Guest accounts cannot.",
    );
    assert.deepEqual(await kept(), before);
  });

  test('WHEN a full member does each THEN it is kept (and under SLACK_CHANNEL_MANAGERS=admins too)', async () => {
    const before = await kept();
    assert.match(textOf(await press('UCAROL', 'save')), /⭐ Saved "Sparse Adapters, part 2"/);
    assert.match(textOf(await react('UERIN', '-1')), /👎 Noted/);
    assert.deepEqual(await kept(), { saved: before.saved + 1, declined: before.declined + 1 });
    assert.match(textOf(await slash(admins, 'UCAROL', `save ${PAPERS[0]}`)), /⭐ Saved/, 'not an admin, a member');
    assert.match(
      textOf(await slash(members, 'UERIN', `feedback remove ${paper}`)),
      /^erin took back the 👎 on "Sparse Adapters, part 2"/,
    );
  });
});
