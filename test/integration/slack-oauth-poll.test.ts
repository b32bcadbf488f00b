/**
 * `paperboy poll` (cron) for a distributed Slack app: each channel's alert is posted with the token of the workspace
 * its subscription came from, read from the sealed installations; a wrong PAPERBOY_SECRET_KEY stops the round with
 * one clear line before anything is sent or paused.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { Installation } from '@slack/bolt';
import { SlackInstallations } from '../../src/adapters/slack/installations.ts';
import { runCli } from '../../src/cli/main.ts';
import { SecretBox } from '../../src/core/secret-box.ts';
import { openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';

const KEY = randomBytes(32);
const WORKSPACES = [
  { teamId: 'T0000ONE', channel: 'C0000ONE', token: 'xoxb-1111-one-PoLlToKeNoNe' },
  { teamId: 'T0000TWO', channel: 'C0000TWO', token: 'xoxb-2222-two-PoLlToKeNtWo' },
];

let sources: PaperSourceServer;
let slack: FakeSlackApi;
const temp = tempDir('paperboy-oauth-poll-');

before(async () => {
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', {
    body: renderDailyPapers([
      {
        id: '2503.40001',
        title: 'Mixture of adapters',
        abstract:
          'We propose a mixture of adapters for multilingual models. It beats single adapters on ten languages.',
        authors: ['Ada'],
        categories: ['cs.CL'],
        published: '2025-03-18',
        upvotes: 12,
      },
    ]),
    contentType: 'application/json',
  });
  slack = await new FakeSlackApi().start();
  for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'DISCORD_TOKEN', 'DISCORD_APP_ID'])
    delete process.env[name];
  Object.assign(process.env, {
    SOURCES: 'huggingface',
    HF_API_URL: sources.url,
    SLACK_API_URL: slack.apiUrl,
    SLACK_CLIENT_ID: '1111111111.2222222222',
    SLACK_CLIENT_SECRET: 'client-secret-0123456789abcdef',
    SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
    SLACK_SIGNING_SECRET: 'signing-secret-0123',
    ALERTS_LOG: join(temp.dir, 'console-alerts.jsonl'),
    LOG_LEVEL: 'error',
  });
});

after(async () => {
  await sources.close();
  await slack.close();
  temp.cleanup();
});

/** A database where both workspaces installed paperboy (sealed with KEY) and subscribed a channel to "adapters". */
async function installedDatabase(name: string): Promise<string> {
  const db = join(temp.dir, name);
  const pb = await openTestPaperboy(db);
  const installations = new SlackInstallations(pb.store, new SecretBox(KEY));
  for (const w of WORKSPACES) {
    const installation: Installation<'v2', false> = {
      team: { id: w.teamId, name: w.teamId },
      enterprise: undefined,
      user: { id: 'UADMIN', token: undefined, scopes: undefined },
      bot: { token: w.token, scopes: ['chat:write'], id: 'BBOT', userId: 'UBOT' },
      isEnterpriseInstall: false,
      authVersion: 'v2',
    };
    await installations.storeInstallation(installation);
    await pb.alerts.addSubscription({
      platform: 'slack',
      channelId: w.channel,
      workspaceId: w.teamId,
      query: 'adapters',
      mode: 'instant',
    });
  }
  await pb.close();
  return db;
}

async function poll(db: string, key: Buffer) {
  process.env.PAPERBOY_SECRET_KEY = key.toString('base64');
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ['poll', '--db', db],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    Readable.from(['']),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('GIVEN two installed workspaces WHEN paperboy poll runs THEN each alert goes out with its workspace token', async () => {
  const db = await installedDatabase('both.db');
  slack.calls.length = 0;
  const { code, out, err } = await poll(db, KEY);
  assert.equal(code, 0, err);
  assert.match(out, /slack: 2 messages \(2 alerts\)/);
  for (const w of WORKSPACES) {
    const posts = slack.callsTo('chat.postMessage').filter((c) => c.args.channel === w.channel);
    assert.equal(posts.length, 2, 'the card and its thread');
    assert.ok(posts.every((c) => c.token === w.token));
  }
});

test('GIVEN another PAPERBOY_SECRET_KEY WHEN paperboy poll runs THEN one clear line, nothing sent or paused', async () => {
  const db = await installedDatabase('wrong-key.db');
  slack.calls.length = 0;
  const { code, err } = await poll(db, randomBytes(32));
  assert.equal(code, 2);
  assert.match(err, /^paperboy poll: the stored secret for slack:T0000\w+ was sealed with another PAPERBOY_SECRET_KEY/);
  assert.ok(!err.includes('\n') && !err.includes('xoxb-'));
  assert.equal(slack.calls.length, 0);
  const pb = await openTestPaperboy(db);
  try {
    for (const w of WORKSPACES)
      assert.equal(
        await pb.alerts.channelPause({ platform: 'slack', workspaceId: w.teamId, channelId: w.channel }),
        undefined,
      );
  } finally {
    await pb.close();
  }
});
