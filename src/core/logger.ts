/** A small leveled logger that redacts secrets, so a token can never reach a log line. */

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

export function createLogger(
  options: { level?: LogLevel; secrets?: readonly string[]; write?: (line: string) => void } = {},
): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = options.secrets ?? [];
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const extra = fields ? ` ${safeJson(fields)}` : '';
    write(redact(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}`, secrets));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_key, value) => (value instanceof Error ? describeError(value) : value));
  } catch {
    return '[unserializable fields]';
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
