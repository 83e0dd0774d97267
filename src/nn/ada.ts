// ADA: adaptive discriminator augmentation. Karras, Aittala, Hellsten, Laine, Lehtinen & Aila,
// "Training Generative Adversarial Networks with Limited Data", NeurIPS 2020 (the official
// StyleGAN2-ADA code's augment.py, pipeline 'bgc', is the reference for every distribution below).
// Every image D sees (reals, fakes in D's step, fakes in G's step, the reals of R1) goes through the
// same random, differentiable pipeline; each transform is applied to a sample with probability p:
//   pixel blitting: x-flip, 90-degree rotations, integer translation (up to 0.125 of the size);
//   geometric: isotropic scaling (lognormal, std 0.2 log2), rotation (uniform, applied twice with
//     probability 1 - sqrt(1 - p) each), anisotropic scaling (std 0.2 log2), fractional translation
//     (normal, std 0.125 of the size);
//   colour: brightness (+N(0, 0.2)), contrast (x 2^N(0, 0.5)), luma flip, hue rotation (uniform
//     about the luma axis), saturation (x 2^N(0, 1)); on grayscale images hue and saturation are the
//     identity, as in the reference (its 1-channel path averages the colour matrix's rows).
// The blitting and geometric transforms compose into one 2x3 matrix per sample (pixel units, about
// the image centre) applied by bilinear sampling with reflection at the borders: one GatherV2 of the
// four neighbours and their weights (native kernels; its gradient is a native UnsortedSegmentSum).
// The reference instead pads, upsamples 2x with a wavelet low-pass filter, samples and downsamples
// (anti-aliasing); this file samples directly at 1x. Blitting transforms land on exact pixel
// positions, so they move pixels exactly.
// The adaptive p (AdaController): r_t = E[sign(D(real))] over `interval` D steps (the paper: 4);
// p += sign(r_t - target) * (images in the interval) / (kimg * 1000), clamped to [0, 1]; target 0.6.
// The paper lets p go from 0 to 1 in 500k images; our runs see tens of thousands of images, so the
// default here is 20k (kimg 20: p can reach 1 in 1,250 steps of 16), an option.
import * as tf from '@tensorflow/tfjs-core';

import type { Rng } from '../train/rng.js';

/** Per-transform multipliers of p (the reference's 'bgc' pipeline: all 1). 0 turns a transform off. */
export interface AdaTransforms {
  xflip: number;
  rotate90: number;
  xint: number;
  scale: number;
  rotate: number;
  aniso: number;
  xfrac: number;
  brightness: number;
  contrast: number;
  lumaflip: number;
  hue: number;
  saturation: number;
}

/** The transforms of each group letter: b(litting), g(eometric), c(olour). */
export const ADA_GROUPS: Record<string, (keyof AdaTransforms)[]> = {
  b: ['xflip', 'rotate90', 'xint'],
  g: ['scale', 'rotate', 'aniso', 'xfrac'],
  c: ['brightness', 'contrast', 'lumaflip', 'hue', 'saturation'],
};

/** The reference's distribution parameters. */
export const ADA_PARAMS = {
  xintMax: 0.125,
  scaleStd: 0.2,
  rotateMax: 1,
  anisoStd: 0.2,
  xfracStd: 0.125,
  brightnessStd: 0.2,
  contrastStd: 0.5,
  hueMax: 1,
  saturationStd: 1,
};

/** Transforms of a group string such as 'bgc' or 'bg' (unknown letters rejected). */
export function adaTransforms(groups: string): AdaTransforms {
  const t: AdaTransforms = {
    xflip: 0,
    rotate90: 0,
    xint: 0,
    scale: 0,
    rotate: 0,
    aniso: 0,
    xfrac: 0,
    brightness: 0,
    contrast: 0,
    lumaflip: 0,
    hue: 0,
    saturation: 0,
  };
  for (const g of groups) {
    const names = ADA_GROUPS[g];
    if (!names) throw new Error(`unknown ADA group '${g}' (use letters of b (blitting), g (geometric), c (colour))`);
    for (const k of names) t[k] = 1;
  }
  return t;
}

type M3 = number[]; // row-major 3x3
const mul3 = (a: M3, b: M3): M3 => {
  const o = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) o[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return o;
};
const scale2 = (sx: number, sy: number): M3 => [sx, 0, 0, 0, sy, 0, 0, 0, 1];
const translate2 = (tx: number, ty: number): M3 => [1, 0, tx, 0, 1, ty, 0, 0, 1];
const rotate2 = (c: number, s: number): M3 => [c, -s, 0, s, c, 0, 0, 0, 1];

