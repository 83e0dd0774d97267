// Seeded pseudo-random numbers for the metrics that subsample (KID): mulberry32, a 32-bit generator
// simple enough to reproduce exactly in the float64 reference (scripts/make_metric_fixtures.py).

/** Uniform floats in [0, 1) from a 32-bit seed (the same mulberry32 the data samplers use). */
export { mulberry32 } from '../data/types.js';

/**
 * `m` distinct indices from [0, n), drawn by a partial Fisher-Yates shuffle: for i in 0..m-1, swap
 * position i with i + floor(u * (n - i)). Returns the first m positions.
 */
export function sampleWithoutReplacement(rand: () => number, n: number, m: number): Int32Array {
  if (m > n) throw new Error(`cannot draw ${m} distinct indices from ${n}`);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m);
}
