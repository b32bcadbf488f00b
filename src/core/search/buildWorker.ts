/** Worker thread: builds and serializes the Lunr index off the main thread, so the bot keeps answering. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { buildLunrIndex, type IndexDoc } from './lunrIndex.ts';
import { learnAcronyms } from './corpusAcronyms.ts';

export interface BuildRequest {
  dbPath?: string;
  docs?: IndexDoc[];
}

function* docsFromDb(path: string): Generator<IndexDoc> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[], { id: string; title: string; abstract: string; authors: string }>(
      'SELECT id, title, abstract, authors FROM papers ORDER BY seq').iterate();
    for (const row of rows) {
      yield { id: row.id, title: row.title, abstract: row.abstract, authors: (JSON.parse(row.authors) as string[]).join(', ') };
    }
  } finally {
    db.close();
  }
}

const request = workerData as BuildRequest;
try {
  const docs = request.docs ?? [...docsFromDb(request.dbPath!)];
  const index = buildLunrIndex(docs);
  const acronyms = learnAcronyms(docs);
  parentPort!.postMessage({ ok: true, json: JSON.stringify(index), acronyms: acronyms.toJSON() });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
