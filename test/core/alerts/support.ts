/** Shared helpers for the alerts tests: a paperboy on a temp database, fast HTTP, config, corpus day slices. */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { AlertsConfig } from '../../../src/config.ts';
import type { Invoker } from '../../../src/core/command.ts';
import { type Logger, silentLogger } from '../../../src/core/logger.ts';
import { openPaperboy, type Paperboy } from '../../../src/paperboy.ts';
import type { CorpusPaper } from '../../fakes/paper-source-server.ts';

export const CORPUS = '/work/shared/corpus/arxiv-cs-2025-26.jsonl.gz';

export function tempDir(prefix = 'paperboy-alerts-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openTestPaperboy(dbPath: string, logger: Logger = silentLogger): Promise<Paperboy> {
  return openPaperboy({ dbPath, logger, builtinCorpus: false, useWorker: false, random: () => 0.42 });
}

export function alertsConfig(baseUrl: string, overrides: Partial<AlertsConfig> = {}): AlertsConfig {
  return {
    sources: ['huggingface', 'arxiv'],
    hfApiUrl: baseUrl,
    arxivRssUrl: baseUrl,
    arxivApiUrl: baseUrl,
    arxivCategories: ['cs.CL', 'cs.LG'],
    arxivIncludeCross: false,
    pollIntervalMinutes: 60,
    digestTime: '09:00',
    timeZone: 'UTC',
    ...overrides,
  };
}

/** Sources that never really wait (retries, Retry-After, the arXiv API gate) and time out fast. */
export const FAST_SOURCES = {
  httpOptions: { timeoutMs: 400, retries: 1, backoffBaseMs: 1, backoffMaxMs: 2, sleep: async () => {} },
  arxivGate: { wait: async () => {} },
};

export function invoker(channelId: string, platform: Invoker['platform'] = 'console', userId = 'U1'): Invoker {
  return { platform, userId, channelId, canManageChannel: true };
}

/** The first `perDay` papers of each listed day, streaming the corpus only as far as needed (it is sorted by day). */
export async function corpusDays(days: string[], perDay: number): Promise<Map<string, CorpusPaper[]>> {
  const wanted = new Set(days);
  const last = [...days].sort().at(-1)!;
  const out = new Map<string, CorpusPaper[]>(days.map((d) => [d, []]));
  const input = createReadStream(CORPUS).pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const paper = JSON.parse(line) as CorpusPaper;
      if (paper.published > last) break;
      const list = out.get(paper.published);
      if (wanted.has(paper.published) && list && list.length < perDay) list.push(paper);
    }
  } finally {
    lines.close();
    input.destroy();
  }
  return out;
}
