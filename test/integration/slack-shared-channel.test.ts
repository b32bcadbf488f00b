/**
 * A Slack Connect channel seen from two workspaces, end to end: the real Bolt App (OAuth, HTTP mode) against the fake
 * Slack, both workspaces installed and working in one shared channel id. Each keeps its own subscriptions and library
 * there, and a member of one cannot change what the other keeps (its library, its 👎s); each workspace's alerts go
 * out with its own token; a paper both follow is posted once; when one workspace
 * uninstalls, its alerts pause at once and the other's go on, and its data is deleted after the grace period.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSlackDelivery, slackAlertClients } from '../../src/adapters/slack/alert-delivery.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import type { ChannelKey } from '../../src/core/channel-key.ts';
import { DEFAULT_RETENTION, Housekeeping } from '../../src/core/housekeeping.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi, type FakeWorkspace, type RecordedCall } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { type OAuthSlack, startOAuthSlack } from '../support/slack-oauth.ts';

const SHARED = 'C0SHARED';
const ONE: FakeWorkspace = {
  teamId: 'T0000ONE',
  teamName: 'Lab One',
  botToken: 'xoxb-1111-one-ShArEdToKeNoNe',
  botUserId: 'UBOTONE',
  botId: 'BBOTONE',
  installerId: 'UADMIN1',
};
const TWO: FakeWorkspace = {
  teamId: 'T0000TWO',
  teamName: 'Lab Two',
  botToken: 'xoxb-2222-two-ShArEdToKeNtWo',
  botUserId: 'UBOTTWO',
  botId: 'BBOTTWO',
  installerId: 'UADMIN2',
};
const keyOf = (workspace: FakeWorkspace): ChannelKey => ({
  platform: 'slack',
  workspaceId: workspace.teamId,
  channelId: SHARED,
});

const paper = (id: string, title: string, abstract: string) => ({
  id,
  title,
  abstract,
  authors: ['Ada'],
  categories: ['cs.CL'],
  published: '2025-03-18',
});
const LORA = paper('2503.30001', 'Sparse LoRA for Fast Fine-Tuning', 'Sparse LoRA adapters fine-tune faster.');
const GRAPH = paper('2503.30002', 'Graph Transformers at Scale', 'A graph transformer for molecules.');
const LORA_TOO = paper('2503.30003', 'LoRA Merging Without Tears', 'Merging many LoRA adapters into one model.');

let api: FakeSlackApi;
let sources: PaperSourceServer;
let pb: Paperboy;
let slack: OAuthSlack;
const temp = tempDir('paperboy-shared-');

before(async () => {
  api = await new FakeSlackApi().start();
  // Each installer is a full member of their own workspace (users.info answers so: they may change alerts).
  for (const workspace of [ONE, TWO]) api.putUser(workspace.installerId, { team_id: workspace.teamId });
  sources = await startPaperSourceServer();
  pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
  await pb.importer.importInputs([{ arxivId: '2501.00009', title: 'Adapters for Everyone', abstract: 'A.' }], 'test');
  await pb.index.refresh();
  slack = await startOAuthSlack(pb, api);
});

after(async () => {
  await slack?.stop();
  await pb?.close();
  await api?.close();
  await sources?.close();
  temp.cleanup();
});

/** What `/paper <text>` answered in the shared channel for a workspace's installer. */
async function ask(workspace: FakeWorkspace, text: string): Promise<string> {
  const before = api.callsTo('response_url').length;
  assert.equal((await slack.slash(workspace, SHARED, text)).status, 200);
  const answers = await api.waitFor('response_url', before + 1);
  const answer = answers[before]!;
  return String(answer.args.text ?? '') + JSON.stringify(answer.args.blocks ?? []);
}