/**
 * Per-sample inverse geometric matrices (output pixel -> input position, pixel units about the
 * centre) for the blitting and geometric transforms at probability p: [N][9]. Random draws in the
 * reference's order (value first, then whether it applies).
 */
export function geometricMatrices(n: number, h: number, w: number, p: number, t: AdaTransforms, rng: Rng): M3[] {
  const P = ADA_PARAMS;
  const g: M3[] = Array.from({ length: n }, () => [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const each = (f: (b: number) => M3 | null) => {
    for (let b = 0; b < n; b++) {
      const m = f(b);
      if (m) g[b] = mul3(g[b]!, m);
    }
  };
  const on = (prob: number) => rng.uniform() < prob;
  if (t.xflip > 0)
    each(() => {
      const i = Math.floor(rng.uniform() * 2);
      return on(t.xflip * p) && i === 1 ? scale2(-1, 1) : null;
    });
  if (t.rotate90 > 0)
    each(() => {
      const i = Math.floor(rng.uniform() * 4);
      if (!on(t.rotate90 * p) || i === 0) return null;
      return rotate2([1, 0, -1, 0][i]!, [0, 1, 0, -1][i]!); // exact quarter turns
    });
  if (t.xint > 0)
    each(() => {
      const tx = (rng.uniform() * 2 - 1) * P.xintMax;
      const ty = (rng.uniform() * 2 - 1) * P.xintMax;
      return on(t.xint * p) ? translate2(-Math.round(tx * w), -Math.round(ty * h)) : null;
    });
  if (t.scale > 0)
    each(() => {
      const s = 2 ** (rng.normal() * P.scaleStd);
      return on(t.scale * p) ? scale2(1 / s, 1 / s) : null;
    });
  const pRot = 1 - Math.sqrt(Math.min(1, Math.max(0, 1 - t.rotate * p)));
  const rotation = () =>
    each(() => {
      const th = (rng.uniform() * 2 - 1) * Math.PI * P.rotateMax;
      return on(pRot) ? rotate2(Math.cos(th), Math.sin(th)) : null;
    });
  if (t.rotate > 0) rotation();
  if (t.aniso > 0)
    each(() => {
      const s = 2 ** (rng.normal() * P.anisoStd);
      return on(t.aniso * p) ? scale2(1 / s, s) : null;
    });
  if (t.rotate > 0) rotation();
  if (t.xfrac > 0)
    each(() => {
      const tx = rng.normal() * P.xfracStd;
      const ty = rng.normal() * P.xfracStd;
      return on(t.xfrac * p) ? translate2(-tx * w, -ty * h) : null;
    });
  return g;
}

const isIdentity3 = (m: M3) => m.every((v, i) => v === (i % 4 === 0 ? 1 : 0));

/** Index i reflected into [0, n) without repeating the edge (numpy's 'reflect'). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * Bilinear resampling of x [N, H, W, C] through per-sample inverse matrices (output pixel -> input
 * position, pixel units about the centre), reflecting at the borders. Differentiable in x.
 */
export function affineSample(x: tf.Tensor4D, g: M3[]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (g.length !== n) throw new Error(`affineSample: ${g.length} matrices for ${n} images`);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const idx = new Int32Array(n * h * w * 4);
  const wt = new Float32Array(n * h * w * 4);
  for (let b = 0; b < n; b++) {
    const m = g[b]!;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const qx = j - cx;
        const qy = i - cy;
        const px = m[0]! * qx + m[1]! * qy + m[2]! + cx;
        const py = m[3]! * qx + m[4]! * qy + m[5]! + cy;
        const x0 = Math.floor(px);
        const y0 = Math.floor(py);
        const fx = px - x0;
        const fy = py - y0;
        const o = ((b * h + i) * w + j) * 4;
        const r0 = b * h * w + reflect(y0, h) * w;
        const r1 = b * h * w + reflect(y0 + 1, h) * w;
        idx[o] = r0 + reflect(x0, w);
        idx[o + 1] = r0 + reflect(x0 + 1, w);
        idx[o + 2] = r1 + reflect(x0, w);
        idx[o + 3] = r1 + reflect(x0 + 1, w);
        wt[o] = (1 - fx) * (1 - fy);
        wt[o + 1] = fx * (1 - fy);
        wt[o + 2] = (1 - fx) * fy;
        wt[o + 3] = fx * fy;
      }
    }
  }
  return tf.tidy(() => {
    const flat = tf.reshape(x, [n * h * w, c]); // [NHW, C]
    const taps = tf.gather(flat, tf.tensor1d(idx, 'int32')); // [4 NHW, C]
    const weighted = tf.mul(taps, tf.tensor2d(wt, [n * h * w * 4, 1])); // [4 NHW, C]
    return tf.reshape(tf.sum(tf.reshape(weighted, [n * h * w, 4, c]), 1), [n, h, w, c]) as tf.Tensor4D;
  });
}

