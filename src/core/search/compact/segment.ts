/**
 * One immutable segment of the compact index: a batch of papers indexed the way lunr.Builder indexes them
 * (same terms, same per-field term frequencies and field lengths), stored as a sorted vocabulary and typed
 * arrays in one buffer, so it can be built in a worker, transferred, written to disk and loaded without parsing.
 * Weights are not stored: they depend on the whole corpus (N, df, average lengths) and are computed at query time.
 */
import { analyzeToken, rawTokens } from './analyzer.ts';

export const FIELD_COUNT = 3;
const MAGIC = 0x47534250; // "PBSG"

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
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// ASCII only: no UTF-16 code unit at or above U+0080.
const ASCII = /^[^\u0080-\uFFFF]*$/;

/** FNV-1a over UTF-16 code units. */
function hashString(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
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

const NONE = 0xffffffff;

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
  private readonly fwd = new Grow(1 << 16);
  private readonly fwdOffsets = new Grow();
  private readonly refs: string[] = [];
  private readonly metas: unknown[] = [];
  private hasMeta = false;
  private readonly totalLen = [0, 0, 0];
  // Raw token → term id (-1: dropped by the pipeline), so each distinct word is analyzed and looked up once.
  private readonly rawIds = new Map<string, number>();
  private tfCount = new Uint32Array(1 << 16);
  private readonly fieldTerms: number[] = [];
  private n = 0;

  get size(): number {
    return this.n;
  }

  add(doc: IndexDoc): void {
    const { fieldLen, fwd, fieldTerms, totalLen, pKey, pDoc, pTf } = this;
    const d = this.n++;
    this.refs.push(doc.id);
    if (doc.meta) this.hasMeta = true;
    const m = doc.meta;
    this.metas.push(m ? [m.published ?? null, m.categories, m.titleNorm, ...(m.titleName ? [m.titleName] : [])] : null);
    this.fwdOffsets.push(fwd.length);
    const texts = [doc.title, doc.abstract, doc.authors];
    for (let f = 0; f < FIELD_COUNT; f++) {
      fieldTerms.length = 0;
      this.fieldLength = 0;
      this.field = f;
      const text = texts[f];
      if (text != null && ASCII.test(text)) this.addAscii(text);
      else for (const raw of rawTokens(text)) this.count(this.rawTokenId(raw));
      if (f === 0) fwd.push(NONE);
      fieldLen.push(this.fieldLength);
      totalLen[f]! += this.fieldLength;
      const tfCount = this.tfCount;
      for (const id of fieldTerms) {
        pKey.push(id * FIELD_COUNT + f);
        pDoc.push(d);
        pTf.push(tfCount[id]!);
        tfCount[id] = 0;
      }
    }
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
    if (this.field < 2 && this.termList[id] !== '') this.fwd.push(id);
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
        const next = new Uint32Array(this.tfCount.length * 2);
        next.set(this.tfCount);
        this.tfCount = next;
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
  private slotKey: (string | undefined)[] = new Array<string | undefined>(1 << 16);
  private slots = 0;

  private asciiTokenId(text: string, start: number, end: number, hash: number): number {
    const mask = this.slotHash.length - 1;
    const len = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
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
      this.slotKey = new Array<string | undefined>(size);
      this.slots = 0;
      for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.insertSlot(keys[i]!, hashes[i]!, ids[i]!);
    }
    const mask = this.slotHash.length - 1;
    let slot = hash & mask;
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
    const { termList, pKey, pDoc, pTf, fieldLen, fwd, fwdOffsets, refs, metas, hasMeta, totalLen, n } = this;
    const STEP = 1 << 14;
    fwdOffsets.push(fwd.length);

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
    const fwdArr = new Int32Array(fwd.length);
    for (let i = 0; i < fwd.length; i++) {
      const id = fwd.data[i]!;
      fwdArr[i] = id === NONE ? -1 : rank[id]!;
      if ((i & (STEP - 1)) === STEP - 1) yield;
    }
    yield;

    const sections: [string, Uint8Array][] = [
      ['terms', encoder.encode(order.map((i) => termList[i]).join('\n'))],
      ['refs', encoder.encode(refs.join('\n'))],
      ['meta', encoder.encode(hasMeta ? JSON.stringify(metas) : '')],
      ['postOffsets', new Uint8Array(postOffsets.buffer)],
      ['postDocs', new Uint8Array(postDocs.buffer)],
      ['postTf', new Uint8Array(postTf.buffer)],
      ['fieldLen', new Uint8Array(fieldLen.data.buffer, 0, fieldLen.length * 4)],
      ['fwdOffsets', new Uint8Array(fwdOffsets.data.buffer, 0, fwdOffsets.length * 4)],
      ['fwd', new Uint8Array(fwdArr.buffer)],
    ];
    const layout: Record<string, [number, number]> = {};
    let offset = 0;
    for (const [name, bytes] of sections) {
      layout[name] = [offset, bytes.byteLength];
      offset = align8(offset + bytes.byteLength);
    }
    const header = encoder.encode(JSON.stringify({ n, terms: T, postings: P, totalLen, layout }));
    const start = align8(8 + header.byteLength);
    const out = new Uint8Array(start + offset);
    const view = new DataView(out.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, header.byteLength, true);
    out.set(header, 8);
    for (const [name, bytes] of sections) out.set(bytes, start + layout[name]![0]);
    return out;
  }
}

