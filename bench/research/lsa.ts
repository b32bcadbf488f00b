/**
 * TRIED AND DROPPED (issue 13 research; see the commit message for the figures).
 *
 * A corpus-trained semantic layer: latent semantic analysis (Deerwester et al., 1990) of the indexed papers
 * themselves, no downloaded model. The title + abstract term counts of every paper (the index's forward lists)
 * are weighted (1 + log tf) × idf and L2-normalized, and a truncated SVD by randomized range finding (Halko,
 * Martinsson & Tropp, 2011) gives each paper a dense vector; cosine between vectors is topical similarity that
 * does not need shared words.
 */
import type { CompactIndex } from '../../src/core/search/compact/compact-index.ts';
import { termCounts } from './term-counts.ts';

export const SEMANTIC = {
  /** Latent dimensions. */
  rank: 100,
  /** Power iterations of the range finder (more: closer to the exact SVD). */
  powerIterations: 2,
  /** Terms in fewer papers than this carry no shared meaning. */
  minDocFreq: 2,
};

export interface SemanticSpace {
  dims: number;
  /** Unit-length paper vectors, `dims` per paper, by global ordinal. */
  vectors: Float32Array;
}

interface Sparse {
  rows: number;
  cols: number;
  /** CSR: row offsets, column ids, values. */
  offsets: Uint32Array;
  cols_: Uint32Array;
  values: Float32Array;
}

/** Deterministic standard normal numbers (mulberry32 + Box–Muller), so the space is the same on every build. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

function termMatrix(index: CompactIndex): Sparse {
  const n = index.size;
  const ids = new Map<string, number>();
  const df: number[] = [];
  const docTerms: Map<string, number>[] = [];
  for (let doc = 0; doc < n; doc++) {
    const counts = termCounts(index, doc);
    docTerms.push(counts);
    for (const term of counts.keys()) {
      let id = ids.get(term);
      if (id === undefined) {
        id = df.length;
        ids.set(term, id);
        df.push(0);
      }
      df[id]!++;
    }
  }
  const offsets = new Uint32Array(n + 1);
  const cols: number[] = [];
  const values: number[] = [];
  for (let doc = 0; doc < n; doc++) {
    const start = cols.length;
    let norm = 0;
    for (const [term, tf] of docTerms[doc]!) {
      const id = ids.get(term)!;
      const d = df[id]!;
      if (d < SEMANTIC.minDocFreq || term.length < 2 || /^\d+$/.test(term)) continue;
      const w = (1 + Math.log(tf)) * Math.log(n / d);
      if (w <= 0) continue;
      cols.push(id);
      values.push(w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = start; j < values.length; j++) values[j]! /= norm;
    offsets[doc + 1] = cols.length;
  }
  return { rows: n, cols: df.length, offsets, cols_: Uint32Array.from(cols), values: Float32Array.from(values) };
}

/** Y (rows × l) = A X, X (cols × l), row-major. */
function multiply(a: Sparse, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let j = a.offsets[r]!; j < a.offsets[r + 1]!; j++) {
      const v = a.values[j]!;
      const xo = a.cols_[j]! * l;
      for (let c = 0; c < l; c++) y[yo + c]! += v * x[xo + c]!;
    }
  }
  return y;
}

/** Z (cols × l) = Aᵀ Y, Y (rows × l). */
function multiplyT(a: Sparse, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let j = a.offsets[r]!; j < a.offsets[r + 1]!; j++) {
      const v = a.values[j]!;
      const zo = a.cols_[j]! * l;
      for (let c = 0; c < l; c++) z[zo + c]! += v * y[yo + c]!;
    }
  }
  return z;
}

/** Orthonormalizes the l columns of a (rows × l, row-major) in place (modified Gram–Schmidt). */
function orthonormalize(m: Float64Array, rows: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += m[r * l + c]! * m[r * l + p]!;
      for (let r = 0; r < rows; r++) m[r * l + c]! -= dot * m[r * l + p]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += m[r * l + c]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < rows; r++) m[r * l + c]! /= norm;
  }
}

/** Eigenvalues and eigenvectors (columns) of a symmetric l × l matrix, by cyclic Jacobi rotations. */
function symmetricEigen(s: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

/** The papers' latent vectors (rank SEMANTIC.rank), unit length. */
export function buildSemanticSpace(index: CompactIndex): SemanticSpace {
  const a = termMatrix(index);
  const k = Math.min(SEMANTIC.rank, a.rows, a.cols);
  const l = Math.min(k + 10, a.rows, a.cols);
  const random = gaussian(13);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = random();
  let y = multiply(a, omega, l);
  orthonormalize(y, a.rows, l);
  for (let it = 0; it < SEMANTIC.powerIterations; it++) {
    const z = multiplyT(a, y, l);
    orthonormalize(z, a.cols, l);
    y = multiply(a, z, l);
    orthonormalize(y, a.rows, l);
  }
  // B = Qᵀ A (l × cols); B Bᵀ = Qᵀ A Aᵀ Q: its eigenvectors rotate Q onto the left singular vectors.
  const bt = multiplyT(a, y, l); // cols × l = Bᵀ
  const bbt = new Float64Array(l * l);
  for (let r = 0; r < a.cols; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const bi = bt[o + i]!;
      if (bi === 0) continue;
      for (let j = i; j < l; j++) bbt[i * l + j]! += bi * bt[o + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i]!;
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((p, q) => values[q]! - values[p]!);
  const top = order.slice(0, k);
  // Paper vectors U_k Σ_k = Q Ũ_k Σ_k, then unit length.
  const out = new Float32Array(a.rows * k);
  for (let r = 0; r < a.rows; r++) {
    let norm = 0;
    for (let c = 0; c < k; c++) {
      const e = top[c]!;
      const sigma = Math.sqrt(Math.max(0, values[e]!));
      let sum = 0;
      for (let i = 0; i < l; i++) sum += y[r * l + i]! * vectors[i * l + e]!;
      const x = sum * sigma;
      out[r * k + c] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (let c = 0; c < k; c++) out[r * k + c]! /= norm;
  }
  return { dims: k, vectors: out };
}

/** Cosine of paper `doc` with every paper (global ordinals). */
export function similarities(space: SemanticSpace, doc: number): Float32Array {
  const { dims, vectors } = space;
  const n = vectors.length / dims;
  const out = new Float32Array(n);
  const qo = doc * dims;
  for (let d = 0; d < n; d++) {
    let dot = 0;
    const o = d * dims;
    for (let c = 0; c < dims; c++) dot += vectors[qo + c]! * vectors[o + c]!;
    out[d] = dot;
  }
  return out;
}