/** One alert round over the papers a source now lists. */
async function poll(papers: (typeof LORA)[]): Promise<void> {
  sources.route('/api/daily_papers', { body: renderDailyPapers(papers), contentType: 'application/json' });
  const { poller } = createAlertSystem({
    core: pb,
    config: alertsConfig(sources.url, { sources: ['huggingface'] }),
    deliveries: [
      createSlackDelivery({
        client: slackAlertClients(slack.config, slack.installations),
        logger: silentLogger,
        sleep: async () => {},
        minIntervalMs: 0,
      }),
    ],
    logger: silentLogger,
    now: () => new Date('2025-03-18T12:00:00Z'),
    sourceDeps: FAST_SOURCES,
    outbox: { sleep: async () => {}, retryBaseMs: 0 },
  });
  await poller.pollOnce();
}

/** The alert cards posted in the shared channel (thread replies left out): which paper, with which token. */
function cards(calls: RecordedCall[]): [title: string, token: string | undefined][] {
  return calls
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === SHARED && c.args.metadata && !c.args.thread_ts)
    .map((c) => {
      const text = JSON.stringify(c.args.blocks);
      const title = [LORA, GRAPH, LORA_TOO].find((p) => text.includes(p.title))?.title ?? '?';
      return [title, c.token];
    });
}