/** Slow reference of affineSample: the same bilinear sampling, pixel by pixel in JS (tests). */
export function affineSampleReference(x: Float32Array, shape: number[], g: M3[]): Float32Array {
  const [n, h, w, c] = shape as [number, number, number, number];
  const out = new Float32Array(x.length);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const at = (b: number, i: number, j: number, k: number) => x[((b * h + reflect(i, h)) * w + reflect(j, w)) * c + k]!;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const m = g[b]!;
        const px = m[0]! * (j - cx) + m[1]! * (i - cy) + m[2]! + cx;
        const py = m[3]! * (j - cx) + m[4]! * (i - cy) + m[5]! + cy;
        const x0 = Math.floor(px);
        const y0 = Math.floor(py);
        const fx = px - x0;
        const fy = py - y0;
        for (let k = 0; k < c; k++)
          out[((b * h + i) * w + j) * c + k] =
            (1 - fy) * ((1 - fx) * at(b, y0, x0, k) + fx * at(b, y0, x0 + 1, k)) +
            fy * ((1 - fx) * at(b, y0 + 1, x0, k) + fx * at(b, y0 + 1, x0 + 1, k));
      }
  return out;
}

type M4 = number[]; // row-major 4x4
const mul4 = (a: M4, b: M4): M4 => {
  const o = new Array<number>(16).fill(0);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) o[i * 4 + j]! += a[i * 4 + k]! * b[k * 4 + j]!;
  return o;
};
const eye4 = (): M4 => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const LUMA = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3), 0];
const outerLuma = (): M4 => Array.from({ length: 16 }, (_, k) => LUMA[k >> 2]! * LUMA[k & 3]!);

/** Per-sample 4x4 colour matrices (acting on [r, g, b, 1]) at probability p: [N][16]. */
export function colourMatrices(n: number, channels: number, p: number, t: AdaTransforms, rng: Rng): M4[] {
  const P = ADA_PARAMS;
  const cm: M4[] = Array.from({ length: n }, eye4);
  const each = (f: () => M4 | null) => {
    for (let b = 0; b < n; b++) {
      const m = f();
      if (m) cm[b] = mul4(m, cm[b]!);
    }
  };
  const on = (prob: number) => rng.uniform() < prob;
  const vv = outerLuma();
  if (t.brightness > 0)
    each(() => {
      const v = rng.normal() * P.brightnessStd;
      return on(t.brightness * p) ? [1, 0, 0, v, 0, 1, 0, v, 0, 0, 1, v, 0, 0, 0, 1] : null;
    });
  if (t.contrast > 0)
    each(() => {
      const s = 2 ** (rng.normal() * P.contrastStd);
      return on(t.contrast * p) ? [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1] : null;
    });
  if (t.lumaflip > 0)
    each(() => {
      const i = Math.floor(rng.uniform() * 2);
      return on(t.lumaflip * p) && i === 1 ? eye4().map((e, k) => e - 2 * vv[k]!) : null; // Householder reflection
    });
  if (t.hue > 0 && channels > 1)
    each(() => {
      const th = (rng.uniform() * 2 - 1) * Math.PI * P.hueMax;
      if (!on(t.hue * p)) return null;
      // Rodrigues: cos I + sin [v]x + (1 - cos) v v^T, about the luma axis.
      const [x, y, z] = LUMA as [number, number, number];
      const co = Math.cos(th);
      const si = Math.sin(th);
      const k = 1 - co;
      // biome-ignore format: a 4x4 matrix, row by row
      const r: M4 = [
        co + x * x * k, x * y * k - z * si, x * z * k + y * si, 0,
        y * x * k + z * si, co + y * y * k, y * z * k - x * si, 0,
        z * x * k - y * si, z * y * k + x * si, co + z * z * k, 0,
        0, 0, 0, 1,
      ];
      return r;
    });
  if (t.saturation > 0 && channels > 1)
    each(() => {
      const s = 2 ** (rng.normal() * P.saturationStd);
      return on(t.saturation * p) ? eye4().map((e, k) => vv[k]! + (e - vv[k]!) * s) : null;
    });
  return cm;
}

/**
 * Applies colour matrices to x [N, H, W, C]: RGB (C = 3, or the first three of 4) by the 3x3 part
 * plus the offset; other channel counts by the reference's grayscale rule (the mean row sum as the
 * gain, the mean offset).
 */
