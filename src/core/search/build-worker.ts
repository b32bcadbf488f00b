/**
 * Worker thread: reads papers from the database and indexes them into one compact segment off the main thread,
 * so the bot keeps answering. Full build: every paper, plus the acronym table learned from them. Append: only the
 * papers changed since `sinceSeq`, plus their acronym pairs. The version and paper count are read in the same
 * read transaction as the papers, so the segment is exactly that version of the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { normalizeTitle } from '../papers/ids.ts';
import { AcronymTable } from './acronyms.ts';
import { keptAcronymsJSON } from './compact/acronym-snapshot.ts';
import { buildSegment, type SegmentDoc } from './compact/segment.ts';
import { nameMeta } from './title-name.ts';

export interface BuildRequest {
  dbPath: string;
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

interface Row {
  id: string;
  title: string;
  abstract: string;
  authors: string;
  categories: string;
  published: string | null;
}

function build(request: BuildRequest): BuildResponse {
  const db = new Database(request.dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => {
      const version = db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM papers').get()?.s ?? 0;
      const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM papers').get()?.n ?? 0;
      const columns = 'id, title, abstract, authors, categories, published';
      const rows =
        request.sinceSeq === undefined
          ? db.prepare<[], Row>(`SELECT ${columns} FROM papers ORDER BY seq`).iterate()
          : db
              .prepare<[number], Row>(`SELECT ${columns} FROM papers WHERE seq > ? ORDER BY seq`)
              .iterate(request.sinceSeq);
      const acronyms = new AcronymTable();
      const refs: string[] = [];
      function* docs(): Generator<SegmentDoc> {
        for (const row of rows) {
          refs.push(row.id);
          acronyms.addDocument(`${row.title}. ${row.abstract}`);
          yield {
            id: row.id,
            title: row.title,
            abstract: row.abstract,
            authors: (JSON.parse(row.authors) as string[]).join(', '),
            meta: {
              ...(row.published ? { published: row.published } : {}),
              categories: JSON.parse(row.categories) as string[],
              titleNorm: normalizeTitle(row.title),
              ...nameMeta(row.title),
            },
          };
        }
      }
      const segment = buildSegment(docs());
      return { ok: true, segment, refs, acronyms: keptAcronymsJSON(acronyms), version, count };
    })();
  } finally {
    db.close();
  }
}

try {
  const response = build(workerData as BuildRequest);
  parentPort!.postMessage(response, [response.segment!.buffer as ArrayBuffer]);
} catch (error) {
  parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
