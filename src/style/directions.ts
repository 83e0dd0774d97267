// Interpretable directions in a StyleGAN2's W space, two ways:
//  - GANSpace (Härkönen et al. 2020, "GANSpace: Discovering Interpretable GAN Controls"): PCA of
//    the w of many random z; the principal axes, largest variance first;
//  - SeFa (Shen & Zhou 2021, "Closed-Form Factorization of Latent Semantics in GANs"): the
//    directions n that change the styles most, argmax |A^T n| over unit n, where A [Wd, sum Cin] is
//    the modulation weights (the affine maps w -> styles) of the chosen synthesis layers
//    concatenated: the top eigenvectors of A A^T.
// Each direction is stored with `std`, the standard deviation of the sampled w along it, so an edit
// strength is in those units: `tsgan sample --edit ganspace-0:2` moves each w two standard deviations.
import * as tf from '@tensorflow/tfjs-core';

import type { StyleGAN2 } from '../models/stylegan2.js';
import { ModConv2D } from '../nn/stylegan_layers.js';
import { Rng } from '../train/rng.js';
import type { StyleRun, WEdit } from './control.js';

export interface Direction {
  /** 'ganspace-0', 'sefa-2'... */
  name: string;
  method: 'ganspace' | 'sefa';
  /** Unit vector in W [Wd]. */
  vector: number[];
  /** Standard deviation of the sampled w along the vector (the unit of an edit's strength). */
  std: number;
  /** The eigenvalue it came with (GANSpace: variance; SeFa: |A^T n|^2). */
  eigenvalue: number;
}

export interface DirectionsFile {
  format: 'tsgan-directions';
  version: 1;
  model: string;
  step: number | null;
  wDim: number;
  samples: number;
  directions: Direction[];
}

/** Eigen-decomposition of a symmetric matrix [n x n] (row-major float64) by cyclic Jacobi rotations; eigenvalues descending. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array[] } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y]! - m[x * n + x]!);
  return {
    values: Float64Array.from(order, (i) => m[i * n + i]!),
    vectors: order.map((j) => Float64Array.from({ length: n }, (_, k) => v[k * n + j]!)),
  };
}

/** n sampled w [n, Wd] of the run's generator (seeded, independent of the training RNG). */
export function sampleW(run: Pick<StyleRun, 'model' | 'generator'>, n: number, seed = 0): Float32Array {
  const { model, generator } = run;
  const rng = new Rng((seed ^ 0x9a5ace) >>> 0);
  const out = new Float32Array(n * model.options.wDim);
  const chunk = 1000;
  for (let i = 0; i < n; i += chunk) {
    const k = Math.min(chunk, n - i);
    const w = tf.tidy(() => {
      const z = model.sampleLatent(k, rng);
      const labels =
        model.numClasses > 0
          ? tf.tensor1d(
              Array.from({ length: k }, (_, j) => (i + j) % model.numClasses),
              'int32',
            )
          : null;
      return model.mapLatents(z, labels, { generator });
    });
    out.set(w.dataSync(), i * model.options.wDim);
    w.dispose();
  }
  return out;
}

/** Mean [d] and covariance [d x d] of rows of x [n, d] (float64). */
function covariance(x: Float32Array, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += (row[a]! * row[b]!) / (n - 1);
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
  return { mean, cov };
}

/** Standard deviation of the rows of w [n, d] along unit vector v. */
function stdAlong(w: Float32Array, n: number, d: number, v: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let j = 0; j < d; j++) p += w[i * d + j]! * v[j]!;
    s += p;
    s2 += p * p;
  }
  const m = s / n;
  return Math.sqrt(Math.max(0, s2 / n - m * m));
}

/** The modulation weights [Wd, sum Cin] of the synthesis layers in [from, to] (by ModConv2D order, toRGB included). */
export function modulationWeights(
  model: StyleGAN2,
  generator: StyleRun['generator'],
  layers?: [number, number],
): {
  data: Float32Array;
  cols: number;
} {
  const { synthesis } = model.parts(generator);
  const mods = synthesis.layers.filter((l): l is ModConv2D => l instanceof ModConv2D);
  const [a, b] = layers ?? [0, mods.length - 1];
  const picked = mods.slice(a, b + 1);
  if (picked.length === 0) throw new Error(`no modulated layers in ${a}-${b} (the model has 0-${mods.length - 1})`);
  const w = tf.tidy(() =>
    tf.concat(
      picked.map((m) => m.affineWeights()),
      1,
    ),
  ); // [Wd, sum Cin]
  const out = { data: w.dataSync() as Float32Array, cols: w.shape[1]! };
  w.dispose();
  return out;
}