describe('GIVEN one Slack Connect channel shared by two workspaces that both installed paperboy', () => {
  test('WHEN each subscribes and saves there THEN each sees only its own', async () => {
    for (const workspace of [ONE, TWO]) assert.equal((await slack.install(workspace)).status, 200);
    assert.match(await ask(ONE, 'subscribe lora'), /subscription #1/);
    assert.match(await ask(TWO, 'subscribe lora'), /subscription #2/);
    assert.match(await ask(TWO, 'subscribe graph transformer'), /subscription #3/);
    assert.match(await ask(ONE, 'save 2501.00009'), /Saved "Adapters for Everyone"/);

    const listedByOne = await ask(ONE, 'subscriptions');
    assert.match(listedByOne, /follows 1 query/);
    assert.doesNotMatch(listedByOne, /#2|#3/);
    assert.match(await ask(TWO, 'subscriptions'), /follows 2 queries:.*#2 {2}lora.*#3 {2}graph transformer/s);
    assert.match(await ask(TWO, 'unsubscribe 1'), /no subscription #1/);
    assert.match(await ask(TWO, 'library'), /nothing yet/);
    assert.match(await ask(ONE, 'library'), /Adapters for Everyone/);
    assert.equal(await pb.store.library.count(keyOf(ONE)), 1);
    assert.equal(await pb.store.library.count(keyOf(TWO)), 0);
  });

  test(
    "WHEN a member of one organisation reacts ⭐ or 👎 to the other's card THEN that workspace refuses it, and " +
      'the same member may in their own',
    async () => {
      api.putUser('U0FROMONE', { name: 'ina', team_id: ONE.teamId });
      const card = (workspace: FakeWorkspace, ts: string) =>
        api.putMessage(SHARED, {
          ts,
          user: workspace.botUserId,
          blocks: [{ type: 'section', block_id: 'paper:2501.00009', text: { type: 'mrkdwn', text: 'card' } }],
        });
      card(TWO, '1766458200.000001');
      card(ONE, '1766458200.000002');
      /** A reaction by Lab One's member, delivered to `workspace`'s installation; what they were told, with which token. */
      const react = async (workspace: FakeWorkspace, reaction: string, ts: string) => {
        const before = api.callsTo('chat.postEphemeral').length;
        await slack.event(
          workspace,
          {
            type: 'reaction_added',
            user: 'U0FROMONE',
            reaction,
            item_user: workspace.botUserId,
            item: { type: 'message', channel: SHARED, ts },
          },
          {
            authorizations: [
              {
                team_id: workspace.teamId,
                user_id: workspace.botUserId,
                is_bot: true,
                enterprise_id: null,
                is_enterprise_install: false,
              },
            ],
          },
        );
        const [told] = (await api.waitFor('chat.postEphemeral', before + 1)).slice(before);
        assert.equal(told!.token, workspace.botToken);
        return String(told!.args.text);
      };
      const otherOrganisation =
        /^Only full members of this workspace may .* Your account belongs to another organisation/;
      assert.match(await react(TWO, 'star', '1766458200.000001'), otherOrganisation);
      assert.match(await react(TWO, '-1', '1766458200.000001'), otherOrganisation);
      assert.equal(await pb.store.library.count(keyOf(TWO)), 0, "nothing kept in Lab Two's library");
      assert.deepEqual(await pb.store.feedback.items(keyOf(TWO)), [], 'no 👎 there');

      assert.match(await react(ONE, '-1', '1766458200.000002'), /^👎 Noted/, 'in their own workspace they may');
      assert.deepEqual(
        (await pb.store.feedback.items(keyOf(ONE))).map((i) => [i.paperId, i.givenBy]),
        [['2501.00009', 'U0FROMONE']],
      );
      assert.match(await react(ONE, 'star', '1766458200.000002'), /already in this channel's library/);
      assert.equal(await pb.store.library.count(keyOf(ONE)), 1, "Lab One's library is as it was");
    },
  );

  test("WHEN new papers match THEN each workspace's alert goes out with its own token, and a paper both follow once", async () => {
    api.calls.length = 0;
    await poll([LORA, GRAPH]);
    assert.deepEqual(cards(api.calls), [
      [LORA.title, ONE.botToken],
      [GRAPH.title, TWO.botToken],
    ]);
    assert.deepEqual(
      (await pb.alerts.rows()).map((r) => [r.paperId, r.workspaceId, r.state]),
      [
        [LORA.id, ONE.teamId, 'sent'],
        [GRAPH.id, TWO.teamId, 'sent'],
      ],
    );
  });

  test("WHEN one workspace uninstalls THEN its alerts pause at once, the other's go on, and its data goes after the grace period", async () => {
    assert.equal((await slack.event(ONE, { type: 'app_uninstalled' })).status, 200);
    await slack.logger.waitFor('app_uninstalled: the workspace');
    api.revoke(ONE.botToken);
    assert.match((await pb.alerts.channelPause(keyOf(ONE)))?.reason ?? '', /^app_uninstalled/);
    assert.equal(await pb.alerts.channelPause(keyOf(TWO)), undefined);

    api.calls.length = 0;
    await poll([LORA, GRAPH, LORA_TOO]);
    assert.deepEqual(
      cards(api.calls),
      [[LORA_TOO.title, TWO.botToken]],
      'the paper both follow comes through the workspace still there',
    );
    assert.ok(api.calls.every((c) => c.token !== ONE.botToken));

    const logger = new CaptureLogger();
    const at = (days: number) => () => new Date(Date.now() + days * 86_400_000);
    const early = new Housekeeping({ store: pb.store, retention: DEFAULT_RETENTION, logger, now: at(29) });
    assert.deepEqual((await early.runOnce())?.workspaces, []);
    assert.equal((await pb.alerts.channelSubscriptions(keyOf(ONE))).length, 1, 'kept through the grace period');
    const late = new Housekeeping({ store: pb.store, retention: DEFAULT_RETENTION, logger, now: at(31) });
    const [deleted] = (await late.runOnce())?.workspaces ?? [];
    assert.deepEqual(
      deleted && [deleted.workspaceId, deleted.subscriptions, deleted.libraryItems, deleted.pausedChannels],
      [ONE.teamId, 1, 1, 1],
    );
    assert.deepEqual(await pb.alerts.channelSubscriptions(keyOf(ONE)), []);
    assert.equal(await pb.store.library.count(keyOf(ONE)), 0);
    assert.equal((await pb.alerts.channelSubscriptions(keyOf(TWO))).length, 2, "the other workspace's stay");
    assert.match(await ask(TWO, 'subscriptions'), /follows 2 queries/);
    assert.match(logger.lines.join('\n'), /deleted a removed workspace's data after its grace period/);
  });
});
