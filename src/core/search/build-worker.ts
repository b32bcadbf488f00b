/**
 * Worker thread: reads papers from the store on its own connection and indexes them into one compact segment off the
 * main thread, so the bot keeps answering. Full build: every paper, plus the acronym table learned from them (in a
 * worker of its own, alongside). Append: only the papers changed since `sinceSeq` (the index keeps its acronym table).
 * The version and paper count come from the same consistent view as the papers (`PaperStore.readCorpus`), so the
 * segment is exactly that version of the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open.ts';
import type { StoreLocation } from '../store/store.ts';
import { learnInWorker } from './acronym-learner.ts';
import { buildPaperSegmentFrom } from './paper-segment.ts';

export interface BuildRequest {
  store: StoreLocation;
  /** Index only papers with a change sequence above this (an append); undefined: every paper. */
  sinceSeq?: number;
}

export interface BuildResponse {
  ok: boolean;
  segment?: Uint8Array;
  refs?: string[];
  acronyms?: unknown;
  version?: number;
  count?: number;
  error?: string;
}

async function build(request: BuildRequest): Promise<BuildResponse> {
  const store = await openStore(request.store, { readOnly: true, poolSize: 1 });
  try {
    return await store.papers.readCorpus(request.sinceSeq, async (corpus) => ({
      ok: true,
      ...(await buildPaperSegmentFrom(corpus.pages, request.sinceSeq === undefined ? learnInWorker() : undefined)),
      version: corpus.version,
      count: corpus.count,
    }));
  } finally {
    await store.close();
  }
}

try {
  const response = await build(workerData as BuildRequest);
  parentPort!.postMessage(response, [response.segment!.buffer as ArrayBuffer]);
} catch (error) {
  parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
