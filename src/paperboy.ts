/**
 * Wires the core together (store → importer → index → search → commands) for the bot, the CLI and tests.
 * Takes explicit options; reading the environment is the composition root's job (src/main.ts).
 */

import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../commands/index.ts';
import { type AlertsServiceOptions, createAlertsService } from './core/alerts/service.ts';
import { SourceHealthLog } from './core/alerts/source-health.ts';
import { ButtonStash } from './core/button-stash.ts';
import type { DigestLimits } from './core/digest/thread-limits.ts';
import { Dispatcher } from './core/dispatcher.ts';
import { FairUse } from './core/fair-use/fair-use.ts';
import type { FairUseLimits } from './core/fair-use/limits.ts';
import { Importer, type ImportSummary } from './core/importing/importer.ts';
import { FeedbackService } from './core/library/feedback.ts';
import { LibraryService } from './core/library/service.ts';
import { describeError, type Logger } from './core/logger.ts';
import type { Metrics } from './core/metrics.ts';
import { normalizePaper } from './core/papers/normalize.ts';
import { IndexManager } from './core/search/index-manager.ts';
import { PaperSearch } from './core/search/paper-search.ts';
import type { Services } from './core/services.ts';
import { parseTextPage } from './core/sources/text-page.ts';
import { openStore } from './core/store/open.ts';
import type { PostgresStore } from './core/store/postgres/store.ts';
import type { AlertStore, PaperStore, PostgresTimeouts, Store, StoreLocation } from './core/store/store.ts';
import { summarize } from './core/summarize/summarize.ts';
import { TrendingService } from './core/trending/service.ts';
import { ChannelAdoption } from './core/workspaces.ts';
import { type SummaryServiceOptions, summaryServices } from './summary-services.ts';

export const BUILTIN_CORPUS = fileURLToPath(new URL('../data/builtin-papers.txt', import.meta.url));

export interface PaperboyOptions extends SummaryServiceOptions {
  /** The SQLite database; with `databaseUrl`, only where the search index and log files go by default. */
  dbPath: string;
  /** A PostgreSQL database (`postgres://…`) instead of the SQLite file. */
  databaseUrl?: string;
  /** PostgreSQL: the statement and lock timeouts every session starts with (default 30 s and 10 s). */
  postgresTimeouts?: PostgresTimeouts;
  /** Folder for the persisted search index (default: `index/` beside the SQLite database). */
  indexDir?: string;
  logger: Logger;
  /**
   * The 71 built-in papers: `true` (default) loads them into a database that holds no papers yet and never had
   * them (the bot's first start); `'always'` loads them now (papers already there stay unchanged); `false` never.
   */
  builtinCorpus?: boolean | 'always';
  random?: () => number;
  /** Build the search index in a worker thread (default true; in-memory databases always build in-process). */
  useWorker?: boolean;
  /** Defaults for daily digest subscriptions (DIGEST_TIME, TZ), the cap on library subscriptions. */
  alerts?: Omit<AlertsServiceOptions, 'metrics'>;
  /** Where the dispatcher counts commands (src/ops/metrics.ts in the bot). */
  metrics?: Metrics;
  /** Per-person and per-workspace budgets of commands, digests and model calls; none without (the CLI, tests). */
  fairUse?: FairUseLimits;
  /** How much of a thread a digest reads (default DEFAULT_DIGEST_LIMITS). */
  digestLimits?: DigestLimits;
  /**
   * Keep the search index up with papers any process stores (several instances on PostgreSQL: within seconds, by
   * LISTEN/NOTIFY; SQLite: a periodic check). For long-running processes (the bot); default false.
   */
  watchPapers?: boolean;
}

export interface Paperboy {
  store: Store;
  papers: PaperStore;
  importer: Importer;
  index: IndexManager;
  services: Services;
  dispatcher: Dispatcher;
  /** Subscriptions, the alert outbox and source state (see src/core/alerts/). */
  alerts: AlertStore;
  /** The built-in corpus import on first start, if it ran. */
  seeded?: ImportSummary;
  close(): Promise<void>;
}

/** The store the options name: PostgreSQL when a URL is given, else the SQLite file. */
export function storeLocation(
  options: Pick<PaperboyOptions, 'dbPath' | 'databaseUrl' | 'postgresTimeouts'>,
): StoreLocation {
  if (!options.databaseUrl) return { engine: 'sqlite', path: options.dbPath };
  // The timeouts travel with the location: the index worker's own connection starts with them too.
  return {
    engine: 'postgres',
    url: options.databaseUrl,
    ...(options.postgresTimeouts ? { timeouts: options.postgresTimeouts } : {}),
  };
}

/**
 * `data/paperboy.db` → `data/index/paperboy.db.index` (binary); in-memory databases keep no index file. A PostgreSQL
 * database's index is kept in the same folder, named after its corpus id (each instance keeps its own copy).
 */
