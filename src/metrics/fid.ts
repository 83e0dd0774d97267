// Fréchet Inception Distance (FID). Heusel, Ramsauer, Unterthiner, Nessler, Hochreiter, "GANs Trained
// by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium", NeurIPS 2017.
//
// Definition used: with (mu1, C1) and (mu2, C2) the mean and unbiased covariance (divisor n-1) of
// two feature sets,
//   FID = ||mu1 - mu2||^2 + tr(C1) + tr(C2) - 2 tr((C1 C2)^(1/2)).
// tr((C1 C2)^(1/2)) is computed as the sum of the square roots of the eigenvalues of the symmetric
// PSD matrix S C2 S, S = C1^(1/2) (which has the same eigenvalues as C1 C2), all in float64 with
// our own symmetric eigensolver (src/metrics/linalg.ts). If that fails (non-finite values, or an
// eigenvalue below -1e-6 relative to the largest), it is redone on C1 + 1e-6 I and C2 + 1e-6 I
// (the usual fallback of the reference implementation). Tiny negative eigenvalues are rounding
// and are clamped to 0.
//
// FID is biased in the sample size: compare numbers computed on the same n (10,000 or more).
import {
  checkFeatures,
  matmulSquare,
  meanAndCovariance,
  sqrtmPsd,
  symmetricEigen,
  trace,
  type Features,
} from './linalg.js';

/** Mean and covariance of a feature set: what FID needs of each side (and what gets cached). */
export interface GaussianStats {
  dim: number;
  /** Number of samples the statistics come from. */
  n: number;
  mean: Float64Array;
  /** Row-major [dim, dim]. */
  cov: Float64Array;
}

export function featureStats(f: Features): GaussianStats {
  checkFeatures(f);
  const { mean, cov } = meanAndCovariance(f);
  return { dim: f.dim, n: f.n, mean, cov };
}

/** tr((C1 C2)^(1/2)) through the eigenvalues of C1^(1/2) C2 C1^(1/2); null when that fails. */
function traceSqrtProduct(c1: Float64Array, c2: Float64Array, d: number): number | null {
  const s = sqrtmPsd(c1, d);
  const m = matmulSquare(matmulSquare(s, c2, d), s, d);
  // Symmetrize: S C2 S is symmetric up to rounding.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * (m[i * d + j] + m[j * d + i]);
      m[i * d + j] = v;
      m[j * d + i] = v;
    }
  }
  const { values } = symmetricEigen(m, d, { vectors: false });
  const top = Math.max(Math.abs(values[0]), Math.abs(values[d - 1]));
  let t = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) return null;
    if (v < -1e-6 * Math.max(top, 1e-300)) return null;
    t += Math.sqrt(Math.max(v, 0));
  }
  return t;
}

/** FID between two sets of Gaussian statistics. */
export function fidFromStats(a: GaussianStats, b: GaussianStats, opts: { eps?: number } = {}): number {
  if (a.dim !== b.dim) throw new Error(`FID: feature dimensions differ (${a.dim} vs ${b.dim})`);
  const d = a.dim;
  const eps = opts.eps ?? 1e-6;
  let diff2 = 0;
  for (let k = 0; k < d; k++) diff2 += (a.mean[k] - b.mean[k]) ** 2;
  let tr = traceSqrtProduct(a.cov, b.cov, d);
  if (tr === null) {
    const c1 = Float64Array.from(a.cov);
    const c2 = Float64Array.from(b.cov);
    for (let i = 0; i < d; i++) {
      c1[i * d + i] += eps;
      c2[i * d + i] += eps;
    }
    tr = traceSqrtProduct(c1, c2, d);
    if (tr === null) throw new Error('FID: the matrix square root failed even with eps * I added to the covariances');
  }
  return diff2 + trace(a.cov, d) + trace(b.cov, d) - 2 * tr;
}

/** FID between two feature sets (rows are samples). */
export function fid(real: Features, fake: Features): number {
  return fidFromStats(featureStats(real), featureStats(fake));
}
