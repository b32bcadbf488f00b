/**
 * Keeps the current search snapshot: loads the persisted index when it belongs to this database, appends a
 * segment for papers added since (a daily batch is searchable in about a second), or rebuilds everything in
 * a child process when papers changed or were replaced (it writes the new index file, which this process adopts and
 * reads on demand: the build's peak memory is never this process's); the old snapshot answers until the new one
 * swaps in.
 * Nothing here may stall the event loop while the bot answers: a daily batch is indexed on the main thread in
 * slices of a few milliseconds (booting a worker, with tsx compiling its TypeScript, costs seconds of CPU on a
 * two-core machine and slows every query meanwhile), the new index does its first-query work (length norms, query
 * scratch) before it is swapped in, and an append persists only the new segment.
 */

import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../logger.ts';
import { describeError } from '../logger.ts';
import type { PaperStore, StoreLocation } from '../store/store.ts';
import { startTypeScriptProcess, startTypeScriptWorker } from '../typescript-worker.ts';
import { learnHere } from './acronym-learner.ts';
import { AcronymTable } from './acronyms.ts';
import type { FullBuildRequest, FullBuildResponse } from './build-process.ts';
import type { BuildRequest, BuildResponse } from './build-worker.ts';
import { INDEX_FORMAT, IndexFile, readIndexFile, type StoredIndex } from './compact/index-file.ts';
import { Segment, SegmentBuilder } from './compact/segment.ts';
import { buildPaperSegmentFrom, toIndexDoc } from './paper-segment.ts';
import { relatedIndex } from './related.ts';
import { SearchIndex } from './search-index.ts';
import { type CorpusSnapshot, corpusSnapshot } from './snapshot.ts';

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
function* prepareViews(next: SearchIndex): Generator<void, void, void> {
  yield* next.prepare();
  yield* relatedIndex(next).prepare();
}

/** Runs a full build in a child process (build-process.ts); resolves once it has written `request.output`. */
function runBuildProcess(request: FullBuildRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = startTypeScriptProcess(new URL('./build-process.ts', import.meta.url));
    let answered = false;
    child.once('message', (message: FullBuildResponse) => {
      answered = true;
      if (message.ok) resolve();
      else reject(new Error(message.error));
    });
    child.once('error', reject);
    // A build process that dies without answering (killed, out of memory) must not leave the update hanging.
    child.once('exit', (code, signal) => {
      if (!answered) reject(new Error(`index build process exited with ${signal ?? `code ${code}`}`));
    });
    child.send(request);
  });
}

/** What the index reads of the store: the corpus, its version, and the changes since a version. */
export type CorpusReader = Pick<PaperStore, 'version' | 'count' | 'changedSince' | 'readCorpus'>;

export interface IndexManagerOptions {
  papers: CorpusReader;
  /** The store a build worker opens (its own connection); undefined builds in-process (in-memory databases). */
  workerStore?: StoreLocation;
  /** Where the persisted index lives; undefined keeps it in memory only. */
  indexFile?: string;
  /** Identifies the database, so an index file is never loaded for another database. */
  corpusId?: string;
  logger: Logger;
}

interface Built {
  segment: Uint8Array;
  refs: string[];
  acronyms: unknown;
  version: number;
  count: number;
}

/** A full build's index file, written by the build process beside the index file and not yet renamed into place. */
interface WrittenBuild {
  file: string;
  stored: StoredIndex;
}

