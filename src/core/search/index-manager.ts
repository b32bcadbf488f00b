/**
 * Keeps the current search snapshot: loads the persisted index when it belongs to this database, appends a
 * segment for papers added since (a daily batch is searchable in about a second), or rebuilds everything in
 * a worker thread when papers changed or were replaced; the old snapshot answers until the new one swaps in.
 * Nothing here may stall the event loop while the bot answers: a daily batch is indexed on the main thread in
 * slices of a few milliseconds (booting a worker, with tsx compiling its TypeScript, costs seconds of CPU on a
 * two-core machine and slows every query meanwhile), the new index does its first-query work (id maps, length
 * norms, frequent terms' weights) before it is swapped in, and an append persists only the new segment.
 */

import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import { describeError } from '../logger.ts';
import { normalizeTitle } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import { AcronymTable } from './acronyms.ts';
import type { BuildResponse } from './build-worker.ts';
import { keptAcronymsJSON } from './compact/acronym-snapshot.ts';
import { CompactIndex } from './compact/compact-index.ts';
import { INDEX_FORMAT, IndexFile } from './compact/index-file.ts';
import { buildSegment, Segment, SegmentBuilder, type SegmentDoc } from './compact/segment.ts';
import { type IndexDoc, PaperIndex, SCORING } from './lunr-index.ts';
import { relatedIndex } from './related.ts';
import { type CorpusSnapshot, indexMeta } from './snapshot.ts';
import { nameMeta } from './title-name.ts';

/** More segments than this and the next change rebuilds everything into one. */
const MAX_SEGMENTS = 12;
/** Appends of at most this many changes are indexed on the main thread in slices; larger ones in a worker. */
const IN_PROCESS_APPEND_MAX = 20_000;
/** Main-thread work per event-loop turn while indexing an append or preparing a new index. */
const SLICE_MS = 4;

/** Runs a generator's steps, yielding to the event loop whenever a slice of `SLICE_MS` is used up. */
async function runInSlices<T>(steps: Generator<unknown, T, void>): Promise<T> {
  let deadline = performance.now() + SLICE_MS;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= deadline) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      deadline = performance.now() + SLICE_MS;
    }
  }
}

/** The new index and its related-papers view (see related.ts) do their first-query work before the swap. */
function* prepareViews(next: CompactIndex, previous: CompactIndex | undefined): Generator<void, void, void> {
  yield* next.prepare(previous);
  yield* relatedIndex(next).prepare(previous && relatedIndex(previous));
}

export interface CorpusReader {
  version(): number;
  iterate(): IterableIterator<Paper>;
  /** Papers changed since a version (enables appends without a worker). */
  changedSince?(seq: number): { paper: Paper; seq: number }[];
  count?(): number;
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

function toSegmentDoc(paper: Paper): SegmentDoc {
  return {
    ...toIndexDoc(paper),
    meta: {
      ...(paper.published ? { published: paper.published } : {}),
      categories: paper.categories,
      titleNorm: normalizeTitle(paper.title),
      ...nameMeta(paper.title),
    },
  };
}

interface Built {
  segment: Uint8Array;
  refs: string[];
  acronyms: unknown;
  version: number;
  count: number;
}

export class IndexManager {
  private current: CorpusSnapshot | undefined;
  private building: Promise<CorpusSnapshot> | undefined;
  private persisting: Promise<void> = Promise.resolve();
  private readonly indexFile: IndexFile | undefined;
  /** The JSON each acronym table was made from, so saving the index does not serialize it again. */
  private readonly acronymJson = new WeakMap<AcronymTable, unknown>();

  constructor(private readonly options: IndexManagerOptions) {
    this.indexFile = options.indexFile ? new IndexFile(options.indexFile) : undefined;
  }

  get snapshot(): CorpusSnapshot {
    if (!this.current) throw new Error('search index not opened');
    return this.current;
  }

  get ready(): boolean {
    return this.current !== undefined;
  }

