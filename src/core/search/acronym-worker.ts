/**
 * Worker thread of a full index build (see acronym-learner.ts): learns the acronym table from the pages of definition
 * texts it is sent, and answers with the table as the index file stores it once told there are no more.
 */
import { parentPort } from 'node:worker_threads';
import type { LearnerMessage } from './acronym-learner.ts';
import { persistedAcronymsJSON } from './acronym-snapshot.ts';
import { AcronymTable } from './acronyms.ts';

const table = new AcronymTable();
parentPort!.on('message', (message: LearnerMessage) => {
  if (message === null) {
    parentPort!.postMessage(persistedAcronymsJSON(table));
    return;
  }
  for (const text of message) table.addDocument(text);
});
