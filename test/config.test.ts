import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

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
  assert.equal(config.discord?.linkReplies, true);
  assert.deepEqual(config.secrets.sort(), ['tok.en.x', 'xapp-1-A-2-def', 'xoxb-1-2-abc']);
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
