/**
 * The logger every module takes: `logger.info(message, fields)`. Behind it is pino: one JSON object per line
 * (`level`, `time`, `msg`, the fields) for log pipelines, or readable lines through pino-pretty in a terminal.
 * Every line is redacted after serialization, so a token can never reach a log, whatever field it hides in.
 */
import { Writable } from 'node:stream';
import { pino, stdTimeFunctions } from 'pino';
import pinoPretty from 'pino-pretty';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines carry `fields` too (a component's name); loggers without it get a wrapper. */
  child?(fields: Record<string, unknown>): Logger;
}

/** The process's root logger: writes buffered lines out before the process exits. */
export interface RootLogger extends Logger {
  child(fields: Record<string, unknown>): Logger;
  flush(): void;
}

// Slack tokens (xoxb-, xoxp-, xoxe- refresh tokens, xoxe.xoxb- rotating ones... and xapp-), Discord bot tokens (three
// base64url parts), bearer headers.
const TOKEN_PATTERNS = [
  /\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g,
  /(Bot|Bearer)\s+[A-Za-z0-9._-]{20,}/g,
];
/**
 * The password of a URL (`postgres://user:secret@host/db` → `postgres://user:[redacted]@host/db`), whatever the
 * scheme. Linear: each part stops at a character the next cannot start with. The password runs to the last `@` before
 * the path, as URL parsers read it.
 */
const URL_PASSWORD = /(:\/\/[^\s/?#@:"]*:)[^\s/?#"]*@/g;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 6) continue;
    out = out.split(secret).join('[redacted]');
    // In a JSON line a secret with quotes or backslashes appears escaped.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join('[redacted]');
  }
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, '[redacted]');
  return out.replace(URL_PASSWORD, '$1[redacted]@');
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `json`: one JSON object per line; `pretty`: readable lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  level?: LogLevel;
  secrets?: readonly string[];
  /** Default `json`; the composition root picks `pretty` for a terminal (see `logFormatFor`). */
  format?: LogFormat;
  /** Where lines go: standard error (the default), or appended to a file, e.g. while a chat owns the terminal. */
  destination?: 'stderr' | { file: string };
  /** Takes every line (without its newline) instead of the destination (tests, the CLI's injected output). */
  write?: (line: string) => void;
}

/** LOG_FORMAT `auto` → readable lines only when they go to a terminal (and standard output is one too). */
export function logFormatFor(setting: 'auto' | LogFormat, destination: LoggerOptions['destination']): LogFormat {
  if (setting !== 'auto') return setting;
  const toTerminal = (destination ?? 'stderr') === 'stderr' && process.stderr.isTTY === true;
  return toTerminal && process.stdout.isTTY === true ? 'pretty' : 'json';
}

/** Field values pino would not show usefully (errors, bigints) as text; never a stack in a log line. */
function loggable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    out[key] = value instanceof Error ? describeError(value) : typeof value === 'bigint' ? String(value) : value;
  return out;
}

function adapt(log: pino.Logger): RootLogger {
  const at =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields) log[level](loggable(fields), message);
      else log[level](message);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => adapt(log.child(loggable(fields))),
    flush: () => log.flush(),
  };
}

export function createLogger(options: LoggerOptions = {}): RootLogger {
  const secrets = options.secrets ?? [];
  const sink = sinkFor(options);
  const stream = options.format === 'pretty' ? prettyStream(sink) : sink;
  const log = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors reach pino as text (loggable); pino-pretty would otherwise print an `err` field on lines of its own.
      errorKey: 'exception',
      // The whole serialized line, message and every field, is redacted before it is written anywhere.
      hooks: { streamWrite: (line) => redact(line, secrets) },
    },
    stream,
  );
  return adapt(log);
}

type Sink = pino.DestinationStream;

function sinkFor(options: LoggerOptions): Sink {
  const write = options.write;
  if (write) return { write: (chunk: string) => write(chunk.replace(/\n$/, '')) };
  const destination = options.destination ?? 'stderr';
  // Synchronous writes: log lines are few, and none is lost when the process dies.
  if (destination === 'stderr') return pino.destination({ dest: 2, sync: true });
  const file = pino.destination({ dest: destination.file, mkdir: true, append: true, sync: true });
  // A line that cannot be written (disk full) is dropped rather than failing the work that logged it.
  file.on('error', () => {});
  return file;
}

/** pino-pretty in this thread (no transport worker), writing its readable lines to the sink. */
function prettyStream(sink: Sink): Sink {
  const colorize = (sink as { fd?: number }).fd === 2 && process.stderr.isTTY === true;
  return pinoPretty({
    colorize,
    ignore: 'pid,hostname,component',
    messageFormat: '{if component}{component}: {end}{msg}',
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    // Our `error` fields are one-line descriptions: keep them on the line with the rest.
    errorLikeObjectKeys: ['exception'],
    sync: true,
    destination: new Writable({
      write(chunk, _encoding, done) {
        sink.write(String(chunk));
        done();
      },
    }),
  });
}

/** A logger for one part of the program: its lines carry `component` (pino child loggers where available). */
export function componentLogger(logger: Logger, component: string): Logger {
  if (logger.child) return logger.child({ component });
  const withComponent = (fields?: Record<string, unknown>) => ({ component, ...fields });
  return {
    debug: (message, fields) => logger.debug(message, withComponent(fields)),
    info: (message, fields) => logger.info(message, withComponent(fields)),
    warn: (message, fields) => logger.warn(message, withComponent(fields)),
    error: (message, fields) => logger.error(message, withComponent(fields)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
