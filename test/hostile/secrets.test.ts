/**
 * Tokens never leak: the Slack adapter (HTTP and Socket Mode), the Discord adapter and `paperboy poll` run with
 * recognizable fake tokens through error paths (bad token, API errors, 5xx, rate limits, network errors). Every log
 * line (createLogger with a `write` function, WITHOUT the secrets list, so only the token patterns and the code's
 * own care protect it), every CLI line and every message that reached the fake platforms is scanned for the tokens.
 * Bad Slack signatures are rejected: see test/integration/slack-http.test.ts ("bad signature", "stale timestamp").
 * Forged button ids: see test/hostile/buttons.test.ts.
 */

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { startDiscord } from '../../src/adapters/discord/client.ts';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import { runCli } from '../../src/cli/main.ts';
import { createLogger, type Logger } from '../../src/core/logger.ts';
import { invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { FakeDiscord } from '../fakes/discord-api.ts';
import { chatInput, defaultWorld } from '../fakes/discord-payloads.ts';
import { renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { postSigned, slashCommandBody } from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';

const SLACK_BOT = 'xoxb-1234567890123-9876543210987-SeCrEtBoTtOkEnAbCdEf12';
const SLACK_APP = 'xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const SIGNING = 'f00dfeedcafe0123456789abcdef0123';
const DISCORD = 'MTA4NzY1NDMyMTA5ODc2NTQzMg.GhT4xY.Zq9vX2kLmN4pR7sT1uW3yA5cE8gI0jK6oQbDfHs';
/** Parts of the tokens that must not appear even when a token is cut or split. */
const FRAGMENTS = [
  'SeCrEtBoTtOkEnAbCdEf12',
  'abcdef0123456789abcdef0123456789abcdef',
  SIGNING,
  'Zq9vX2kLmN4pR7sT1uW3yA5cE8gI0jK6oQbDfHs',
  'MTA4NzY1NDMyMTA5ODc2NTQzMg.GhT4xY',
];
const TOKEN_SHAPES = [/xox[abposr]-\d/, /xapp-\d-/, /[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/];

const captured: string[] = [];
function capturingLogger(): Logger {
  return createLogger({ level: 'debug', write: (line) => captured.push(line) });
}

function assertNoSecrets(texts: string[], where: string): void {
  assert.ok(texts.length > 0, `${where}: something was captured`);
  for (const text of texts) {
    for (const fragment of FRAGMENTS)
      assert.ok(!text.includes(fragment), `${where}: secret fragment in ${JSON.stringify(text.slice(0, 300))}`);
    for (const shape of TOKEN_SHAPES) assert.doesNotMatch(text, shape, `${where}: token-shaped text`);
  }
}

/** A port nothing listens on (network errors). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('GIVEN recognizable fake tokens', () => {
  test(
    'WHEN Slack rejects the bot token at start-up ' + 'THEN the error and the logs name the problem, not the token',
    async () => {
      const api = await new FakeSlackApi().start();
      cleanups.push(() => api.close());
      api.failNext('auth.test', 'invalid_auth');
      const logger = capturingLogger();
      const error = await startSlack(
        { botToken: SLACK_BOT, signingSecret: SIGNING, port: 0, host: '127.0.0.1', apiUrl: api.apiUrl, retries: 0 },
        { dispatcher: (await pb()).dispatcher, logger },
      ).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.ok(error, 'start-up fails');
      assert.match(error.message, /invalid_auth|SLACK_BOT_TOKEN/);
      assertNoSecrets([error.message, String(error.stack), ...captured], 'slack bad token');
    },
  );

  test(
    'WHEN the Slack Web API fails (errors, 500, rate limit, network) during commands ' +
      'THEN no token in logs or replies',
    async () => {
      const api = await new FakeSlackApi({ botUserId: 'UBOT', botId: 'BBOT' }).start();
      cleanups.push(() => api.close());
      const logger = capturingLogger();
      const handle: SlackHandle = await startSlack(
        {
          botToken: SLACK_BOT,
          signingSecret: SIGNING,
          port: 0,
          host: '127.0.0.1',
          apiUrl: api.apiUrl,
          botUserId: 'UBOT',
          botId: 'BBOT',
          retries: 0,
        },
        { dispatcher: (await pb()).dispatcher, logger, sleep: async () => {} },
      );
      cleanups.push(() => handle.stop());
      const url = `http://127.0.0.1:${handle.port}/slack/events`;
      const send = async (text: string, name: string) => {
        const response = await postSigned(
          url,
          SIGNING,
          slashCommandBody(text, api.responseUrl(name)),
          'application/x-www-form-urlencoded',
        );
        assert.equal(response.status, 200);
        return api.waitFor('response_url', api.callsTo('response_url').length + 1).catch(() => []);
      };
      api.failNext('chat.postMessage', 'invalid_auth');
      await send('share 2401.00001', 'share-auth');
      api.failNext('chat.postMessage', 'not_in_channel');
      await send('summary 2401.00001', 'summary-nic');
      api.rateLimitNext('chat.postMessage', 1);
      await send('share 2401.00001', 'share-rl');
      api.failNextResponse(500);
      await send('diffusion', 'search-500');
      api.failNextResponse(404);
      await send('diffusion', 'search-404');
      const bad = await postSigned(
        url,
        'wrong-secret',
        slashCommandBody('diffusion', api.responseUrl('x')),
        'application/x-www-form-urlencoded',
      );
      assert.equal(bad.status, 401);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const seen = api.calls.map((call) => JSON.stringify(call.args));
      assert.ok(
        captured.some((line) => /"level":"(warn|error)"/.test(line)),
        'the failures were logged',
      );
      assertNoSecrets([...captured, ...seen], 'slack api errors');
    },
  );

  test('WHEN the Slack Web API is unreachable THEN the network error is logged without the token', async () => {
    const logger = capturingLogger();
    const before = captured.length;
    const port = await deadPort();
    const error = await startSlack(
      {
        botToken: SLACK_BOT,
        signingSecret: SIGNING,
        port: 0,
        host: '127.0.0.1',
        apiUrl: `http://127.0.0.1:${port}/api/`,
        retries: 0,
      },
      { dispatcher: (await pb()).dispatcher, logger },
    ).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(error);
    assertNoSecrets([error.message, String(error.stack), ...captured.slice(before)], 'slack network');
  });

  test('WHEN Socket Mode cannot open a connection with the app token THEN no app token in logs or errors', async () => {
    const api = await new FakeSlackApi({ botUserId: 'UBOT', botId: 'BBOT' }).start();
    cleanups.push(() => api.close());
    api.failNext('apps.connections.open', 'invalid_auth');
    const logger = capturingLogger();
    const before = captured.length;
    const started = startSlack(
      {
        botToken: SLACK_BOT,
        appToken: SLACK_APP,
        port: 0,
        apiUrl: api.apiUrl,
        botUserId: 'UBOT',
        botId: 'BBOT',
        retries: 0,
      },
      { dispatcher: (await pb()).dispatcher, logger },
    );
    const outcome = await Promise.race([
      started.then(
        (h) => h,
        (e: Error) => e,
      ),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 3000)),
    ]);
    if (outcome && typeof outcome === 'object' && 'stop' in outcome) await (outcome as SlackHandle).stop();
    const texts = [
      ...captured.slice(before),
      outcome instanceof Error ? outcome.message + String(outcome.stack) : String(outcome),
    ];
    assertNoSecrets(texts, 'slack socket mode');
  });

  test('WHEN Discord rejects the token at login THEN the error and the logs carry no token', async () => {
    const world = defaultWorld();
    const fake = await new FakeDiscord(world).start();
    cleanups.push(() => fake.close());
    fake.failNext('GET', /\/gateway\/bot/, { status: 401, code: 0, message: '401: Unauthorized' });
    const logger = capturingLogger();
    const before = captured.length;
    const outcome = await Promise.race([
      startDiscord(
        { token: DISCORD, appId: world.appId, apiUrl: fake.apiUrl },
        { dispatcher: (await pb()).dispatcher, logger },
      ).then(
        (bot) => bot,
        (e: Error) => e,
      ),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 5000)),
    ]);
    if (outcome && typeof outcome === 'object' && 'stop' in outcome)
      await (outcome as { stop(): Promise<void> }).stop();
    assert.ok(outcome instanceof Error, `login fails (${String(outcome)})`);
    assertNoSecrets([outcome.message, String(outcome.stack), ...captured.slice(before)], 'discord bad token');
  });

  test(
    'WHEN Discord REST fails (500, missing permissions, rate limit) on interactions ' +
      'THEN no token in logs or callbacks',
    async () => {
      const world = defaultWorld();
      const fake = await new FakeDiscord(world).start();
      const logger = capturingLogger();
      const before = captured.length;
      const bot = await startDiscord(
        { token: DISCORD, appId: world.appId, apiUrl: fake.apiUrl },
        { dispatcher: (await pb()).dispatcher, logger },
      );
      cleanups.push(async () => {
        await bot.stop();
        await fake.close();
      });
      const failures = [
        { status: 400, code: 50035, message: 'Invalid Form Body' },
        { status: 403, code: 50013, message: 'Missing Permissions' },
        { status: 404, code: 10062, message: 'Unknown interaction' },
        { rateLimitSeconds: 30 },
        { status: 500, code: 0, message: '500: Internal Server Error' },
      ];
      for (const failure of failures) {
        fake.failNext('POST', /\/interactions\/\d+\/[^/]+\/callback/, failure);
        const payload = chatInput(world, { name: 'paperboy', subcommand: 'share', options: { paper: '2401.00001' } });
        fake.dispatch('INTERACTION_CREATE', payload);
        await fake.waitFor((r) => r.path.startsWith(`/interactions/${payload.id}/`)).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      assert.ok(
        captured.slice(before).some((line) => /"level":"(warn|error)"/.test(line)),
        'the failures were logged',
      );
      assertNoSecrets(
        [...captured.slice(before), ...fake.requests.map((r) => JSON.stringify(r.body ?? ''))],
        'discord rest errors',
      );
    },
  );

  test(
    'WHEN `paperboy poll` delivers with tokens to failing Slack and Discord and an unreachable source ' +
      'THEN no token in its output',
    async () => {
      const temp = tempDir('paperboy-secrets-');
      cleanups.push(() => temp.cleanup());
      const sources = await startPaperSourceServer();
      cleanups.push(() => sources.close());
      sources.route('/api/daily_papers', {
        body: renderDailyPapers([
          {
            id: '2503.40001',
            title: 'Mixture of adapters',
            abstract: 'We propose a mixture of adapters for multilingual models.',
            authors: ['Ada'],
            categories: ['cs.CL'],
            published: '2025-03-18',
            upvotes: 3,
          },
        ]),
        contentType: 'application/json',
      });
      const slack = await new FakeSlackApi().start();
      cleanups.push(() => slack.close());
      const world = defaultWorld();
      const discord = await new FakeDiscord(world).start();
      cleanups.push(() => discord.close());
      for (let i = 0; i < 3; i++) slack.failNext('chat.postMessage', 'invalid_auth');
      for (let i = 0; i < 3; i++)
        discord.failNext('POST', /\/channels\//, { status: 401, code: 0, message: '401: Unauthorized' });
      const db = join(temp.dir, 'poll.db');
      const pbDb = await openTestPaperboy(db);
      await pbDb.dispatcher.runText('subscribe adapters', invoker('C1', 'slack'));
      await pbDb.dispatcher.runText('subscribe adapters', invoker(world.channelId, 'discord'));
      pbDb.close();
      const dead = await deadPort();
      Object.assign(process.env, {
        SOURCES: 'huggingface,arxiv',
        HF_API_URL: sources.url,
        ARXIV_RSS_URL: `http://127.0.0.1:${dead}`,
        ARXIV_API_URL: `http://127.0.0.1:${dead}`,
        ALERTS_LOG: join(temp.dir, 'console.jsonl'),
        LOG_LEVEL: 'debug',
        SLACK_BOT_TOKEN: SLACK_BOT,
        SLACK_SIGNING_SECRET: SIGNING,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: DISCORD,
        DISCORD_APP_ID: world.appId,
        DISCORD_API_URL: discord.apiUrl,
      });
      const lines: string[] = [];
      const code = await runCli(
        ['poll', '--db', db, '--no-builtin'],
        { out: (l) => lines.push(l), err: (l) => lines.push(l) },
        Readable.from(['']),
      );
      assert.ok([0, 1].includes(code), `exit ${code}: ${lines.join('\n')}`);
      assert.ok(slack.callsTo('chat.postMessage').length > 0, 'Slack was tried');
      assertNoSecrets([...lines, ...slack.calls.map((c) => JSON.stringify(c.args))], 'poll');
    },
  );
});

let shared: Awaited<ReturnType<typeof testPaperboy>> | undefined;
async function pb() {
  if (!shared) {
    shared = await testPaperboy();
    cleanups.unshift(() => shared!.close());
  }
  return shared;
}
