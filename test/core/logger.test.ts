import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { componentLogger, createLogger, type Logger } from '../../src/core/logger.ts';
import { tempDir } from './alerts/support.ts';

const temp = tempDir('paperboy-logger-');
after(() => temp.cleanup());

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  return { lines, logger: createLogger({ ...options, write: (line) => lines.push(line) }) };
}

test('GIVEN a file destination THEN JSON lines at the level and above are appended there, redacted, not on stderr', () => {
  const file = join(temp.dir, 'nested', 'paperboy.log');
  const stderr: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const logger = createLogger({ level: 'warn', secrets: ['hunter2-secret'], destination: { file } });
    logger.info('not at this level');
    logger.warn('paper source request failed, retrying', { attempt: 1 });
    logger.error('token hunter2-secret leaked?');
  } finally {
    process.stderr.write = original;
  }
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  const [warn, error] = lines.map((line) => JSON.parse(line));
  assert.equal(warn.level, 'warn');
  assert.equal(warn.msg, 'paper source request failed, retrying');
  assert.equal(warn.attempt, 1);
  assert.match(warn.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(error.msg, 'token [redacted] leaked?');
  assert.deepEqual(stderr, []);
});

test('GIVEN the JSON format THEN each line is one object: level, time, msg and the fields, errors as text', () => {
  const { lines, logger } = capture({ level: 'debug' });
  logger.debug('index built', { papers: 71, error: new TypeError('bad'), big: 10n });
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0]!);
  assert.deepEqual(
    { level: line.level, msg: line.msg, papers: line.papers, error: line.error, big: line.big },
    { level: 'debug', msg: 'index built', papers: 71, error: 'TypeError: bad', big: '10' },
  );
  assert.equal(typeof line.time, 'string');
});

test('GIVEN secrets in any field, nested or quoted THEN no line carries them', () => {
  const secret = 'sig"ning\\secret-123';
  const { lines, logger } = capture({ secrets: [secret, 'xoxb-configured-token'] });
  logger.info('call failed', { request: { headers: { authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } } });
  logger.warn('bad secret', { secret, nested: [{ token: 'xoxb-configured-token' }] });
  logger.error('discord', { token: 'MTA4NzY1NDMyMTA5ODc2NTQzMg.GhT4xY.Zq9vX2kLmN4pR7sT1uW3yA5cE8gI0jK6oQbDfHs' });
  const text = lines.join('\n');
  assert.equal(lines.length, 3);
  for (const leaked of [
    'abcdefghijklmnopqrstuvwxyz',
    'ning',
    'configured-token',
    'Zq9vX2kLmN4pR7sT1uW3yA5cE8gI0jK6oQbDfHs',
  ])
    assert.ok(!text.includes(leaked), `${leaked} in ${text}`);
  for (const line of lines) JSON.parse(line); // redaction keeps every line valid JSON
});

test('GIVEN the pretty format THEN lines are readable text with the component, not JSON', () => {
  const { lines, logger } = capture({ format: 'pretty', secrets: ['hunter2-secret'] });
  componentLogger(logger, 'slack').warn('slack call failed', { code: 'not_in_channel', token: 'hunter2-secret' });
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: slack: slack call failed \{.*"code":"not_in_channel"/);
  assert.ok(!lines[0]!.includes('hunter2-secret'));
  assert.throws(() => JSON.parse(lines[0]!));
});

test('GIVEN a component logger THEN its lines name the component, with pino children or a plain Logger', () => {
  const { lines, logger } = capture();
  componentLogger(logger, 'alerts').info('source polled', { source: 'huggingface' });
  assert.equal(JSON.parse(lines[0]!).component, 'alerts');
  const seen: unknown[] = [];
  const plain: Logger = { debug() {}, info: (_m, fields) => seen.push(fields), warn() {}, error() {} };
  componentLogger(plain, 'discord').info('connected', { guilds: 2 });
  assert.deepEqual(seen, [{ component: 'discord', guilds: 2 }]);
});
