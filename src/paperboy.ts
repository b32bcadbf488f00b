/**
 * Wires the core together (store → importer → index → search → commands) for the bot, the CLI and tests.
 * Takes explicit options; reading the environment is the composition root's job (src/main.ts).
 */

import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../commands/index.ts';
import { createAlertsService } from './core/alerts/service.ts';
import { Dispatcher } from './core/dispatcher.ts';
import { Importer, type ImportSummary } from './core/importing/importer.ts';
import type { Logger } from './core/logger.ts';
import { IndexManager } from './core/search/index-manager.ts';
import { PaperSearch } from './core/search/paper-search.ts';
import type { Services } from './core/services.ts';
import { AlertsRepository } from './core/store/alerts-repository.ts';
import { type Db, openDatabase } from './core/store/database.ts';
import { PaperRepository } from './core/store/paper-repository.ts';
import { SqliteStash } from './core/store/stash.ts';
import { summarize } from './core/summarize/summarize.ts';
import { type SummaryServiceOptions, summaryServices } from './summary-services.ts';

export const BUILTIN_CORPUS = fileURLToPath(new URL('../data/builtin-papers.txt', import.meta.url));

export interface PaperboyOptions extends SummaryServiceOptions {
  dbPath: string;
  /** Folder for the persisted search index (default: beside the database). */
  indexDir?: string;
  logger: Logger;
  /** Load the 71 built-in papers on first start (default true). */
  builtinCorpus?: boolean;
  random?: () => number;
  useWorker?: boolean;
  /** Defaults for daily digest subscriptions (DIGEST_TIME, TZ). */
  alerts?: { digestTime?: string; timeZone?: string };
}

export interface Paperboy {
  db: Db;
  papers: PaperRepository;
  importer: Importer;
  index: IndexManager;
  services: Services;
  dispatcher: Dispatcher;
  /** Subscriptions, the alert outbox and source state (see src/core/alerts/). */
  alerts: AlertsRepository;
  /** The built-in corpus import on first start, if it ran. */
  seeded?: ImportSummary;
  close(): void;
}

/** `data/paperboy.db` → `data/index/paperboy.db.index` (binary); in-memory databases keep no index file. */
export function indexFileFor(dbPath: string, indexDir?: string): string | undefined {
  if (dbPath === ':memory:') return undefined;
  return join(indexDir ?? join(dirname(dbPath), 'index'), `${basename(dbPath)}.index`);
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

/** A random id stored in the database at creation: ties the persisted index to this database. */
function corpusId(db: Db): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'corpus_id'").get();
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO meta (key, value) VALUES ('corpus_id', ?)").run(id);
  return id;
}

export async function openPaperboy(options: PaperboyOptions): Promise<Paperboy> {
  const db = openDatabase(options.dbPath);
  const papers = new PaperRepository(db);
  const importer = new Importer(papers, { dbPath: options.dbPath });
  let seeded: ImportSummary | undefined;
  if ((options.builtinCorpus ?? true) && !db.prepare("SELECT 1 FROM meta WHERE key = 'builtin_corpus'").get()) {
    seeded = await importer.importPath(BUILTIN_CORPUS, { source: 'builtin' });
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('builtin_corpus', ?)").run(new Date().toISOString());
  }
  const indexFile = indexFileFor(options.dbPath, options.indexDir);
  removeLegacyIndex(indexFile);
  const index = new IndexManager({
    papers,
    dbPath: options.dbPath,
    indexFile,
    corpusId: corpusId(db),
    logger: options.logger,
    useWorker: options.useWorker,
  });
  await index.open();
  const search = new PaperSearch({ snapshot: () => index.snapshot, papers });
  const alerts = new AlertsRepository(db);
  const services: Services = {
    papers,
    search,
    summarize,
    stash: new SqliteStash(db),
    alerts: createAlertsService(alerts, options.alerts),
    ...summaryServices(options, { db, importer, papers, refreshIndex: () => index.refresh(), logger: options.logger }),
  };
  const dispatcher = new Dispatcher({ commands, services, logger: options.logger, random: options.random });
  return { db, papers, importer, index, services, dispatcher, alerts, seeded, close: () => db.close() };
}
