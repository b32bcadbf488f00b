/** A small leveled logger that redacts secrets, so a token can never reach a log line. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

// Slack tokens (xoxb-, xapp-, xoxp-...), Discord bot tokens (three base64url parts), bearer headers.
const TOKEN_PATTERNS = [
  /\bxox[abposr]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g,
  /(Bot|Bearer)\s+[A-Za-z0-9._-]{20,}/g,
];

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, '[redacted]');
  return out;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LoggerOptions {
  level?: LogLevel;
  secrets?: readonly string[];
  /** Where lines go: standard error (the default), or appended to a file, e.g. while a chat owns the terminal. */
  destination?: 'stderr' | { file: string };
  /** Takes every line instead of the destination (tests). */
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? writerFor(options.destination ?? 'stderr');
  const secrets = options.secrets ?? [];
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const extra = fields ? ` ${safeJson(fields)}` : '';
    write(redact(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}`, secrets));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function writerFor(destination: NonNullable<LoggerOptions['destination']>): (line: string) => void {
  if (destination === 'stderr') return (line) => process.stderr.write(`${line}\n`);
  mkdirSync(dirname(destination.file), { recursive: true });
  // Synchronous appends: log lines are few, and none is lost when the process dies. A line that cannot be
  // written (disk full) is dropped rather than failing the work that logged it.
  return (line) => {
    try {
      appendFileSync(destination.file, `${line}\n`);
    } catch {}
  };
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_key, value) => (value instanceof Error ? describeError(value) : value));
  } catch {
    return '[unserializable fields]';
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
