import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, databaseFromFlag, loadConfig } from '../src/config.ts';

test('GIVEN no tokens THEN defaults and no platform', () => {
  const config = loadConfig({});
  assert.equal(config.dbPath, './data/paperboy.db');
  assert.equal(config.slack, undefined);
  assert.equal(config.discord, undefined);
});

test('GIVEN Slack and Discord settings THEN typed config with secrets collected for redaction', () => {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
    SLACK_APP_TOKEN: 'xapp-1-A-2-def',
    DISCORD_TOKEN: 'tok.en.x',
    DISCORD_APP_ID: '123456789012345678',
    DISCORD_LINK_REPLIES: 'true',
  });
  assert.equal(config.slack?.appToken, 'xapp-1-A-2-def');
  assert.equal(config.slack?.port, 3000);
  assert.equal(config.slack?.channelManagers, 'members', 'every full member may manage alerts by default');
  assert.equal(config.discord?.linkReplies, true);
  assert.deepEqual(config.secrets.sort(), ['tok.en.x', 'xapp-1-A-2-def', 'xoxb-1-2-abc']);
});

test('GIVEN the alert delivery limits THEN 8 attempts and 5 reconcile rounds by default, whole numbers in range', () => {
  assert.deepEqual([loadConfig({}).alerts.maxAttempts, loadConfig({}).alerts.reconcileRounds], [8, 5]);
  const set = loadConfig({ ALERT_MAX_ATTEMPTS: '3', ALERT_RECONCILE_ROUNDS: '12' }).alerts;
  assert.deepEqual([set.maxAttempts, set.reconcileRounds], [3, 12]);
  for (const [env, message] of [
    [{ ALERT_MAX_ATTEMPTS: '0' }, /ALERT_MAX_ATTEMPTS must be a whole number from 1 to 50 \(got "0"\)/],
    [{ ALERT_MAX_ATTEMPTS: 'lots' }, /ALERT_MAX_ATTEMPTS must be a whole number/],
    [{ ALERT_RECONCILE_ROUNDS: '2.5' }, /ALERT_RECONCILE_ROUNDS must be a whole number from 1 to 100/],
  ] as const)
    assert.throws(() => loadConfig(env), message);
});

test('GIVEN a missing or invalid variable THEN one clear line naming it, without the secret', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_BOT_TOKEN is missing/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token' }, /SLACK_BOT_TOKEN must be a bot token/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /Set SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: 'eighty' }, /SLACK_PORT must be a port/],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'ftp://x' },
      /SLACK_API_URL must be an http/,
    ],
    [{ DISCORD_TOKEN: 'secret-discord-token' }, /DISCORD_APP_ID is missing/],
    [{ DISCORD_TOKEN: 't', DISCORD_APP_ID: 'abc' }, /DISCORD_APP_ID must be a numeric application id/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be/],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_CHANNEL_MANAGERS: 'guests' },
      /SLACK_CHANNEL_MANAGERS must be members .* or admins/,
    ],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, message);
        assert.ok(!error.message.includes('\n'));
        assert.ok(!error.message.includes('secret-discord-token'));
        return true;
      },
    );
  }
});

test('GIVEN SLACK_CHANNEL_MANAGERS=admins THEN only admins and owners may change alerts', () => {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };
  assert.equal(loadConfig({ ...slack, SLACK_CHANNEL_MANAGERS: 'Admins' }).slack?.channelManagers, 'admins');
});

