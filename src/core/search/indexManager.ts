/**
 * Keeps the current search snapshot: loads the persisted index when the corpus is unchanged, otherwise
 * rebuilds it in a worker thread while the old snapshot keeps answering, then swaps atomically.
 */
import { Worker } from 'node:worker_threads';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Paper } from '../papers/paper.ts';
import { normalizeTitle } from '../papers/ids.ts';
import { PaperIndex, buildLunrIndex, type IndexDoc } from './lunrIndex.ts';
import type { CorpusSnapshot, DocMeta } from './snapshot.ts';
import { AcronymTable } from './acronyms.ts';
import { learnAcronyms } from './corpusAcronyms.ts';
import type { Logger } from '../logger.ts';
import { describeError } from '../logger.ts';

const FORMAT = 2;

export interface CorpusReader {
  version(): number;
  iterate(): IterableIterator<Paper>;
}

export interface IndexManagerOptions {
  papers: CorpusReader;
  /** SQLite file the build worker reads; `:memory:` databases are built in-process. */
  dbPath: string;
  /** Where the persisted index lives; undefined keeps it in memory only. */
  indexFile?: string;
  /** Identifies the database, so an index file is never loaded for another database. */
  corpusId?: string;
  logger: Logger;
  /** Build in a worker thread (default true for file databases). */
  useWorker?: boolean;
}

export function toIndexDoc(paper: Paper): IndexDoc {
  return { id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors.join(', ') };
}

export class IndexManager {
  private current: CorpusSnapshot | undefined;
  private building: Promise<CorpusSnapshot> | undefined;

  constructor(private readonly options: IndexManagerOptions) {}

  get snapshot(): CorpusSnapshot {
    if (!this.current) throw new Error('search index not opened');
    return this.current;
  }

  get ready(): boolean {
    return this.current !== undefined;
  }

  /** Loads the persisted index when it matches the corpus, else builds one. */
  async open(): Promise<CorpusSnapshot> {
    const version = this.options.papers.version();
    const loaded = this.loadPersisted(version);
    if (loaded) {
      this.current = loaded;
      return loaded;
    }
    return this.rebuild();
  }

  /** Rebuilds when the corpus changed since the current snapshot; resolves to the snapshot in use. */
  async refresh(): Promise<CorpusSnapshot> {
    if (this.current && this.current.version === this.options.papers.version()) return this.current;
    return this.rebuild();
  }

  /** One rebuild at a time; callers during a build share it, and a change during it triggers one more. */
  rebuild(): Promise<CorpusSnapshot> {
    if (this.building) return this.building.then(() => this.refresh());
    const version = this.options.papers.version();
    this.building = this.build(version)
      .then((snapshot) => {
        this.current = snapshot;
        this.persist(snapshot);
        return snapshot;
      })
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  private async build(version: number): Promise<CorpusSnapshot> {
    const started = performance.now();
    const meta = this.readMeta();
    const useWorker = (this.options.useWorker ?? true) && this.options.dbPath !== ':memory:';
    let index: PaperIndex;
    let acronyms: AcronymTable;
    if (useWorker) {
      const built = await this.buildInWorker();
      index = PaperIndex.fromJSON(JSON.parse(built.json) as object);
      acronyms = AcronymTable.fromJSON(built.acronyms);
    } else {
      const docs = [...this.docs()];
      index = new PaperIndex(buildLunrIndex(docs));
      acronyms = learnAcronyms(docs);
    }
    this.options.logger.info('search index built', { papers: meta.size, acronyms: acronyms.size, seconds: ((performance.now() - started) / 1000).toFixed(2) });
    return { index, meta, acronyms, version };
  }

  private *docs(): Generator<IndexDoc> {
    for (const paper of this.options.papers.iterate()) yield toIndexDoc(paper);
  }

  private readMeta(): Map<string, DocMeta> {
    const meta = new Map<string, DocMeta>();
    for (const paper of this.options.papers.iterate()) {
      meta.set(paper.id, { published: paper.published, categories: paper.categories, titleNorm: normalizeTitle(paper.title) });
    }
    return meta;
  }

  private buildInWorker(): Promise<{ json: string; acronyms: unknown }> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./tsWorkerBoot.mjs', import.meta.url), {
        workerData: { entry: new URL('./buildWorker.ts', import.meta.url).href, dbPath: this.options.dbPath },
      });
      worker.once('message', (message: { ok: boolean; json?: string; acronyms?: unknown; error?: string }) => {
        if (message.ok && message.json) resolve({ json: message.json, acronyms: message.acronyms });
        else reject(new Error(message.error ?? 'index build failed'));
        void worker.terminate();
      });
      worker.once('error', reject);
    });
  }


  private loadPersisted(version: number): CorpusSnapshot | undefined {
    const file = this.options.indexFile;
    if (!file || !existsSync(file)) return undefined;
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { format: number; corpus?: string; version: number; index: object; acronyms?: unknown };
      if (stored.format !== FORMAT || stored.version !== version || stored.corpus !== this.options.corpusId) return undefined;
      return { index: PaperIndex.fromJSON(stored.index), meta: this.readMeta(), acronyms: AcronymTable.fromJSON(stored.acronyms), version };
    } catch (error) {
      // A corrupt file is not fatal: the database is the source of truth, so rebuild from it.
      this.options.logger.warn('persisted search index unreadable; rebuilding', { error: describeError(error) });
      return undefined;
    }
  }

  private persist(snapshot: CorpusSnapshot): void {
    const file = this.options.indexFile;
    if (!file) return;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({
        format: FORMAT,
        corpus: this.options.corpusId,
        version: snapshot.version,
        index: snapshot.index.toJSON(),
        acronyms: snapshot.acronyms.toJSON(),
      }));
      renameSync(tmp, file);
    } catch (error) {
      this.options.logger.warn('could not save the search index', { error: describeError(error) });
    }
  }
}
