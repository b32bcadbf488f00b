/**
 * The enabled paper sources of a poll round, built from config, with their state persisted in the store (HTTP
 * validators, processed inbox files, the last day each source was fetched) so a restart neither re-downloads
 * what did not change nor forgets what it missed: days missed while the bot was down are back-filled (Hugging
 * Face `?date=`, the arXiv API by submission date) and alerted once like any other new paper.
 */

import type { Logger } from '../logger.ts';
import { createArxivApiClient } from '../sources/arxiv-api.ts';
import { ARXIV_RSS_SOURCE, createArxivRssSource } from '../sources/arxiv-rss.ts';
import {
  createHttpClient,
  type HttpClient,
  type RequestGate,
  type ValidatorCache,
  type Validators,
} from '../sources/http.ts';
import { createHuggingFaceSource, HUGGING_FACE_SOURCE } from '../sources/huggingface.ts';
import { createInboxSource, INBOX_SOURCE, type InboxFileState, type InboxStore } from '../sources/inbox.ts';
import type { SourceBatch } from '../sources/types.ts';
import type { AlertStore } from '../store/store.ts';
import { daysBetween } from './schedule.ts';

export type SourceName = 'huggingface' | 'arxiv' | 'inbox';
export const SOURCE_NAMES: readonly SourceName[] = ['huggingface', 'arxiv', 'inbox'];

export interface SourcesConfig {
  /** Enabled sources: huggingface, arxiv (RSS + API back-fill), inbox. */
  sources: SourceName[];
  hfApiUrl: string;
  arxivRssUrl: string;
  arxivApiUrl: string;
  arxivCategories: string[];
  arxivIncludeCross: boolean;
  inboxDir?: string;
  /** At most this many missed days are back-filled (default 7). */
  maxBackfillDays?: number;
}

export interface SourceDeps {
  repo: AlertStore;
  logger: Logger;
  /** Injected in tests (no real waiting, short timeouts). */
  http?: HttpClient;
  httpOptions?: Parameters<typeof createHttpClient>[0];
  /** The arXiv API's one-request-per-3-seconds gate (tests pass one that does not wait). */
  arxivGate?: RequestGate;
  inboxSettleMs?: number;
}

/** One source as the poller sees it: everything new since its last successful round, as batches. */
export interface PollSource {
  name: string;
  /** Whether `cross` announcements alert. */
  includeCross: boolean;
  /** `today` and the last day this source was fetched successfully (undefined on the first round ever). */
  fetchRound(days: { today: string; lastDay?: string }, signal?: AbortSignal): Promise<SourceBatch[]>;
}

/** HTTP validators saved in source_state (committed only after the batch is stored). */
export function persistentValidatorCache(repo: AlertStore): ValidatorCache {
  return persistentJson<Validators>(repo, 'http:');
}

/** A key → JSON value store in source_state, under a key prefix. */
function persistentJson<T>(
  repo: AlertStore,
  prefix: string,
): { get(key: string): Promise<T | undefined>; set(key: string, value: T): Promise<void> } {
  return {
    async get(key) {
      const raw = await repo.getState(`${prefix}${key}`);
      return raw ? (JSON.parse(raw) as T) : undefined;
    },
    set(key, value) {
      return repo.setState(`${prefix}${key}`, JSON.stringify(value));
    },
  };
}

function persistentInboxStore(repo: AlertStore): InboxStore {
  return persistentJson<InboxFileState>(repo, 'inbox:');
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

export function createPollSources(config: SourcesConfig, deps: SourceDeps): PollSource[] {
  const http =
    deps.http ??
    createHttpClient({ logger: deps.logger, validatorCache: persistentValidatorCache(deps.repo), ...deps.httpOptions });
  const maxBackfill = config.maxBackfillDays ?? 7;
  const sources: PollSource[] = [];
  if (config.sources.includes('huggingface')) {
    const hf = createHuggingFaceSource({ baseUrl: config.hfApiUrl, http });
    sources.push({
      name: HUGGING_FACE_SOURCE,
      includeCross: false,
      async fetchRound({ today, lastDay }, signal) {
        const batches: SourceBatch[] = [];
        if (lastDay)
          for (const day of daysBetween(lastDay, today, maxBackfill)) batches.push(await hf.fetchDay(day, signal));
        batches.push(await hf.fetch(signal));
        return batches;
      },
    });
  }
  if (config.sources.includes('arxiv') && config.arxivCategories.length) {
    const rss = createArxivRssSource({
      baseUrl: config.arxivRssUrl,
      categories: config.arxivCategories,
      http,
      includeCross: config.arxivIncludeCross,
    });
    const api = createArxivApiClient({
      baseUrl: config.arxivApiUrl,
      http,
      ...(deps.arxivGate ? { rateLimiter: deps.arxivGate } : {}),
    });
    sources.push({
      name: ARXIV_RSS_SOURCE,
      includeCross: config.arxivIncludeCross,
      async fetchRound({ today, lastDay }, signal) {
        const batches: SourceBatch[] = [];
        const missed = lastDay ? daysBetween(lastDay, today, maxBackfill) : [];
        if (missed.length) {
          // The RSS feed only has today's listing: the missed days come from the API, by submission date.
          const from = previousDay(missed[0]!);
          batches.push(
            await api.backfill({ categories: config.arxivCategories, from, to: missed[missed.length - 1]! }, signal),
          );
        }
        batches.push(await rss.fetch(signal));
        return batches;
      },
    });
  }
  if (config.sources.includes('inbox') && config.inboxDir) {
    const inbox = createInboxSource({
      dir: config.inboxDir,
      store: persistentInboxStore(deps.repo),
      ...(deps.inboxSettleMs !== undefined ? { settleMs: deps.inboxSettleMs } : {}),
    });
    sources.push({
      name: INBOX_SOURCE,
      includeCross: false,
      async fetchRound(_days, signal) {
        return [await inbox.fetch(signal)];
      },
    });
  }
  return sources;
}
