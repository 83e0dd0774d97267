// Toy 2-D distributions for studying mode collapse, and the mode-coverage metrics of PacGAN
// (Lin, Khetan, Fanti & Oh 2018), which follow VEEGAN (Srivastava et al. 2017).
//
// - ring8: a mixture of 8 isotropic Gaussians, means (cos(2πi/8), sin(2πi/8)) for i = 0..7, i.e.
//   evenly spaced on a circle of radius 1, variance 1e-4 per axis (sigma = 0.01).
// - grid25: a mixture of 25 isotropic Gaussians, means (-4 + 2i, -4 + 2j) for i, j = 0..4 (a 5x5
//   grid with spacing 2 spanning [-4, 4]), variance 0.0025 per axis (sigma = 0.05).
// - spiral: a continuous curve without discrete modes: angle θ in [0, 2π·turns] (drawn so points
//   are roughly uniform along the arc), radius growing linearly to `radius`, plus Gaussian noise.
// Mixture components have equal weights.
//
// Coverage protocol (PacGAN §5.1): draw 2,500 generator samples; a sample is high quality when it
// lies within 3 standard deviations of its nearest mode; a mode is captured when it is the nearest
// mode of at least one high-quality sample (`minCount` raises that threshold); the reverse KL is
// KL(q || p) between the histogram q of high-quality samples over their nearest modes and the
// uniform mixture p. These match the PacGAN reference code (fjxmlzn/PacGAN, synthetic_data_experiments:
// config.py means/variances above, 2,500 evaluation samples, 100,000 training points; MetricLogger's
// per-mode counts of samples within 3 sigma).
import type { PointDataset, UniformRng } from './types.js';
import { mulberry32 } from './types.js';

export type Toy2dName = 'ring8' | 'grid25' | 'spiral';

export const TOY2D_NAMES: readonly Toy2dName[] = ['ring8', 'grid25', 'spiral'];

/** Number of generator samples in the PacGAN evaluation protocol. */
export const PACGAN_EVAL_SAMPLES = 2500;

export interface Toy2dSpec {
  name: Toy2dName;
  /** [M, 2] mode centres (empty for the spiral). */
  modes: Float32Array;
  /** Per-axis standard deviation of each component (noise level for the spiral). */
  sigma: number;
  /** Spiral only: number of turns and outer radius. */
  turns?: number;
  radius?: number;
}

export interface Toy2dOptions {
  /** Mixture std (ring8 0.01, grid25 0.05, spiral 0.05 by default). */
  sigma?: number;
  /** ring8: circle radius (1); spiral: outer radius (2). */
  radius?: number;
  /** grid25: distance between neighbouring modes (2). */
  spacing?: number;
  /** spiral: number of turns (1.5). */
  turns?: number;
}

/** The parameters of a toy distribution with the PacGAN defaults. */
export function toy2dSpec(name: Toy2dName, opts: Toy2dOptions = {}): Toy2dSpec {
  switch (name) {
    case 'ring8': {
      const r = opts.radius ?? 1;
      const modes = new Float32Array(16); // [8, 2]
      for (let i = 0; i < 8; i++) {
        modes[2 * i] = r * Math.cos((2 * Math.PI * i) / 8);
        modes[2 * i + 1] = r * Math.sin((2 * Math.PI * i) / 8);
      }
      return { name, modes, sigma: opts.sigma ?? 0.01 };
    }
    case 'grid25': {
      const s = opts.spacing ?? 2;
      const modes = new Float32Array(50); // [25, 2]
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 5; j++) {
          modes[2 * (5 * i + j)] = (i - 2) * s;
          modes[2 * (5 * i + j) + 1] = (j - 2) * s;
        }
      }
      return { name, modes, sigma: opts.sigma ?? 0.05 };
    }
    case 'spiral':
      return {
        name,
        modes: new Float32Array(0),
        sigma: opts.sigma ?? 0.05,
        turns: opts.turns ?? 1.5,
        radius: opts.radius ?? 2,
      };
    default:
      throw new Error(`unknown toy distribution '${name as string}' (expected one of ${TOY2D_NAMES.join(', ')})`);
  }
}

/** A standard normal draw from a uniform source (Box-Muller, one value per call pair). */
export function gaussianPair(rng: UniformRng): [number, number] {
  let u = rng();
  while (u <= 1e-12) u = rng();
  const v = rng();
  const r = Math.sqrt(-2 * Math.log(u));
  return [r * Math.cos(2 * Math.PI * v), r * Math.sin(2 * Math.PI * v)];
}

