// Mode coverage and high-quality fraction of a 2-D toy generator, PacGAN protocol (Lin, Khetan,
// Fanti, Oh, "PacGAN: The power of two samples in generative adversarial networks", NeurIPS 2018,
// following VEEGAN, Srivastava et al. 2017).
//
// Definition used: draw 2,500 generator samples; a sample is high quality when it lies within
// 3 sigma (Euclidean) of its nearest mode centre; a mode is covered when it is the nearest mode of
// at least one (`minCount`) high-quality sample; the reverse KL is KL(q || uniform) = log M - H(q) of
// the histogram q of high-quality samples over their nearest modes (the paper's third column; its
// reference code logs the entropy H(q) of that histogram). Checked against the reference code's
// MetricLogger: same nearest-mode assignment (variance-normalized distance, equal isotropic sigmas
// here), same 3-sigma threshold, same counts. The statistics themselves live with the toy
// distributions (src/data/toy2d.ts `modeCoverage`, ring8/grid25 centres and sigmas); this file
// applies the protocol to a sampler.
import { modeCoverage, PACGAN_EVAL_SAMPLES, toy2dSpec, type ModeCoverage, type Toy2dName } from '../data/toy2d.js';

export type { ModeCoverage };
export { modeCoverage, PACGAN_EVAL_SAMPLES };

export interface ToyCoverageOptions {
  /** Samples to draw (2,500, the protocol's number). */
  n?: number;
  /** Quality radius in sigmas (3). */
  k?: number;
  /** High-quality samples a mode needs to count as covered (1). */
  minCount?: number;
}

/**
 * Mode coverage of a generator on a toy distribution. `sample(n)` returns n points [n, 2] (a
 * generator run on n fresh latents).
 */
export async function toyModeCoverage(
  toy: Exclude<Toy2dName, 'spiral'>,
  sample: (n: number) => Float32Array | Promise<Float32Array>,
  opts: ToyCoverageOptions = {},
): Promise<ModeCoverage> {
  const n = opts.n ?? PACGAN_EVAL_SAMPLES;
  const spec = toy2dSpec(toy);
  const points = await sample(n);
  if (points.length !== 2 * n)
    throw new Error(`toyModeCoverage: the sampler returned ${points.length} values for ${n} points [n, 2]`);
  return modeCoverage(points, spec.modes, spec.sigma, { k: opts.k ?? 3, minCount: opts.minCount ?? 1 });
}
