/**
 * The load harness behind `npm run loadtest` and test/integration/reliability-load.test.ts: N concurrent signed
 * `/paper` slash commands at the real Slack adapter in HTTP mode (Bolt on 127.0.0.1, fake Web API), and N
 * concurrent interactions through the fake Discord gateway at the real discord.js client. It measures the time to
 * the acknowledgement (Slack: the HTTP response to the slash command; Discord: the interaction callback POST) and
 * to the answer (Slack: the response_url POST), and counts errors. The platforms' side (fakes and load generator) runs
 * in a worker thread (platform-worker.ts), so a busy bot cannot slow the clock that measures it. Everything runs on
 * 127.0.0.1, bounded in count and time.
 */

import { Worker } from 'node:worker_threads';
import { startDiscord } from '../../src/adapters/discord/client.ts';
import { startSlack } from '../../src/adapters/slack/app.ts';
import type { Dispatcher } from '../../src/core/dispatcher.ts';
import { type Logger, silentLogger } from '../../src/core/logger.ts';
import type { FireResult, WorkerRequest } from './platform-worker.ts';

export const DEFAULT_QUERIES = [
  'diffusion',
  'attention',
  'lora adapter',
  'reinforcement learning',
  'graph neural network',
  'language model',
  '"speculative decoding"',
  'transform*',
  'retrieval -survey',
  'random',
  'help',
  'quantization',
  'vision transformer',
];

export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface PlatformResult {
  platform: 'slack' | 'discord';
  requests: number;
  acked: number;
  answered: number;
  errors: string[];
  ack: LatencyStats;
  answer: LatencyStats;
  /** Acks later than Slack's / Discord's 3 s deadline. */
  lateAcks: number;
  wallMs: number;
}

export function stats(values: number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : NaN };
}

const DEADLINE_MS = 3000;

/** The platforms' side (fakes + load generator) in a worker thread with its own event loop. */
class Platforms {
  private readonly worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./platform-worker.ts', import.meta.url).href },
  });
  private queue: Promise<unknown> = Promise.resolve();

  ask<T>(request: WorkerRequest): Promise<T> {
    const next = this.queue.then(
      () =>
        new Promise<T>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          this.worker.once('error', onError);
          this.worker.once('message', (answer: T & { error?: string }) => {
            this.worker.off('error', onError);
            if (answer && typeof answer === 'object' && 'error' in answer && answer.error)
              reject(new Error(answer.error));
            else resolve(answer);
          });
          this.worker.postMessage(request);
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.ask({ cmd: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}

function result(platform: PlatformResult['platform'], requests: number, fired: FireResult): PlatformResult {
  return {
    platform,
    requests,
    acked: fired.acks.length,
    answered: fired.answers.length,
    errors: fired.errors,
    ack: stats(fired.acks),
    answer: stats(fired.answers),
    lateAcks: fired.acks.filter((ms) => ms > DEADLINE_MS).length,
    wallMs: fired.wallMs,
  };
}

export interface LoadOptions {
  dispatcher: Dispatcher;
  concurrency: number;
  queries?: string[];
  timeoutMs?: number;
  logger?: Logger;
}

/** N concurrent signed `/paper <query>` slash commands at a real Bolt app in HTTP mode. */
export async function loadSlack(options: LoadOptions): Promise<PlatformResult> {
  const platforms = new Platforms();
  const secret = 'loadtest-signing-secret';
  try {
    const { apiUrl } = await platforms.ask<{ apiUrl: string }>({ cmd: 'start-slack' });
    const handle = await startSlack(
      {
        botToken: 'xoxb-loadtest',
        signingSecret: secret,
        port: 0,
        host: '127.0.0.1',
        apiUrl,
        botUserId: 'UBOT',
        botId: 'BBOT',
        retries: 0,
      },
      { dispatcher: options.dispatcher, logger: options.logger ?? silentLogger, sleep: async () => {} },
    );
    try {
      const fired = await platforms.ask<FireResult>({
        cmd: 'fire-slack',
        url: `http://127.0.0.1:${handle.port}/slack/events`,
        secret,
        queries: options.queries ?? DEFAULT_QUERIES,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs ?? 60_000,
      });
      return result('slack', options.concurrency, fired);
    } finally {
      await handle.stop();
    }
  } finally {
    await platforms.close();
  }
}

/** N concurrent `/paper query:` interactions through the fake gateway at the real discord.js client. */
export async function loadDiscord(options: LoadOptions): Promise<PlatformResult> {
  const platforms = new Platforms();
  try {
    const { apiUrl, appId } = await platforms.ask<{ apiUrl: string; appId: string }>({ cmd: 'start-discord' });
    const bot = await startDiscord(
      { token: 'MTA4NzY1NDMyMTA5ODc2NTQzMg.loadtest.token', appId, apiUrl },
      { dispatcher: options.dispatcher, logger: options.logger ?? silentLogger },
    );
    try {
      const fired = await platforms.ask<FireResult>({
        cmd: 'fire-discord',
        queries: options.queries ?? DEFAULT_QUERIES,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs ?? 60_000,
      });
      return result('discord', options.concurrency, fired);
    } finally {
      await bot.stop();
    }
  } finally {
    await platforms.close();
  }
}

export function formatResult(result: PlatformResult): string {
  const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : '—');
  return [
    `${result.platform}: ${result.requests} concurrent, ${result.acked} acknowledged, ` +
      `${result.answered} answered, ${result.errors.length} errors, ` +
      `${result.lateAcks} acks over 3 s (wall ${ms(result.wallMs)})`,
    `  ack    p50 ${ms(result.ack.p50)}  p99 ${ms(result.ack.p99)}  max ${ms(result.ack.max)}`,
    `  answer p50 ${ms(result.answer.p50)}  p99 ${ms(result.answer.p99)}  max ${ms(result.answer.max)}`,
    ...result.errors.slice(0, 5).map((error) => `  error: ${error}`),
  ].join('\n');
}
