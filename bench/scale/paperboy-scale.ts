/**
 * paperboy as a scale-bench engine, through the bot's own public pieces: openPaperboy (SQLite store, persisted
 * index, worker build), the importer, IndexManager.refresh and the SearchService the commands use.
 */
import { dirname, join } from 'node:path';
import type { Logger } from '../../src/core/logger.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import { indexFileFor, openPaperboy, type Paperboy } from '../../src/paperboy.ts';
import type { CorpusPaper } from './corpus.ts';
import { bytesOnDisk } from './measure.ts';
import { matchAlertsPaperboy } from './paperboy-alerts.ts';
import type { ColdEngine, ScaleEngine, ScaleEngineOptions } from './scale-engine.ts';

const DB_FILE = 'paperboy.db';

/** Warnings and errors go to stderr; info messages are kept so the bench can tell a load from a rebuild. */
export function benchLogger(): Logger & { messages: string[] } {
  const messages: string[] = [];
  const write = (level: string, message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`[paperboy ${level}] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return {
    messages,
    info: (message) => messages.push(message),
    debug: () => {},
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** The index folder of a paperboy database (the persisted index and anything the engine keeps beside it). */
function indexDir(dbPath: string): string {
  return dirname(indexFileFor(dbPath)!);
}

export function toPaperInput(paper: CorpusPaper): PaperInput {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    categories: paper.categories,
    published: paper.published,
  };
}

export class PaperboyScale implements ScaleEngine {
  readonly name = 'paperboy';
  private pb: Paperboy | undefined;
  private readonly dbPath: string;
  private imported = 0;

  constructor(private readonly options: ScaleEngineOptions) {
    this.dbPath = join(options.dir, DB_FILE);
  }

  get paperboy(): Paperboy {
    if (!this.pb) throw new Error('paperboy not opened');
    return this.pb;
  }

  async open(): Promise<void> {
    this.pb = await openPaperboy({ dbPath: this.dbPath, logger: benchLogger(), builtinCorpus: false });
  }

  async importCorpus(): Promise<void> {
    const summary = await this.paperboy.importer.importPath(this.options.initialFile);
    this.imported = summary.added + summary.updated;
    if (summary.skipped) process.stderr.write(`[paperboy] import skipped ${summary.skipped} records\n`);
  }

  async buildIndex(): Promise<void> {
    await this.paperboy.index.refresh();
  }

  indexBytes(): number {
    return bytesOnDisk(indexDir(this.dbPath));
  }

  extras() {
    return {
      importedPapers: this.imported,
      databaseMB: (bytesOnDisk(this.dbPath) + bytesOnDisk(`${this.dbPath}-wal`)) / (1024 * 1024),
    };
  }

  async search(query: string, k: number): Promise<string[]> {
    return (await this.paperboy.services.search.search(query, { limit: k })).hits.map((hit) => hit.paper.id);
  }

  async ingest(batch: CorpusPaper[]): Promise<void> {
    await this.paperboy.importer.importInputsGently(batch.map(toPaperInput), 'bench');
    await this.paperboy.index.refresh();
  }

  matchAlerts(subscriptions: readonly string[], batch: CorpusPaper[]): number {
    return matchAlertsPaperboy(subscriptions, batch, this.paperboy.index.snapshot);
  }

  close(): void {
    void this.pb?.close();
    this.pb = undefined;
  }
}

export class PaperboyCold implements ColdEngine {
  private pb: Paperboy | undefined;
  private readonly logger = benchLogger();
  constructor(private readonly dir: string) {}
  async open(): Promise<void> {
    this.pb = await openPaperboy({ dbPath: join(this.dir, DB_FILE), logger: this.logger, builtinCorpus: false });
  }
  async search(query: string, k: number): Promise<string[]> {
    return (await this.pb!.services.search.search(query, { limit: k })).hits.map((hit) => hit.paper.id);
  }
  /** IndexManager logs "search index built" whenever it builds instead of loading the persisted index. */
  rebuilt(): boolean {
    return this.logger.messages.some((message) => /index built/i.test(message));
  }
  close(): void {
    void this.pb?.close();
  }
}
