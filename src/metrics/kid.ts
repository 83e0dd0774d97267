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
import { checkFeatures, type Features } from './linalg.js';
import { mulberry32, sampleWithoutReplacement } from './rng.js';

export interface KidOptions {
  /** Number of subsets (100). */
  subsets?: number;
  /** Largest subset size (1000). */
  subsetSize?: number;
  /** Seed of the subset sampler (0). */
  seed?: number;
}

export interface KidResult {
  mean: number;
  std: number;
  /** MMD^2_u of each subset. */
  values: number[];
  subsetSize: number;
}

function kernel(a: Features, i: number, b: Features, j: number): number {
  const d = a.dim;
  let s = 0;
  const ai = i * d;
  const bj = j * d;
  for (let k = 0; k < d; k++) s += a.data[ai + k] * b.data[bj + k];
  const v = s / d + 1;
  return v * v * v;
}

/** Unbiased MMD^2 with the cubic polynomial kernel between the rows `ix` of x and `iy` of y. */
export function polynomialMmd2(x: Features, y: Features, ix?: ArrayLike<number>, iy?: ArrayLike<number>): number {
  checkFeatures(x, 'KID real');
  checkFeatures(y, 'KID fake');
  if (x.dim !== y.dim) throw new Error(`KID: feature dimensions differ (${x.dim} vs ${y.dim})`);
  const rx = ix ?? Array.from({ length: x.n }, (_, i) => i);
  const ry = iy ?? Array.from({ length: y.n }, (_, i) => i);
  const m = rx.length;
  const n = ry.length;
  if (m < 2 || n < 2) throw new Error('KID needs at least 2 samples on each side');
  let kxx = 0;
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) kxx += kernel(x, rx[a], x, rx[b]);
  let kyy = 0;
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) kyy += kernel(y, ry[a], y, ry[b]);
  let kxy = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) kxy += kernel(x, rx[a], y, ry[b]);
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
    values.push(polynomialMmd2(real, fake, ix, iy));
  }
  const mean = values.reduce((a, b) => a + b, 0) / subsets;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / subsets);
  return { mean, std, values, subsetSize: size };
}
