/**
 * `/paper trending [today|week] [topic]`: the papers with the most Hugging Face upvotes among those its daily list
 * featured in the period (today: the newest list; week: its last 7 days), with their counts as of the last poll.
 * A topic narrows them through the search engine, word for word as a subscription query matches (every word, the
 * corpus's acronyms), so `lora` also finds "low-rank adaptation".
 */
import { corpusVocabulary, matchBatch, queryProblem } from '../alerts/matcher.ts';
import type { PaperFetch } from '../library/recommender.ts';
import type { Paper } from '../papers/paper.ts';
import type { CorpusSnapshot } from '../search/snapshot.ts';
import type { PaperSignal, SignalStore, Subscription } from '../store/store.ts';
import { TRENDING_SOURCE } from './trending.ts';

export type TrendingPeriod = 'today' | 'week';
export const TRENDING_PERIODS: readonly TrendingPeriod[] = ['today', 'week'];

/** Papers a period's list is read for at most (Hugging Face features about 50 a day). */
const MAX_PERIOD_PAPERS = 2000;

export interface TrendingEntry {
  paper: Paper;
  signal: PaperSignal;
}

export type TrendingAnswer =
  /** No upvote data at all: the Hugging Face source has never been polled into this corpus. */
  | { kind: 'no-data' }
  | { kind: 'error'; error: string }
  | {
      kind: 'list';
      period: TrendingPeriod;
      /** The days covered (`since` = `until` for today). */
      since: string;
      until: string;
      /** When the counts were last read. */
      asOf: string;
      entries: TrendingEntry[];
      /** Papers featured in the period (before the topic narrowed them). */
      featured: number;
      /** Of those, how many the topic matched (all when there is no topic). */
      matching: number;
    };

export interface TrendingDeps {
  signals: Pick<SignalStore, 'featured' | 'latest'>;
  papers: PaperFetch;
  /** The corpus as searched now (its vocabulary plans the topic); absent while the index opens. */
  snapshot?: () => CorpusSnapshot | undefined;
}

export class TrendingService {
  constructor(private readonly deps: TrendingDeps) {}

  /** Whether any upvote data was ever stored (the Hugging Face source polled). */
  async hasData(): Promise<boolean> {
    return (await this.deps.signals.latest(TRENDING_SOURCE)) !== undefined;
  }

  async top(period: TrendingPeriod, topic: string | undefined, limit: number): Promise<TrendingAnswer> {
    const query = topic?.replace(/\s+/g, ' ').trim();
    if (query) {
      const problem = queryProblem(query);
      if (problem) return { kind: 'error', error: problem };
    }
    const latest = await this.deps.signals.latest(TRENDING_SOURCE);
    if (!latest) return { kind: 'no-data' };
    const until = latest.day;
    const since = period === 'today' ? until : dayBefore(until, 6);
    const signals = await this.deps.signals.featured(TRENDING_SOURCE, since, until, MAX_PERIOD_PAPERS);
    const papers = await this.deps.papers.getMany(signals.map((s) => s.paperId));
    let entries = signals.flatMap((signal) => {
      const paper = papers.get(signal.paperId);
      return paper ? [{ paper, signal }] : [];
    });
    const featured = entries.length;
    if (query) {
      const snapshot = this.deps.snapshot?.();
      const matched = new Set(
        matchBatch(
          entries.map((e) => e.paper),
          [topicSubscription(query)],
          snapshot ? corpusVocabulary(snapshot) : undefined,
        ).map((m) => m.paper.id),
      );
      entries = entries.filter((e) => matched.has(e.paper.id));
    }
    return {
      kind: 'list',
      period,
      since,
      until,
      asOf: latest.asOf,
      entries: entries.slice(0, limit),
      featured,
      matching: entries.length,
    };
  }
}

/** The topic as a subscription query: matched the way alerts match new papers. */
function topicSubscription(query: string): Subscription {
  return { id: 0, platform: '', workspaceId: '', channelId: '', query, mode: 'instant', createdAt: '' };
}

function dayBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
