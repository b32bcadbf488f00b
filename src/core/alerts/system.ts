/**
 * Assembles the alert machinery for a process (the bot or `paperboy poll`): sources from config, one outbox per
 * delivery, and the poller that runs rounds under the database's poll lock.
 */

import type { AlertsConfig } from '../../config.ts';
import type { Paperboy } from '../../paperboy.ts';
import type { Logger } from '../logger.ts';
import type { AlertDelivery } from './delivery.ts';
import { PollLock } from './lock.ts';
import { corpusVocabulary } from './matcher.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';
import { Poller } from './poller.ts';
import { createPollSources, type SourceDeps } from './sources.ts';

export interface AlertSystemOptions {
  paperboy: Paperboy;
  config: AlertsConfig;
  deliveries: AlertDelivery[];
  logger: Logger;
  now?: () => Date;
  /** Test hooks for the sources (HTTP timeouts / retries, the arXiv API gate). */
  sourceDeps?: Partial<Omit<SourceDeps, 'repo' | 'logger'>>;
  outbox?: Partial<Pick<OutboxOptions, 'sleep' | 'burstThreshold' | 'maxAttempts' | 'retryBaseMs'>>;
  lockTtlMs?: number;
}

export function createAlertSystem(options: AlertSystemOptions): { poller: Poller; outboxes: Outbox[] } {
  const { paperboy, config, logger } = options;
  const outboxes = options.deliveries.map(
    (delivery) =>
      new Outbox({
        repo: paperboy.alerts,
        delivery,
        papers: paperboy.papers,
        messages: { buttons: paperboy.dispatcher.buttons, summarize: paperboy.services.summarize },
        logger,
        now: options.now,
        ...options.outbox,
      }),
  );
  const sources = createPollSources(config, { repo: paperboy.alerts, logger, ...options.sourceDeps });
  const poller = new Poller({
    db: paperboy.db,
    papers: paperboy.papers,
    repo: paperboy.alerts,
    sources,
    outboxes,
    refreshIndex: () => paperboy.index.refresh(),
    vocabulary: () => (paperboy.index.ready ? corpusVocabulary(paperboy.index.snapshot) : undefined),
    logger,
    now: options.now,
    lock: new PollLock(paperboy.db, { ttlMs: options.lockTtlMs }),
    digestTime: config.digestTime,
    timeZone: config.timeZone,
  });
  return { poller, outboxes };
}