test('GIVEN HEALTH_PORT, HEALTH_HOST and LOG_FORMAT THEN the health endpoints and log format are configured', () => {
  const off = loadConfig({});
  assert.equal(off.health, undefined, 'off by default');
  assert.equal(off.logFormat, 'auto');
  assert.deepEqual(loadConfig({ HEALTH_PORT: '9090' }).health, { port: 9090, host: '127.0.0.1' }, 'this host only');
  const set = loadConfig({ HEALTH_PORT: '9091', HEALTH_HOST: '0.0.0.0', LOG_FORMAT: 'JSON' });
  assert.deepEqual(set.health, { port: 9091, host: '0.0.0.0' });
  assert.equal(set.logFormat, 'json');
  assert.deepEqual(loadConfig({ HEALTH_PORT: '1', HEALTH_HOST: '[::1]' }).health, { port: 1, host: '::1' });
  const cases: [Record<string, string>, RegExp][] = [
    [{ HEALTH_PORT: '70000' }, /HEALTH_PORT must be a port number/],
    [{ HEALTH_PORT: 'http' }, /HEALTH_PORT must be a port number/],
    [{ HEALTH_PORT: '9090', HEALTH_HOST: 'bad host/x' }, /HEALTH_HOST must be an interface address/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT must be auto, json or pretty/],
    [{ HEALTH_ON_SLACK_PORT: 'maybe' }, /HEALTH_ON_SLACK_PORT must be true or false/],
  ];
  for (const [env, message] of cases)
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, message);
        return true;
      },
    );
});

test('GIVEN DATABASE_URL THEN the store is PostgreSQL and its password is a secret; without it, SQLite', () => {
  assert.equal(loadConfig({}).databaseUrl, undefined);
  const url = 'postgres://paperboy:s3cret%2Fpass@db.internal:5432/paperboy?sslmode=require';
  const config = loadConfig({ DATABASE_URL: url, PAPERBOY_DB: './x.db' });
  assert.equal(config.databaseUrl, url);
  assert.equal(config.dbPath, './x.db', 'still where the index and log files go');
  assert.ok(config.secrets.includes('s3cret%2Fpass') && config.secrets.includes('s3cret/pass'));
  assert.equal(
    loadConfig({ DATABASE_URL: 'postgresql://localhost/paperboy' }).databaseUrl,
    'postgresql://localhost/paperboy',
  );
});

test('GIVEN a --db flag THEN it wins: a postgres:// URL is PostgreSQL, anything else a SQLite file', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://u:p4ssw0rd@h/db' });
  assert.deepEqual(databaseFromFlag(config, undefined), {
    dbPath: './data/paperboy.db',
    databaseUrl: config.databaseUrl,
  });
  assert.deepEqual(databaseFromFlag(config, '/tmp/x.db'), { dbPath: '/tmp/x.db' });
  assert.equal(
    databaseFromFlag(config, 'postgres://v:w0rdw0rd@other/db').databaseUrl,
    'postgres://v:w0rdw0rd@other/db',
  );
  assert.ok(config.secrets.includes('w0rdw0rd'));
  assert.throws(() => databaseFromFlag(config, 'postgres://'), /--db names no host/);
});

test('GIVEN a DATABASE_URL that is not a PostgreSQL URL THEN one line naming it, never the password', () => {
  const cases: [string, RegExp][] = [
    ['mysql://root:hunter2hunter2@localhost/db', /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/],
    ['./data/paperboy.db', /DATABASE_URL is not a valid URL/],
    ['postgres:///db', /DATABASE_URL names no host/],
    ['postgres://user:hunter2hunter2@ho st/db', /DATABASE_URL is not a valid URL/],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => loadConfig({ DATABASE_URL: value }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, message);
        assert.ok(!error.message.includes('\n'));
        assert.ok(!error.message.includes('hunter2'), error.message);
        return true;
      },
    );
  }
});

test('GIVEN LLM_BASE_URL and LLM_MODEL THEN generated TL;DRs are configured and the key is a secret to redact', () => {
  const config = loadConfig({
    LLM_BASE_URL: 'http://localhost:11434/v1',
    LLM_MODEL: 'llama3.1',
    LLM_API_KEY: 'sk-test-llm-key-123',
  });
  assert.deepEqual(config.llm, {
    baseUrl: 'http://localhost:11434/v1',
    model: 'llama3.1',
    apiKey: 'sk-test-llm-key-123',
  });
  assert.ok(config.secrets.includes('sk-test-llm-key-123'));
  assert.deepEqual(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:8080/v1', LLM_MODEL: 'm' }).llm, {
    baseUrl: 'http://127.0.0.1:8080/v1',
    model: 'm',
  });
  assert.equal(loadConfig({}).llm, undefined, 'without the variables summaries stay extractive');
});

