/**
 * `paperboy library import --channel PLATFORM:WORKSPACE:CHANNEL FILE` (`console:CHANNEL`): a BibTeX / CSL-JSON /
 * Zotero CSV / id list into a library.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { formatImportReport, importLibrary } from '../core/library/import/import-library.ts';
import {
  decodeLibraryFile,
  detectFormat,
  LibraryFileError,
  MAX_FILE_BYTES,
  parseLibraryFile,
} from '../core/library/import/library-file.ts';
import { createArxivApiClient } from '../core/sources/arxiv-api.ts';
import { createHttpClient } from '../core/sources/http.ts';
import type { Paperboy } from '../paperboy.ts';
import { CHANNEL_FLAG_USAGE, parseChannelFlag } from './channel-flag.ts';

export interface LibraryCliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage: paperboy library import --channel ${CHANNEL_FLAG_USAGE} FILE`;

export async function libraryCommand(
  pb: Paperboy,
  args: string[],
  options: { channel?: string; arxivApiUrl: string },
  io: LibraryCliOutput,
): Promise<number> {
  const [action, file, ...extra] = args;
  if (action !== 'import' || !file || extra.length) {
    io.err(USAGE);
    return 2;
  }
  const target = parseChannelFlag(options.channel);
  if ('error' in target) {
    io.err(`paperboy library import: ${target.error}`);
    return 2;
  }
  const name = basename(file);
  let entries: ReturnType<typeof parseLibraryFile>;
  try {
    // The size is checked before anything is read: a 50 MB file is refused, not loaded.
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) decodeLibraryFile(new Uint8Array(size), name);
    const text = decodeLibraryFile(readFileSync(file), name);
    io.out(`${name}: ${detectFormat(name, text)}`);
    entries = parseLibraryFile(text, name);
  } catch (error) {
    const message =
      error instanceof LibraryFileError
        ? error.message
        : `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    io.err(`paperboy library import: ${message}; nothing was imported`);
    return 1;
  }
  const arxiv = createArxivApiClient({ baseUrl: options.arxivApiUrl, http: createHttpClient() });
  try {
    const report = await importLibrary({
      store: pb.store,
      target,
      entries,
      lookupArxiv: (ids) => arxiv.lookup(ids),
      savedBy: { id: 'import', name: `import of ${name}` },
    });
    for (const line of formatImportReport(report, entries.length)) io.out(line);
    if (report.fetched) await pb.index.refresh();
    return 0;
  } catch (error) {
    io.err(`paperboy library import: ${(error as Error).message.split('\n')[0]}; nothing was imported`);
    return 1;
  }
}
