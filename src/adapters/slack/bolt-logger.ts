/** Bolt and its Web API / Socket Mode clients log through our Logger, so secrets stay redacted. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';
import { describeError } from '../../core/logger.ts';

function line(parts: unknown[]): string {
  return parts
    .map((part) => (typeof part === 'string' ? part : part instanceof Error ? describeError(part) : safe(part)))
    .join(' ');
}

function safe(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => logger.debug(`slack: ${line(parts)}`),
    info: (...parts: unknown[]) => logger.info(`slack: ${line(parts)}`),
    warn: (...parts: unknown[]) => logger.warn(`slack: ${line(parts)}`),
    error: (...parts: unknown[]) => logger.error(`slack: ${line(parts)}`),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