/** Draws n fresh points from a toy distribution with the caller's RNG. */
export function sampleToy2d(
  spec: Toy2dSpec,
  n: number,
  rng: UniformRng,
): { points: Float32Array; modeOfPoint: Int32Array } {
  const points = new Float32Array(2 * n); // [N, 2]
  const modeOfPoint = new Int32Array(n);
  const m = spec.modes.length / 2;
  for (let i = 0; i < n; i++) {
    const [gx, gy] = gaussianPair(rng);
    if (spec.name === 'spiral') {
      const maxAngle = 2 * Math.PI * (spec.turns ?? 1.5);
      const t = Math.sqrt(rng()); // arc length grows ~θ², so sqrt makes the density roughly even along the curve
      const theta = t * maxAngle;
      const rad = t * (spec.radius ?? 2);
      points[2 * i] = rad * Math.cos(theta) + spec.sigma * gx;
      points[2 * i + 1] = rad * Math.sin(theta) + spec.sigma * gy;
      modeOfPoint[i] = -1;
    } else {
      const k = Math.min(m - 1, Math.floor(rng() * m));
      points[2 * i] = spec.modes[2 * k] + spec.sigma * gx;
      points[2 * i + 1] = spec.modes[2 * k + 1] + spec.sigma * gy;
      modeOfPoint[i] = k;
    }
  }
  return { points, modeOfPoint };
}

/** A finite toy dataset of n points, seeded (default seed 0). */
export function makeToy2d(name: Toy2dName, n: number, seed = 0, opts: Toy2dOptions = {}): PointDataset {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`makeToy2d: n must be a positive integer, got ${n}`);
  const spec = toy2dSpec(name, opts);
  const { points, modeOfPoint } = sampleToy2d(spec, n, mulberry32(seed));
  const ds: PointDataset = {
    kind: 'points',
    name,
    n,
    points,
    modes: spec.modes,
    numModes: spec.modes.length / 2,
    sigma: spec.sigma,
  };
  if (name !== 'spiral') ds.modeOfPoint = modeOfPoint;
  return ds;
}

export interface ModeCoverage {
  /** Samples evaluated. */
  n: number;
  numModes: number;
  /** Fraction of samples within `k` sigma of their nearest mode. */
  highQualityFraction: number;
  /** Modes that are the nearest mode of at least `minCount` high-quality samples. */
  modesCovered: number;
  /** [M] high-quality samples per mode. */
  highQualityPerMode: number[];
  /** [M] all samples per nearest mode. */
  samplesPerMode: number[];
  /** KL(q || uniform) of the histogram q of high-quality samples over modes (nats; 0 is perfect; Infinity when none). */
  reverseKL: number;
}

/**
 * PacGAN/VEEGAN mode-coverage statistics of generated points [N, 2] against a mixture's modes.
 * k: quality radius in sigmas (3); minCount: high-quality samples a mode needs to count (1).
 */
export function modeCoverage(
  points: Float32Array | number[],
  modes: Float32Array | number[],
  sigma: number,
  opts: { k?: number; minCount?: number } = {},
): ModeCoverage {
  const k = opts.k ?? 3;
  const minCount = opts.minCount ?? 1;
  const m = modes.length / 2;
  const n = Math.floor(points.length / 2);
  if (m === 0) throw new Error('modeCoverage: the distribution has no modes');
  if (points.length % 2 !== 0) throw new Error(`modeCoverage: points must be [N, 2], got ${points.length} values`);
  const hq = new Array<number>(m).fill(0);
  const all = new Array<number>(m).fill(0);
  const r2 = (k * sigma) ** 2;
  let good = 0;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < m; j++) {
      const dx = x - modes[2 * j];
      const dy = y - modes[2 * j + 1];
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (best < 0) continue; // NaN sample: counts as neither
    all[best]++;
    if (bestD <= r2) {
      hq[best]++;
      good++;
    }
  }
  let kl = 0;
  for (let j = 0; j < m; j++) {
    if (hq[j] === 0) continue;
    const q = hq[j] / good;
    kl += q * Math.log(q * m);
  }
  return {
    n,
    numModes: m,
    highQualityFraction: n ? good / n : 0,
    modesCovered: hq.filter((c) => c >= minCount).length,
    highQualityPerMode: hq,
    samplesPerMode: all,
    reverseKL: good ? kl : Infinity,
  };
}
