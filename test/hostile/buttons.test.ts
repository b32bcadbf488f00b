/**
 * Forged and unknown button ids: through the dispatcher, the real Slack adapter (HTTP mode, signed requests) and
 * the real discord.js client (fake gateway). Nothing acts; in particular an `unsubscribe` id naming another
 * channel's subscription leaves that subscription in place.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import type { Invoker } from '../../src/core/command.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { buttonClick, chatInput, defaultWorld } from '../fakes/discord-payloads.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { blockActionBody, blockActionPayload, postSigned } from '../fakes/slack-requests.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';
import { assertNothingFailed, assertSafeEverywhere, SLACK_INVOKER } from './support.ts';

const SECRET = 'hostile-signing-secret';
const SLACK_CHANNEL_OF_FIXTURE = 'C08REALCHAN1';
const VICTIM: Invoker = {
  platform: 'slack',
  userId: 'UVICTIM',
  channelId: 'CVICTIM',
  workspaceId: 'T08REALTEAM1',
  canManageChannel: true,
};

/** Ids that are not ours, stale, malformed, oversized or aimed at something else. */
export const FORGED_IDS: readonly string[] = [
  '',
  'x',
  'pb',
  'pb:',
  'pb::',
  'pb:z:2401.00001',
  'pb:s:',
  'pb:s',
  'pb:S:2401.00001',
  'pb:s99999:2401.00001',
  'pb:q:#nonexistent-stash-key',
  'pb:s:#',
  'pb:u:#',
  'pb:s:../../etc/passwd',
  'pb:s:9999.99999',
  'pb:r:<!channel>',
  'pb:h:@everyone',
  'pb:q:<@U123>',
  `pb:q:${'x'.repeat(200)}`,
  `pb:s:${'1'.repeat(97)}`,
  'pb:u:',
  'pb:u:abc',
  'pb:u:-1',
  'pb:u:0',
  'pb:u:1e3',
  'pb:u:99999999999999999999',
  'pb:u:1; DROP TABLE subscriptions',
  'pb:u:__proto__',
  'PB:U:1',
  ' pb:u:1',
  'pb:u:1 ',
  'pb:x\n:1',
  '\u0000pb:u:1',
  '{"verb":"unsubscribe","arg":"1"}',
  'https://evil.example',
];

let pb: Paperboy;
const logger = new CaptureLogger();
let victimSubscriptionId: number;

before(async () => {
  pb = await testPaperboy({ papers: [HOSTILE_PAPER], logger });
  const created = await pb.services.alerts!.subscribe(VICTIM, 'attention');
  assert.ok('subscription' in created);
  victimSubscriptionId = created.subscription.id;
});
after(() => pb.close());

async function victimStillSubscribed(): Promise<void> {
  const victim = { platform: 'slack', workspaceId: VICTIM.workspaceId ?? '', channelId: 'CVICTIM' };
  const remaining = (await pb.alerts.channelSubscriptions(victim)).map((s) => s.id);
  assert.deepEqual(remaining, [victimSubscriptionId], "the other channel's subscription is untouched");
}

describe('GIVEN forged and unknown button ids', () => {
  const when = `WHEN each of ${FORGED_IDS.length} forged ids is clicked`;
  test(`${when} THEN a clear message, safe to render, nothing removed`, async () => {
    for (const id of FORGED_IDS) {
      const where = `action ${JSON.stringify(id)}`;
      const reply = await pb.dispatcher.runAction(id, SLACK_INVOKER);
      assertSafeEverywhere(reply, where);
      assert.ok(reply.fallback.length > 0, where);
      // Only a share is public; whatever a forged id does, its answer goes to the one who clicked.
      assert.equal(reply.visibility, id.startsWith('pb:h:') ? 'public' : 'ephemeral', where);
      assertNothingFailed(logger, where);
    }
    await victimStillSubscribed();
  });

  test(
    "WHEN an unsubscribe button names another channel's subscription " + 'THEN it is not found here and stays',
    async () => {
      for (const invoker of [
        SLACK_INVOKER,
        { ...VICTIM, platform: 'discord' as const },
        { ...VICTIM, channelId: 'COTHER' },
      ]) {
        const reply = await pb.dispatcher.runAction(
          pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: String(victimSubscriptionId) }),
          invoker,
        );
        assert.match(reply.fallback, /no subscription/i);
      }
      const typed = await pb.dispatcher.runText(`unsubscribe ${victimSubscriptionId}`, SLACK_INVOKER);
      assert.match(typed.fallback, /no subscription/i);
      await victimStillSubscribed();
    },
  );
});

