/**
 * How the paper sources are doing, kept in the store's source state so every instance and `/paper subscriptions` read
 * the same: per source, when it was last polled and whether it answered, since when it has been failing, what the last
 * poll fetched; and the rounds of the last days (when, how many new papers), which quiet-day notes count from.
 */
import type { AlertStore } from '../store/store.ts';
import type { PollReport } from './poller.ts';

export interface SourceHealth {
  name: string;
  /** The last poll, whatever its outcome. */
  lastPolledAt: string;
  /** Whether the last poll answered. */
  ok: boolean;
  /** The last poll's failure, when it failed, in a few words ("HTTP 503", "timed out"): no URL, no detail. */
  error?: string;
  lastOkAt?: string;
  /** The first failure of the current run of failures. */
  failingSince?: string;
  /** What the last poll fetched, and how many of those papers were new to the corpus. */
  fetched: number;
  added: number;
  /** The failure (by its `failingSince`) channels were told about: said once. */
  reportedSince?: string;
}

/** One poll round: when, and the papers it fetched and found new. */
export interface RoundRecord {
  at: string;
  fetched: number;
  added: number;
}

/** Rounds kept: a week and a day, enough for any daily digest's window. */
const ROUND_HISTORY_MS = 8 * 86_400_000;
const SOURCES_KEY = 'health:sources';
const ROUNDS_KEY = 'health:rounds';
const sourceKey = (name: string) => `health:source:${name}`;

/** A source's name as people know it. */
export function sourceLabel(name: string): string {
  return (
    { huggingface: 'Hugging Face', 'arxiv-rss': 'arXiv', 'arxiv-api': 'the arXiv API', inbox: 'the inbox folder' }[
      name
    ] ?? name
  );
}

export class SourceHealthLog {
  constructor(private readonly repo: Pick<AlertStore, 'getState' | 'setState'>) {}

  /** Records a round's sources (the health before and after, per source) and the round itself. */
  async record(report: PollReport, now: Date): Promise<{ before?: SourceHealth; after: SourceHealth }[]> {
    const at = now.toISOString();
    const changes: { before?: SourceHealth; after: SourceHealth }[] = [];
    for (const source of report.sources) {
      const before = await this.source(source.name);
      const ok = source.error === undefined;
      const after: SourceHealth = {
        name: source.name,
        lastPolledAt: at,
        ok,
        fetched: source.fetched,
        added: source.added,
        ...(ok ? { lastOkAt: at } : { error: failureWords(source.failure), failingSince: before?.failingSince ?? at }),
        ...(!ok && before?.lastOkAt ? { lastOkAt: before.lastOkAt } : {}),
        ...(!ok && before?.reportedSince ? { reportedSince: before.reportedSince } : {}),
      };
      await this.repo.setState(sourceKey(source.name), JSON.stringify(after));
      changes.push({ ...(before ? { before } : {}), after });
    }
    const names = new Set([...(await this.names()), ...report.sources.map((s) => s.name)]);
    await this.repo.setState(SOURCES_KEY, JSON.stringify([...names].sort()));
    const cutoff = now.getTime() - ROUND_HISTORY_MS;
    const rounds = (await this.rounds()).filter((r) => Date.parse(r.at) >= cutoff);
    rounds.push({
      at,
      fetched: report.sources.reduce((n, s) => n + s.fetched, 0),
      added: report.sources.reduce((n, s) => n + s.added, 0),
    });
    await this.repo.setState(ROUNDS_KEY, JSON.stringify(rounds));
    return changes;
  }

  /** Notes that channels were told about this failure of the source (its `failingSince`). */
  async markReported(name: string, since: string): Promise<void> {
    const health = await this.source(name);
    if (health) await this.repo.setState(sourceKey(name), JSON.stringify({ ...health, reportedSince: since }));
  }

  async sources(): Promise<SourceHealth[]> {
    const out: SourceHealth[] = [];
    for (const name of await this.names()) {
      const health = await this.source(name);
      if (health) out.push(health);
    }
    return out;
  }

  /** Rounds of the last eight days, oldest first. */
  async rounds(): Promise<RoundRecord[]> {
    return readJson<RoundRecord[]>(await this.repo.getState(ROUNDS_KEY)) ?? [];
  }

  private async source(name: string): Promise<SourceHealth | undefined> {
    return readJson<SourceHealth>(await this.repo.getState(sourceKey(name)));
  }

  private async names(): Promise<string[]> {
    return readJson<string[]>(await this.repo.getState(SOURCES_KEY)) ?? [];
  }
}

/** `http_503` → "HTTP 503", `timeout` → "timed out"... */
export function failureWords(failure: string | undefined): string {
  if (!failure) return 'an error';
  const http = /^http_(\d{3})$/.exec(failure);
  if (http) return `HTTP ${http[1]}`;
  return (
    {
      timeout: 'timed out',
      network: 'network error',
      aborted: 'cancelled',
      format: 'an answer it could not read',
      'feed-error': 'an error answer',
      'too-large': 'an answer too large',
    }[failure] ?? failure.replace(/[_-]+/g, ' ')
  );
}

function readJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
