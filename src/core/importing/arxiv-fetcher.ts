/**
 * Papers fetched on demand by arXiv id, when a conversation names one the corpus lacks: one arXiv API look-up
 * (through the process-wide rate gate the alerts' back-fill waits on too), stored like any import and made
 * searchable. A failure is an answer, not an error: each id not had says why.
 */
import type { Paper, PaperInput } from '../papers/paper.ts';
import type { ArxivApiClient } from '../sources/arxiv-api.ts';
import { SourceError } from '../sources/http.ts';
import type { PaperStore } from '../store/store.ts';

export interface FetchedPapers {
  /** The papers now in the corpus, by the arXiv id asked for. */
  papers: Map<string, Paper>;
  /** The ids that could not be had, each with a short reason. */
  failed: Map<string, string>;
}

export interface PaperFetcher {
  fetch(arxivIds: readonly string[]): Promise<FetchedPapers>;
}

export interface ArxivFetcherDeps {
  client: ArxivApiClient;
  /** Stores the fetched papers (the importer: normalized, merged with what is there). */
  save(inputs: PaperInput[]): unknown;
  papers: Pick<PaperStore, 'get'>;
  /** Makes the new papers searchable. */
  refreshIndex(): Promise<unknown>;
  /** The whole look-up's budget, the wait for the rate gate included (default 15 s). */
  timeoutMs?: number;
}

/** Why an id was not had when arXiv answered without it. */
export const NOT_ON_ARXIV = 'not found on arXiv';

/** arXiv answers up to 100 ids per request (arxiv-api.ts); more than that in one conversation is not looked up. */
export const MAX_FETCHED = 100;

export function createArxivFetcher(deps: ArxivFetcherDeps): PaperFetcher {
  return {
    async fetch(arxivIds) {
      const wanted = [...new Set(arxivIds)].slice(0, MAX_FETCHED);
      const result: FetchedPapers = { papers: new Map(), failed: new Map() };
      if (!wanted.length) return result;
      let fetched: number;
      try {
        const batch = await deps.client.lookup(wanted, AbortSignal.timeout(deps.timeoutMs ?? 15_000));
        fetched = batch.papers.length;
        if (fetched) await deps.save(batch.papers);
      } catch (error) {
        const reason = `the arXiv look-up failed${error instanceof SourceError ? ` (${error.kind})` : ''}`;
        for (const id of wanted) result.failed.set(id, reason);
        return result;
      }
      // The papers are stored either way: an index that fails to catch up now does at its next refresh.
      if (fetched) await deps.refreshIndex().catch(() => undefined);
      for (const id of wanted) {
        const paper = await deps.papers.get(id);
        if (paper) result.papers.set(id, paper);
        else result.failed.set(id, NOT_ON_ARXIV);
      }
      return result;
    },
  };
}
