/**
 * A distributed Slack app end to end over HTTP: the real Bolt App with its built-in OAuth flow against a fake Slack
 * (authorize page, oauth.v2.access, auth.test per token). Two workspaces install it through /slack/install → Slack's
 * authorize page → /slack/oauth_redirect; their tokens are stored sealed; slash commands and alerts in each workspace
 * go out with that workspace's own token; an uninstall deletes one workspace's token, stops every call with it and
 * pauses its channels, and after reinstalling `/paper subscriptions` there says why.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSlackDelivery, slackAlertClients } from '../../src/adapters/slack/alert-delivery.ts';
import { UNINSTALL_REASONS } from '../../src/adapters/slack/listeners/uninstalls.ts';
import { BOT_SCOPES } from '../../src/adapters/slack/oauth.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import { redact, silentLogger } from '../../src/core/logger.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi, type FakeWorkspace, type RecordedCall } from '../fakes/slack-api.ts';
import { sqliteDb } from '../support/paperboy.ts';
import { OAUTH_APP, type OAuthSlack, startOAuthSlack } from '../support/slack-oauth.ts';

const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, stateSecret: STATE_SECRET } = OAUTH_APP;

const ONE: FakeWorkspace = {
  teamId: 'T0000ONE',
  teamName: 'Workspace One',
  botToken: 'xoxb-1111-one-SeCrEtBoTtOkEnOnE',
  botUserId: 'UBOTONE',
  botId: 'BBOTONE',
  installerId: 'UADMIN1',
};
const TWO: FakeWorkspace = {
  teamId: 'T0000TWO',
  teamName: 'Workspace Two',
  botToken: 'xoxb-2222-two-SeCrEtBoTtOkEnTwO',
  botUserId: 'UBOTTWO',
  botId: 'BBOTTWO',
  installerId: 'UADMIN2',
};
const CHANNEL = { [ONE.teamId]: 'C0000ONE', [TWO.teamId]: 'C0000TWO' };
/** A workspace's channel, as the store keys it. */
const channelOf = (workspace: FakeWorkspace) => ({
  platform: 'slack',
  workspaceId: workspace.teamId,
  channelId: CHANNEL[workspace.teamId]!,
});

const PAPER = {
  id: '2503.20001',
  title: 'Sparse LoRA for Fast Fine-Tuning',
  abstract:
    'We propose sparse low-rank adapters that fine-tune large language models faster. ' +
    'Experiments show a two times speed-up with equal accuracy on instruction following.',
  authors: ['Ada'],
  categories: ['cs.CL'],
  published: '2025-03-18',
  upvotes: 7,
};

let api: FakeSlackApi;
let sources: PaperSourceServer;
let pb: Paperboy;
let slack: OAuthSlack;
let temp: { dir: string; cleanup(): void };

before(async () => {
  api = await new FakeSlackApi().start();
  // Each installer is a full member of their own workspace: they may change its channels' alerts.
  for (const workspace of [ONE, TWO]) api.putUser(workspace.installerId, { team_id: workspace.teamId });
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', { body: renderDailyPapers([PAPER]), contentType: 'application/json' });
  temp = tempDir('paperboy-oauth-');
  pb = await openTestPaperboy(join(temp.dir, 'pb.db'));
  await pb.importer.importInputs([{ ...PAPER, arxivId: '2501.00009', title: 'Adapters for Everyone' }], 'test');
  await pb.index.refresh();
  slack = await startOAuthSlack(pb, api);
});

after(async () => {
  await slack?.stop();
  await pb?.close();
  await api?.close();
  await sources?.close();
  temp?.cleanup();
});

const install = (workspace: FakeWorkspace, options?: { cookie?: boolean }) => slack.install(workspace, options);
const slash = (workspace: FakeWorkspace, text: string) => slack.slash(workspace, CHANNEL[workspace.teamId]!, text);
const event = (workspace: FakeWorkspace, payload: Record<string, unknown>) => slack.event(workspace, payload);

const tokensUsed = (calls: RecordedCall[], method: string, channel: string) =>
  calls.filter((c) => c.method === method && c.args.channel === channel).map((c) => c.token);