test('GIVEN an incomplete or invalid LLM setting THEN one clear line naming it, without the key', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ LLM_BASE_URL: 'http://localhost:11434/v1' }, /LLM_MODEL is missing/],
    [{ LLM_MODEL: 'gpt-4o-mini', LLM_API_KEY: 'sk-secret-llm-key' }, /LLM_BASE_URL is missing/],
    [{ LLM_API_KEY: 'sk-secret-llm-key' }, /LLM_BASE_URL is missing/],
    [{ LLM_BASE_URL: 'localhost:11434', LLM_MODEL: 'm' }, /LLM_BASE_URL must be an http/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, message);
        assert.ok(!error.message.includes('sk-secret-llm-key'));
        return true;
      },
    );
  }
});

test('GIVEN the Slack HTTP port THEN /readyz and /metrics go there only with HEALTH_ON_SLACK_PORT=true', () => {
  const http = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '3000' };
  assert.equal(loadConfig(http).healthOnSlackPort, false, 'off by default');
  assert.throws(
    () => loadConfig({ ...http, HEALTH_PORT: '3000' }),
    /HEALTH_PORT is SLACK_PORT \(3000\).*set HEALTH_ON_SLACK_PORT=true/,
  );
  const shared = loadConfig({ ...http, HEALTH_PORT: '3000', HEALTH_ON_SLACK_PORT: 'true' });
  assert.equal(shared.healthOnSlackPort, true);
  // Socket Mode has no Slack port: the same number is no clash.
  assert.equal(loadConfig({ ...http, SLACK_APP_TOKEN: 'xapp-1', HEALTH_PORT: '3000' }).health?.port, 3000);
});

test('GIVEN PG_STATEMENT_TIMEOUT_SECONDS and PG_LOCK_TIMEOUT_SECONDS THEN PostgreSQL sessions get them', () => {
  assert.deepEqual(loadConfig({}).postgresTimeouts, { statementMs: 30_000, lockMs: 10_000 });
  assert.deepEqual(loadConfig({ PG_STATEMENT_TIMEOUT_SECONDS: '120', PG_LOCK_TIMEOUT_SECONDS: '0' }).postgresTimeouts, {
    statementMs: 120_000,
    lockMs: 0,
  });
  assert.throws(() => loadConfig({ PG_LOCK_TIMEOUT_SECONDS: '-1' }), /PG_LOCK_TIMEOUT_SECONDS must be a number/);
  assert.throws(() => loadConfig({ PG_STATEMENT_TIMEOUT_SECONDS: 'soon' }), /PG_STATEMENT_TIMEOUT_SECONDS must be/);
});

test('GIVEN retention settings THEN days are read, defaults otherwise, and anything else is one clear line', () => {
  assert.deepEqual(loadConfig({}).retention, { stashDays: 90, sentAlertsDays: 30, uninstallGraceDays: 30 });
  assert.deepEqual(
    loadConfig({ STASH_RETENTION_DAYS: '365', SENT_ALERTS_RETENTION_DAYS: '7', UNINSTALL_GRACE_DAYS: '14' }).retention,
    { stashDays: 365, sentAlertsDays: 7, uninstallGraceDays: 14 },
  );
  for (const [name, value] of [
    ['STASH_RETENTION_DAYS', '0'],
    ['SENT_ALERTS_RETENTION_DAYS', '2.5'],
    ['UNINSTALL_GRACE_DAYS', 'forever'],
  ] as const)
    assert.throws(
      () => loadConfig({ [name]: value }),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message === `${name} must be a whole number of days from 1 to 3650 (got "${value}")`,
    );
});

