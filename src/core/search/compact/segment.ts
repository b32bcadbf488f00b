/**
 * One immutable segment of the compact index: a batch of papers indexed the way lunr.Builder indexes them
 * (same terms, same per-field term frequencies and field lengths), stored as a sorted vocabulary and typed
 * arrays in one buffer, so it can be built in a worker, transferred, written to disk and loaded without parsing.
 * Weights are not stored: they depend on the whole corpus (N, df, average lengths) and are computed at query time.
 */
import { analyzeToken, rawTokens } from './analyzer.ts';

export const FIELD_COUNT = 3;
const MAGIC = 0x47534250; // "PBSG"

export interface SegmentMeta {
  published?: string;
  categories: string[];
  titleNorm: string;
}

export interface SegmentDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string;
  meta?: SegmentMeta;
}

class Grow {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) { this.data = new Uint32Array(capacity); }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const align8 = (n: number) => (n + 7) & ~7;

/** Indexes documents (fields title, abstract, authors, in that order) into one segment buffer. */
export function buildSegment(docs: Iterable<SegmentDoc>): Uint8Array {
  const termIds = new Map<string, number>();
  const termList: string[] = [];
  const pKey = new Grow(1 << 16);
  const pDoc = new Grow(1 << 16);
  const pTf = new Grow(1 << 16);
  const fieldLen = new Grow();
  const fwd = new Grow(1 << 16);
  const fwdOffsets = new Grow();
  const refs: string[] = [];
  const metas: unknown[] = [];
  let hasMeta = false;
  const totalLen = [0, 0, 0];
  // Raw token → term id (-1: dropped by the pipeline), so each distinct word is analyzed and looked up once.
  const rawIds = new Map<string, number>();
  let tfCount = new Uint32Array(1 << 16);
  const fieldTerms: number[] = [];
  const NONE = 0xffffffff;
  let n = 0;
  for (const doc of docs) {
    const d = n++;
    refs.push(doc.id);
    if (doc.meta) hasMeta = true;
    metas.push(doc.meta ? [doc.meta.published ?? null, doc.meta.categories, doc.meta.titleNorm] : null);
    fwdOffsets.push(fwd.length);
    const texts = [doc.title, doc.abstract, doc.authors];
    for (let f = 0; f < FIELD_COUNT; f++) {
      fieldTerms.length = 0;
      let len = 0;
      for (const raw of rawTokens(texts[f])) {
        let id = rawIds.get(raw);
        if (id === undefined) {
          const term = analyzeToken(raw);
          if (term === null) id = -1;
          else {
            id = termIds.get(term);
            if (id === undefined) {
              id = termList.length;
              termIds.set(term, id);
              termList.push(term);
              if (id >= tfCount.length) {
                const next = new Uint32Array(tfCount.length * 2);
                next.set(tfCount);
                tfCount = next;
              }
            }
          }
          rawIds.set(raw, id);
        }
        if (id < 0) continue;
        len++;
        if (tfCount[id] === 0) fieldTerms.push(id);
        tfCount[id] = tfCount[id]! + 1;
        // The forward index keeps title and abstract word order (for word-pair proximity), without empty terms.
        if (f < 2 && termList[id] !== '') fwd.push(id);
      }
      if (f === 0) fwd.push(NONE);
      fieldLen.push(len);
      totalLen[f]! += len;
      for (const id of fieldTerms) {
        pKey.push(id * FIELD_COUNT + f);
        pDoc.push(d);
        pTf.push(tfCount[id]!);
        tfCount[id] = 0;
      }
    }
  }
  fwdOffsets.push(fwd.length);

  // Sorted vocabulary: term id = rank in code-unit order.
  const order = termList.map((_, i) => i).sort((a, b) => (termList[a]! < termList[b]! ? -1 : 1));
  const rank = new Uint32Array(termList.length);
  order.forEach((old, i) => { rank[old] = i; });
  const T = termList.length;
  const P = pKey.length;
  const postOffsets = new Uint32Array(T * FIELD_COUNT + 1);
  for (let i = 0; i < P; i++) {
    const key = pKey.data[i]!;
    postOffsets[rank[(key / FIELD_COUNT) | 0]! * FIELD_COUNT + (key % FIELD_COUNT) + 1]!++;
  }
  for (let i = 1; i < postOffsets.length; i++) postOffsets[i]! += postOffsets[i - 1]!;
  const cursor = postOffsets.slice(0, T * FIELD_COUNT);
  const postDocs = new Uint32Array(P);
  const postTf = new Uint16Array(P);
  for (let i = 0; i < P; i++) {
    const key = pKey.data[i]!;
    const bucket = rank[(key / FIELD_COUNT) | 0]! * FIELD_COUNT + (key % FIELD_COUNT);
    const at = cursor[bucket]!++;
    postDocs[at] = pDoc.data[i]!;
    postTf[at] = Math.min(pTf.data[i]!, 0xffff);
  }
  const fwdArr = new Int32Array(fwd.length);
  for (let i = 0; i < fwd.length; i++) {
    const id = fwd.data[i]!;
    fwdArr[i] = id === NONE ? -1 : rank[id]!;
  }

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
  private metas: ([string | null, string[], string] | null)[] | null | undefined;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.byteOffset % 8 !== 0) bytes = this.bytesCopy(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) throw new Error('not a search index segment');
    const headerLen = view.getUint32(4, true);
    const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLen))) as {
      n: number; terms: number; postings: number; totalLen: number[]; layout: Record<string, [number, number]>;
    };
    const start = align8(8 + headerLen);
    const section = (name: string) => {
      const [off, len] = header.layout[name]!;
      return { byteOffset: bytes.byteOffset + start + off, len };
    };
    const u32 = (name: string) => { const s = section(name); return new Uint32Array(bytes.buffer, s.byteOffset, s.len / 4); };
    const raw = (name: string) => { const s = section(name); return new Uint8Array(bytes.buffer, s.byteOffset, s.len); };
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
    if (this.terms.length !== header.terms || this.refs.length !== header.n) throw new Error('search index segment is inconsistent');
  }

  private bytesCopy(bytes: Uint8Array): Uint8Array {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return copy;
  }

  /** Local term id, or -1. */
  termId(term: string): number {
    const terms = this.terms;
    let lo = 0;
    let hi = terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = terms[mid]!;
      if (t === term) return mid;
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
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
  start(id: number, field: number): number { return this.postOffsets[id * FIELD_COUNT + field]!; }
  end(id: number, field: number): number { return this.postOffsets[id * FIELD_COUNT + field + 1]!; }

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

  /** Distinct documents with the term in any field. */
  distinctDocs(id: number): number {
    const docs = this.postDocs;
    const ranges = [0, 1, 2].map((f) => [this.start(id, f), this.end(id, f)]);
    const seen = new Set<number>();
    let plain = 0;
    for (const [s, e] of ranges) { plain += e! - s!; }
    if (ranges.filter(([s, e]) => e! > s!).length <= 1) return plain;
    for (const [s, e] of ranges) for (let i = s!; i < e!; i++) seen.add(docs[i]!);
    return seen.size;
  }

  meta(doc: number): SegmentMeta | undefined {
    if (this.metas === undefined) {
      this.metas = this.metaBytes.byteLength ? JSON.parse(decoder.decode(this.metaBytes)) as ([string | null, string[], string] | null)[] : null;
    }
    const m = this.metas?.[doc];
    if (!m) return undefined;
    return { ...(m[0] !== null ? { published: m[0] } : {}), categories: m[1], titleNorm: m[2] };
  }
}
