// Inception Score (IS). Salimans, Goodfellow, Zaremba, Cheung, Radford, Chen, "Improved Techniques
// for Training GANs", NeurIPS 2016.
//
// Definition used: the N class-probability rows p(y|x) are cut into `splits` (10) consecutive parts,
// part k = rows [floor(k N / splits), floor((k+1) N / splits)); for each part,
//   p(y) = mean of its rows,  IS_k = exp( mean over its rows of KL(p(y|x) || p(y)) ),
//   KL(p || q) = sum_c p_c (log p_c - log q_c), with 0 log 0 = 0;
// the result is the mean and the population std (divisor `splits`) of IS_k. Computed in float64.
import { checkFeatures, type Features } from './linalg.js';

export interface InceptionScoreResult {
  mean: number;
  std: number;
  /** IS of each split. */
  values: number[];
}

/** IS of class probabilities (rows sum to 1; `probs.dim` = number of classes). */
export function inceptionScore(probs: Features, opts: { splits?: number } = {}): InceptionScoreResult {
  checkFeatures(probs, 'IS probabilities');
  const splits = opts.splits ?? 10;
  const { n, dim: c, data } = probs;
  if (!Number.isInteger(splits) || splits < 1 || splits > n) {
    throw new Error(`IS: splits must be an integer in [1, ${n}], got ${splits}`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!(data[i] >= 0) || !Number.isFinite(data[i]))
      throw new Error(`IS: probabilities must be finite and >= 0 (row ${Math.floor(i / c)})`);
  }
  const values: number[] = [];
  const py = new Float64Array(c);
  for (let k = 0; k < splits; k++) {
    const lo = Math.floor((k * n) / splits);
    const hi = Math.floor(((k + 1) * n) / splits);
    py.fill(0);
    for (let i = lo; i < hi; i++) for (let j = 0; j < c; j++) py[j] += data[i * c + j];
    for (let j = 0; j < c; j++) py[j] /= hi - lo;
    let kl = 0;
    for (let i = lo; i < hi; i++) {
      for (let j = 0; j < c; j++) {
        const p = data[i * c + j];
        if (p > 0) kl += p * (Math.log(p) - Math.log(py[j]));
      }
    }
    values.push(Math.exp(kl / (hi - lo)));
  }
  const mean = values.reduce((a, b) => a + b, 0) / splits;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / splits);
  return { mean, std, values };
}
