/**
 * One immutable segment of the compact index: a batch of papers indexed the way lunr.Builder indexes them
 * (same terms, same per-field term frequencies and field lengths), stored as a sorted vocabulary and typed
 * arrays in one buffer, so it can be built in a worker, transferred, written to disk and loaded without parsing.
 * Weights are not stored: they depend on the whole corpus (N, df, average lengths) and are computed at query time.
 *
 * The buffer's sections come in two parts. The first is what every query or lookup may touch (vocabulary and its
 * hash table, ids and theirs, distinct documents per term, posting offsets, field lengths, per-paper facts, the
 * title-key table, titles as term ids): it is read into memory. The second is the bulk (postings, abstracts as term
 * ids), only ever read a term's or a paper's worth at a time: a segment loaded from a file leaves it there
 * (`Segment.fromFile`, `attach`) and reads what a query needs with pread, keeping recently read postings in a small
 * cache, so memory holds a fifth of the index and a cold start reads that fifth.
 */
import { analyzeToken, rawTokens } from './analyzer.ts';
import type { FileSource } from './file-source.ts';

export const FIELD_COUNT = 3;
const MAGIC = 0x47534250; // "PBSG"
/** Bumped whenever the sections change (the index file's format number follows it). */
export const SEGMENT_LAYOUT = 2;

/** The per-paper facts stored with the index, for filters and duplicate checks. */
export interface DocMeta {
  published?: string;
  categories: string[];
  titleNorm: string;
  /** The title's one-word name before its colon, as written (`LISA`), if any. */
  titleName?: string;
}

/** A paper as the index reads it: the three fields (authors joined) and its facts. */
export interface IndexDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string;
  meta?: DocMeta;
  /** Keys the paper is found by when a query is its whole title or its name (see `Segment#titleKeyCandidates`). */
  titleKeys?: { title?: string; name?: string };
}

/** A term's postings in one field: documents (ascending) and term frequencies. */
export interface Postings {
  docs: Uint32Array;
  tfs: Uint16Array;
}