/** A loaded segment: typed-array views into its buffer (which must start at an 8-byte aligned offset). */
export class Segment {
  readonly n: number;
  readonly totalLen: number[];
  readonly terms: string[];
  readonly refs: string[];
  readonly postOffsets: Uint32Array;
  readonly postDocs: Uint32Array;
  readonly postTf: Uint16Array;
  readonly fieldLen: Uint32Array;
  readonly fwdOffsets: Uint32Array;
  readonly fwd: Int32Array;
  private metaBytes: Uint8Array;
  private metas: ([string | null, string[], string, string?] | null)[] | null | undefined;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.byteOffset % 8 !== 0) bytes = this.bytesCopy(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) throw new Error('not a search index segment');
    const headerLen = view.getUint32(4, true);
    const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLen))) as {
      n: number;
      terms: number;
      postings: number;
      totalLen: number[];
      layout: Record<string, [number, number]>;
    };
    const start = align8(8 + headerLen);
    const section = (name: string) => {
      const [off, len] = header.layout[name]!;
      return { byteOffset: bytes.byteOffset + start + off, len };
    };
    const u32 = (name: string) => {
      const s = section(name);
      return new Uint32Array(bytes.buffer, s.byteOffset, s.len / 4);
    };
    const raw = (name: string) => {
      const s = section(name);
      return new Uint8Array(bytes.buffer, s.byteOffset, s.len);
    };
    this.n = header.n;
    this.totalLen = header.totalLen;
    this.terms = header.terms ? decoder.decode(raw('terms')).split('\n') : [];
    this.refs = header.n ? decoder.decode(raw('refs')).split('\n') : [];
    this.postOffsets = u32('postOffsets');
    this.postDocs = u32('postDocs');
    const tfs = section('postTf');
    this.postTf = new Uint16Array(bytes.buffer, tfs.byteOffset, tfs.len / 2);
    this.fieldLen = u32('fieldLen');
    this.fwdOffsets = u32('fwdOffsets');
    const fw = section('fwd');
    this.fwd = new Int32Array(bytes.buffer, fw.byteOffset, fw.len / 4);
    this.metaBytes = raw('meta');
    if (this.terms.length !== header.terms || this.refs.length !== header.n)
      throw new Error('search index segment is inconsistent');
  }

  private bytesCopy(bytes: Uint8Array): Uint8Array {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return copy;
  }

  /** Local term id, or -1. */
  termId(term: string): number {
    const at = this.lowerBound(term);
    return this.terms[at] === term ? at : -1;
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

  /** Postings of a term in a field: [start, end) into postDocs/postTf. */
  start(id: number, field: number): number {
    return this.postOffsets[id * FIELD_COUNT + field]!;
  }
  end(id: number, field: number): number {
    return this.postOffsets[id * FIELD_COUNT + field + 1]!;
  }

  /** Sum over fields of documents with the term (what lunr.idf counts). */
  fieldPostings(id: number): number {
    return this.postOffsets[id * FIELD_COUNT + FIELD_COUNT]! - this.postOffsets[id * FIELD_COUNT]!;
  }

  /** Whether a local document has the term in the field (postings are sorted by document). */
  contains(id: number, field: number, doc: number): boolean {
    let lo = this.start(id, field);
    let hi = this.end(id, field) - 1;
    const docs = this.postDocs;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = docs[mid]!;
      if (d === doc) return true;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Distinct documents per term id, counted on first use (-1: not yet). */
  private distinctCache: Int32Array | undefined;

  /** Distinct documents with the term in any field: a merge of its per-field postings (each sorted by document). */
  distinctDocs(id: number): number {
    this.distinctCache ??= new Int32Array(this.terms.length).fill(-1);
    const known = this.distinctCache[id]!;
    if (known >= 0) return known;
    const docs = this.postDocs;
    const pos = [this.start(id, 0), this.start(id, 1), this.start(id, 2)];
    const end = [this.end(id, 0), this.end(id, 1), this.end(id, 2)];
    let count = 0;
    for (;;) {
      let next = -1;
      for (let f = 0; f < FIELD_COUNT; f++)
        if (pos[f]! < end[f]! && (next < 0 || docs[pos[f]!]! < next)) next = docs[pos[f]!]!;
      if (next < 0) break;
      count++;
      for (let f = 0; f < FIELD_COUNT; f++) if (pos[f]! < end[f]! && docs[pos[f]!] === next) pos[f]!++;
    }
    this.distinctCache[id] = count;
    return count;
  }

  /**
   * Open-addressing hash table of ids (local document + 1; 0 empty), sized once, so it fills in slices without
   * rehashing.
   */
  private refTable: Int32Array | undefined;
  private refTableFilled = 0;

  /** Local document of an id, or -1 (the id table is built on first use, or ahead of time by fillRefIndex). */
  localOrdinal(ref: string): number {
    if (this.refTableFilled < this.n) while (!this.fillRefIndex(Infinity));
    const table = this.refTable!;
    const mask = table.length - 1;
    for (let slot = hashString(ref) & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) return -1;
      if (this.refs[entry - 1] === ref) return entry - 1;
    }
  }

  /** Adds up to `count` more ids to the id table; true when it is complete (lets a caller build it in slices). */
  fillRefIndex(count: number): boolean {
    if (!this.refTable) {
      let size = 16;
      while (size < this.n * 2) size *= 2;
      this.refTable = new Int32Array(size);
    }
    const table = this.refTable;
    const mask = table.length - 1;
    const end = Math.min(this.n, this.refTableFilled + count);
    for (let i = this.refTableFilled; i < end; i++) {
      let slot = hashString(this.refs[i]!) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = i + 1;
    }
    this.refTableFilled = end;
    return end === this.n;
  }

  /** Parses the stored per-paper facts now (they are otherwise parsed on first use). */
  loadMeta(): void {
    this.meta(0);
  }

  meta(doc: number): DocMeta | undefined {
    if (this.metas === undefined) {
      this.metas = this.metaBytes.byteLength
        ? (JSON.parse(decoder.decode(this.metaBytes)) as ([string | null, string[], string, string?] | null)[])
        : null;
    }
    const m = this.metas?.[doc];
    if (!m) return undefined;
    return {
      ...(m[0] !== null ? { published: m[0] } : {}),
      categories: m[1],
      titleNorm: m[2],
      ...(m[3] ? { titleName: m[3] } : {}),
    };
  }
}
