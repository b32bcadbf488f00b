/**
 * Secrets kept in the database (a distributed Slack app's bot tokens) are sealed with AES-256-GCM under
 * PAPERBOY_SECRET_KEY: a fresh random 96-bit IV per value, the GCM tag authenticating both the text and the row it
 * belongs to (`context`, e.g. `slack:T123`), so a value copied onto another row, altered, or opened with another key
 * fails with a clear error instead of yielding garbage. A sealed value reads `pb1.<key id>.<base64url iv|tag|text>`;
 * the key id (a hash of the key, not the key) tells "wrong key" apart from "damaged value".
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** How PAPERBOY_SECRET_KEY is written, for error messages and docs. */
export const SECRET_KEY_FORMAT = '32 random bytes in base64 (make one with: openssl rand -base64 32)';

const VERSION = 'pb1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** PAPERBOY_SECRET_KEY is not a usable key. The message never contains the value. */
export class SecretKeyError extends Error {}

/** A sealed value that cannot be opened: another key, or damaged. */
export class SecretBoxError extends Error {}

/** The 32-byte key written in base64 (standard or URL-safe alphabet, padding optional). */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed))
    throw new SecretKeyError(`PAPERBOY_SECRET_KEY is not base64; it must be ${SECRET_KEY_FORMAT}`);
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32)
    throw new SecretKeyError(
      `PAPERBOY_SECRET_KEY decodes to ${key.length} bytes, not 32; it must be ${SECRET_KEY_FORMAT}`,
    );
  return key;
}

export class SecretBox {
  /** A short public fingerprint of the key, written into every sealed value. */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new SecretKeyError('the secret key must be 32 bytes');
    this.keyId = createHash('sha256').update('paperboy-secret-key-id:').update(key).digest('hex').slice(0, 8);
  }

  /** Seals `plaintext` for the row named `context`; the same context opens it. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const text = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const body = Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64url');
    return `${VERSION}.${this.keyId}.${body}`;
  }

  /** The plaintext sealed for `context`; a `SecretBoxError` naming the cause when it cannot be opened. */
  open(sealed: string, context: string): string {
    const [version, keyId, body, extra] = sealed.split('.');
    if (version !== VERSION || !keyId || body === undefined || extra !== undefined)
      throw new SecretBoxError(`the stored secret for ${context} is not in a format paperboy knows`);
    if (keyId !== this.keyId)
      throw new SecretBoxError(
        `the stored secret for ${context} was sealed with another PAPERBOY_SECRET_KEY (key id ${keyId}, ` +
          `this one is ${this.keyId}); start paperboy with the key it was sealed with`,
      );
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES)
      throw new SecretBoxError(`the stored secret for ${context} is damaged (too short)`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        `the stored secret for ${context} failed authentication: it was altered, belongs to another row, ` +
          'or was sealed with another key of the same id',
      );
    }
  }
}
