/**
 * Tokens never leak: the Slack adapter (HTTP and Socket Mode), the Discord adapter and `paperboy poll` run with
 * recognizable fake tokens through error paths (bad token, API errors, 5xx, rate limits, network errors). Every log
 * line (createLogger with a `write` function, WITHOUT the secrets list, so only the token patterns and the code's
 * own care protect it), every CLI line and every message that reached the fake platforms is scanned for the tokens.
 * Bad Slack signatures are rejected: see test/integration/slack-http.test.ts ("bad signature", "stale timestamp").
 * Forged button ids: see test/hostile/buttons.test.ts.
 */

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
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
const TOKEN_SHAPES = [/xox[a-z]-\d/, /xapp-\d-/, /[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/];

/** A paper in the shared paperboy, so the commands that name it reach the platform (an unknown id would not). */
const PAPER_ID = '2401.00001';

const captured: string[] = [];
const newLine = new EventEmitter();
function capturingLogger(): Logger {
  return createLogger({
    level: 'debug',
    write: (line) => {
      captured.push(line);
      newLine.emit('line');
    },
  });
}

/** A test of one captured JSON log line: a warning with this message and these fields. */
function warning(msg: string, fields: Record<string, unknown> = {}): (line: string) => boolean {
  return (line) => {
    const entry = JSON.parse(line) as Record<string, unknown>;
    return entry.level === 'warn' && entry.msg === msg && Object.entries(fields).every(([k, v]) => entry[k] === v);
  };
}

/** The first captured line from index `from` on that matches: the definite sign that a failure was handled. */
function logged(matches: (line: string) => boolean, from: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = captured.slice(from).find(matches);
      if (!line) return false;
      newLine.off('line', check);
      clearTimeout(timer);
      resolve(line);
      return true;
    };
    // A hang guard only: when it fires, the test fails.
    const timer = setTimeout(() => {
      newLine.off('line', check);
      reject(new Error(`no such warning logged; got:\n${captured.slice(from).join('\n')}`));
    }, 10_000);
    if (!check()) newLine.on('line', check);
  });
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
    'WHEN the Slack Web API fails during commands (invalid_auth, not_in_channel, a rate limit, response_url 500 ' +
      'and 404) THEN each failure is explained or waited out, and no token is in logs or replies',
    async () => {
      const api = await new FakeSlackApi({ botUserId: 'UBOT', botId: 'BBOT' }).start();
      cleanups.push(() => api.close());
      const logger = capturingLogger();
      const before = captured.length;
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
      const post = (text: string, name: string) =>
        postSigned(url, SIGNING, slashCommandBody(text, api.responseUrl(name)), 'application/x-www-form-urlencoded');
      /** Runs a /paper command and returns what reached its response_url (named `name`). */
      const command = async (text: string, name: string) => {
        const answered = api.callsTo('response_url').length + 1;
        assert.equal((await post(text, name)).status, 200);
        const call = (await api.waitFor('response_url', answered)).at(-1)!;
        assert.equal(call.target, name);
        return call.args.text ?? '';
      };
      // `summary` posts the card with chat.postMessage, so these failures hit the Web API with the bot token.
      api.failNext('chat.postMessage', 'invalid_auth');
      assert.match(await command(`summary ${PAPER_ID}`, 'summary-auth'), /did not accept my answer \(invalid_auth\)/);
      api.failNext('chat.postMessage', 'not_in_channel');
      assert.match(await command(`summary ${PAPER_ID}`, 'summary-nic'), /not a member/);
      const posts = api.callsTo('chat.postMessage').length;
      api.rateLimitNext('chat.postMessage', 1);
      assert.equal((await post(`summary ${PAPER_ID}`, 'summary-rl')).status, 200);
      const afterLimit = (await api.waitFor('chat.postMessage', posts + 3)).slice(posts);
      assert.deepEqual(
        afterLimit.map((c) => c.result?.ok),
        [false, true, true],
        'the rate-limited card is posted again, then its summary',
      );
      for (const status of [500, 404]) {
        const from = captured.length;
        api.failNextResponse(status);
        await command('diffusion', `search-${status}`);
        await logged(warning('slack call failed', { code: 'respond_failed' }), from);
      }
      const bad = await postSigned(
        url,
        'wrong-secret',
        slashCommandBody('diffusion', api.responseUrl('x')),
        'application/x-www-form-urlencoded',
      );
      assert.equal(bad.status, 401);
      for (const code of ['invalid_auth', 'not_in_channel'])
        await logged(warning('slack call failed', { code }), before);
      await logged(warning('slack rate limited; retrying after Retry-After'), before);
      const seen = api.calls.map((call) => JSON.stringify(call.args));
      assertNoSecrets([...captured.slice(before), ...seen], 'slack api errors');
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
    // Start-up settles either way (Slack's answer is not retried); a handle would be a failure, and is stopped.
    const outcome = await startSlack(
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
    ).then(
      async (handle) => {
        await handle.stop();
        return 'connected';
      },
      (error: Error) => error,
    );
    assert.ok(outcome instanceof Error, `start-up fails (${String(outcome)})`);
    assert.match(outcome.message, /invalid_auth/);
    assert.equal(api.callsTo('apps.connections.open').length, 1);
    assertNoSecrets([outcome.message, String(outcome.stack), ...captured.slice(before)], 'slack socket mode');
  });

  test('WHEN Discord rejects the token at login THEN the error and the logs carry no token', async () => {
    const world = defaultWorld();
    const fake = await new FakeDiscord(world).start();
    cleanups.push(() => fake.close());
    fake.failNext('GET', /\/gateway\/bot/, { status: 401, code: 0, message: '401: Unauthorized' });
    const logger = capturingLogger();
    const before = captured.length;
    const outcome = await startDiscord(
      { token: DISCORD, appId: world.appId, apiUrl: fake.apiUrl },
      { dispatcher: (await pb()).dispatcher, logger },
    ).then(
      async (bot) => {
        await bot.stop();
        return 'logged in';
      },
      (error: Error) => error,
    );
    assert.ok(outcome instanceof Error, `login fails (${String(outcome)})`);
    assert.match(outcome.message, /token|401|Unauthorized/i);
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
      // Each failure's definite outcome: the warning that names its kind, or (500) the callback sent again.
      const failures = [
        { failure: { status: 400, code: 50035, message: 'Invalid Form Body' }, logged: 'rejected' },
        { failure: { status: 403, code: 50013, message: 'Missing Permissions' }, logged: 'missing-permissions' },
        { failure: { status: 404, code: 10062, message: 'Unknown interaction' }, logged: 'expired-interaction' },
        { failure: { status: 500, code: 0, message: '500: Internal Server Error' }, logged: undefined },
        // Last: discord.js holds the route back for the 30 s that follow.
        { failure: { rateLimitSeconds: 30 }, logged: 'rate-limited' },
      ];
      for (const { failure, logged: kind } of failures) {
        const from = captured.length;
        const sent = fake.requests.length;
        const payload = chatInput(world, { name: 'paperboy', subcommand: 'share', options: { paper: PAPER_ID } });
        // Only this interaction's first callback fails (not the previous one's "tell the user" follow-up).
        fake.failNext('POST', new RegExp(`^/interactions/${payload.id}/[^/]+/callback$`), failure);
        fake.dispatch('INTERACTION_CREATE', payload);
        const callback = (r: { path: string }) => r.path.startsWith(`/interactions/${payload.id}/`);
        if (kind) await logged(warning('discord: /paperboy failed', { kind }), from);
        else {
          const first = await fake.next(sent, callback);
          await fake.next(fake.requests.indexOf(first) + 1, callback);
        }
      }
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
      // The Discord delivery reads the channel before it posts: that read is what meets the rejected token.
      for (let i = 0; i < 3; i++)
        discord.failNext('GET', /\/channels\//, { status: 401, code: 0, message: '401: Unauthorized' });
      const db = join(temp.dir, 'poll.db');
      const pbDb = await openTestPaperboy(db);
      await pbDb.dispatcher.runText('subscribe adapters', invoker('C1', 'slack'));
      await pbDb.dispatcher.runText('subscribe adapters', invoker(world.channelId, 'discord'));
      await pbDb.close();
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
      const output = lines.join('\n');
      // The round completes (exit 0) and reports each failure: the source, then Slack's refusal to retry later.
      assert.equal(code, 0, output);
      assert.match(output, /^arxiv-rss: failed \(SourceError: network error \(ECONNREFUSED\)/m);
      assert.match(output, /^slack: 0 messages \(0 alerts\), 1 to retry$/m);
      assert.match(output, /^discord: 0 messages \(0 alerts\), 1 to retry$/m);
      assert.ok(slack.callsTo('chat.postMessage').length > 0, 'Slack was tried');
      assert.ok(
        discord.requests.some((r) => r.path.startsWith('/channels/')),
        'Discord was tried',
      );
      assertNoSecrets([...lines, ...slack.calls.map((c) => JSON.stringify(c.args))], 'poll');
    },
  );
});

