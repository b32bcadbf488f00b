/**
 * The optional services behind thread digests and summaries, wired from their settings: papers looked up on the
 * arXiv API by id when a thread names one the corpus lacks (ARXIV_API_URL), and TL;DRs from an OpenAI-compatible
 * endpoint (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY). Without their settings neither exists and nothing changes.
 */
import { createArxivFetcher } from './core/importing/arxiv-fetcher.ts';
import type { Importer } from './core/importing/importer.ts';
import type { Logger } from './core/logger.ts';
import type { Services } from './core/services.ts';
import { ARXIV_API_SOURCE, createArxivApiClient } from './core/sources/arxiv-api.ts';
import { createHttpClient, type RequestGate } from './core/sources/http.ts';
import type { Store } from './core/store/store.ts';
import { GeneratedTldrs } from './core/summarize/generated-tldr.ts';
import { createOpenAiTldrGenerator, type LlmConfig } from './core/summarize/openai-tldr.ts';

export interface SummaryServiceOptions {
  /** Look up on the arXiv API papers a thread names that the corpus lacks; not looked up without. */
  arxivLookup?: {
    apiUrl: string;
    /** Defaults to the process-wide arXiv gate the alerts' back-fill waits on (one request per 3 s). */
    gate?: RequestGate;
  };
  /** Generated TL;DRs; none without. `timeoutMs` defaults to 8 s (tests shorten it). */
  llm?: LlmConfig & { timeoutMs?: number };
}

export interface SummaryServiceDeps {
  /** Where fetched papers are found once imported, and generated TL;DRs are kept. */
  store: Store;
  importer: Importer;
  refreshIndex(): Promise<unknown>;
  logger: Logger;
}

export function summaryServices(
  options: SummaryServiceOptions,
  deps: SummaryServiceDeps,
): Pick<Services, 'fetchPapers' | 'generatedTldrs'> {
  const services: Pick<Services, 'fetchPapers' | 'generatedTldrs'> = {};
  if (options.arxivLookup) {
    // The person who asked is waiting: a short timeout and one retry, unlike the alerts' patient polling.
    const http = createHttpClient({ logger: deps.logger, timeoutMs: 10_000, retries: 1 });
    const { apiUrl, gate } = options.arxivLookup;
    services.fetchPapers = createArxivFetcher({
      client: createArxivApiClient({ baseUrl: apiUrl, http, rateLimiter: gate }),
      save: (inputs) => deps.importer.importInputs(inputs, ARXIV_API_SOURCE),
      papers: deps.store.papers,
      refreshIndex: deps.refreshIndex,
    });
  }
  if (options.llm) {
    services.generatedTldrs = new GeneratedTldrs({
      generator: createOpenAiTldrGenerator(options.llm),
      cache: deps.store.generatedTldrs,
      logger: deps.logger,
      timeoutMs: options.llm.timeoutMs,
    });
  }
  return services;
}
