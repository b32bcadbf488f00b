/** Sealing secrets for the database: AES-256-GCM, a random IV per value, bound to its row, wrong keys refused. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseSecretKey, SecretBox, SecretBoxError, SecretKeyError } from '../../src/core/secret-box.ts';

const TOKEN = 'xoxb-1111-2222-SeCrEtToKeN';

test('GIVEN a sealed token THEN it opens to the same text and the sealed form does not contain it', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal(TOKEN, 'slack:T1');
  assert.ok(!sealed.includes(TOKEN) && !sealed.includes('SeCrEt'));
  assert.match(sealed, new RegExp(`^pb1\\.${box.keyId}\\.[A-Za-z0-9_-]+$`));
  assert.equal(box.open(sealed, 'slack:T1'), TOKEN);
});

test('GIVEN the same token sealed twice THEN the two values differ (a fresh IV each time)', () => {
  const box = new SecretBox(randomBytes(32));
  assert.notEqual(box.seal(TOKEN, 'slack:T1'), box.seal(TOKEN, 'slack:T1'));
});

test('GIVEN another key THEN opening fails with a clear error naming the key ids, never garbage', () => {
  const sealed = new SecretBox(randomBytes(32)).seal(TOKEN, 'slack:T1');
  const other = new SecretBox(randomBytes(32));
  assert.throws(
    () => other.open(sealed, 'slack:T1'),
    (error: unknown) =>
      error instanceof SecretBoxError &&
      /sealed with another PAPERBOY_SECRET_KEY/.test(error.message) &&
      error.message.includes(other.keyId) &&
      !error.message.includes(TOKEN),
  );
});

test('GIVEN a value moved to another row or altered THEN authentication fails', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal(TOKEN, 'slack:T1');
  assert.throws(() => box.open(sealed, 'slack:T2'), /failed authentication/);
  const body = sealed.split('.')[2]!;
  const flipped = `${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.at(-1)}`;
  assert.throws(() => box.open(`pb1.${box.keyId}.${flipped}`, 'slack:T1'), /failed authentication/);
  assert.throws(() => box.open('plain-text', 'slack:T1'), /not in a format paperboy knows/);
  assert.throws(() => box.open(`pb1.${box.keyId}.AAAA`, 'slack:T1'), /damaged/);
});

test('GIVEN PAPERBOY_SECRET_KEY values THEN 32 bytes of base64 are accepted and anything else is one clear line', () => {
  const key = randomBytes(32);
  assert.deepEqual(parseSecretKey(key.toString('base64')), key);
  assert.deepEqual(parseSecretKey(key.toString('base64url')), key);
  for (const [value, message] of [
    ['not base64!', /not base64/],
    [randomBytes(16).toString('base64'), /decodes to 16 bytes, not 32/],
    [randomBytes(33).toString('base64'), /decodes to 33 bytes/],
  ] as const) {
    assert.throws(
      () => parseSecretKey(value),
      (error: unknown) =>
        error instanceof SecretKeyError &&
        message.test(error.message) &&
        /openssl rand -base64 32/.test(error.message) &&
        !error.message.includes(value) &&
        !error.message.includes('\n'),
    );
  }
});
