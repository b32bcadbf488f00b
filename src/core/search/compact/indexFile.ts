/**
 * The persisted index: one binary file — a small JSON manifest (format, corpus id, store version, acronyms)
 * followed by the segments' buffers, 8-byte aligned so typed arrays are views into the file's bytes. Written
 * to a temporary file off the event loop and renamed into place, so a crash never leaves half an index.
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Segment } from './segment.ts';

const MAGIC = 0x58494250; // "PBIX"
export const INDEX_FORMAT = 3;
const align8 = (n: number) => (n + 7) & ~7;

export interface IndexManifest {
  format: number;
  corpus?: string;
  version: number;
  acronyms: unknown;
  segments: number[];
}

export interface StoredIndex {
  manifest: IndexManifest;
  segments: Segment[];
}

export function readIndexFile(file: string): StoredIndex {
  const bytes = readFileSync(file);
  if (bytes.byteLength < 12) throw new Error('index file too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('not a paperboy index file');
  const format = view.getUint32(4, true);
  if (format !== INDEX_FORMAT) return { manifest: { format, version: -1, acronyms: null, segments: [] }, segments: [] };
  const length = view.getUint32(8, true);
  const manifest = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8')) as IndexManifest;
  // One aligned copy when the file's buffer is not 8-byte aligned; usually the bytes are used in place.
  const base = bytes.byteOffset % 8 === 0 ? bytes : Uint8Array.prototype.slice.call(bytes) as Uint8Array;
  let offset = align8(12 + length);
  const segments = manifest.segments.map((size) => {
    if (offset + size > base.byteLength) throw new Error('index file truncated');
    const segment = new Segment(base.subarray(offset, offset + size));
    offset = align8(offset + size);
    return segment;
  });
  return { manifest, segments };
}

export async function writeIndexFile(file: string, manifest: Omit<IndexManifest, 'format' | 'segments'>, segments: readonly Segment[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const json = Buffer.from(JSON.stringify({ ...manifest, format: INDEX_FORMAT, segments: segments.map((s) => s.bytes.byteLength) }), 'utf8');
  const head = Buffer.alloc(align8(12 + json.byteLength));
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(INDEX_FORMAT, 4);
  head.writeUInt32LE(json.byteLength, 8);
  json.copy(head, 12);
  const parts: Uint8Array[] = [head];
  for (const segment of segments) {
    parts.push(segment.bytes);
    const pad = align8(segment.bytes.byteLength) - segment.bytes.byteLength;
    if (pad) parts.push(new Uint8Array(pad));
  }
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
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, file);
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
