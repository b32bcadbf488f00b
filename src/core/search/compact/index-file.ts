/**
 * The persisted index. A base file — a small JSON manifest (format, build id, corpus id, store version,
 * acronyms) followed by the segments' buffers, 8-byte aligned so typed arrays are views into the bytes read —
 * written when the index is built in full. A loaded segment reads only its first part into memory and leaves its
 * postings in the file (segment.ts), and a segment just written leaves them there too (`attach`). Segments appended later (a daily batch) go to small files of their
 * own, listed in an append log tied to the base's build id, so an append writes about a megabyte instead of
 * rewriting the whole index (and leaving a hundred megabytes of dirty pages for the next fsync to flush).
 * Every file is written to a temporary name, synced off the event loop and renamed into place, so a crash
 * never leaves half an index: at worst the last append is missing and the store catches it up.
 */

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileSource } from './file-source.ts';
import { SEGMENT_LAYOUT, Segment } from './segment.ts';

const MAGIC = 0x58494250; // "PBIX"
/** The file's format: 3 + the segments' layout version (4: postings at the end of each segment, read on demand). */
export const INDEX_FORMAT = 2 + SEGMENT_LAYOUT;
const align8 = (n: number) => (n + 7) & ~7;

export interface IndexManifest {
  format: number;
  /** Identifies this base file, so an append log is only applied to the base it was written for. */
  build?: string;
  corpus?: string;
  version: number;
  acronyms: unknown;
  segments: number[];
}

export interface StoredIndex {
  manifest: IndexManifest;
  segments: Segment[];
}

/** One append: its segment files (beside the base file) and the store version the index had after it. */
interface AppendEntry {
  files: string[];
  version: number;
}

interface AppendLog {
  build: string;
  appends: AppendEntry[];
}

const appendLogFile = (file: string) => `${file}.appends`;
/** Age at which an unadopted build file (`<index>.build-….tmp`) is left over from a crash. */
const STALE_BUILD_MS = 6 * 3600 * 1000;

/** The base file only (no appended segments): the manifest, and the segments with their postings left in the file. */
export function readIndexFile(file: string): StoredIndex {
  const source = FileSource.open(file);
  if (source.size < 12) throw new Error('index file too short');
  const view = new DataView(source.read(0, 12).buffer);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('not a paperboy index file');
  const format = view.getUint32(4, true);
  if (format !== INDEX_FORMAT) return { manifest: { format, version: -1, acronyms: null, segments: [] }, segments: [] };
  const length = view.getUint32(8, true);
  const manifest = JSON.parse(Buffer.from(source.read(12, length)).toString('utf8')) as IndexManifest;
  let offset = align8(12 + length);
  const segments = manifest.segments.map((size) => {
    if (offset + size > source.size) throw new Error('index file truncated');
    const segment = Segment.fromFile(source, offset);
    offset = align8(offset + size);
    return segment;
  });
  return { manifest, segments };
}

/** Where each segment of a base file starts (after the manifest, 8-byte aligned). */
function segmentPositions(manifestBytes: number, segments: readonly Segment[]): number[] {
  let offset = align8(12 + manifestBytes);
  return segments.map((segment) => {
    const at = offset;
    offset = align8(offset + segment.byteLength);
    return at;
  });
}

/** Writes bytes to a temporary file, syncs it (in the thread pool) and renames it into place. */
async function writeAtomically(file: string, parts: readonly Uint8Array[]): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    // writev takes at most IOV_MAX buffers per call; a few segments never come close.
    let written = 0;
    const total = parts.reduce((n, p) => n + p.byteLength, 0);
    while (written < total) {
      const { bytesWritten } = await handle.writev(sliceFrom(parts, written));
      written += bytesWritten;
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, file);
}

/**
 * Writes a base file holding all the segments; returns its build id. The segments then read their postings from the
 * file (`Segment#attach`) instead of holding them in memory.
 */
export async function writeIndexFile(
  file: string,
  manifest: Omit<IndexManifest, 'format' | 'segments' | 'build'>,
  segments: readonly Segment[],
): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const build = randomUUID();
  const json = Buffer.from(
    JSON.stringify({ ...manifest, format: INDEX_FORMAT, build, segments: segments.map((s) => s.byteLength) }),
    'utf8',
  );
  const head = Buffer.alloc(align8(12 + json.byteLength));
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(INDEX_FORMAT, 4);
  head.writeUInt32LE(json.byteLength, 8);
  json.copy(head, 12);
  const parts: Uint8Array[] = [head];
  for (const segment of segments) {
    parts.push(segment.bytes);
    const pad = align8(segment.byteLength) - segment.byteLength;
    if (pad) parts.push(new Uint8Array(pad));
  }
  await writeAtomically(file, parts);
  const source = FileSource.open(file);
  const positions = segmentPositions(json.byteLength, segments);
  segments.forEach((segment, i) => {
    segment.attach(source, positions[i]!);
  });
  return build;
}