function alertSystem() {
  return createAlertSystem({
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
}

describe('GIVEN paperboy distributed through OAuth', () => {
  test('WHEN the state cookie of the browser is missing THEN the callback fails and nothing is installed', async () => {
    const { status, html } = await install(ONE, { cookie: false });
    assert.notEqual(status, 200);
    assert.doesNotMatch(html, /paperboy is installed/);
    assert.equal(api.callsTo('oauth.v2.access').length, 0, 'the code was never exchanged');
    assert.equal(await pb.store.installations.get('slack', ONE.teamId), undefined);
  });

  test('WHEN two workspaces install THEN the state round-trips and each token is stored sealed', async () => {
    for (const workspace of [ONE, TWO]) {
      const { authorize, cookie, callback, status, html } = await install(workspace);
      assert.equal(`${authorize.origin}${authorize.pathname}`, api.authorizeUrl);
      assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
      assert.deepEqual(authorize.searchParams.get('scope')?.split(','), BOT_SCOPES);
      const state = authorize.searchParams.get('state');
      assert.ok(state && cookie === `slack-app-oauth-state=${state}`, 'the state is also in the browser cookie');
      assert.equal(callback.searchParams.get('state'), state, 'Slack sent the state back');
      assert.equal(status, 200, html);
      assert.match(html, new RegExp(`paperboy is installed in ${workspace.teamName}`));
    }
    const exchanges = api.callsTo('oauth.v2.access');
    assert.equal(exchanges.length, 2);
    assert.ok(exchanges.every((c) => (c.args as Record<string, unknown>).client_secret === CLIENT_SECRET));
    assert.deepEqual(
      api.callsTo('auth.test').map((c) => c.token),
      [ONE.botToken, TWO.botToken],
      'Bolt checked each new token with auth.test',
    );
    const rows = sqliteDb(pb).prepare('SELECT * FROM installations ORDER BY workspace_id').all();
    assert.equal(rows.length, 2);
    const raw = JSON.stringify(rows);
    for (const secret of [ONE.botToken, TWO.botToken, 'SeCrEtBoTtOkEn', CLIENT_SECRET])
      assert.ok(!raw.includes(secret), `the database does not hold ${secret.slice(0, 12)}… in the clear`);
    assert.match(raw, /"sealed":"pb1\./);
    const one = await slack.installations.fetchInstallation({
      teamId: ONE.teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    assert.equal(one.bot?.token, ONE.botToken);
    assert.equal(one.bot?.userId, ONE.botUserId);
  });

  test('WHEN each workspace runs slash commands THEN each is answered with its own token', async () => {
    api.calls.length = 0;
    for (const workspace of [ONE, TWO]) {
      assert.equal((await slash(workspace, 'summary 2501.00009')).status, 200);
      assert.equal((await slash(workspace, 'subscribe lora')).status, 200);
    }
    // A summary is posted with chat.postMessage (a card, then its thread): those calls carry a token.
    await api.waitFor('chat.postMessage', 4);
    await api.waitFor('response_url', 2);
    assert.deepEqual(tokensUsed(api.calls, 'chat.postMessage', CHANNEL[ONE.teamId]!), [ONE.botToken, ONE.botToken]);
    assert.deepEqual(tokensUsed(api.calls, 'chat.postMessage', CHANNEL[TWO.teamId]!), [TWO.botToken, TWO.botToken]);
    assert.deepEqual(
      api.callsTo('users.info').map((c) => [c.args.user, c.token]),
      [
        [ONE.installerId, ONE.botToken],
        [TWO.installerId, TWO.botToken],
      ],
      'who may subscribe is asked with the workspace own token, once per person',
    );
    const subscriptions = await pb.alerts.subscriptions();
    assert.deepEqual(subscriptions.map((s) => [s.channelId, s.workspaceId]).sort(), [
      [CHANNEL[ONE.teamId], ONE.teamId],
      [CHANNEL[TWO.teamId], TWO.teamId],
    ]);
  });

  test('WHEN an alert goes to each workspace THEN each is posted with that workspace token', async () => {
    api.calls.length = 0;
    const report = await alertSystem().poller.pollOnce();
    assert.equal(report.deliveries[0]?.alerts, 2, JSON.stringify(report));
    for (const workspace of [ONE, TWO]) {
      const tokens = tokensUsed(api.calls, 'chat.postMessage', CHANNEL[workspace.teamId]!);
      assert.equal(tokens.length, 2, 'the card and its summary in the thread');
      assert.ok(tokens.every((token) => token === workspace.botToken));
    }
  });

  test('WHEN one workspace uninstalls THEN its token is gone, its calls stop and its alerts pause', async () => {
    assert.equal((await event(ONE, { type: 'app_uninstalled' })).status, 200);
    await slack.logger.waitFor('app_uninstalled: the workspace');
    api.revoke(ONE.botToken);
    assert.equal(await pb.store.installations.get('slack', ONE.teamId), undefined);
    assert.ok(await pb.store.installations.get('slack', TWO.teamId));
    const paused = await pb.alerts.channelPause(channelOf(ONE));
    assert.equal(paused?.reason, UNINSTALL_REASONS.app_uninstalled);
    assert.equal(await pb.alerts.channelPause(channelOf(TWO)), undefined);
    assert.equal((await pb.store.workspaces.removal('slack', ONE.teamId))?.reason, UNINSTALL_REASONS.app_uninstalled);

    api.calls.length = 0;
    // A command from the removed workspace finds no installation: nothing is said there.
    await slash(ONE, 'summary 2501.00009');
    await slash(TWO, 'summary 2501.00009');
    await api.waitFor('chat.postMessage', 2);
    await slack.logger.waitFor('Authorization of incoming event did not succeed');
    // A new alert for each channel (the poll's paper went out already): only the installed workspace gets its own.
    for (const workspace of [ONE, TWO]) {
      const [subscription] = await pb.alerts.channelSubscriptions(channelOf(workspace));
      await pb.alerts.enqueue({
        ...channelOf(workspace),
        paperId: '2501.00009',
        subscriptionId: subscription!.id,
        matched: ['lora'],
        score: 1,
        digest: false,
        dueAt: '2025-03-18T00:00:00.000Z',
      });
    }
    await alertSystem().poller.pollOnce();
    assert.deepEqual(
      api.calls.filter((c) => c.token === ONE.botToken).map((c) => c.method),
      [],
      'no call carries the removed workspace token',
    );
    assert.equal(tokensUsed(api.calls, 'chat.postMessage', CHANNEL[ONE.teamId]!).length, 0);
    assert.ok(tokensUsed(api.calls, 'chat.postMessage', CHANNEL[TWO.teamId]!).length >= 3);
    assert.ok(tokensUsed(api.calls, 'chat.postMessage', CHANNEL[TWO.teamId]!).every((t) => t === TWO.botToken));
  });

  test('WHEN the workspace reinstalls THEN /paper subscriptions there says why alerts are paused', async () => {
    const fresh: FakeWorkspace = { ...ONE, botToken: 'xoxb-1111-one-NeWtOkEnAfTeRrEiNsTaLl' };
    assert.equal((await install(fresh)).status, 200);
    api.calls.length = 0;
    await slash(fresh, 'subscriptions');
    const [answer] = await api.waitFor('response_url', 1);
    assert.match(
      String(answer!.args.text ?? JSON.stringify(answer!.args.blocks)),
      /paused since .* UTC: paperboy was removed from this workspace\. An admin can install paperboy again/,
    );
    assert.ok(await pb.alerts.channelPause(channelOf(ONE)), 'still paused until someone resumes');
    assert.equal(await pb.store.workspaces.removal('slack', ONE.teamId), undefined, 'no longer due for deletion');
    await slash(fresh, 'summary 2501.00009');
    const [post] = await api.waitFor('chat.postMessage', 1);
    assert.equal(post!.token, fresh.botToken, 'the new token is used from now on');
  });

  test('THEN no log line holds a workspace token, and the redaction list removes the client secret', () => {
    const logged = slack.logger.lines.join('\n');
    assert.match(logged, /app_uninstalled/);
    for (const token of [ONE.botToken, TWO.botToken]) assert.ok(!logged.includes(token), 'a bot token was logged');
    // The Web API client logs oauth.v2.access's form at debug level; the logger's redaction (config.secrets) covers it.
    const redacted = redact(logged, [CLIENT_SECRET, STATE_SECRET]);
    for (const secret of [CLIENT_SECRET, STATE_SECRET]) assert.ok(!redacted.includes(secret));
  });

  test('WHEN tokens_revoked names the bot THEN the workspace is removed too', async () => {
    assert.equal((await event(TWO, { type: 'tokens_revoked', tokens: { bot: [TWO.botUserId] } })).status, 200);
    await slack.logger.waitFor('tokens_revoked: the workspace');
    assert.equal(await pb.store.installations.get('slack', TWO.teamId), undefined);
    assert.match((await pb.alerts.channelPause(channelOf(TWO)))?.reason ?? '', /^tokens_revoked/);
  });
});

test('GIVEN the manifest THEN install asks for its bot scopes and it subscribes to the uninstall events', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../slack/manifest.json', import.meta.url), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
    settings: { event_subscriptions: { bot_events: string[] } };
  };
  assert.deepEqual([...BOT_SCOPES].sort(), [...manifest.oauth_config.scopes.bot].sort());
  for (const event of Object.keys(UNINSTALL_REASONS))
    assert.ok(manifest.settings.event_subscriptions.bot_events.includes(event), event);
});
