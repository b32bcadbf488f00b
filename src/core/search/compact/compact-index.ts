/**
 * The compact inverted index: segments of papers searched as one corpus, with Lunr's exact scoring or BM25F
 * (Scoring.bm25f, what search uses). Lunr's: per (term, field, document)
 * weight = round3(idf × (k1+1)·tf / (k1·(1 − b + b·len/avgLen) + tf) × field boost) with lunr.idf over the whole corpus (df summed over fields), exactly as lunr.Builder#createFieldVectors; a query
 * scores Σ over fields of dot(queryVector, fieldVector) / |queryVector| with REQUIRED / PROHIBITED as
 * lunr.Index#query. Evaluation is term-at-a-time into reusable accumulators; nothing is allocated per posting.
 */

import { searchTerms } from './analyzer.ts';
import { type DocMeta, FIELD_COUNT, type Segment } from './segment.ts';

/** The indexed fields, in segment order. */
export const FIELDS = ['title', 'abstract', 'authors'] as const;
export type Field = (typeof FIELDS)[number];

export interface Scoring {
  k1: number;
  b: number;
  boosts: readonly number[];
  /**
   * BM25F (Robertson et al., 2004): a term's frequencies in the fields, each weighted by its boost and normalized by
   * the field's length, are summed before one saturation, with idf over distinct papers. Default: Lunr's scoring (a
   * BM25 per field, summed).
   */
  bm25f?: boolean;
}

/** One term of a query, as lunr.Query#term takes it. */
export interface Clause {
  term: string;
  /** Only these fields (default: all). */
  fields?: readonly Field[];
  presence?: 'required' | 'optional' | 'prohibited';
  boost?: number;
  /** The term is already an index token (analyzed); skip the search pipeline. */
  analyzed?: boolean;
  /** Match any token starting with the term (autocomplete, `transform*`). */
  prefix?: boolean;
}

/** A word pair's key is a · PAIR_SHIFT + b over a segment's term ids: unique while it has under 2^26 terms. */
const PAIR_SHIFT = 2 ** 26;

interface Pair {
  term: string;
  field: number;
  coef: number;
  bits: number[];
}

/**
 * Reusable per-document accumulators of an evaluation, sized to the largest index evaluated. Evaluation is synchronous,
 * so one set serves every index of the process (the search and related-papers views of a corpus, and an old index
 * still answering while a new one is prepared): stamps only ever grow, so nothing one evaluation left is taken for
 * another's.
 */
class Scratch {
  epoch = 0;
  clauseStamp = 0;
  termStamp = 0;
  seen = new Uint32Array(0);
  acc = new Float64Array(0);
  maskBuf = new Uint32Array(0);
  reqEpoch = new Uint32Array(0);
  reqCount = new Uint16Array(0);
  reqLast = new Uint32Array(0);
  prohibited = new Uint32Array(0);
  touched = new Uint32Array(0);
  // BM25F: a term's pseudo frequency per document, and the documents it touched.
  ptf = new Float64Array(0);
  ptfStamp = new Uint32Array(0);
  ptfTouched = new Uint32Array(0);

  ensure(n: number, words: number): void {
    if (this.seen.length < n) {
      this.seen = new Uint32Array(n);
      this.acc = new Float64Array(n);
      this.reqEpoch = new Uint32Array(n);
      this.reqCount = new Uint16Array(n);
      this.reqLast = new Uint32Array(n);
      this.prohibited = new Uint32Array(n);
      this.touched = new Uint32Array(n);
      this.epoch = 0;
      this.clauseStamp = 0;
    }
    if (this.maskBuf.length < n * words) this.maskBuf = new Uint32Array(n * words);
    if (this.epoch >= 0xfffffff0 || this.clauseStamp >= 0xfffffff0) {
      this.seen.fill(0);
      this.reqEpoch.fill(0);
      this.reqLast.fill(0);
      this.prohibited.fill(0);
      this.epoch = 0;
      this.clauseStamp = 0;
    }
  }

  ensureTermSums(n: number): void {
    if (this.ptf.length >= n && this.termStamp < 0xfffffff0) return;
    this.ptf = new Float64Array(Math.max(n, this.ptf.length));
    this.ptfStamp = new Uint32Array(this.ptf.length);
    this.ptfTouched = new Uint32Array(this.ptf.length);
    this.termStamp = 0;
  }
}