export class IndexManager {
  private current: CorpusSnapshot | undefined;
  private building: Promise<CorpusSnapshot> | undefined;
  private persisting: Promise<void> = Promise.resolve();
  private readonly indexFile: IndexFile | undefined;
  /** The JSON each acronym table was made from, so saving the index does not serialize it again. */
  private readonly acronymJson = new WeakMap<AcronymTable, unknown>();
  /** Snapshots whose index file a build process has written already: saving them is adopting that file. */
  private readonly written = new WeakMap<CorpusSnapshot, WrittenBuild>();

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
    const version = await this.options.papers.version();
    const loaded = this.loadPersisted(version);
    if (loaded) {
      this.current = loaded;
      return loaded.version === version ? loaded : this.refresh();
    }
    return this.rebuild();
  }

  /** Catches up when the corpus changed since the current snapshot (appending new papers when it can). */
  async refresh(): Promise<CorpusSnapshot> {
    if (this.current && this.current.version === (await this.options.papers.version())) return this.current;
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
    const pending = current ? (await this.options.papers.version()) - current.version : Infinity;
    if (current && current.index.segments.length < MAX_SEGMENTS && pending < current.index.size) {
      const started = performance.now();
      const appended = await this.buildAppend(current.version);
      const index = current.index;
      // Papers are never deleted, so only additions happened exactly when the count grew by the changed papers.
      const additionsOnly =
        index.size + appended.refs.length === appended.count && new Set(appended.refs).size === appended.refs.length;
      if (additionsOnly) {
        // The acronym table stays the one learned at the last full build (relearning it would stall the event
        // loop); the next full build learns the new papers' acronyms too.
        const next = index.withSegment(new Segment(appended.segment));
        await runInSlices(prepareViews(next));
        this.options.logger.info('search index updated', {
          added: appended.refs.length,
          papers: next.size,
          seconds: ((performance.now() - started) / 1000).toFixed(2),
        });
        return corpusSnapshot(next, current.acronyms, appended.version);
      }
    }
    return this.buildAll();
  }

  /**
   * The papers changed since `sinceSeq` as one segment: small batches on the main thread in slices, large ones in
   * the worker.
   */
  private async buildAppend(sinceSeq: number): Promise<Built> {
    const papers = this.options.papers;
    if ((await papers.version()) - sinceSeq > IN_PROCESS_APPEND_MAX) return this.buildSegment(sinceSeq);
    // Count first: a paper stored by another process between the two reads makes the count too small for
    // "additions only", so the update falls back to a full build instead of missing it.
    const count = await papers.count();
    const changed = await papers.changedSince(sinceSeq);
    const version = changed.reduce((max, c) => Math.max(max, c.seq), sinceSeq);
    const refs = changed.map((c) => c.paper.id);
    const segment = await runInSlices(
      (function* () {
        const builder = new SegmentBuilder();
        for (const { paper } of changed) {
          builder.add(toIndexDoc(paper));
          yield;
        }
        return yield* builder.finishInSteps();
      })(),
    );
    return { segment, refs, acronyms: null, version, count };
  }

  private async buildAll(): Promise<CorpusSnapshot> {
    const started = performance.now();
    const store = this.options.workerStore;
    if (store && this.indexFile) return this.buildInProcess(store, this.indexFile, started);
    const built = await this.buildSegment(undefined);
    const index = SearchIndex.fromSegments([new Segment(built.segment)]);
    await runInSlices(prepareViews(index));
    const acronyms = AcronymTable.fromJSON(built.acronyms);
    this.acronymJson.set(acronyms, built.acronyms);
    this.options.logger.info('search index built', {
      papers: index.size,
      acronyms: acronyms.size,
      seconds: ((performance.now() - started) / 1000).toFixed(2),
    });
    return corpusSnapshot(index, acronyms, built.version);
  }

  /** A full build in a child process, which writes the index file; its segment is then read from that file. */
  private async buildInProcess(store: StoreLocation, file: IndexFile, started: number): Promise<CorpusSnapshot> {
    const output = `${file.file}.build-${randomUUID().slice(0, 8)}.tmp`;
    try {
      await mkdir(dirname(output), { recursive: true });
      await runBuildProcess({ store, corpus: this.options.corpusId, output });
      const stored = readIndexFile(output);
      const index = SearchIndex.fromSegments(stored.segments);
      await runInSlices(prepareViews(index));
      const acronyms = AcronymTable.fromJSON(stored.manifest.acronyms);
      this.acronymJson.set(acronyms, stored.manifest.acronyms);
      this.options.logger.info('search index built', {
        papers: index.size,
        acronyms: acronyms.size,
        seconds: ((performance.now() - started) / 1000).toFixed(2),
      });
      const snapshot = corpusSnapshot(index, acronyms, stored.manifest.version);
      this.written.set(snapshot, { file: output, stored });
      return snapshot;
    } catch (error) {
      await rm(output, { force: true });
      throw error;
    }
  }

  private buildSegment(sinceSeq: number | undefined): Promise<Built> {
    const store = this.options.workerStore;
    if (store) return this.buildInWorker(store, sinceSeq);
    return this.options.papers.readCorpus(sinceSeq, async (corpus) => ({
      ...(await buildPaperSegmentFrom(corpus.pages, sinceSeq === undefined ? learnHere() : undefined)),
      version: corpus.version,
      count: corpus.count,
    }));
  }

  private buildInWorker(store: StoreLocation, sinceSeq: number | undefined): Promise<Built> {
    return new Promise((resolve, reject) => {
      const request: BuildRequest = { store, sinceSeq };
      const worker = startTypeScriptWorker(new URL('./build-worker.ts', import.meta.url), { ...request });
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
      const acronyms = AcronymTable.fromJSON(manifest.acronyms);
      this.acronymJson.set(acronyms, manifest.acronyms);
      return corpusSnapshot(SearchIndex.fromSegments(segments), acronyms, manifest.version);
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
    const written = this.written.get(snapshot);
    this.persisting = this.persisting
      .then(
        (): Promise<unknown> =>
          written
            ? file.adopt(written.file, written.stored)
            : file.save(
                {
                  corpus: this.options.corpusId,
                  version: snapshot.version,
                  acronyms: this.acronymJson.get(snapshot.acronyms) ?? snapshot.acronyms.toJSON(),
                },
                snapshot.index.segments,
              ),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          if (written) void rm(written.file, { force: true });
          this.options.logger.warn('could not save the search index', { error: describeError(error) });
        },
      );
    return this.persisting;
  }
}
