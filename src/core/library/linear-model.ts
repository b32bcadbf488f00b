/**
 * A linear model over term vectors: w·x + b. Trained as arxiv-sanity-lite trains its per-user model, with the
 * library as positives against other papers as negatives, here by L2-regularized logistic regression with balanced
 * class weights (the positives count half, the random negatives the other half, however many papers each has), by
 * full-batch gradient descent. Papers the channel said 👎 to are negatives too, each weighing as much as one saved
 * paper. The centroid of the positives is the baseline it is measured against (docs/relevance.md).
 */
import { dot, type TermVector } from './term-vectors.ts';

export interface LinearModel {
  weights: Map<string, number>;
  bias: number;
}

export const TRAINING = {
  /** L2 penalty on the weights. */
  lambda: 1e-3,
  iterations: 80,
  learningRate: 5,
  /**
   * What one 👎 paper weighs, in saved papers: 1, set by reasoning rather than fitted (a 👎 and a save are the same
   * kind of evidence, one person's judgement of one paper; docs/relevance.md, "👎 feedback").
   */
  dislikeWeight: 1,
};

export function scoreVector(model: LinearModel, vector: TermVector): number {
  return dot(model.weights, vector.weights) + model.bias;
}

/** The positives' mean vector (a model with no bias): the tf-idf centroid. */
export function centroidModel(positives: readonly TermVector[]): LinearModel {
  const weights = new Map<string, number>();
  for (const vector of positives)
    for (const [token, weight] of vector.weights)
      weights.set(token, (weights.get(token) ?? 0) + weight / positives.length);
  return { weights, bias: 0 };
}

export function trainLogistic(
  positives: readonly TermVector[],
  negatives: readonly TermVector[],
  options = TRAINING,
  /** Papers people said 👎 to: negatives weighing `dislikeWeight` saved papers each. */
  disliked: readonly TermVector[] = [],
): LinearModel {
  // Dense over the terms the training papers use: a few thousand at most.
  const terms = new Map<string, number>();
  const rows: { idx: Int32Array; val: Float64Array; y: number; c: number }[] = [];
  const add = (vector: TermVector, y: number, c: number) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [token, weight] of vector.weights) {
      let i = terms.get(token);
      if (i === undefined) {
        i = terms.size;
        terms.set(token, i);
      }
      idx.push(i);
      val.push(weight);
    }
    rows.push({ idx: Int32Array.from(idx), val: Float64Array.from(val), y, c });
  };
  for (const vector of positives) add(vector, 1, 0.5 / positives.length);
  for (const vector of negatives) add(vector, 0, 0.5 / Math.max(1, negatives.length));
  for (const vector of disliked) add(vector, 0, (options.dislikeWeight * 0.5) / Math.max(1, positives.length));
  const w = new Float64Array(terms.size);
  const grad = new Float64Array(terms.size);
  let b = 0;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    grad.fill(0);
    let gradB = 0;
    for (const row of rows) {
      let z = b;
      for (let k = 0; k < row.idx.length; k++) z += w[row.idx[k]!]! * row.val[k]!;
      const error = (1 / (1 + Math.exp(-z)) - row.y) * row.c;
      for (let k = 0; k < row.idx.length; k++) grad[row.idx[k]!]! += error * row.val[k]!;
      gradB += error;
    }
    for (let j = 0; j < w.length; j++) w[j]! -= options.learningRate * (grad[j]! + options.lambda * w[j]!);
    b -= options.learningRate * gradB;
  }
  const weights = new Map<string, number>();
  for (const [token, i] of terms) if (w[i] !== 0) weights.set(token, w[i]!);
  return { weights, bias: b };
}
