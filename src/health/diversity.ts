// Diversity statistics of a batch of feature vectors, used by the mode-collapse detector:
// mean pairwise L2 distance, and the nearest-neighbour distance of each sample within the batch.
// float64 throughout; O(n^2 d), meant for fixed batches of a few hundred samples.

export interface FeatureBatch {
  n: number;
  dim: number;
  /** Row-major [n, dim]. */
  data: ArrayLike<number>;
}

/** Pairwise L2 distances, a symmetric [n, n] matrix as a flat Float64Array. */
export function pairwiseDistances(b: FeatureBatch): Float64Array {
  const { n, dim, data } = b;
  if (data.length !== n * dim) throw new Error(`features: expected ${n}x${dim}=${n * dim} values, got ${data.length}`);
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const t = data[i * dim + k] - data[j * dim + k];
        s += t * t;
      }
      const v = Math.sqrt(s);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return d;
}

export interface DiversityStats {
  /** Mean L2 distance over the n(n-1)/2 distinct pairs. */
  meanPairwise: number;
  /** Distance from each sample to its nearest other sample. */
  nearest: Float64Array;
}

/** Mean pairwise distance and nearest-neighbour distances of a batch (n >= 2). */
export function diversityStats(b: FeatureBatch): DiversityStats {
  if (b.n < 2) throw new Error(`diversity needs at least 2 samples, got ${b.n}`);
  const d = pairwiseDistances(b);
  const n = b.n;
  let sum = 0;
  const nearest = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const v = d[i * n + j];
      if (j > i) sum += v;
      if (v < nearest[i]) nearest[i] = v;
    }
  }
  return { meanPairwise: sum / ((n * (n - 1)) / 2), nearest };
}

/** Mean pairwise L2 distance of a batch: what `collapse.referenceDiversity` expects for real data. */
export function batchDiversity(b: FeatureBatch): number {
  return diversityStats(b).meanPairwise;
}

/** The real-data references of the collapse detector, from a real batch of the fixed batch's size. */
export function referenceStats(b: FeatureBatch): { referenceDiversity: number; referenceNearest: number } {
  const st = diversityStats(b);
  const sorted = Float64Array.from(st.nearest).sort();
  const m = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  return { referenceDiversity: st.meanPairwise, referenceNearest: median };
}
