// Kernel Inception Distance (KID). Bińkowski, Sutherland, Arbel, Gretton, "Demystifying MMD GANs",
// ICLR 2018.
//
// Definition used: the unbiased estimator of the squared MMD with the polynomial kernel
//   k(x, y) = (x . y / d + 1)^3          (d = feature dimension)
// on subsets of m = min(1000, n_real, n_fake) samples drawn without replacement from each set:
//   MMD^2_u = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (m (m - 1))
//             - 2 sum_{i, j} k(x_i, y_j) / m^2
// averaged over 100 subsets; the reported std is the population std (divisor 100) over subsets.
// Subsets come from a seeded mulberry32 stream (src/metrics/rng.ts): for each subset, m real
// indices then m fake indices, each by a partial Fisher-Yates shuffle.
//
// `gram: 'tfjs'` computes the dot products with tf.matMul in float32 (the native gemm: ~50x
// faster) and the cubes and sums in float64; the default 'float64' is the exact reference path.
import * as tf from '@tensorflow/tfjs-core';

import { checkFeatures, type Features } from './linalg.js';
import { mulberry32, sampleWithoutReplacement } from './rng.js';

export interface KidOptions {
  /** Number of subsets (100). */
  subsets?: number;
  /** Largest subset size (1000). */
  subsetSize?: number;
  /** Seed of the subset sampler (0). */
  seed?: number;
  /** How the Gram matrices are computed: 'float64' in JS (exact, default) or 'tfjs' (float32 matMul). */
  gram?: 'float64' | 'tfjs';
}

export interface KidResult {
  mean: number;
  std: number;
  /** MMD^2_u of each subset. */
  values: number[];
  subsetSize: number;
}

/** Rows `idx` of f as a contiguous float64 [idx.length, dim] matrix. */
function gather(f: Features, idx: ArrayLike<number>): Float64Array {
  const d = f.dim;
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) {
    const src = idx[r] * d;
    for (let k = 0; k < d; k++) out[r * d + k] = f.data[src + k];
  }
  return out;
}

/** Sum of (a_i . b_j / d + 1)^3 over i, j (over i < j only, when `upper`: a and b are the same set). */
function kernelSum(a: Float64Array, m: number, b: Float64Array, n: number, d: number, upper: boolean): number {
  let total = 0;
  const d4 = d - (d % 4);
  for (let i = 0; i < m; i++) {
    const ai = i * d;
    for (let j = upper ? i + 1 : 0; j < n; j++) {
      const bj = j * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k < d4; k += 4) {
        s0 += a[ai + k] * b[bj + k];
        s1 += a[ai + k + 1] * b[bj + k + 1];
        s2 += a[ai + k + 2] * b[bj + k + 2];
        s3 += a[ai + k + 3] * b[bj + k + 3];
      }
      for (; k < d; k++) s0 += a[ai + k] * b[bj + k];
      const v = (s0 + s1 + s2 + s3) / d + 1;
      total += v * v * v;
    }
  }
  return total;
}

/** The three kernel sums (x-x over i<j, y-y over i<j, x-y over all) from float32 tf.matMul Gram matrices. */
function kernelSumsTfjs(a: Float64Array, m: number, b: Float64Array, n: number, d: number): [number, number, number] {
  // (tidy must return tensors: it walks a returned typed array element by element.)
  const grams = tf.tidy(() => {
    const ta = tf.tensor2d(Float32Array.from(a), [m, d]); // [m, d]
    const tb = tf.tensor2d(Float32Array.from(b), [n, d]); // [n, d]
    return [tf.matMul(ta, ta, false, true), tf.matMul(tb, tb, false, true), tf.matMul(ta, tb, false, true)];
  });
  const [gxx, gyy, gxy] = grams.map((g) => g.dataSync() as Float32Array);
  tf.dispose(grams);
  const sum = (g: Float32Array, rows: number, cols: number, upper: boolean) => {
    let t = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = upper ? i + 1 : 0; j < cols; j++) {
        const v = g[i * cols + j] / d + 1;
        t += v * v * v;
      }
    }
    return t;
  };
  return [sum(gxx, m, m, true), sum(gyy, n, n, true), sum(gxy, m, n, false)];
}

/** Unbiased MMD^2 with the cubic polynomial kernel between the rows `ix` of x and `iy` of y. */
export function polynomialMmd2(
  x: Features,
  y: Features,
  ix?: ArrayLike<number>,
  iy?: ArrayLike<number>,
  gram: 'float64' | 'tfjs' = 'float64',
): number {
  checkFeatures(x, 'KID real');
  checkFeatures(y, 'KID fake');
  if (x.dim !== y.dim) throw new Error(`KID: feature dimensions differ (${x.dim} vs ${y.dim})`);
  const rx = ix ?? Array.from({ length: x.n }, (_, i) => i);
  const ry = iy ?? Array.from({ length: y.n }, (_, i) => i);
  const m = rx.length;
  const n = ry.length;
  if (m < 2 || n < 2) throw new Error('KID needs at least 2 samples on each side');
  const d = x.dim;
  const a = gather(x, rx);
  const b = gather(y, ry);
  const [kxx, kyy, kxy] =
    gram === 'tfjs'
      ? kernelSumsTfjs(a, m, b, n, d)
      : [kernelSum(a, m, a, m, d, true), kernelSum(b, n, b, n, d, true), kernelSum(a, m, b, n, d, false)];
  return (2 * kxx) / (m * (m - 1)) + (2 * kyy) / (n * (n - 1)) - (2 * kxy) / (m * n);
}

/** KID: mean and std of MMD^2_u over seeded subsets. */
export function kid(real: Features, fake: Features, opts: KidOptions = {}): KidResult {
  const subsets = opts.subsets ?? 100;
  const size = Math.min(opts.subsetSize ?? 1000, real.n, fake.n);
  if (!(subsets >= 1)) throw new Error(`KID: subsets must be >= 1, got ${subsets}`);
  const rand = mulberry32(opts.seed ?? 0);
  const values: number[] = [];
  for (let s = 0; s < subsets; s++) {
    const ix = sampleWithoutReplacement(rand, real.n, size);
    const iy = sampleWithoutReplacement(rand, fake.n, size);
    values.push(polynomialMmd2(real, fake, ix, iy, opts.gram ?? 'float64'));
  }
  const mean = values.reduce((a, b) => a + b, 0) / subsets;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / subsets);
  return { mean, std, values, subsetSize: size };
}