describe('GIVEN secrets no pattern knew before: Slack refresh tokens and passwords inside URLs', () => {
  const REFRESH = 'xoxe-1-My0xLTEyMzQ1Njc4OTAxMjMtNTY3ODkwMTIzNDU2LWFiY2RlZg';
  const ROTATED = 'xoxe.xoxb-1-MS0yLTEyMzQ1Njc4OTAxMjMtOTg3NjU0MzIxMA';
  const URLS: [string, string][] = [
    ['postgres://paperboy:Pa55w0rdXyZ@db.internal:5432/paperboy', 'Pa55w0rdXyZ'],
    ['postgresql://admin:s3cr%40tQ9@10.0.0.7/pb?sslmode=require', 's3cr%40tQ9'],
    ['redis://:CacheKey77@cache:6379', 'CacheKey77'],
    ['postgres://u:at@sign@Kz9@host/db', 'sign@Kz9'],
  ];
  test('WHEN they reach a log line (message, field, error text, nested) THEN none is written', () => {
    const before = captured.length;
    const logger = capturingLogger();
    logger.warn(`slack: token refresh failed for ${REFRESH}`, { rotated: ROTATED, nested: [{ refresh: REFRESH }] });
    for (const [url] of URLS) {
      logger.error(`PostgreSQL: cannot connect to ${url}`, { url, error: new Error(`connect ECONNREFUSED ${url}`) });
    }
    const lines = captured.slice(before);
    assert.equal(lines.length, 1 + URLS.length);
    for (const line of lines) {
      for (const secret of [REFRESH.slice(5), ROTATED.slice(10), ...URLS.map(([, password]) => password)])
        assert.ok(!line.includes(secret), `${secret} leaked in ${line}`);
      assert.doesNotMatch(line, /xox[a-z]-\d/);
    }
    // What is left still says which server it was.
    assert.match(lines[1]!, /postgres:\/\/paperboy:\[redacted\]@db\.internal:5432\/paperboy/);
    assert.match(lines[0]!, /token refresh failed for \[redacted\]/);
  });
});

let shared: Awaited<ReturnType<typeof testPaperboy>> | undefined;
async function pb() {
  if (!shared) {
    shared = await testPaperboy({
      papers: [{ arxivId: PAPER_ID, title: 'Adapters without secrets', abstract: 'We study adapters. They work.' }],
    });
    cleanups.unshift(() => shared!.close());
  }
  return shared;
}
