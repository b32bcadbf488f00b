/**
 * Alerts printed to the terminal (the core's AlertDelivery for `paperboy poll` with no platform and for the console
 * chat's channel), rendered as the console chat renders replies. The append-only delivered log is the "platform": each
 * message is one JSON line (key + text) appended in a single write, so after a crash `find` can tell whether a message
 * went out, and stdout mirrors the log.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlertDelivery, DeliveryFailure } from '../../core/alerts/delivery.ts';
import type { Reply } from '../../core/reply.ts';
import { renderReply } from './render.ts';

export interface ConsoleDeliveryOptions {
  /** The delivered log (JSON lines). Without it the log lives in memory (fine for one process). */
  logPath?: string;
  /** Where the human-readable text goes (default stdout). */
  write?: (text: string) => void;
  platform?: string;
}

interface LogEntry {
  key: string;
  channel: string;
  ref: string;
  kind: 'post' | 'thread';
  text: string;
}

function text(reply: Reply, indent = ''): string {
  return renderReply(reply, 1, indent).lines.join('\n');
}

export function createConsoleDelivery(options: ConsoleDeliveryOptions = {}): AlertDelivery & { entries(): LogEntry[] } {
  const memory: LogEntry[] = [];
  const write = options.write ?? ((t: string) => void process.stdout.write(`${t}\n`));
  if (options.logPath) mkdirSync(dirname(options.logPath), { recursive: true });

  function entries(): LogEntry[] {
    if (!options.logPath) return memory;
    if (!existsSync(options.logPath)) return [];
    const out: LogEntry[] = [];
    for (const line of readFileSync(options.logPath, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as LogEntry);
      } catch {
        // A line torn by a crash mid-write was never a delivery.
      }
    }
    return out;
  }

  function append(entry: LogEntry): void {
    if (options.logPath) appendFileSync(options.logPath, `${JSON.stringify(entry)}\n`);
    else memory.push(entry);
    write(entry.text);
  }

  return {
    platform: options.platform ?? 'console',
    minIntervalMs: 0,
    entries,
    async post({ channelId }, reply, key) {
      append({ key, channel: channelId, ref: key, kind: 'post', text: `── #${channelId} ──\n${text(reply)}` });
      return key;
    },
    async postThread({ channelId }, ref, root, key) {
      const body = (root.thread ?? []).map((item) => text(item, '    │ ')).join('\n');
      append({ key, channel: channelId, ref, kind: 'thread', text: body });
    },
    async find({ channelId }, key) {
      return entries().find((e) => e.key === key && e.channel === channelId && e.kind === 'post')?.ref;
    },
    async threadPosted(_channelId, ref, key) {
      return entries().some((e) => e.key === key && e.ref === ref && e.kind === 'thread');
    },
    classify(error): DeliveryFailure {
      const code = (error as NodeJS.ErrnoException)?.code ?? 'error';
      // The log could not be written: nothing was delivered.
      return { kind: 'rejected', code };
    },
  };
}
