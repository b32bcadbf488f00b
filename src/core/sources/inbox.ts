/**
 * A local inbox folder for custom feeds: drop `.jsonl` / `.json` (paper objects) or `.txt` (a papers page as text)
 * files in it and the next poll imports them. Files are left where they are (the folder may be read-only or
 * synced); which ones were imported is remembered by name + size + mtime in an injectable store, so a file that
 * changes is read again (the store de-duplicates its papers) and an unchanged one never is.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type ParsedPapers, parseJsonLines } from './jsonl.ts';
import { parseTextPage } from './text-page.ts';
import { excerpt, type PaperSource, type SourceBatch, type SourcePaper } from './types.ts';

export const INBOX_SOURCE = 'inbox';

/** What identifies one version of an inbox file. */
export interface InboxFileState {
  size: number;
  mtimeMs: number;
}

/** Remembers processed files by name. In memory by default; the store can persist it. */
export interface InboxStore {
  get(name: string): InboxFileState | undefined | Promise<InboxFileState | undefined>;
  set(name: string, state: InboxFileState): void | Promise<void>;
}

export function createMemoryInboxStore(): InboxStore & { entries: Map<string, InboxFileState> } {
  const entries = new Map<string, InboxFileState>();
  return { entries, get: (name) => entries.get(name), set: (name, state) => void entries.set(name, { ...state }) };
}

export interface InboxSourceConfig {
  dir: string;
  store?: InboxStore;
  /** A file modified less than this long ago may still be being written: it waits for the next round (default 2 s). */
  settleMs?: number;
  /** Larger files are skipped with a problem (default 50 MB). */
  maxFileBytes?: number;
  /** At most this many files per fetch; the rest wait for the next round (default 100). */
  maxFilesPerFetch?: number;
  now?: () => number;
  name?: string;
}

const PARSERS: Record<string, (text: string) => ParsedPapers> = {
  '.jsonl': parseJsonLines,
  '.json': parseJsonLines,
  '.txt': parseTextPage,
};

export function createInboxSource(config: InboxSourceConfig): PaperSource {
  const name = config.name ?? INBOX_SOURCE;
  const store = config.store ?? createMemoryInboxStore();
  const settleMs = config.settleMs ?? 2_000;
  const maxFileBytes = config.maxFileBytes ?? 50 * 1024 * 1024;
  const maxFiles = config.maxFilesPerFetch ?? 100;
  const now = config.now ?? Date.now;

  async function fetch(): Promise<SourceBatch> {
    const papers: SourcePaper[] = [];
    const problems: string[] = [];
    const processed: [string, InboxFileState][] = [];
    let entries: Dirent[];
    try {
      entries = await readdir(config.dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      problems.push(`inbox folder cannot be read (${code})`);
      return { source: name, papers, problems, notModified: true, commit: async () => {} };
    }
    const candidates = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && extname(entry.name).toLowerCase() in PARSERS)
      .map((entry) => entry.name)
      .sort();
    for (const file of candidates) {
      if (processed.length >= maxFiles) break;
      const path = join(config.dir, file);
      let info: Stats;
      try {
        info = await stat(path);
      } catch {
        continue; // removed since the listing
      }
      const state: InboxFileState = { size: info.size, mtimeMs: Math.floor(info.mtimeMs) };
      const known = await store.get(file);
      if (known && known.size === state.size && known.mtimeMs === state.mtimeMs) continue;
      if (now() - state.mtimeMs < settleMs) continue;
      processed.push([file, state]);
      if (state.size > maxFileBytes) {
        problems.push(`${file}: larger than ${maxFileBytes} bytes, skipped`);
        continue;
      }
      let text: string;
      try {
        text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
      } catch (error) {
        processed.pop();
        problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        continue;
      }
      const parsed = PARSERS[extname(file).toLowerCase()]!(text);
      for (const { input } of parsed.papers) papers.push({ ...input, source: name });
      for (const problem of parsed.problems) problems.push(`${file}:${problem.line}: ${excerpt(problem.reason, 200)}`);
      if (parsed.papers.length === 0 && parsed.problems.length === 0) problems.push(`${file}: no papers found`);
    }
    return {
      source: name,
      papers,
      problems,
      notModified: processed.length === 0,
      commit: async () => {
        for (const [file, state] of processed) await store.set(file, state);
      },
    };
  }

  return { name, fetch: () => fetch() };
}
