import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger } from '../../src/core/logger.ts';
import { tempDir } from './alerts/support.ts';

const temp = tempDir('paperboy-logger-');
after(() => temp.cleanup());

test('GIVEN a file destination THEN lines at the level and above are appended there, redacted, not on stderr', () => {
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
  assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\S+Z WARN paper source request failed, retrying \{"attempt":1\}$/);
  assert.match(lines[1]!, /ERROR token \[redacted\] leaked\?$/);
  assert.deepEqual(stderr, []);
});