export function colourTransform(x: tf.Tensor4D, cm: M4[]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    if (c === 3 || c === 4) {
      const a = new Float32Array(n * 9);
      const o = new Float32Array(n * 3);
      for (let b = 0; b < n; b++)
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) a[b * 9 + j * 3 + i] = cm[b]![i * 4 + j]!; // transposed: rows of x times A^T
          o[b * 3 + i] = cm[b]![i * 4 + 3]!;
        }
      const rgb = c === 3 ? x : tf.slice(x, [0, 0, 0, 0], [n, h, w, 3]);
      const y = tf.add(tf.matMul(tf.reshape(rgb, [n, h * w, 3]), tf.tensor3d(a, [n, 3, 3])), tf.tensor3d(o, [n, 1, 3])); // [N, HW, 3]
      const out = tf.reshape(y, [n, h, w, 3]);
      return (c === 3 ? out : tf.concat([out, tf.slice(x, [0, 0, 0, 3], [n, h, w, 1])], 3)) as tf.Tensor4D;
    }
    const gain = new Float32Array(n);
    const off = new Float32Array(n);
    for (let b = 0; b < n; b++) {
      const m = cm[b]!;
      for (let i = 0; i < 3; i++) {
        gain[b] += (m[i * 4]! + m[i * 4 + 1]! + m[i * 4 + 2]!) / 3;
        off[b] += m[i * 4 + 3]! / 3;
      }
    }
    return tf.add(tf.mul(x, tf.tensor4d(gain, [n, 1, 1, 1])), tf.tensor4d(off, [n, 1, 1, 1])) as tf.Tensor4D;
  });
}

/** ADA's pipeline at probability p on x [N, H, W, C] (values in [-1, 1]); the identity when nothing applies. */
export function adaAugment(x: tf.Tensor4D, p: number, rng: Rng, transforms: AdaTransforms): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  let y = x;
  const geometric = [...ADA_GROUPS.b!, ...ADA_GROUPS.g!].some((k) => transforms[k] > 0);
  if (geometric) {
    const g = geometricMatrices(n, h, w, p, transforms, rng);
    if (!g.every(isIdentity3)) y = affineSample(y, g);
  }
  if (ADA_GROUPS.c!.some((k) => transforms[k] > 0)) {
    const cm = colourMatrices(n, c, p, transforms, rng);
    if (!cm.every((m) => m.every((v, i) => v === (i % 5 === 0 ? 1 : 0)))) {
      const prev = y;
      y = colourTransform(y, cm);
      if (prev !== x) prev.dispose();
    }
  }
  return y;
}

/** ADA's adaptive state: p and the sign statistics of the current interval. */
export interface AdaState {
  p: number;
  signSum: number;
  signCount: number;
  batches: number;
  rt: number;
}

export interface AdaControllerOptions {
  /** Target of r_t = E[sign(D(real))] (the paper: 0.6); 0 keeps p fixed. */
  target: number;
  /** D steps between adjustments (the paper: 4). */
  interval: number;
  /** Thousands of images for p to go from 0 to 1 (the paper: 500). */
  kimg: number;
  /** Initial p. */
  p: number;
  /** Group letters: b, g, c. */
  groups: string;
}

/** The adaptive probability: observes D's real logits, moves p towards r_t = target, augments. */
export class AdaController {
  readonly options: AdaControllerOptions;
  readonly transforms: AdaTransforms;
  state: AdaState;

  constructor(options: AdaControllerOptions) {
    this.options = options;
    this.transforms = adaTransforms(options.groups);
    this.state = { p: options.p, signSum: 0, signCount: 0, batches: 0, rt: 0 };
  }

  get p(): number {
    return this.state.p;
  }

  /** x [N, H, W, C] through the pipeline at the current p. */
  augment(x: tf.Tensor4D, rng: Rng): tf.Tensor4D {
    return adaAugment(x, this.state.p, rng, this.transforms);
  }

  /** Records one D step's real logits (their sign sum and count); adjusts p every `interval` steps. */
  observe(signSum: number, count: number): void {
    const s = this.state;
    s.signSum += signSum;
    s.signCount += count;
    s.batches += 1;
    if (s.batches < this.options.interval) return;
    s.rt = s.signSum / s.signCount;
    if (this.options.target > 0) {
      const adjust = (Math.sign(s.rt - this.options.target) * s.signCount) / (this.options.kimg * 1000);
      s.p = Math.min(1, Math.max(0, s.p + adjust));
    }
    s.signSum = 0;
    s.signCount = 0;
    s.batches = 0;
  }

  /** Observes D's real logits [N, 1] (one read back). */
  observeLogits(realLogits: tf.Tensor): void {
    const sum = tf.tidy(() => tf.sum(tf.sign(realLogits)).dataSync()[0]!);
    this.observe(sum, realLogits.shape[0]!);
  }

  getState(): AdaState {
    return { ...this.state };
  }

  setState(s: AdaState): void {
    this.state = { ...s };
  }
}
