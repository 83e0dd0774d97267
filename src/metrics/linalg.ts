// Float64 linear algebra for the metrics: mean and covariance of a feature matrix, dense matrix
// products, and a symmetric eigensolver (Householder reduction to tridiagonal form, then implicit
// QL iterations with Wilkinson shifts; Golub & Van Loan, "Matrix Computations", ch. 8).
// Matrices are row-major Float64Arrays. No dependency; O(d^3) for a d x d matrix.

/** A row-major [rows, cols] float64 matrix. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Feature rows as they come from a model: row-major [n, dim], float32 or float64. */
export interface Features {
  n: number;
  dim: number;
  data: Float32Array | Float64Array;
}

export function checkFeatures(f: Features, what = 'features'): void {
  if (!Number.isInteger(f.n) || !Number.isInteger(f.dim) || f.n < 1 || f.dim < 1) {
    throw new Error(`${what}: n and dim must be positive integers, got n=${f.n} dim=${f.dim}`);
  }
  if (f.data.length !== f.n * f.dim) {
    throw new Error(`${what}: expected n*dim=${f.n * f.dim} values, got ${f.data.length}`);
  }
}

/** Mean vector and unbiased covariance (divisor n-1, as numpy.cov) of the rows of `f`. */
export function meanAndCovariance(f: Features): { mean: Float64Array; cov: Float64Array } {
  checkFeatures(f);
  const { n, dim: d, data } = f;
  if (n < 2) throw new Error(`covariance needs at least 2 samples, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += data[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  // Upper triangle of sum_i (x_i - mean)(x_i - mean)^T, row by row (contiguous inner loop).
  const cov = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) x[k] = data[i * d + k] - mean[k];
    for (let a = 0; a < d; a++) {
      const xa = x[a];
      if (xa === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) cov[row + b] += xa * x[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { mean, cov };
}

/** C = A B for square d x d matrices. */
export function matmulSquare(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const ci = i * d;
    for (let k = 0; k < d; k++) {
      const aik = a[ci + k];
      if (aik === 0) continue;
      const bk = k * d;
      for (let j = 0; j < d; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return c;
}

export function trace(a: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i * d + i];
  return s;
}

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as the ROWS of a [d, d] matrix (row i goes with values[i]); only when asked for. */
  vectors?: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric d x d matrix (only its lower triangle is read).
 * Throws if the QL iteration does not converge (it does in practice within a few sweeps).
 */
export function symmetricEigen(a: Float64Array, d: number, opts: { vectors?: boolean } = {}): SymmetricEigen {
  if (a.length !== d * d) throw new Error(`symmetricEigen: expected ${d}x${d} values, got ${a.length}`);
  const wantVectors = opts.vectors ?? true;
  const { diag, off, qt } = tridiagonalize(a, d, wantVectors);
  tridiagonalQL(diag, off, qt, d);
  // Sort ascending (and the vectors with them).
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => diag[i] - diag[j]);
  const values = Float64Array.from(order, (i) => diag[i]);
  if (!qt) return { values };
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    vectors.set(qt.subarray(src * d, src * d + d), dst * d);
  });
  return { values, vectors };
}

/**
 * Householder reduction A = Q T Q^T, T tridiagonal with diagonal `diag` and off-diagonal `off`
 * (off[i] couples i and i+1; off[d-1] = 0). Returns Q^T (rows) when `wantQ`.
 */
function tridiagonalize(
  src: Float64Array,
  d: number,
  wantQ: boolean,
): { diag: Float64Array; off: Float64Array; qt: Float64Array | null } {
  const a = new Float64Array(d * d);
  // Work on a full symmetric copy built from the lower triangle.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      a[i * d + j] = src[i * d + j];
      a[j * d + i] = src[i * d + j];
    }
  }
  const diag = new Float64Array(d);
  const off = new Float64Array(d);
  const reflectors: { k: number; v: Float64Array; beta: number }[] = [];
  const w = new Float64Array(d);
  for (let k = 0; k + 2 < d; k++) {
    const m = d - k - 1; // size of the trailing block
    const v = new Float64Array(m);
    diag[k] = a[k * d + k];
    // The column is scaled by its largest entry before its norm is taken (as LAPACK's dlarfg), so
    // entries near the bottom of the double range (the null space of a rank-deficient covariance)
    // neither underflow to a zero norm nor make beta infinite; P = I - 2 v v^T / v^T v does not
    // depend on v's scale.
    let scale = 0;
    for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(a[(k + 1 + i) * d + k]));
    if (scale === 0) {
      off[k] = 0; // a zero column: P = I
      continue;
    }
    let norm2 = 0;
    for (let i = 0; i < m; i++) {
      v[i] = a[(k + 1 + i) * d + k] / scale;
      norm2 += v[i] * v[i];
    }
    const tail2 = norm2 - v[0] * v[0];
    if (tail2 === 0) {
      // Column already tridiagonal: P = I.
      off[k] = v[0] * scale;
      continue;
    }
    const alpha = v[0] > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2); // in units of `scale`
    v[0] -= alpha;
    const vtv = v[0] * v[0] + tail2;
    const beta = 2 / vtv;
    // w = beta B v, with B the trailing block a[k+1.., k+1..].
    let kdot = 0;
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * d + k + 1;
      let s = 0;
      for (let j = 0; j < m; j++) s += a[row + j] * v[j];
      w[i] = beta * s;
      kdot += v[i] * w[i];
    }
    const K = (beta / 2) * kdot;
    for (let i = 0; i < m; i++) w[i] -= K * v[i]; // q = w - K v
    // B <- B - v q^T - q v^T
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * d + k + 1;
      const vi = v[i];
      const qi = w[i];
      for (let j = 0; j < m; j++) a[row + j] -= vi * w[j] + qi * v[j];
    }
    off[k] = alpha * scale;
    if (wantQ) reflectors.push({ k, v, beta });
  }
  if (d >= 2) {
    diag[d - 2] = a[(d - 2) * d + d - 2];
    off[d - 2] = a[(d - 1) * d + d - 2];
  }
  diag[d - 1] = a[(d - 1) * d + d - 1];
  off[d - 1] = 0;
  if (!wantQ) return { diag, off, qt: null };
  // Q^T = P_last ... P_1 P_0: apply P_0 first to the identity, from the left.
  const qt = new Float64Array(d * d);
  for (let i = 0; i < d; i++) qt[i * d + i] = 1;
  const t = new Float64Array(d);
  for (const { k, v, beta } of reflectors) {
    const m = v.length;
    // t = v^T M[k+1.., :]
    t.fill(0);
    for (let i = 0; i < m; i++) {
      const vi = v[i];
      const row = (k + 1 + i) * d;
      for (let j = 0; j < d; j++) t[j] += vi * qt[row + j];
    }
    for (let i = 0; i < m; i++) {
      const f = beta * v[i];
      const row = (k + 1 + i) * d;
      for (let j = 0; j < d; j++) qt[row + j] -= f * t[j];
    }
  }
  return { diag, off, qt };
}

/**
 * Implicit symmetric QL with Wilkinson shifts on the tridiagonal (diag, off); overwrites `diag`
 * with the eigenvalues and rotates the rows of `zt` (eigenvectors as rows) when given.
 */
function tridiagonalQL(diag: Float64Array, off: Float64Array, zt: Float64Array | null, d: number): void {
  const eps = Number.EPSILON;
  // The scale an off-diagonal is negligible against: its two diagonal neighbours, or (as EISPACK's
  // tql2) the largest |diag| + |off| met so far, so that a block of near-zero entries (the null
  // space of a rank-deficient covariance) deflates instead of iterating on rounding noise.
  let tst1 = 0;
  for (let l = 0; l < d; l++) {
    tst1 = Math.max(tst1, Math.abs(diag[l]) + Math.abs(off[l] ?? 0));
    for (let iter = 0; ; iter++) {
      // Find the first negligible off-diagonal at or after l.
      let m = l;
      for (; m < d - 1; m++) {
        const scale = Math.max(Math.abs(diag[m]) + Math.abs(diag[m + 1]), tst1);
        if (Math.abs(off[m]) <= eps * scale) break;
      }
      if (m === l) break;
      if (iter >= 100) throw new Error('symmetricEigen: QL iteration did not converge');
      // Wilkinson shift from the leading 2x2 block of the unreduced part.
      let g = (diag[l + 1] - diag[l]) / (2 * off[l]);
      let r = Math.hypot(g, 1);
      g = diag[m] - diag[l] + off[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * off[i];
        const b = c * off[i];
        r = Math.hypot(f, g);
        off[i + 1] = r;
        if (r === 0) {
          // Underflow: the matrix split; restart from the split point.
          diag[i + 1] -= p;
          off[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = diag[i + 1] - p;
        r = (diag[i] - g) * s + 2 * c * b;
        p = s * r;
        diag[i + 1] = g + p;
        g = c * r - b;
        if (zt) {
          const ri = i * d;
          const rj = (i + 1) * d;
          for (let k = 0; k < d; k++) {
            const zj = zt[rj + k];
            const zi = zt[ri + k];
            zt[rj + k] = s * zi + c * zj;
            zt[ri + k] = c * zi - s * zj;
          }
        }
      }
      if (deflated) continue;
      diag[l] -= p;
      off[l] = g;
      off[m] = 0;
    }
  }
}

/** Symmetric PSD square root V diag(sqrt(max(lambda, 0))) V^T of a symmetric matrix. */
export function sqrtmPsd(a: Float64Array, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, d, { vectors: true });
  const v = vectors!;
  const out = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let e = 0; e < d; e++) {
    const s = Math.sqrt(Math.max(values[e], 0));
    if (s === 0) continue;
    for (let j = 0; j < d; j++) row[j] = s * v[e * d + j];
    for (let i = 0; i < d; i++) {
      const vi = v[e * d + i];
      if (vi === 0) continue;
      const oi = i * d;
      for (let j = 0; j < d; j++) out[oi + j] += vi * row[j];
    }
  }
  // Symmetrize away rounding.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const m = 0.5 * (out[i * d + j] + out[j * d + i]);
      out[i * d + j] = m;
      out[j * d + i] = m;
    }
  }
  return out;
}