export interface DirectionOptions {
  /** Directions per method. Default 8. */
  count?: number;
  /** Sampled w for GANSpace's PCA and every direction's std. Default 10,000. */
  samples?: number;
  /** Which methods. Default both. */
  methods?: ('ganspace' | 'sefa')[];
  /** SeFa: the modulated layers (ModConv2D order) whose weights are factorized; default all. */
  sefaLayers?: [number, number];
  seed?: number;
}

/** GANSpace and SeFa directions of a StyleGAN2 run. */
export function findDirections(
  run: Pick<StyleRun, 'model' | 'generator' | 'step'>,
  opts: DirectionOptions = {},
): DirectionsFile {
  const { model } = run;
  const d = model.options.wDim;
  const count = Math.min(opts.count ?? 8, d);
  const n = opts.samples ?? 10000;
  if (!Number.isInteger(n) || n < 2 * d)
    throw new Error(`directions: at least ${2 * d} samples are needed for a ${d}-dimensional W, got ${n}`);
  const methods = opts.methods ?? ['ganspace', 'sefa'];
  const w = sampleW(run, n, opts.seed ?? 0);
  const directions: Direction[] = [];
  if (methods.includes('ganspace')) {
    const { cov } = covariance(w, n, d);
    const e = symmetricEigen(cov, d);
    for (let k = 0; k < count; k++)
      directions.push({
        name: `ganspace-${k}`,
        method: 'ganspace',
        vector: Array.from(e.vectors[k]!),
        std: Math.sqrt(Math.max(0, e.values[k]!)),
        eigenvalue: e.values[k]!,
      });
  }
  if (methods.includes('sefa')) {
    const { data, cols } = modulationWeights(model, run.generator, opts.sefaLayers);
    const aat = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += data[i * cols + c]! * data[j * cols + c]!;
        aat[i * d + j] = s;
        aat[j * d + i] = s;
      }
    const e = symmetricEigen(aat, d);
    for (let k = 0; k < count; k++) {
      const v = e.vectors[k]!;
      directions.push({
        name: `sefa-${k}`,
        method: 'sefa',
        vector: Array.from(v),
        std: stdAlong(w, n, d, v),
        eigenvalue: e.values[k]!,
      });
    }
  }
  return {
    format: 'tsgan-directions',
    version: 1,
    model: model.family,
    step: run.step,
    wDim: d,
    samples: n,
    directions,
  };
}

/** Reads a directions file's JSON, checked. */
export function parseDirections(json: unknown, source: string): DirectionsFile {
  const f = json as Partial<DirectionsFile> | null;
  if (!f || f.format !== 'tsgan-directions' || !Array.isArray(f.directions))
    throw new Error(`${source} is not a tsgan directions file (write one with tsgan directions RUN)`);
  return f as DirectionsFile;
}

/** The edits `NAME:STRENGTH` (strength in standard deviations of w along the direction). */
export function parseEdits(specs: string[], file: DirectionsFile, wDim: number): WEdit[] {
  return specs.map((spec) => {
    const m = /^([\w.-]+):(-?\d+(?:\.\d+)?)$/.exec(spec.trim());
    if (!m) throw new Error(`--edit '${spec}': write NAME:STRENGTH, e.g. ganspace-0:2 or sefa-1:-1.5`);
    const dir = file.directions.find((x) => x.name === m[1]);
    if (!dir)
      throw new Error(
        `--edit '${spec}': no direction '${m[1]}' (the file has ${file.directions.map((x) => x.name).join(', ')})`,
      );
    if (file.wDim !== wDim)
      throw new Error(`the directions file is for a ${file.wDim}-d W; this model's W is ${wDim}-d`);
    return { direction: Float32Array.from(dir.vector), strength: Number(m[2]) * dir.std };
  });
}
