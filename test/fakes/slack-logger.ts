/** A Logger that keeps its lines, so tests can assert on (and wait for) what the Slack adapter logged. */
import { EventEmitter } from 'node:events';
import type { Logger } from '../../src/core/logger.ts';

export class CaptureLogger implements Logger {
  readonly lines: string[] = [];
  private readonly events = new EventEmitter();

  private log(level: string, message: string, fields?: Record<string, unknown>): void {
    const line = `${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`;
    this.lines.push(line);
    this.events.emit('line', line);
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }

  /** Resolves with the first line (already logged or to come) containing `text`; rejects after 5 s. */
  waitFor(text: string, timeoutMs = 5000): Promise<string> {
    const found = this.lines.find((line) => line.includes(text));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('line', check);
        reject(new Error(`timed out waiting for a log line with "${text}"`));
      }, timeoutMs);
      const check = (line: string) => {
        if (!line.includes(text)) return;
        clearTimeout(timer);
        this.events.off('line', check);
        resolve(line);
      };
      this.events.on('line', check);
    });
  }
}
