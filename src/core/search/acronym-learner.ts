/**
 * Who learns a full build's acronym table while the segment is indexed: the same thread (in-memory databases, tests),
 * or a worker thread of its own, so on a machine of two cores the build's two big jobs (indexing the words, finding
 * the definitions) run side by side. Either way the table sees the papers in the same order, so it is the same table.
 */
import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../typescript-worker.ts';
import { persistedAcronymsJSON } from './acronym-snapshot.ts';
import { AcronymTable, type AcronymViewJSON } from './acronyms.ts';

export interface AcronymLearner {
  /** Learns from these papers' titles and abstracts (called page by page, in corpus order). */
  add(papers: readonly { title: string; abstract: string }[]): void;
  /** The learned table as the index file stores it. */
  finish(): Promise<AcronymViewJSON>;
}

/** The text a paper defines acronyms in (what AcronymTable#addPaper reads). */
export function definitionText(paper: { title: string; abstract: string }): string {
  return `${paper.title}. ${paper.abstract}`;
}

export function learnHere(): AcronymLearner {
  const table = new AcronymTable();
  return {
    add: (papers) => {
      for (const paper of papers) table.addDocument(definitionText(paper));
    },
    finish: async () => persistedAcronymsJSON(table),
  };
}

/** Messages to the learning worker: a page of definition texts, or null when there are no more. */
export type LearnerMessage = string[] | null;

export function learnInWorker(): AcronymLearner {
  const worker: Worker = startTypeScriptWorker(new URL('./acronym-worker.ts', import.meta.url), {});
  const result = new Promise<AcronymViewJSON>((resolve, reject) => {
    worker.once('message', (json: AcronymViewJSON) => resolve(json));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`acronym worker exited with code ${code}`)));
  });
  // Settled by finish(); until then a failure is held, not thrown unhandled.
  result.catch(() => undefined);
  return {
    add: (papers) => worker.postMessage(papers.map(definitionText) satisfies LearnerMessage),
    finish: async () => {
      worker.postMessage(null satisfies LearnerMessage);
      try {
        return await result;
      } finally {
        void worker.terminate();
      }
    },
  };
}
