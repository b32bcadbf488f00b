/**
 * The optional services behind summaries, wired from their settings: TL;DRs from an OpenAI-compatible endpoint
 * (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY). Without their settings they do not exist and nothing changes.
 */
import type { Database } from 'better-sqlite3';
import type { Logger } from './core/logger.ts';
import type { Services } from './core/services.ts';
import { SqliteTldrCache } from './core/store/tldr-cache.ts';
import { GeneratedTldrs } from './core/summarize/generated-tldr.ts';
import { createOpenAiTldrGenerator, type LlmConfig } from './core/summarize/openai-tldr.ts';

export interface SummaryServiceOptions {
  /** Generated TL;DRs; none without. `timeoutMs` defaults to 8 s (tests shorten it). */
  llm?: LlmConfig & { timeoutMs?: number };
}

export interface SummaryServiceDeps {
  db: Database;
  logger: Logger;
}

export function summaryServices(
  options: SummaryServiceOptions,
  deps: SummaryServiceDeps,
): Pick<Services, 'generatedTldrs'> {
  const services: Pick<Services, 'generatedTldrs'> = {};
  if (options.llm) {
    services.generatedTldrs = new GeneratedTldrs({
      generator: createOpenAiTldrGenerator(options.llm),
      cache: new SqliteTldrCache(deps.db),
      logger: deps.logger,
      timeoutMs: options.llm.timeoutMs,
    });
  }
  return services;
}
