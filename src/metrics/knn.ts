// Nearest-neighbour distances for the manifold metrics (precision/recall, density/coverage):
// Euclidean distances, computed block by block, either exactly in float64 (the reference path) or
// through tf.matMul in float32 as sqrt(|a|^2 + |b|^2 - 2 a.b) (the native gemm: fast enough for
// 10,000 x 10,000 on two cores; differences only on near-exact ties).
import * as tf from '@tensorflow/tfjs-core';

import { checkFeatures, type Features } from './linalg.js';

/** 'float64': exact JS loops; 'tfjs': float32 matMul. */
export type DistanceMode = 'float64' | 'tfjs';

/** Euclidean distances from row i of `a` to every row of `b`, into `out` (length b.n). */
export function distanceRow(a: Features, i: number, b: Features, out: Float64Array): void {
  const d = a.dim;
  const ai = i * d;
  for (let j = 0; j < b.n; j++) {
    const bj = j * d;
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = a.data[ai + k] - b.data[bj + k];
      s += t * t;
    }
    out[j] = Math.sqrt(s);
  }
}

/**
 * Calls `fn(i, row)` for every row i of `a` with its distances to all rows of `b` (row length b.n).
 * The row buffer is reused: copy what you keep.
 */
export function forEachDistanceRow(
  a: Features,
  b: Features,
  mode: DistanceMode,
  fn: (i: number, row: ArrayLike<number>) => void,
): void {
  if (mode === 'float64') {
    const row = new Float64Array(b.n);
    for (let i = 0; i < a.n; i++) {
      distanceRow(a, i, b, row);
      fn(i, row);
    }
    return;
  }
  const d = a.dim;
  const block = Math.max(1, Math.min(a.n, Math.floor(8_000_000 / Math.max(b.n, 1))));
  const tb = tf.tensor2d(Float32Array.from(b.data), [b.n, d]); // [nb, d]
  const bNorm = tf.tidy(() => tf.reshape(tf.sum(tf.square(tb), 1), [1, b.n])); // [1, nb]
  try {
    for (let i0 = 0; i0 < a.n; i0 += block) {
      const rows = Math.min(block, a.n - i0);
      // (tidy returns a tensor: it would walk a returned typed array element by element.)
      const dist = tf.tidy(() => {
        const ta = tf.tensor2d(Float32Array.from(a.data.subarray(i0 * d, (i0 + rows) * d)), [rows, d]); // [rows, d]
        const aNorm = tf.sum(tf.square(ta), 1, true); // [rows, 1]
        const d2 = tf.sub(tf.add(aNorm, bNorm), tf.mul(tf.matMul(ta, tb, false, true), 2)); // [rows, nb]
        return tf.sqrt(tf.relu(d2));
      });
      const v = dist.dataSync() as Float32Array;
      dist.dispose();
      for (let r = 0; r < rows; r++) fn(i0 + r, v.subarray(r * b.n, (r + 1) * b.n));
    }
  } finally {
    tf.dispose([tb, bNorm]);
  }
}

/**
 * Distance from each row of `x` to its k-th nearest neighbour among the OTHER rows of `x` (self
 * excluded by index; equal to the (k+1)-th smallest distance counting the row itself at 0).
 */
export function kthNeighbourDistances(x: Features, k: number, mode: DistanceMode = 'float64'): Float64Array {
  checkFeatures(x);
  if (!Number.isInteger(k) || k < 1 || k >= x.n)
    throw new Error(`k-NN: k must be an integer in [1, ${x.n - 1}], got ${k}`);
  const out = new Float64Array(x.n);
  const best = new Float64Array(k); // the k smallest, ascending
  forEachDistanceRow(x, x, mode, (i, row) => {
    best.fill(Infinity);
    for (let j = 0; j < x.n; j++) {
      if (j === i) continue;
      const v = row[j];
      if (v >= best[k - 1]) continue;
      let p = k - 1;
      while (p > 0 && best[p - 1] > v) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = v;
    }
    out[i] = best[k - 1];
  });
  return out;
}

export function checkPair(a: Features, b: Features, what: string): void {
  checkFeatures(a, `${what} real`);
  checkFeatures(b, `${what} fake`);
  if (a.dim !== b.dim) throw new Error(`${what}: feature dimensions differ (${a.dim} vs ${b.dim})`);
}
