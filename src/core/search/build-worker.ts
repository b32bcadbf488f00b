/**
 * Worker thread: reads papers from the database and indexes them into one compact segment off the main thread,
 * so the bot keeps answering. Full build: every paper, plus the acronym table learned from them. Append: only the
 * papers changed since `sinceSeq`, plus their acronym pairs. The version and paper count are read in the same
 * read transaction as the papers, so the segment is exactly that version of the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { buildPaperSegment, type IndexablePaper } from './paper-segment.ts';

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
      function* papers(): Generator<IndexablePaper> {
        for (const row of rows) {
          yield {
            id: row.id,
            title: row.title,
            abstract: row.abstract,
            authors: JSON.parse(row.authors) as string[],
            categories: JSON.parse(row.categories) as string[],
            ...(row.published ? { published: row.published } : {}),
          };
        }
      }
      return { ok: true, ...buildPaperSegment(papers()), version, count };
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