test('GIVEN no fair-use settings THEN the default budgets, work queue, digest caps and library cap', () => {
  const config = loadConfig({});
  assert.deepEqual(config.fairUse, {
    commands: {
      user: { points: 30, seconds: 60, burst: { points: 30, seconds: 600 } },
      workspace: { points: 300, seconds: 60, burst: { points: 300, seconds: 600 } },
    },
    digests: {
      user: { points: 5, seconds: 600, burst: { points: 5, seconds: 3600 } },
      workspace: { points: 30, seconds: 600, burst: { points: 30, seconds: 3600 } },
    },
    llm: {
      user: { points: 40, seconds: 3600, burst: { points: 40, seconds: 86_400 } },
      workspace: { points: 400, seconds: 3600, burst: { points: 400, seconds: 86_400 } },
    },
  });
  assert.equal(config.workQueueMax, 200);
  assert.deepEqual(config.digest, { maxMessages: 500, maxMessageChars: 10_000, maxThreadChars: 200_000 });
  assert.equal(config.alerts.librarySubscriptionsPerWorkspace, 10);
});

test('GIVEN RATE_*, WORK_QUEUE_MAX, DIGEST_* and LIKE_LIBRARY_MAX_PER_WORKSPACE THEN they are used', () => {
  const config = loadConfig({
    RATE_COMMANDS_USER: '10/30s',
    RATE_COMMANDS_WORKSPACE: 'off',
    RATE_DIGESTS_USER: '2 / 10min',
    RATE_LLM_WORKSPACE: '1000/1d',
    RATE_LLM_USER: '60/hour',
    RATE_LLM_USER_BURST: '20/day',
    RATE_DIGESTS_WORKSPACE_BURST: 'off',
    WORK_QUEUE_MAX: '50',
    DIGEST_MAX_MESSAGES: '200',
    DIGEST_MAX_MESSAGE_CHARS: '4000',
    DIGEST_MAX_THREAD_CHARS: '100000',
    LIKE_LIBRARY_MAX_PER_WORKSPACE: '3',
  });
  // A rate set without its burst has none; an unset rate keeps its default burst unless the burst is off.
  assert.deepEqual(config.fairUse.commands, { user: { points: 10, seconds: 30 } });
  assert.deepEqual(config.fairUse.digests, {
    user: { points: 2, seconds: 600 },
    workspace: { points: 30, seconds: 600 },
  });
  assert.deepEqual(config.fairUse.llm, {
    user: { points: 60, seconds: 3600, burst: { points: 20, seconds: 86_400 } },
    workspace: { points: 1000, seconds: 86_400 },
  });
  assert.equal(config.workQueueMax, 50);
  assert.deepEqual(config.digest, { maxMessages: 200, maxMessageChars: 4000, maxThreadChars: 100_000 });
  assert.equal(config.alerts.librarySubscriptionsPerWorkspace, 3);
});

test('GIVEN an invalid fair-use setting THEN one clear line naming it', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ RATE_COMMANDS_USER: '30' }, /RATE_COMMANDS_USER must be uses per window, like 30\/min/],
    [{ RATE_DIGESTS_WORKSPACE: '5/fortnight' }, /RATE_DIGESTS_WORKSPACE must be uses per window/],
    [{ RATE_LLM_USER: '5/30d' }, /at most a week/],
    [{ RATE_COMMANDS_USER_BURST: '40' }, /RATE_COMMANDS_USER_BURST must be uses per window/],
    [
      { RATE_DIGESTS_USER: 'off', RATE_DIGESTS_USER_BURST: '5/hour' },
      /RATE_DIGESTS_USER_BURST needs RATE_DIGESTS_USER \(a burst is on top of a rate; RATE_DIGESTS_USER is off\)/,
    ],
    [{ WORK_QUEUE_MAX: '0' }, /WORK_QUEUE_MAX must be a whole number from 1/],
    [{ DIGEST_MAX_MESSAGES: '5000' }, /DIGEST_MAX_MESSAGES must be a whole number from 1 to 1000/],
    [{ LIKE_LIBRARY_MAX_PER_WORKSPACE: 'many' }, /LIKE_LIBRARY_MAX_PER_WORKSPACE must be a whole number/],
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig(env), message);
});