const scratch = new Scratch();

/** All documents a query matched (after REQUIRED / PROHIBITED), unsorted, with what each matched. */
export class QueryResult {
  constructor(
    readonly index: CompactIndex,
    readonly count: number,
    readonly docs: Uint32Array,
    readonly scores: Float64Array,
    /** Bits of the clause keys each document matched, `words` Uint32 per document. */
    readonly masks: Uint32Array,
    readonly words: number,
    /** Clause key (the clause's term as given) → bit. */
    readonly keys: Map<string, number>,
    private readonly positive: { term: string; fields: number[] }[],
  ) {}

  ref(i: number): string {
    return this.index.ref(this.docs[i]!);
  }

  hasKey(i: number, key: string): boolean {
    const bit = this.keys.get(key);
    if (bit === undefined) return false;
    return (this.masks[i * this.words + (bit >>> 5)]! & (1 << (bit & 31))) !== 0;
  }

  private resolved: Int32Array[] | undefined;

  /** Sum of the weights of the given word pairs ("a b") adjacent in the document's title or abstract (see pairsIn). */
  pairsIn(i: number, pairs: ReadonlyMap<string, number>): number {
    return this.index.pairsIn(this.docs[i]!, pairs);
  }

  /** Index terms the document matched, with their fields (what Lunr's matchData.metadata holds). */
  matched(i: number): Map<string, Field[]> {
    const doc = this.docs[i]!;
    const out = new Map<string, Field[]>();
    const segments = this.index.segments;
    this.resolved ??= segments.map((segment) => Int32Array.from(this.positive, ({ term }) => segment.termId(term)));
    const s = this.index.segmentIndexOf(doc);
    const local = doc - this.index.baseOf(s);
    const ids = this.resolved[s]!;
    for (let t = 0; t < this.positive.length; t++) {
      const { term, fields } = this.positive[t]!;
      const id = ids[t]!;
      if (id < 0) continue;
      for (const f of fields) {
        if (!segments[s]!.contains(id, f, local)) continue;
        const list = out.get(term) ?? [];
        if (!list.includes(FIELDS[f]!)) list.push(FIELDS[f]!);
        out.set(term, list);
      }
    }
    for (const list of out.values()) list.sort((a, b) => FIELDS.indexOf(a) - FIELDS.indexOf(b));
    return out;
  }
}

export class CompactIndex {
  readonly size: number;
  private readonly bases: number[] = [];
  private readonly avgLen: number[] = [];
  /** Per (document, field): k1 · (1 − b + b · len / avgLen), the length part of BM25's denominator. */
  private normCache: Float64Array | undefined;
  private pairCache = new WeakMap<ReadonlyMap<string, number>, { byKey: Map<number, number>; firsts: Int32Array }[]>();

  constructor(
    readonly segments: readonly Segment[],
    readonly scoring: Scoring,
  ) {
    let n = 0;
    const total = [0, 0, 0];
    for (const segment of segments) {
      this.bases.push(n);
      n += segment.n;
      for (let f = 0; f < FIELD_COUNT; f++) total[f]! += segment.totalLen[f]!;
    }
    this.size = n;
    for (let f = 0; f < FIELD_COUNT; f++) this.avgLen.push(total[f]! / n);
  }

  /**
   * The same corpus plus one more segment (appended papers): scores as a full rebuild would give. Cheap: the
   * segments are shared; what depends on the whole corpus (length norms) is computed by prepare() or on first use.
   */
  withSegment(segment: Segment): CompactIndex {
    return new CompactIndex([...this.segments, segment], this.scoring);
  }

  /**
   * Work a new index would otherwise do inside its first queries, as small steps (a caller runs a few per
   * event-loop turn before swapping the index in): length norms and query scratch.
   */
  *prepare(): Generator<void, void, void> {
    if (!this.normCache) {
      yield* this.computeNorms();
      yield;
    }
    scratch.ensure(this.size, 1);
    yield;
  }

  segmentIndexOf(doc: number): number {
    return this.segmentOf(doc);
  }

  baseOf(segment: number): number {
    return this.bases[segment]!;
  }