describe('GIVEN the real Slack adapter in HTTP mode', () => {
  let api: FakeSlackApi;
  let handle: SlackHandle;
  before(async () => {
    api = await new FakeSlackApi({ botUserId: 'UBOT', botId: 'BBOT' }).start();
    // The clicker may manage channels: what stops the forged unsubscribe is that it names another channel's.
    api.putUser('U08REALUSER1', { name: 'testuser', team_id: 'T08REALTEAM1' });
    handle = await startSlack(
      {
        botToken: 'xoxb-hostile-test',
        signingSecret: SECRET,
        port: 0,
        host: '127.0.0.1',
        apiUrl: api.apiUrl,
        botUserId: 'UBOT',
        botId: 'BBOT',
        retries: 0,
      },
      { dispatcher: pb.dispatcher, logger: { info() {}, warn() {}, error() {}, debug() {} }, sleep: async () => {} },
    );
  });
  after(async () => {
    await handle.stop();
    await api.close();
  });

  const when = `WHEN a forged unsubscribe id for another channel is clicked in ${SLACK_CHANNEL_OF_FIXTURE}`;
  test(`${when} THEN Slack is told "not found" and nothing changes`, async () => {
    const url = `http://127.0.0.1:${handle.port}/slack/events`;
    const id = pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: String(victimSubscriptionId) });
    const response = await postSigned(
      url,
      SECRET,
      blockActionBody(blockActionPayload(id, api.responseUrl('forged'))),
      'application/x-www-form-urlencoded',
    );
    assert.equal(response.status, 200);
    const [answer] = await api.waitFor('response_url');
    assert.match(JSON.stringify(answer!.args), /no subscription/i);
    const forgedIds: Array<[string, RegExp]> = [
      ['pb:u:abc', /^Give the number of the subscription to remove/],
      ['pb:zz:1', /^That button is no longer valid/],
      ['nonsense', /^That button is no longer valid/],
      [`pb:q:${'<!channel>'.repeat(8)}`, /^Results for "(&lt;!channel&gt;){8}"/],
    ];
    for (const [forged, answer] of forgedIds) {
      const answered = api.callsTo('response_url').length + 1;
      const r = await postSigned(
        url,
        SECRET,
        blockActionBody(blockActionPayload(forged, api.responseUrl(forged))),
        'application/x-www-form-urlencoded',
      );
      assert.equal(r.status, 200, `${forged} acknowledged`);
      const reply = (await api.waitFor('response_url', answered)).at(-1)!;
      assert.equal(reply.target, forged);
      assert.equal(reply.args.response_type, 'ephemeral', `${forged}: privately`);
      assert.match(reply.args.text ?? '', answer, forged);
    }
    await victimStillSubscribed();
  });
});

describe('GIVEN the real discord.js client against the fake gateway', () => {
  const world = defaultWorld();
  let harness: DiscordHarness;
  before(async () => {
    harness = await startHarness({ world, dispatcher: pb.dispatcher });
  });
  after(async () => {
    await harness.close();
  });

  test(
    'WHEN forged custom ids are clicked (one an unsubscribe for another channel) ' +
      'THEN each gets a private answer and nothing acts',
    async () => {
      const share = chatInput(world, {
        name: 'paperboy',
        subcommand: 'share',
        options: { paper: HOSTILE_PAPER.arxivId! },
      });
      await harness.interact(share);
      const message = harness.fake.originalOf(share.token)!;
      assert.ok(message, 'a message to click on');
      const discordVictim = await pb.services.alerts!.subscribe(
        { platform: 'discord', userId: '9', channelId: '999999999999999999' },
        'lora',
      );
      assert.ok('subscription' in discordVictim);
      const clicks: Array<[string, RegExp]> = [
        [
          pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: String(discordVictim.subscription.id) }),
          /no subscription #\d+/,
        ],
        [pb.dispatcher.buttons.id({ verb: 'unsubscribe', arg: String(victimSubscriptionId) }), /no subscription #\d+/],
        ['pb:u:abc', /Give the number of the subscription/],
        ['garbage', /That button is no longer valid/],
        ['pb:q:#missing', /That button is no longer valid/],
      ];
      for (const [id, answer] of clicks) {
        const callback = await harness.interact(buttonClick(world, id, message));
        assert.equal(callback.body.type, 4, `${id}: answered with a new message, not an edit of the card`);
        assert.equal(callback.body.data?.flags, 64, `${id}: privately`);
        assert.deepEqual(callback.body.data?.allowed_mentions, { parse: [] }, 'no pings');
        assert.match(callback.body.data?.content?.replaceAll('\\', '') ?? '', answer, id);
      }
      const discordChannel = { platform: 'discord', workspaceId: '', channelId: '999999999999999999' };
      assert.equal((await pb.alerts.channelSubscriptions(discordChannel)).length, 1);
      await victimStillSubscribed();
    },
  );
});