  /** Loads the persisted index when it belongs to this corpus (catching up on newer papers), else builds one. */
  async open(): Promise<CorpusSnapshot> {
    const version = this.options.papers.version();
    const loaded = this.loadPersisted(version);
    if (loaded) {
      this.current = loaded;
      return loaded.version === version ? loaded : this.refresh();
    }
    return this.rebuild();
  }

  /** Catches up when the corpus changed since the current snapshot (appending new papers when it can). */
  async refresh(): Promise<CorpusSnapshot> {
    if (this.current && this.current.version === this.options.papers.version()) return this.current;
    return this.run(false);
  }

  /** Rebuilds everything into one segment (e.g. `paperboy reindex`). */
  rebuild(): Promise<CorpusSnapshot> {
    return this.run(true);
  }

  /** One update at a time; callers during one share it, and a change during it triggers one more. */
  private run(full: boolean): Promise<CorpusSnapshot> {
    if (this.building) return this.building.then(() => (full ? this.run(true) : this.refresh()));
    this.building = (full ? this.buildAll() : this.update())
      .then(async (snapshot) => {
        this.current = snapshot;
        await this.persist(snapshot);
        return snapshot;
      })
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  /** Appends the new papers as a segment when that is exact (only additions), else builds everything. */
  private async update(): Promise<CorpusSnapshot> {
    const current = this.current;
    // A batch as large as the index itself (the first import of a corpus) is built in full, so its acronyms are
    // learned now rather than at some later rebuild; daily batches are appended.
    const pending = current ? this.options.papers.version() - current.version : Infinity;
    if (current && current.index.compact.segments.length < MAX_SEGMENTS && pending < current.index.size) {
      const started = performance.now();
      const appended = await this.buildAppend(current.version);
      const index = current.index.compact;
      // Papers are never deleted, so only additions happened exactly when the count grew by the changed papers.
      const additionsOnly =
        index.size + appended.refs.length === appended.count && new Set(appended.refs).size === appended.refs.length;
      if (additionsOnly) {
        // The acronym table stays the one learned at the last full build (relearning it would stall the event
        // loop); the next full build learns the new papers' acronyms too.
        const compact = index.withSegment(new Segment(appended.segment));
        await runInSlices(prepareViews(compact, index));
        const next = new PaperIndex(compact);
        this.options.logger.info('search index updated', {
          added: appended.refs.length,
          papers: next.size,
          seconds: ((performance.now() - started) / 1000).toFixed(2),
        });
        return { index: next, meta: indexMeta(next), acronyms: current.acronyms, version: appended.version };
      }
    }
    return this.buildAll();
  }

  /**
   * The papers changed since `sinceSeq` as one segment: small batches on the main thread in slices, large ones
   * (or stores that cannot list changes) in the worker.
   */
  private async buildAppend(sinceSeq: number): Promise<Built> {
    const papers = this.options.papers;
    if (!papers.changedSince || !papers.count || papers.version() - sinceSeq > IN_PROCESS_APPEND_MAX)
      return this.buildSegment(sinceSeq);
    // Count first: a paper stored by another process between the two reads makes the count too small for
    // "additions only", so the update falls back to a full build instead of missing it.
    const count = papers.count();
    const changed = papers.changedSince(sinceSeq);
    const version = changed.reduce((max, c) => Math.max(max, c.seq), sinceSeq);
    const refs = changed.map((c) => c.paper.id);
    const segment = await runInSlices(
      (function* () {
        const builder = new SegmentBuilder();
        for (const { paper } of changed) {
          builder.add(toSegmentDoc(paper));
          yield;
        }
        return yield* builder.finishInSteps();
      })(),
    );
    return { segment, refs, acronyms: null, version, count };
  }

  private async buildAll(): Promise<CorpusSnapshot> {
    const started = performance.now();
    const built = await this.buildSegment(undefined);
    const compact = new CompactIndex([new Segment(built.segment)], SCORING);
    await runInSlices(prepareViews(compact, this.current?.index.compact));
    const index = new PaperIndex(compact);
    const acronyms = AcronymTable.fromJSON(built.acronyms);
    this.acronymJson.set(acronyms, built.acronyms);
    this.options.logger.info('search index built', {
      papers: index.size,
      acronyms: acronyms.size,
      seconds: ((performance.now() - started) / 1000).toFixed(2),
    });
    return { index, meta: indexMeta(index), acronyms, version: built.version };
  }

  private buildSegment(sinceSeq: number | undefined): Promise<Built> {
    const useWorker = (this.options.useWorker ?? true) && this.options.dbPath !== ':memory:';
    if (useWorker) return this.buildInWorker(sinceSeq);
    const papers = this.options.papers;
    const version = papers.version();
    let list: Paper[];
    if (sinceSeq !== undefined && papers.changedSince) list = papers.changedSince(sinceSeq).map((c) => c.paper);
    else {
      list = [...papers.iterate()];
      sinceSeq = undefined;
    }
    const acronyms = new AcronymTable();
    for (const paper of list) acronyms.addDocument(`${paper.title}. ${paper.abstract}`);
    const count = sinceSeq === undefined ? list.length : (papers.count?.() ?? -1);
    return Promise.resolve({
      segment: buildSegment(list.map(toSegmentDoc)),
      refs: list.map((p) => p.id),
      acronyms: keptAcronymsJSON(acronyms),
      version,
      count,
    });
  }

  private buildInWorker(sinceSeq: number | undefined): Promise<Built> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./ts-worker-boot.mjs', import.meta.url), {
        workerData: {
          entry: new URL('./build-worker.ts', import.meta.url).href,
          dbPath: this.options.dbPath,
          sinceSeq,
        },
      });
      worker.once('message', (message: BuildResponse) => {
        if (message.ok && message.segment) {
          resolve({
            segment: message.segment,
            refs: message.refs ?? [],
            acronyms: message.acronyms,
            version: message.version ?? 0,
            count: message.count ?? -1,
          });
        } else reject(new Error(message.error ?? 'index build failed'));
        void worker.terminate();
      });
      worker.once('error', reject);
      // A worker that dies without answering (killed, out of memory) must not leave the update hanging.
      worker.once('exit', (code) => reject(new Error(`index build worker exited with code ${code}`)));
    });
  }

  private loadPersisted(version: number): CorpusSnapshot | undefined {
    const file = this.indexFile;
    if (!file?.exists()) return undefined;
    try {
      const { manifest, segments } = file.read();
      if (
        manifest.format !== INDEX_FORMAT ||
        manifest.corpus !== this.options.corpusId ||
        manifest.version > version ||
        !segments.length
      )
        return undefined;
      const index = new PaperIndex(new CompactIndex(segments, SCORING));
      const acronyms = AcronymTable.fromJSON(manifest.acronyms);
      this.acronymJson.set(acronyms, manifest.acronyms);
      return { index, meta: indexMeta(index), acronyms, version: manifest.version };
    } catch (error) {
      // A corrupt file is not fatal: the database is the source of truth, so rebuild from it.
      this.options.logger.warn('persisted search index unreadable; rebuilding', { error: describeError(error) });
      return undefined;
    }
  }

  /** Saves the snapshot's index beside the database (only the new segments after an append); one save at a time. */
  private persist(snapshot: CorpusSnapshot): Promise<void> {
    const file = this.indexFile;
    if (!file) return Promise.resolve();
    this.persisting = this.persisting
      .then(() =>
        file.save(
          {
            corpus: this.options.corpusId,
            version: snapshot.version,
            acronyms: this.acronymJson.get(snapshot.acronyms) ?? snapshot.acronyms.toJSON(),
          },
          snapshot.index.compact.segments,
        ),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          this.options.logger.warn('could not save the search index', { error: describeError(error) });
        },
      );
    return this.persisting;
  }
}