export function indexFileFor(dbPath: string, indexDir?: string, postgres?: { corpusId: string }): string | undefined {
  const dir = indexDir ?? join(dirname(dbPath), 'index');
  if (postgres) return join(dir, `postgres-${postgres.corpusId}.index`);
  if (dbPath === ':memory:') return undefined;
  return join(dir, `${basename(dbPath)}.index`);
}

/** Early versions named the binary index `….index.json`; its files are superseded and only take disk space. */
function removeLegacyIndex(indexFile: string | undefined): void {
  if (!indexFile) return;
  const legacy = `${basename(indexFile)}.json`;
  let names: string[];
  try {
    names = readdirSync(dirname(indexFile));
  } catch {
    return;
  }
  for (const name of names) {
    if (name === legacy || name.startsWith(`${legacy}.`)) rmSync(join(dirname(indexFile), name), { force: true });
  }
}

/** Opens the store (a `StoreError` when it cannot be), loads the built-in papers once, opens the search index. */
export async function openPaperboy(options: PaperboyOptions): Promise<Paperboy> {
  const location = storeLocation(options);
  const store = await openStore(location, { logger: options.logger });
  try {
    return await assemble(store, location, options);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}

/**
 * How many of the built-in papers this database holds: their title-derived ids are looked up, so a built-in paper
 * merged with another record of it (and since found under that record's id) still counts.
 */
export async function builtinPaperCount(papers: Pick<PaperStore, 'getMany'>): Promise<number> {
  const ids = parseTextPage(readFileSync(BUILTIN_CORPUS, 'utf8')).papers.flatMap(({ input }) => {
    const normalized = normalizePaper(input, 'builtin');
    return normalized.ok ? [normalized.paper.id] : [];
  });
  const found = await papers.getMany(ids);
  return new Set([...found.values()].map((paper) => paper.id)).size;
}

async function assemble(store: Store, location: StoreLocation, options: PaperboyOptions): Promise<Paperboy> {
  const { papers, alerts } = store;
  const importer = new Importer(store);
  let seeded: ImportSummary | undefined;
  const builtin = options.builtinCorpus ?? true;
  const fresh = builtin === true && !(await store.meta.get('builtin_corpus')) && (await papers.count()) === 0;
  if (builtin === 'always' || fresh) {
    seeded = await importer.importPath(BUILTIN_CORPUS, { source: 'builtin' });
    await store.meta.set('builtin_corpus', new Date().toISOString());
  }
  // A random id stored in the database at creation: ties a persisted index to this database.
  const corpusId = await store.meta.setIfAbsent('corpus_id', randomUUID());
  const postgres = location.engine === 'postgres';
  const indexFile = indexFileFor(options.dbPath, options.indexDir, postgres ? { corpusId } : undefined);
  removeLegacyIndex(indexFile);
  const inMemory = location.engine === 'sqlite' && location.path === ':memory:';
  const index = new IndexManager({
    papers,
    workerStore: (options.useWorker ?? true) && !inMemory ? location : undefined,
    indexFile,
    corpusId,
    logger: options.logger,
  });
  await index.open();
  const search = new PaperSearch({ snapshot: () => index.snapshot, papers });
  const feedback = new FeedbackService({ store: store.feedback, papers });
  const services: Services = {
    papers,
    search,
    summarize,
    stash: new ButtonStash(store.stash, options.logger),
    alerts: createAlertsService(alerts, { ...options.alerts, metrics: options.metrics }),
    library: new LibraryService({ store: store.library, papers, snapshot: () => index.snapshot, feedback }),
    feedback,
    trending: new TrendingService({
      signals: store.signals,
      papers,
      snapshot: () => (index.ready ? index.snapshot : undefined),
    }),
    pollHealth: new SourceHealthLog(alerts),
    quietNotes: store.notices,
    ...summaryServices(options, { store, importer, refreshIndex: () => index.refresh(), logger: options.logger }),
    ...(options.digestLimits ? { digestLimits: options.digestLimits } : {}),
  };
  const fairUse = options.fairUse
    ? await FairUse.open({
        limits: options.fairUse,
        // Several instances on one PostgreSQL database share each budget.
        pool: store.engine === 'postgres' ? (store as PostgresStore).pool : undefined,
        logger: options.logger,
        metrics: options.metrics,
      })
    : undefined;
  const dispatcher = new Dispatcher({
    commands,
    services,
    logger: options.logger,
    random: options.random,
    metrics: options.metrics,
    channels: new ChannelAdoption(store.workspaces, options.logger),
    fairUse,
  });
  const watch = options.watchPapers
    ? store.watchPapers(
        () =>
          void index.refresh().catch((error: unknown) =>
            options.logger.warn('search index: catching up with new papers failed; will try again', {
              error: describeError(error),
            }),
          ),
      )
    : undefined;
  const close = async () => {
    await watch?.close();
    await store.close();
  };
  return { store, papers, importer, index, services, dispatcher, alerts, seeded, close };
}
