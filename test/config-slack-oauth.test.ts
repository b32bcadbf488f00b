/**
 * The configuration of a distributed Slack app: the OAuth trio with PAPERBOY_SECRET_KEY, validated at start with one
 * clear line, every secret collected for the logger's redaction and none echoed in an error.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/core/logger.ts';

const KEY = randomBytes(32).toString('base64');
const OAUTH = {
  SLACK_CLIENT_ID: '1234567890.0987654321',
  SLACK_CLIENT_SECRET: 'client-secret-abcdef123456',
  SLACK_STATE_SECRET: 'state-secret-abcdef123456',
  SLACK_SIGNING_SECRET: 'signing-secret-abcdef',
  PAPERBOY_SECRET_KEY: KEY,
};

test('GIVEN the OAuth settings THEN Slack is distributed, the key is parsed and every secret is redacted', () => {
  const config = loadConfig({ ...OAUTH, SLACK_REDIRECT_URI: 'https://bot.example.org/slack/oauth_redirect' });
  assert.equal(config.slack?.botToken, undefined);
  assert.deepEqual(config.slack?.oauth, {
    clientId: OAUTH.SLACK_CLIENT_ID,
    clientSecret: OAUTH.SLACK_CLIENT_SECRET,
    stateSecret: OAUTH.SLACK_STATE_SECRET,
    redirectUri: 'https://bot.example.org/slack/oauth_redirect',
  });
  assert.deepEqual(config.secretKey, Buffer.from(KEY, 'base64'));
  for (const secret of [KEY, OAUTH.SLACK_CLIENT_SECRET, OAUTH.SLACK_STATE_SECRET, OAUTH.SLACK_SIGNING_SECRET])
    assert.ok(config.secrets.includes(secret));

  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    secrets: config.secrets,
    write: (line: string) => void lines.push(line),
    format: 'json',
  });
  logger.warn('oops', { clientSecret: OAUTH.SLACK_CLIENT_SECRET, nested: { state: OAUTH.SLACK_STATE_SECRET, KEY } });
  logger.flush();
  const logged = lines.join('');
  assert.match(logged, /oops/);
  for (const secret of [KEY, OAUTH.SLACK_CLIENT_SECRET, OAUTH.SLACK_STATE_SECRET]) assert.ok(!logged.includes(secret));
});

test('GIVEN incomplete or conflicting OAuth settings THEN one clear line naming the problem, no secret', () => {
  const { PAPERBOY_SECRET_KEY: _key, ...withoutKey } = OAUTH;
  const cases: [Record<string, string>, RegExp][] = [
    [{ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID }, /SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are missing/],
    [{ ...OAUTH, SLACK_STATE_SECRET: '' }, /SLACK_STATE_SECRET is missing/],
    [withoutKey, /PAPERBOY_SECRET_KEY is missing.*openssl rand -base64 32/],
    [{ ...OAUTH, PAPERBOY_SECRET_KEY: 'c2hvcnQ=' }, /PAPERBOY_SECRET_KEY decodes to 5 bytes, not 32/],
    [{ ...OAUTH, PAPERBOY_SECRET_KEY: 'not a key!' }, /PAPERBOY_SECRET_KEY is not base64/],
    [{ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }, /SLACK_BOT_TOKEN and SLACK_CLIENT_ID exclude each other/],
    [{ ...OAUTH, SLACK_APP_TOKEN: 'xapp-1-abc' }, /runs in HTTP mode/],
    [{ ...OAUTH, SLACK_CLIENT_ID: 'abc' }, /SLACK_CLIENT_ID must be the app's client id/],
    [{ ...OAUTH, SLACK_STATE_SECRET: 'short' }, /SLACK_STATE_SECRET must be at least 16/],
    [{ ...OAUTH, SLACK_REDIRECT_URI: 'ftp://x' }, /SLACK_REDIRECT_URI must be an http/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, message);
        assert.ok(!error.message.includes('\n'));
        for (const secret of [KEY, OAUTH.SLACK_CLIENT_SECRET, 'not a key!', 'c2hvcnQ='])
          assert.ok(!error.message.includes(secret), error.message);
        return true;
      },
    );
  }
});

test('GIVEN only SLACK_BOT_TOKEN THEN the single-workspace mode is as before, no key needed', () => {
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'sig' });
  assert.equal(config.slack?.botToken, 'xoxb-1-2-abc');
  assert.equal(config.slack?.oauth, undefined);
  assert.equal(config.secretKey, undefined);
});