/**
 * The persisted index of one database: reads the base file plus its appended segments, and saves a newer
 * index by appending when it only adds segments to what is on disk, else by writing a new base file.
 */
export class IndexFile {
  /** What the files on disk hold (segments by identity), once read or written by this object. */
  private disk: { build: string; segments: readonly Segment[]; log: AppendLog } | undefined;

  constructor(readonly file: string) {}

  exists(): boolean {
    return existsSync(this.file);
  }

  /** The base file and the appends made to it; the manifest's version is that of the last readable append. */
  read(): StoredIndex {
    const stored = readIndexFile(this.file);
    const { manifest } = stored;
    if (manifest.format !== INDEX_FORMAT || !manifest.build) return stored;
    const log: AppendLog = { build: manifest.build, appends: [] };
    const segments = [...stored.segments];
    let version = manifest.version;
    for (const entry of this.readLog(manifest.build)) {
      let added: Segment[];
      try {
        added = entry.files.map((name) => Segment.fromFile(FileSource.open(join(dirname(this.file), name)), 0));
      } catch {
        break; // a lost or torn append: the index is exact up to the previous one, and the store catches up.
      }
      segments.push(...added);
      log.appends.push(entry);
      version = entry.version;
    }
    this.disk = { build: manifest.build, segments, log };
    return { manifest: { ...manifest, version }, segments };
  }

  private readLog(build: string): AppendEntry[] {
    try {
      const log = JSON.parse(readFileSync(appendLogFile(this.file), 'utf8')) as AppendLog;
      return log.build === build && Array.isArray(log.appends) ? log.appends : [];
    } catch {
      return [];
    }
  }

  /** Saves the index; 'appended' when only the new segments were written. */
  async save(
    manifest: Omit<IndexManifest, 'format' | 'segments' | 'build'>,
    segments: readonly Segment[],
  ): Promise<'appended' | 'written'> {
    const disk = this.disk;
    if (
      disk &&
      segments.length >= disk.segments.length &&
      disk.segments.every((segment, i) => segments[i] === segment)
    ) {
      const added = segments.slice(disk.segments.length);
      const files: string[] = [];
      for (const segment of added) {
        // Unique per write: another process appending to the same base never overwrites a file this log lists.
        const number = disk.segments.length + files.length;
        const name = `${basename(this.file)}.${disk.build}.${number}-${randomUUID().slice(0, 8)}.seg`;
        const path = join(dirname(this.file), name);
        await writeAtomically(path, [segment.bytes]);
        segment.attach(FileSource.open(path), 0);
        files.push(name);
      }
      const log: AppendLog = {
        build: disk.build,
        appends: [...disk.log.appends, { files, version: manifest.version }],
      };
      await writeAtomically(appendLogFile(this.file), [Buffer.from(JSON.stringify(log), 'utf8')]);
      this.disk = { build: disk.build, segments, log };
      return 'appended';
    }
    const build = await writeIndexFile(this.file, manifest, segments);
    this.disk = { build, segments, log: { build, appends: [] } };
    await this.removeAppends(build);
    return 'written';
  }

  /**
   * A complete base file written elsewhere (by a build process, beside this one) becomes this index's file: renamed
   * into place (its segments, read from it, keep reading through the same open file), superseding the appends.
   */
  async adopt(written: string, stored: StoredIndex): Promise<void> {
    const build = stored.manifest.build;
    if (!build) throw new Error('the index file to adopt has no build id');
    await rename(written, this.file);
    this.disk = { build, segments: stored.segments, log: { build, appends: [] } };
    await this.removeAppends(build);
  }

  /** Deletes the append log and segment files of earlier builds (a new base file supersedes them). */
  private async removeAppends(keepBuild: string): Promise<void> {
    const dir = dirname(this.file);
    const prefix = `${basename(this.file)}.`;
    await rm(appendLogFile(this.file), { force: true });
    for (const name of await readdir(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.seg') && !name.startsWith(`${prefix}${keepBuild}.`))
        await rm(join(dir, name), { force: true });
      // A build process's file that was never adopted (its process or ours died); a build takes minutes, not hours.
      if (name.startsWith(`${prefix}build-`) && name.endsWith('.tmp')) {
        const stale = await stat(join(dir, name)).then(
          (s) => Date.now() - s.mtimeMs > STALE_BUILD_MS,
          () => false,
        );
        if (stale) await rm(join(dir, name), { force: true });
      }
    }
  }
}

function sliceFrom(parts: readonly Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const part of parts) {
    if (skip >= part.byteLength) {
      skip -= part.byteLength;
      continue;
    }
    out.push(skip ? part.subarray(skip) : part);
    skip = 0;
  }
  return out;
}