class Grow {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// ASCII only: no UTF-16 code unit at or above U+0080.
const ASCII = /^[^\u0080-\uFFFF]*$/;

/** FNV-1a over UTF-16 code units. */
function fnv(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** A well-mixed 32-bit hash of a string (FNV-1a, then murmur3's finalizer): what the segment's hash tables use. */
export function hashKey(text: string): number {
  let h = fnv(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Open-addressing table of `keys` (slot → index + 1; 0 empty), at most half full. */
function hashTable(keys: readonly string[]): Int32Array {
  let size = 16;
  while (size < keys.length * 2) size *= 2;
  const table = new Int32Array(size);
  const mask = size - 1;
  for (let i = 0; i < keys.length; i++) {
    let slot = hashKey(keys[i]!) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  }
  return table;
}

function lookup(table: Int32Array, keys: readonly string[], key: string): number {
  const mask = table.length - 1;
  for (let slot = hashKey(key) & mask; ; slot = (slot + 1) & mask) {
    const entry = table[slot]!;
    if (entry === 0) return -1;
    if (keys[entry - 1] === key) return entry - 1;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const align8 = (n: number) => (n + 7) & ~7;

/** Indexes documents (fields title, abstract, authors, in that order) into one segment buffer. */
export function buildSegment(docs: Iterable<IndexDoc>): Uint8Array {
  const builder = new SegmentBuilder();
  for (const doc of docs) builder.add(doc);
  return builder.finish();
}

type MetaRow = [string | null, string[], string, string?];

/**
 * Builds a segment one document at a time, so a caller on the main thread can index a daily batch in slices
 * with event-loop turns between them (a worker thread is not worth booting for a few hundred papers).
 */
export class SegmentBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly termList: string[] = [];
  private readonly pKey = new Grow(1 << 16);
  private readonly pDoc = new Grow(1 << 16);
  private readonly pTf = new Grow(1 << 16);
  private readonly fieldLen = new Grow();
  private readonly titleFwd = new Grow(1 << 14);
  private readonly abstractFwd = new Grow(1 << 16);
  private readonly titleOffsets = new Grow();
  private readonly abstractOffsets = new Grow();
  private readonly refs: string[] = [];
  private readonly metas: string[] = [];
  private readonly keyHashes = new Grow();
  private readonly keyRefs = new Grow();
  private readonly totalLen = [0, 0, 0];
  // Raw token → term id (-1: dropped by the pipeline), so each distinct word is analyzed and looked up once.
  private readonly rawIds = new Map<string, number>();
  private tfCount = new Uint32Array(1 << 16);
  /** Per term id: documents with the term in any field, and the last document counted. */
  private docCount = new Uint32Array(1 << 16);
  private lastDoc = new Int32Array(1 << 16).fill(-1);
  private readonly fieldTerms: number[] = [];
  private n = 0;

  get size(): number {
    return this.n;
  }

  add(doc: IndexDoc): void {
    const { fieldLen, fieldTerms, totalLen, pKey, pDoc, pTf } = this;
    const d = this.n++;
    this.refs.push(doc.id);
    const m = doc.meta;
    const row: MetaRow | undefined = m
      ? m.titleName
        ? [m.published ?? null, m.categories, m.titleNorm, m.titleName]
        : [m.published ?? null, m.categories, m.titleNorm]
      : undefined;
    this.metas.push(row ? JSON.stringify(row) : '');
    if (doc.titleKeys?.title) this.addKey(doc.titleKeys.title, d * 2);
    if (doc.titleKeys?.name) this.addKey(doc.titleKeys.name, d * 2 + 1);
    this.titleOffsets.push(this.titleFwd.length);
    this.abstractOffsets.push(this.abstractFwd.length);
    const texts = [doc.title, doc.abstract, doc.authors];
    for (let f = 0; f < FIELD_COUNT; f++) {
      fieldTerms.length = 0;
      this.fieldLength = 0;
      this.field = f;
      const text = texts[f];
      if (text != null && ASCII.test(text)) this.addAscii(text);
      else for (const raw of rawTokens(text)) this.count(this.rawTokenId(raw));
      fieldLen.push(this.fieldLength);
      totalLen[f]! += this.fieldLength;
      const { tfCount, docCount, lastDoc } = this;
      for (const id of fieldTerms) {
        pKey.push(id * FIELD_COUNT + f);
        pDoc.push(d);
        pTf.push(tfCount[id]!);
        tfCount[id] = 0;
        if (lastDoc[id] !== d) {
          lastDoc[id] = d;
          docCount[id]!++;
        }
      }
    }
  }

  private addKey(key: string, ref: number): void {
    this.keyHashes.push(hashKey(key));
    this.keyRefs.push(ref);
  }

  private field = 0;
  private fieldLength = 0;

  /** One occurrence of a term (or of a raw token the pipeline dropped: id < 0) in the current field. */
  private count(id: number): void {
    if (id < 0) return;
    this.fieldLength++;
    const tfCount = this.tfCount;
    if (tfCount[id] === 0) this.fieldTerms.push(id);
    tfCount[id] = tfCount[id]! + 1;
    // The forward index keeps title and abstract word order (for word-pair proximity), without empty terms.
    if (this.field < 2 && this.termList[id] !== '') (this.field === 0 ? this.titleFwd : this.abstractFwd).push(id);
  }

  /** Term id of a raw token (-1: dropped by the pipeline); each distinct raw token is analyzed once. */
  private rawTokenId(raw: string): number {
    let id = this.rawIds.get(raw);
    if (id === undefined) {
      id = this.termIdOf(raw);
      this.rawIds.set(raw, id);
    }
    return id;
  }

  private termIdOf(raw: string): number {
    const term = analyzeToken(raw);
    if (term === null) return -1;
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termList.length;
      this.termIds.set(term, id);
      this.termList.push(term);
      if (id >= this.tfCount.length) {
        const size = this.tfCount.length * 2;
        const tf = new Uint32Array(size);
        tf.set(this.tfCount);
        this.tfCount = tf;
        const docs = new Uint32Array(size);
        docs.set(this.docCount);
        this.docCount = docs;
        const last = new Int32Array(size).fill(-1);
        last.set(this.lastDoc);
        this.lastDoc = last;
      }
    }
    return id;
  }

  /**
   * rawTokens + rawTokenId for ASCII text without making a string per token: lower-cased tokens split at ASCII
   * white space and '-' (what `toLowerCase().split(/[\s-]/)` gives for ASCII) are hashed while scanning and
   * found in an open-addressing table; only a token not seen before becomes a string. Most of a full build's
   * time was strings made and hashed per token (15 M tokens, 0.6 M distinct, at 75k papers).
   */
  private addAscii(text: string): void {
    let start = -1;
    let h = FNV_OFFSET;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 32;
      if (c === 32 || c === 45 || (c >= 9 && c <= 13)) {
        if (start >= 0) {
          this.count(this.asciiTokenId(text, start, i, h >>> 0));
          start = -1;
          h = FNV_OFFSET;
        }
      } else {
        if (start < 0) start = i;
        h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), FNV_PRIME);
      }
    }
  }

  private slotHash = new Uint32Array(1 << 16);
  private slotId = new Int32Array(1 << 16);
  private slotKey: (string | undefined)[] = new Array<string | undefined>(1 << 16).fill(undefined);
  private slots = 0;

  /** The table's slot for a token hash: FNV's low bits are mixed with its high ones first. */
  private static slotOf(hash: number, mask: number): number {
    const h = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
    return (h ^ (h >>> 16)) & mask;
  }

  private asciiTokenId(text: string, start: number, end: number, hash: number): number {
    const mask = this.slotHash.length - 1;
    const len = end - start;
    for (let slot = SegmentBuilder.slotOf(hash, mask); ; slot = (slot + 1) & mask) {
      const key = this.slotKey[slot];
      if (key === undefined) break;
      if (this.slotHash[slot] !== hash || key.length !== len) continue;
      let same = true;
      for (let j = 0; j < len && same; j++) {
        const c = text.charCodeAt(start + j);
        same = key.charCodeAt(j) === (c >= 65 && c <= 90 ? c + 32 : c);
      }
      if (same) return this.slotId[slot]!;
    }
    const raw = text.slice(start, end).toLowerCase();
    const id = this.rawTokenId(raw);
    this.insertSlot(raw, hash, id);
    return id;
  }

  private insertSlot(key: string, hash: number, id: number): void {
    if ((this.slots + 1) * 2 > this.slotHash.length) {
      const keys = this.slotKey;
      const hashes = this.slotHash;
      const ids = this.slotId;
      const size = hashes.length * 2;
      this.slotHash = new Uint32Array(size);
      this.slotId = new Int32Array(size);
      this.slotKey = new Array<string | undefined>(size).fill(undefined);
      this.slots = 0;
      for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.insertSlot(keys[i]!, hashes[i]!, ids[i]!);
    }
    const mask = this.slotHash.length - 1;
    let slot = SegmentBuilder.slotOf(hash, mask);
    while (this.slotKey[slot] !== undefined) slot = (slot + 1) & mask;
    this.slotKey[slot] = key;
    this.slotHash[slot] = hash;
    this.slotId[slot] = id;
    this.slots++;
  }

  /** The segment's bytes (the builder is spent afterwards). */
  finish(): Uint8Array {
    const steps = this.finishInSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** finish() as steps of a few milliseconds at most for a daily batch (the caller yields between them). */
  *finishInSteps(): Generator<void, Uint8Array, void> {
    const { termList, pKey, pDoc, pTf, fieldLen, refs, metas, totalLen, n } = this;
    const STEP = 1 << 14;
    this.titleOffsets.push(this.titleFwd.length);
    this.abstractOffsets.push(this.abstractFwd.length);

    // Sorted vocabulary: term id = rank in code-unit order.
    const order = termList.map((_, i) => i).sort((a, b) => (termList[a]! < termList[b]! ? -1 : 1));
    yield;
    const rank = new Uint32Array(termList.length);
    order.forEach((old, i) => {
      rank[old] = i;
    });
    const T = termList.length;
    const P = pKey.length;
    const postOffsets = new Uint32Array(T * FIELD_COUNT + 1);
    for (let i = 0; i < P; i++) {
      const key = pKey.data[i]!;
      postOffsets[rank[(key / FIELD_COUNT) | 0]! * FIELD_COUNT + (key % FIELD_COUNT) + 1]!++;
      if ((i & (STEP - 1)) === STEP - 1) yield;
    }
    for (let i = 1; i < postOffsets.length; i++) postOffsets[i]! += postOffsets[i - 1]!;
    const cursor = postOffsets.slice(0, T * FIELD_COUNT);
    const postDocs = new Uint32Array(P);
    const postTf = new Uint16Array(P);
    yield;
    for (let i = 0; i < P; i++) {
      const key = pKey.data[i]!;
      const bucket = rank[(key / FIELD_COUNT) | 0]! * FIELD_COUNT + (key % FIELD_COUNT);
      const at = cursor[bucket]!++;
      postDocs[at] = pDoc.data[i]!;
      postTf[at] = Math.min(pTf.data[i]!, 0xffff);
      if ((i & (STEP - 1)) === STEP - 1) yield;
    }
    const ranked = (fwd: Grow) => {
      const out = new Int32Array(fwd.length);
      for (let i = 0; i < fwd.length; i++) out[i] = rank[fwd.data[i]!]!;
      return out;
    };
    const titleFwd = ranked(this.titleFwd);
    yield;
    const abstractFwd = ranked(this.abstractFwd);
    yield;
    const termDocs = new Uint32Array(T);
    for (let old = 0; old < T; old++) termDocs[rank[old]!] = this.docCount[old]!;
    const sortedTerms = order.map((i) => termList[i]!);
    const termTable = hashTable(sortedTerms);
    yield;
    const refTable = hashTable(refs);
    yield;
    // Title keys sorted by hash, then by document (and a title before a name): lookups binary-search the hashes.
    const K = this.keyHashes.length;
    const keyOrder = Array.from({ length: K }, (_, i) => i);
    const hashes = this.keyHashes.data;
    const keyRefs = this.keyRefs.data;
    keyOrder.sort((a, b) => hashes[a]! - hashes[b]! || keyRefs[a]! - keyRefs[b]!);
    const titleKeyHash = Uint32Array.from(keyOrder, (i) => hashes[i]!);
    const titleKeyRef = Uint32Array.from(keyOrder, (i) => keyRefs[i]!);
    yield;
    const metaText = metas.join('');
    const metaOffsets = new Uint32Array(n + 1);
    if (ASCII.test(metaText)) {
      for (let d = 0; d < n; d++) metaOffsets[d + 1] = metaOffsets[d]! + metas[d]!.length;
    } else {
      for (let d = 0; d < n; d++) metaOffsets[d + 1] = metaOffsets[d]! + Buffer.byteLength(metas[d]!, 'utf8');
    }
    yield;

    const u8 = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    // Resident sections first, then the bulk a file-backed segment reads on demand (see the file comment).
    const resident: [string, Uint8Array][] = [
      ['terms', encoder.encode(sortedTerms.join('\n'))],
      ['refs', encoder.encode(refs.join('\n'))],
      ['termTable', u8(termTable)],
      ['refTable', u8(refTable)],
      ['termDocs', u8(termDocs)],
      ['postOffsets', u8(postOffsets)],
      ['fieldLen', u8(fieldLen.view())],
      ['metaOffsets', u8(metaOffsets)],
      ['meta', encoder.encode(metaText)],
      ['titleKeyHash', u8(titleKeyHash)],
      ['titleKeyRef', u8(titleKeyRef)],
      ['titleOffsets', u8(this.titleOffsets.view())],
      ['titleFwd', u8(titleFwd)],
      ['abstractOffsets', u8(this.abstractOffsets.view())],
    ];
    const bulk: [string, Uint8Array][] = [
      ['postDocs', u8(postDocs)],
      ['postTf', u8(postTf)],
      ['abstractFwd', u8(abstractFwd)],
    ];
    const layout: Record<string, [number, number]> = {};
    let offset = 0;
    let residentBytes = 0;
    for (const [name, bytes] of [...resident, ...bulk]) {
      if (name === 'postDocs') residentBytes = offset;
      layout[name] = [offset, bytes.byteLength];
      offset = align8(offset + bytes.byteLength);
    }
    const header = encoder.encode(
      JSON.stringify({ layoutVersion: SEGMENT_LAYOUT, n, terms: T, postings: P, totalLen, layout, residentBytes }),
    );
    const start = align8(8 + header.byteLength);
    const out = new Uint8Array(start + offset);
    const view = new DataView(out.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, header.byteLength, true);
    out.set(header, 8);
    for (const [name, bytes] of [...resident, ...bulk]) out.set(bytes, start + layout[name]![0]);
    return out;
  }
}

interface SegmentHeader {
  layoutVersion: number;
  n: number;
  terms: number;
  postings: number;
  totalLen: number[];
  layout: Record<string, [number, number]>;
  residentBytes: number;
}

/** Where a file-backed segment's bulk is: its file, and the file position of its first section. */
interface Backing {
  source: FileSource;
  sections: number;
}

/** Recently read postings of file-backed segments, least recently used dropped first. */
const POSTINGS_CACHE_BYTES = 8 * 1024 * 1024;
const postingsCache = new Map<string, Postings>();
let postingsCached = 0;
let nextSegmentId = 1;

function cachePostings(key: string, postings: Postings): void {
  const bytes = postings.docs.byteLength + postings.tfs.byteLength;
  if (bytes > POSTINGS_CACHE_BYTES / 4) return;
  postingsCache.set(key, postings);
  postingsCached += bytes;
  for (const [old, value] of postingsCache) {
    if (postingsCached <= POSTINGS_CACHE_BYTES) break;
    postingsCache.delete(old);
    postingsCached -= value.docs.byteLength + value.tfs.byteLength;
  }
}

/** Reads the 8-byte prefix and the header of a segment that starts at `position` in a file. */
function readHeader(source: FileSource, position: number): { header: SegmentHeader; start: number } {
  const prefix = new DataView(source.read(position, 8).buffer);
  if (prefix.getUint32(0, true) !== MAGIC) throw new Error('not a search index segment');
  const headerLen = prefix.getUint32(4, true);
  const header = JSON.parse(decoder.decode(source.read(position + 8, headerLen))) as SegmentHeader;
  return { header, start: align8(8 + headerLen) };
}

/**
 * A loaded segment: typed-array views into its buffer (which must start at an 8-byte aligned offset), the whole
 * segment's or, for a segment whose bulk stays in its file, its first part's.
 */
export class Segment {
  readonly n: number;
  readonly totalLen: number[];
  readonly terms: string[];
  readonly refs: string[];
  /** Bytes of the whole segment (as written to a file). */
  readonly byteLength: number;
  private readonly id = nextSegmentId++;
  private readonly header: SegmentHeader;
  private readonly start: number;
  /** The whole segment in memory, or undefined when its bulk stays in its file. */
  private whole: Uint8Array | undefined;
  private backing: Backing | undefined;
  private fieldLens!: Uint32Array;
  private termTable!: Int32Array;
  private refTable!: Int32Array;
  private termDocs!: Uint32Array;
  private postOffsets!: Uint32Array;
  private metaOffsets!: Uint32Array;
  private metaBytes!: Uint8Array;
  private titleKeyHash!: Uint32Array;
  private titleKeyRef!: Uint32Array;
  private titleOffsets!: Uint32Array;
  private titleFwd!: Int32Array;
  private abstractOffsets!: Uint32Array;
  private postDocs: Uint32Array | undefined;
  private postTf: Uint16Array | undefined;
  private abstractFwd: Int32Array | undefined;

  /**
   * A segment held in memory whole (just built, or a small file read at once); with `backing`, `bytes` is only its
   * first part and the bulk is read from the file on demand (see `fromFile`).
   */
  constructor(bytes: Uint8Array, backing?: Backing) {
    if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) throw new Error('not a search index segment');
    const headerLen = view.getUint32(4, true);
    this.header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLen))) as SegmentHeader;
    if (this.header.layoutVersion !== SEGMENT_LAYOUT) throw new Error('search index segment of another layout');
    this.start = align8(8 + headerLen);
    const layout = Object.values(this.header.layout);
    this.byteLength = this.start + Math.max(0, ...layout.map(([off, len]) => align8(off + len)));
    this.n = this.header.n;
    this.totalLen = this.header.totalLen;
    this.terms = this.header.terms ? decoder.decode(this.section(bytes, 'terms')).split('\n') : [];
    this.refs = this.header.n ? decoder.decode(this.section(bytes, 'refs')).split('\n') : [];
    if (this.terms.length !== this.header.terms || this.refs.length !== this.header.n)
      throw new Error('search index segment is inconsistent');
    this.viewResident(bytes);
    if (backing) {
      this.backing = backing;
      return;
    }
    this.whole = bytes;
    this.postDocs = this.u32(bytes, 'postDocs');
    this.postTf = this.u16(bytes, 'postTf');
    this.abstractFwd = this.i32(bytes, 'abstractFwd');
  }

  /** A segment at `position` in an index file: its first part read now, its bulk on demand. */
  static fromFile(source: FileSource, position: number): Segment {
    const { header, start } = readHeader(source, position);
    if (header.layoutVersion !== SEGMENT_LAYOUT) throw new Error('search index segment of another layout');
    const segment = new Segment(source.read(position, start + header.residentBytes), {
      source,
      sections: position + start,
    });
    if (position + segment.byteLength > source.size) throw new Error('search index file truncated');
    return segment;
  }

  /**
   * This segment, now written at `position` of an index file, leaves its bulk there and keeps only its first part in
   * memory (what it answers is unchanged).
   */
  attach(source: FileSource, position: number): void {
    if (!this.whole) return;
    this.viewResident(this.whole.slice(0, this.start + this.header.residentBytes));
    this.whole = undefined;
    this.postDocs = undefined;
    this.postTf = undefined;
    this.abstractFwd = undefined;
    this.backing = { source, sections: position + this.start };
  }

  private viewResident(bytes: Uint8Array): void {
    this.fieldLens = this.u32(bytes, 'fieldLen');
    this.termTable = this.i32(bytes, 'termTable');
    this.refTable = this.i32(bytes, 'refTable');
    this.termDocs = this.u32(bytes, 'termDocs');
    this.postOffsets = this.u32(bytes, 'postOffsets');
    this.metaOffsets = this.u32(bytes, 'metaOffsets');
    this.metaBytes = this.section(bytes, 'meta');
    this.titleKeyHash = this.u32(bytes, 'titleKeyHash');
    this.titleKeyRef = this.u32(bytes, 'titleKeyRef');
    this.titleOffsets = this.u32(bytes, 'titleOffsets');
    this.titleFwd = this.i32(bytes, 'titleFwd');
    this.abstractOffsets = this.u32(bytes, 'abstractOffsets');
  }

  private section(bytes: Uint8Array, name: string): Uint8Array {
    const [off, len] = this.header.layout[name]!;
    return new Uint8Array(bytes.buffer, bytes.byteOffset + this.start + off, len);
  }

  // Views of a section (its byte offset is 8-byte aligned).
  private u32(bytes: Uint8Array, name: string): Uint32Array {
    const s = this.section(bytes, name);
    return new Uint32Array(s.buffer, s.byteOffset, s.byteLength / 4);
  }
  private i32(bytes: Uint8Array, name: string): Int32Array {
    const s = this.section(bytes, name);
    return new Int32Array(s.buffer, s.byteOffset, s.byteLength / 4);
  }
  private u16(bytes: Uint8Array, name: string): Uint16Array {
    const s = this.section(bytes, name);
    return new Uint16Array(s.buffer, s.byteOffset, s.byteLength / 2);
  }

  /** Field lengths, FIELD_COUNT per document. */
  get fieldLen(): Uint32Array {
    return this.fieldLens;
  }

  /** The whole segment's bytes (read back from its file when its bulk is there). */
  get bytes(): Uint8Array {
    if (this.whole) return this.whole;
    const { source, sections } = this.backing!;
    return source.read(sections - this.start, this.byteLength);
  }

  /** Whether the segment's bulk stays in a file (read on demand). */
  get fileBacked(): boolean {
    return this.backing !== undefined;
  }
  /** Local term id, or -1. */
  termId(term: string): number {
    return lookup(this.termTable, this.terms, term);
  }

  /** First term id >= prefix. */
  lowerBound(prefix: string): number {
    const terms = this.terms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (terms[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many documents have the term in the field. */
  postingCount(id: number, field: number): number {
    return this.postOffsets[id * FIELD_COUNT + field + 1]! - this.postOffsets[id * FIELD_COUNT + field]!;
  }

  /** A term's postings in a field (documents ascending, local ordinals). */
  postings(id: number, field: number): Postings {
    const from = this.postOffsets[id * FIELD_COUNT + field]!;
    const to = this.postOffsets[id * FIELD_COUNT + field + 1]!;
    if (this.postDocs) return { docs: this.postDocs.subarray(from, to), tfs: this.postTf!.subarray(from, to) };
    const key = `${this.id}:${id * FIELD_COUNT + field}`;
    const cached = postingsCache.get(key);
    if (cached) {
      // Most recently used last.
      postingsCache.delete(key);
      postingsCache.set(key, cached);
      return cached;
    }
    const { source, sections } = this.backing!;
    const docsAt = this.header.layout.postDocs![0];
    const tfsAt = this.header.layout.postTf![0];
    const count = to - from;
    const postings = {
      docs: new Uint32Array(source.read(sections + docsAt + from * 4, count * 4).buffer),
      tfs: new Uint16Array(source.read(sections + tfsAt + from * 2, count * 2).buffer),
    };
    cachePostings(key, postings);
    return postings;
  }

  /** Sum over fields of documents with the term (what lunr.idf counts). */
  fieldPostings(id: number): number {
    return this.postOffsets[id * FIELD_COUNT + FIELD_COUNT]! - this.postOffsets[id * FIELD_COUNT]!;
  }

  /** Whether a local document has the term in the field (postings are sorted by document). */
  contains(id: number, field: number, doc: number): boolean {
    if (this.postingCount(id, field) === 0) return false;
    const docs = this.postings(id, field).docs;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = docs[mid]!;
      if (d === doc) return true;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Distinct documents with the term in any field (counted when the segment was built). */
  distinctDocs(id: number): number {
    return this.termDocs[id]!;
  }

  /** The title of a local document as term ids, in order (stop words and empty terms left out). */
  titleTokens(local: number): Int32Array {
    return this.titleFwd.subarray(this.titleOffsets[local]!, this.titleOffsets[local + 1]!);
  }

  /** Whether the term ids stand consecutively, in this order, in a local document's title (no array is made). */
  titleHasRun(local: number, ids: Int32Array): boolean {
    const fwd = this.titleFwd;
    const end = this.titleOffsets[local + 1]!;
    const k = ids.length;
    for (let i = this.titleOffsets[local]!; i + k <= end; i++) {
      let all = true;
      for (let j = 0; j < k && all; j++) all = fwd[i + j] === ids[j];
      if (all) return true;
    }
    return false;
  }

  /** The abstract of a local document as term ids, in order. */
  abstractTokens(local: number): Int32Array {
    const from = this.abstractOffsets[local]!;
    const to = this.abstractOffsets[local + 1]!;
    if (this.abstractFwd) return this.abstractFwd.subarray(from, to);
    if (to === from) return new Int32Array(0);
    const { source, sections } = this.backing!;
    const at = sections + this.header.layout.abstractFwd![0] + from * 4;
    return new Int32Array(source.read(at, (to - from) * 4).buffer);
  }

  /** Local document of an id, or -1. */
  localOrdinal(ref: string): number {
    return lookup(this.refTable, this.refs, ref);
  }

  /** Parses the stored per-paper facts now (a no-op: each paper's facts are read on their own when asked for). */
  loadMeta(): void {}

  meta(doc: number): DocMeta | undefined {
    const from = this.metaOffsets[doc]!;
    const to = this.metaOffsets[doc + 1]!;
    if (from === to) return undefined;
    const m = JSON.parse(decoder.decode(this.metaBytes.subarray(from, to))) as MetaRow;
    return {
      ...(m[0] !== null ? { published: m[0] } : {}),
      categories: m[1],
      titleNorm: m[2],
      ...(m[3] ? { titleName: m[3] } : {}),
    };
  }

  /**
   * The documents whose title key (`isName` false) or name key (true) may be `key`: every document with that key, and
   * rarely one whose key only shares its hash (the caller compares the real key). Documents ascending, a title
   * before a name.
   */
  titleKeyCandidates(key: string): { local: number; isName: boolean }[] {
    const hashes = this.titleKeyHash;
    const hash = hashKey(key);
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    const out: { local: number; isName: boolean }[] = [];
    for (let i = lo; i < hashes.length && hashes[i] === hash; i++) {
      const ref = this.titleKeyRef[i]!;
      out.push({ local: ref >>> 1, isName: (ref & 1) === 1 });
    }
    return out;
  }
}
