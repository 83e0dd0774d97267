// Nearest-neighbour distances for the manifold metrics (precision/recall, density/coverage):
// exact Euclidean distances in float64, computed row by row (O(n m d), no index structure).
import { checkFeatures, type Features } from './linalg.js';

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
 * Distance from each row of `x` to its k-th nearest neighbour among the OTHER rows of `x`
 * (the (k+1)-th smallest distance counting the row itself at 0).
 */
export function kthNeighbourDistances(x: Features, k: number): Float64Array {
  checkFeatures(x);
  if (!Number.isInteger(k) || k < 1 || k >= x.n) throw new Error(`k-NN: k must be an integer in [1, ${x.n - 1}], got ${k}`);
  const out = new Float64Array(x.n);
  const row = new Float64Array(x.n);
  const best = new Float64Array(k + 1); // the k+1 smallest, ascending
  for (let i = 0; i < x.n; i++) {
    distanceRow(x, i, x, row);
    best.fill(Infinity);
    for (let j = 0; j < x.n; j++) {
      const v = row[j];
      if (v >= best[k]) continue;
      let p = k;
      while (p > 0 && best[p - 1] > v) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = v;
    }
    out[i] = best[k];
  }
  return out;
}

export function checkPair(a: Features, b: Features, what: string): void {
  checkFeatures(a, `${what} real`);
  checkFeatures(b, `${what} fake`);
  if (a.dim !== b.dim) throw new Error(`${what}: feature dimensions differ (${a.dim} vs ${b.dim})`);
}
