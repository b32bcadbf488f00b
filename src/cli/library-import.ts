/**
 * `paperboy library import --channel PLATFORM:WORKSPACE:CHANNEL FILE` (`console:CHANNEL`): a BibTeX / CSL-JSON /
 * Zotero CSV / id list into a library.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type ChannelKey, channelKey } from '../core/channel-key.ts';
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

export interface LibraryCliOutput {
  out(line: string): void;
  err(line: string): void;
}

const PLATFORMS = ['slack', 'discord', 'console'];
const USAGE = 'usage: paperboy library import --channel PLATFORM:WORKSPACE:CHANNEL FILE (console:CHANNEL)';

/**
 * `slack:T0123:C0123`, `discord:<server id>:<channel id>`, `console:CHANNEL`: whose library. A library belongs to
 * the channel as one workspace sees it, so Slack and Discord name the workspace (team id, server id).
 */
export function parseChannelOption(value: string | undefined): ChannelKey | { error: string } {
  const [platform = '', ...rest] = (value ?? '').split(':');
  if (!PLATFORMS.includes(platform) || rest.some((part) => !/^\S+$/.test(part)))
    return { error: `--channel must be PLATFORM:WORKSPACE:CHANNEL, PLATFORM one of ${PLATFORMS.join(', ')}` };
  if (platform === 'console') {
    if (rest.length !== 1) return { error: '--channel for the console is console:CHANNEL' };
    return channelKey({ platform, channelId: rest[0]! });
  }
  if (rest.length !== 2)
    return {
      error:
        `--channel for ${platform} names the workspace too: ${platform}:WORKSPACE:CHANNEL ` +
        `(${platform === 'slack' ? 'the team id, e.g. slack:T0123ABCD:C0123ABCD' : 'the server id, then the channel id'})`,
    };
  return { platform, workspaceId: rest[0]!, channelId: rest[1]! };
}

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
  const target = parseChannelOption(options.channel);
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