  private segmentOf(doc: number): number {
    const bases = this.bases;
    let lo = 0;
    let hi = bases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (bases[mid]! <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  ref(doc: number): string {
    const s = this.segmentOf(doc);
    return this.segments[s]!.refs[doc - this.bases[s]!]!;
  }

  ordinal(ref: string): number | undefined {
    // Newest segment first (an id is in one segment only: appends add new papers, anything else rebuilds).
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const local = this.segments[s]!.localOrdinal(ref);
      if (local >= 0) return this.bases[s]! + local;
    }
    return undefined;
  }

  meta(doc: number): DocMeta | undefined {
    const s = this.segmentOf(doc);
    return this.segments[s]!.meta(doc - this.bases[s]!);
  }

  has(term: string): boolean {
    return this.segments.some((segment) => segment.termId(term) >= 0);
  }

  /** Documents with the term, summed over fields: the document frequency lunr.idf counts. */
  fieldDf(term: string): number {
    let df = 0;
    for (const segment of this.segments) {
      const id = segment.termId(term);
      if (id >= 0) df += segment.fieldPostings(id);
    }
    return df;
  }

  /** Distinct documents with the term in any field. */
  docFreq(term: string): number {
    let df = 0;
    for (const segment of this.segments) {
      const id = segment.termId(term);
      if (id >= 0) df += segment.distinctDocs(id);
    }
    return df;
  }

  /** Index terms starting with `prefix` (the term itself included), sorted. */
  termsWithPrefix(prefix: string): string[] {
    const out = new Set<string>();
    for (const segment of this.segments) {
      for (let i = segment.lowerBound(prefix); i < segment.terms.length && segment.terms[i]!.startsWith(prefix); i++)
        out.add(segment.terms[i]!);
    }
    const list = [...out];
    return this.segments.length > 1 ? list.sort() : list;
  }

  /** Index terms within `distance` insertions, deletions, substitutions or transpositions (Lunr's fuzzy edits). */
  fuzzy(term: string, distance: number): string[] {
    const out = new Set<string>();
    const mask = charMask(term);
    for (const segment of this.segments) {
      const { byLength, masks } = fuzzyTable(segment);
      for (let length = Math.max(0, term.length - distance); length <= term.length + distance; length++) {
        for (const id of byLength.get(length) ?? []) {
          // An edit changes at most two characters' presence, so terms that differ in more are too far already.
          if (popcount(masks[id]! ^ mask) > 2 * distance) continue;
          const candidate = segment.terms[id]!;
          if (withinDistance(term, candidate, distance)) out.add(candidate);
        }
      }
    }
    return [...out].sort();
  }

  /** The terms stand consecutively, in this order, in the document's title (stop words are not indexed). */
  titleHasSequence(doc: number, terms: readonly string[]): boolean {
    return this.titleSequence(terms)(doc);
  }

  /**
   * titleHasSequence for many documents: the terms are looked up once per segment, not once per document (a query
   * checks every paper that matches all its words).
   */
  titleSequence(terms: readonly string[]): (doc: number) => boolean {
    if (!terms.length) return () => false;
    const ids = this.segments.map((segment) => {
      const list = Int32Array.from(terms, (t) => segment.termId(t));
      return list.some((id) => id < 0) ? undefined : list;
    });
    return (doc) => {
      const s = this.segmentOf(doc);
      const wanted = ids[s];
      return wanted !== undefined && this.segments[s]!.titleHasRun(doc - this.bases[s]!, wanted);
    };
  }

  /** Sum of the weights of the given word pairs ("a b") that stand adjacent in the document's title or abstract. */
  pairsIn(doc: number, pairs: ReadonlyMap<string, number>): number {
    let resolved = this.pairCache.get(pairs);
    if (!resolved) {
      // Per segment: (local id of a) · PAIR_SHIFT + (local id of b) → weight, and the ids that start a pair.
      resolved = this.segments.map((segment) => {
        const byKey = new Map<number, number>();
        const firsts = new Set<number>();
        for (const [pair, w] of pairs) {
          const space = pair.indexOf(' ');
          const a = segment.termId(pair.slice(0, space));
          const b = segment.termId(pair.slice(space + 1));
          if (a >= 0 && b >= 0) {
            byKey.set(a * PAIR_SHIFT + b, w);
            firsts.add(a);
          }
        }
        return { byKey, firsts: Int32Array.from(firsts) };
      });
      this.pairCache.set(pairs, resolved);
    }
    const s = this.segmentOf(doc);
    const { byKey, firsts } = resolved[s]!;
    if (byKey.size === 0) return 0;
    const segment = this.segments[s]!;
    const local = doc - this.bases[s]!;
    let found = 0;
    let hit: Set<number> | undefined;
    // Pairs within the title, then within the abstract (never across them).
    for (let part = 0; part < 2; part++) {
      const tokens = part === 0 ? segment.titleTokens(local) : segment.abstractTokens(local);
      for (let i = 1; i < tokens.length; i++) {
        const a = tokens[i - 1]!;
        // Most words start no pair of the query: a look at a few ids, before any key is made.
        let starts = false;
        for (let f = 0; f < firsts.length && !starts; f++) starts = firsts[f] === a;
        if (!starts) continue;
        const b = tokens[i]!;
        if (a === b) continue;
        const key = a * PAIR_SHIFT + b;
        const w = byKey.get(key);
        if (w === undefined) continue;
        hit ??= new Set();
        if (hit.has(key)) continue;
        hit.add(key);
        found += w;
      }
    }
    return found;
  }

  private norms(): Float64Array {
    if (!this.normCache) for (const _ of this.computeNorms());
    return this.normCache!;
  }

  /** Fills normCache; yields every 32k entries so prepare() can spread it over event-loop turns. */
  private *computeNorms(): Generator<void, void, void> {
    const { k1, b } = this.scoring;
    const norms = new Float64Array(this.size * FIELD_COUNT);
    for (let s = 0; s < this.segments.length; s++) {
      const lens = this.segments[s]!.fieldLen;
      const base = this.bases[s]! * FIELD_COUNT;
      for (let i = 0; i < lens.length; i++) {
        norms[base + i] = k1 * (1 - b + b * (lens[i]! / this.avgLen[i % FIELD_COUNT]!));
        if ((i & 0x7fff) === 0x7fff) yield;
      }
    }
    this.normCache = norms;
  }

  /** Runs clauses with lunr.Index#query's semantics and scores; the result is unsorted. */
  evaluate(clauses: readonly Clause[]): QueryResult {
    const keys = new Map<string, number>();
    const pairs = new Map<string, Pair>();
    const positive: { term: string; fields: number[] }[] = [];
    const required: { term: string; field: number }[][] = [];
    const prohibitedPairs: { term: string; field: number }[] = [];
    const empty = () =>
      new QueryResult(this, 0, new Uint32Array(0), new Float64Array(0), new Uint32Array(0), 1, keys, positive);
    for (const clause of clauses) {
      const presence = clause.presence ?? 'optional';
      const fields = (clause.fields ?? FIELDS).map((f) => FIELDS.indexOf(f)).filter((f) => f >= 0);
      const boost = clause.boost ?? 1;
      const terms = clause.prefix || clause.analyzed ? [clause.term] : searchTerms(clause.term);
      let bit = -1;
      if (presence !== 'prohibited') {
        bit = keys.get(clause.term) ?? keys.size;
        keys.set(clause.term, bit);
      }
      const clauseRequired: { term: string; field: number }[] = [];
      let expandedAny = false;
      for (const term of terms) {
        const expanded = clause.prefix ? this.termsWithPrefix(term) : this.has(term) ? [term] : [];
        if (expanded.length === 0 && presence === 'required') return empty();
        for (const e of expanded) {
          expandedAny = true;
          for (const field of fields) {
            if (presence === 'prohibited') {
              prohibitedPairs.push({ term: e, field });
              continue;
            }
            if (presence === 'required') clauseRequired.push({ term: e, field });
            const key = `${field}\u0000${e}`;
            let pair = pairs.get(key);
            if (!pair) {
              pair = { term: e, field, coef: 0, bits: [] };
              pairs.set(key, pair);
            }
            pair.coef += boost;
            if (!pair.bits.includes(bit)) pair.bits.push(bit);
          }
          if (presence !== 'prohibited') positive.push({ term: e, fields });
        }
      }
      if (presence === 'required' && expandedAny) required.push(clauseRequired);
    }

    const words = Math.max(1, Math.ceil(keys.size / 32));
    scratch.ensure(this.size, words);
    const epoch = ++scratch.epoch;
    const { seen, acc, maskBuf, reqEpoch, reqCount, reqLast, prohibited, touched } = scratch;
    let touchedCount = 0;

    // Query vector magnitude per field (each (term, field) entry is the sum of its clause boosts).
    const magnitude = [0, 0, 0];
    for (const pair of pairs.values()) magnitude[pair.field]! += pair.coef * pair.coef;
    for (let f = 0; f < FIELD_COUNT; f++) magnitude[f] = Math.sqrt(magnitude[f]!);

    const { k1, boosts } = this.scoring;
    const N = this.size;
    const norms = this.norms();
    if (this.scoring.bm25f) {
      touchedCount = this.accumulateBm25f(pairs, words, epoch, touchedCount);
    }
    for (const pair of this.scoring.bm25f ? [] : pairs.values()) {
      const f = pair.field;
      const coef = magnitude[f]! > 0 ? pair.coef / magnitude[f]! : 0;
      const df = this.fieldDf(pair.term);
      const x = (N - df + 0.5) / (df + 0.5);
      const idf = Math.log(1 + Math.abs(x));
      const boost = boosts[f]!;
      const bitWords = pair.bits.map((bit) => bit >>> 5);
      const bitMasks = pair.bits.map((bit) => 1 << (bit & 31));
      const single = bitWords.length === 1 && words === 1 ? bitMasks[0]! : 0;
      for (let s = 0; s < this.segments.length; s++) {
        const segment = this.segments[s]!;
        const id = segment.termId(pair.term);
        if (id < 0 || segment.postingCount(id, f) === 0) continue;
        const base = this.bases[s]!;
        const { docs, tfs } = segment.postings(id, f);
        for (let j = 0; j < docs.length; j++) {
          const doc = base + docs[j]!;
          const tf = tfs[j]!;
          // Exactly lunr.Builder#createFieldVectors: idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (len / avg)) + tf),
          // boosted, 3 decimals.
          let score = (idf * ((k1 + 1) * tf)) / (norms[doc * FIELD_COUNT + f]! + tf);
          score *= boost;
          const weight = Math.round(score * 1000) / 1000;
          if (seen[doc] !== epoch) {
            seen[doc] = epoch;
            acc[doc] = 0;
            for (let w = 0; w < words; w++) maskBuf[doc * words + w] = 0;
            touched[touchedCount++] = doc;
          }
          acc[doc]! += coef * weight;
          if (single) maskBuf[doc]! |= single;
          else for (let k = 0; k < bitWords.length; k++) maskBuf[doc * words + bitWords[k]!]! |= bitMasks[k]!;
        }
      }
    }

    for (const clause of required) {
      const stamp = ++scratch.clauseStamp;
      this.forPostings(clause, (doc) => {
        if (reqLast[doc] === stamp) return;
        reqLast[doc] = stamp;
        if (reqEpoch[doc] !== epoch) {
          reqEpoch[doc] = epoch;
          reqCount[doc] = 0;
        }
        reqCount[doc]!++;
      });
    }
    this.forPostings(prohibitedPairs, (doc) => {
      prohibited[doc] = epoch;
    });

    const needed = required.length;
    let count = 0;
    const docsOut = new Uint32Array(touchedCount);
    for (let t = 0; t < touchedCount; t++) {
      const doc = touched[t]!;
      if (needed > 0 && (reqEpoch[doc] !== epoch || reqCount[doc]! < needed)) continue;
      if (prohibited[doc] === epoch) continue;
      docsOut[count++] = doc;
    }
    const docs = docsOut.subarray(0, count);
    const scores = new Float64Array(count);
    const masks = new Uint32Array(count * words);
    for (let i = 0; i < count; i++) {
      const doc = docs[i]!;
      scores[i] = acc[doc]!;
      for (let w = 0; w < words; w++) masks[i * words + w] = maskBuf[doc * words + w]!;
    }
    return new QueryResult(this, count, docs, scores, masks, words, keys, dedupePositive(positive));
  }

  /** BM25F accumulation of every (term, field) pair into acc / maskBuf; returns the new touched count. */
  private accumulateBm25f(pairs: Map<string, Pair>, words: number, epoch: number, touchedCount: number): number {
    const n = this.size;
    scratch.ensureTermSums(n);
    const { seen, acc, maskBuf, ptf, ptfStamp, ptfTouched, touched } = scratch;
    const { k1, boosts } = this.scoring;
    const norms = this.norms();
    const byTerm = new Map<string, Pair[]>();
    for (const pair of pairs.values()) {
      const list = byTerm.get(pair.term);
      if (list) list.push(pair);
      else byTerm.set(pair.term, [pair]);
    }
    for (const [term, list] of byTerm) {
      const stamp = ++scratch.termStamp;
      const df = this.docFreq(term);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      let coef = 0;
      for (const pair of list) coef = Math.max(coef, pair.coef);
      let count = 0;
      for (const pair of list) {
        const f = pair.field;
        const boost = boosts[f]!;
        const bitWords = pair.bits.map((bit) => bit >>> 5);
        const bitMasks = pair.bits.map((bit) => 1 << (bit & 31));
        const single = bitWords.length === 1 && words === 1 ? bitMasks[0]! : 0;
        for (let s = 0; s < this.segments.length; s++) {
          const segment = this.segments[s]!;
          const id = segment.termId(term);
          if (id < 0 || segment.postingCount(id, f) === 0) continue;
          const base = this.bases[s]!;
          const { docs, tfs } = segment.postings(id, f);
          for (let j = 0; j < docs.length; j++) {
            const doc = base + docs[j]!;
            // norms hold k1 · (1 − b + b · len / avg): the field's length normalization times k1.
            const add = (boost * tfs[j]! * k1) / norms[doc * FIELD_COUNT + f]!;
            if (ptfStamp[doc] !== stamp) {
              ptfStamp[doc] = stamp;
              ptf[doc] = 0;
              ptfTouched[count++] = doc;
            }
            ptf[doc]! += add;
            if (seen[doc] !== epoch) {
              seen[doc] = epoch;
              acc[doc] = 0;
              for (let w = 0; w < words; w++) maskBuf[doc * words + w] = 0;
              touched[touchedCount++] = doc;
            }
            if (single) maskBuf[doc]! |= single;
            else for (let k = 0; k < bitWords.length; k++) maskBuf[doc * words + bitWords[k]!]! |= bitMasks[k]!;
          }
        }
      }
      for (let t = 0; t < count; t++) {
        const doc = ptfTouched[t]!;
        const tf = ptf[doc]!;
        acc[doc]! += (coef * idf * (k1 + 1) * tf) / (k1 + tf);
      }
    }
    return touchedCount;
  }

  private forPostings(list: readonly { term: string; field: number }[], visit: (doc: number) => void): void {
    for (const { term, field } of list) {
      for (let s = 0; s < this.segments.length; s++) {
        const segment = this.segments[s]!;
        const id = segment.termId(term);
        if (id < 0 || segment.postingCount(id, field) === 0) continue;
        const base = this.bases[s]!;
        const docs = segment.postings(id, field).docs;
        for (let j = 0; j < docs.length; j++) visit(base + docs[j]!);
      }
    }
  }
}

/**
 * A segment's term ids grouped by length, and each term's character mask (see charMask): fuzzy matching compares only
 * terms of a near length and a near set of characters. Made once per segment, on its first fuzzy match.
 */
const fuzzyTables = new WeakMap<Segment, { byLength: Map<number, number[]>; masks: Uint32Array }>();

function fuzzyTable(segment: Segment): { byLength: Map<number, number[]>; masks: Uint32Array } {
  let table = fuzzyTables.get(segment);
  if (!table) {
    const byLength = new Map<number, number[]>();
    const masks = new Uint32Array(segment.terms.length);
    segment.terms.forEach((term, id) => {
      masks[id] = charMask(term);
      const list = byLength.get(term.length);
      if (list) list.push(id);
      else byLength.set(term.length, [id]);
    });
    table = { byLength, masks };
    fuzzyTables.set(segment, table);
  }
  return table;
}

/** Which of 32 buckets of characters (code unit mod 32) the text uses. */
function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask >>> 0;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function dedupePositive(list: { term: string; fields: number[] }[]): { term: string; fields: number[] }[] {
  const byTerm = new Map<string, Set<number>>();
  for (const { term, fields } of list) {
    const set = byTerm.get(term) ?? new Set<number>();
    for (const f of fields) set.add(f);
    byTerm.set(term, set);
  }
  return [...byTerm].map(([term, fields]) => ({ term, fields: [...fields].sort() }));
}

/** Optimal string alignment distance of a and b is at most `max`. */
export function withinDistance(a: string, b: string, max: number): boolean {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return false;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0]!;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return false;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]! <= max;
}
