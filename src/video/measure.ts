// Measures of generated video clips, each beside the same measure of real held-out clips:
// - fid-frames: per-frame FID on the Fashion-MNIST classifier's features (fid-fmnist of single
//   frames; frames resized to 28x28, grayscale; colour frames are averaged to gray), generated
//   frames against held-out real frames;
// - acd: MoCoGAN's average content distance (Tulyakov et al. 2018, section 4.1): the mean pairwise
//   L2 distance between per-frame content vectors of one clip, averaged over clips. The content
//   vector is, for grayscale clips, the Fashion-MNIST classifier's features of the frame shifted so
//   the object's centroid is at the centre (the classifier's features change with position; the
//   paper used a face-identity network for faces) and, as the paper did for its shapes, the mean colour of the
//   object's pixels (those brighter than 25% over the black background; RGB in [0, 1]) for colour
//   clips. Lower: the object stays the same object;
// - motion: the share of clips a motion classifier trained on real clips (motion_classifier.ts)
//   assigns to a motion type rather than to 'incoherent' (frames in random order), and the share
//   of each motion type.
import * as tf from '@tensorflow/tfjs-core';

import type { FieldDataset } from '../data/fields.js';
import type { ClipDataset } from '../data/moving.js';
import { fid } from '../metrics/fid.js';
import { FmnistClassifier } from '../metrics/fmnist_classifier.js';
import type { MoCoGAN } from '../models/mocogan.js';
import type { TrainConfig } from '../train/config.js';
import type { EvalOutcome } from '../train/periodic_eval.js';
import type { Trainer } from '../train/trainer.js';
import type { ClipBatch } from './clips.js';
import { classifyMotion, type MotionClassifier } from './motion_classifier.js';

export interface ClipMeasures {
  clips: number;
  /** Per-frame FID against the held-out real frames (null: not computed). */
  fidFrames: number | null;
  /** Average content distance within a clip. */
  acd: number;
  /** Share of clips the motion classifier assigns to a motion type (null: no classifier given). */
  realMotion: number | null;
  /** Share of clips per motion type. */
  motionTypes: Record<string, number> | null;
}

/** Frame [h, w] (gray, background -1) shifted so its brightness centroid sits at the centre (whole pixels, -1 fill). */
function centred(v: Float32Array, off: number, h: number, w: number, out: Float32Array): void {
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const b = v[off + y * w + x]! + 1;
      m += b;
      sx += b * x;
      sy += b * y;
    }
  const dx = m > 0 ? Math.round((w - 1) / 2 - sx / m) : 0;
  const dy = m > 0 ? Math.round((h - 1) / 2 - sy / m) : 0;
  out.fill(-1, off, off + h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const ty = y + dy;
      const tx = x + dx;
      if (ty >= 0 && ty < h && tx >= 0 && tx < w) out[off + ty * w + tx] = v[off + y * w + x]!;
    }
}

/**
 * Frames [N*T] of clips as 28x28 grayscale in [-1, 1] (colour averaged; bilinear resize). With
 * `centre`, each frame is first shifted so its object's centroid is at the centre: features of the
 * object, not of where it is (the content vectors of ACD).
 */
export function framesAs28(clips: ClipBatch, centre = false): Float32Array {
  const [n, t, h, w, c] = clips.shape;
  return tf
    .tidy(() => {
      let x = tf.tensor4d(clips.values, [n * t, h, w, c]);
      if (c > 1) x = tf.mean(x, 3, true) as tf.Tensor4D;
      if (centre) {
        const v = x.dataSync() as Float32Array;
        const out = new Float32Array(v.length);
        for (let f = 0; f < n * t; f++) centred(v, f * h * w, h, w, out);
        x = tf.tensor4d(out, [n * t, h, w, 1]);
      }
      return tf.image.resizeBilinear(x, [28, 28], true);
    })
    .dataSync() as Float32Array;
}

/** Mean pairwise L2 distance between rows of each group of `t` consecutive rows of [N*t, dim], averaged over groups. */
export function meanPairwiseDistance(v: ArrayLike<number>, n: number, t: number, dim: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    let pairs = 0;
    for (let a = 0; a < t; a++)
      for (let b = a + 1; b < t; b++) {
        let d = 0;
        for (let k = 0; k < dim; k++) {
          const x = v[(i * t + a) * dim + k]! - v[(i * t + b) * dim + k]!;
          d += x * x;
        }
        s += Math.sqrt(d);
        pairs++;
      }
    total += pairs ? s / pairs : 0;
  }
  return total / n;
}

/** Mean colour (RGB in [0, 1]) of each frame's object pixels (any channel above 25% brightness). */
export function objectColours(clips: ClipBatch): Float32Array {
  const [n, t, h, w, c] = clips.shape;
  const out = new Float32Array(n * t * 3);
  for (let f = 0; f < n * t; f++) {
    const sum = [0, 0, 0];
    let count = 0;
    for (let p = 0; p < h * w; p++) {
      const o = (f * h * w + p) * c;
      let bright = false;
      for (let k = 0; k < c; k++) if (clips.values[o + k]! > -0.5) bright = true;
      if (!bright) continue;
      for (let k = 0; k < 3; k++) sum[k]! += (clips.values[o + (c >= 3 ? k : 0)]! + 1) / 2;
      count++;
    }
    for (let k = 0; k < 3; k++) out[f * 3 + k] = count ? sum[k]! / count : 0;
  }
  return out;
}

/** The measures of `clips`; `realFrames` (28x28 features of real frames) enables fid-frames. */
export function measureClips(
  clips: ClipBatch,
  opts: {
    classifier?: FmnistClassifier;
    realFeatures?: ReturnType<FmnistClassifier['extract']>['features'];
    motion?: MotionClassifier;
  } = {},
): ClipMeasures {
  const [n, t, , , c] = clips.shape;
  let fidFrames: number | null = null;
  let acd: number;
  if (opts.realFeatures) {
    const cls = opts.classifier ?? FmnistClassifier.load();
    fidFrames = fid(opts.realFeatures, cls.extract(framesAs28(clips), n * t).features);
  }
  if (c === 1) {
    const cls = opts.classifier ?? FmnistClassifier.load();
    const { features } = cls.extract(framesAs28(clips, true), n * t); // of the centred object
    acd = meanPairwiseDistance(features.data, n, t, features.dim);
  } else acd = meanPairwiseDistance(objectColours(clips), n, t, 3);
  let realMotion: number | null = null;
  let motionTypes: Record<string, number> | null = null;
  if (opts.motion) {
    const r = classifyMotion(opts.motion, clips.values, n, clips.shape.slice(1));
    realMotion = r.realMotion;
    motionTypes = r.perType;
  }
  return { clips: n, fidFrames, acd, realMotion, motionTypes };
}

/** The first n clips of a clip dataset as a ClipBatch. */
export function clipsOf(ds: FieldDataset, n = Number.POSITIVE_INFINITY): ClipBatch {
  const f = ds.fields.clip;
  if (!f) throw new Error(`${ds.name} has no clips`);
  const m = Math.min(n, f.n);
  const per = f.shape.reduce((a, b) => a * b, 1);
  return { values: (f.data as Float32Array).subarray(0, m * per), shape: [m, ...f.shape] as ClipBatch['shape'] };
}

/** n clips from the model's generator (the EMA copy when kept) with latents of `seed`. */
export function generatedClips(trainer: Trainer, n: number, seed: number): ClipBatch {
  const model = trainer.model as MoCoGAN;
  const g = trainer.ema.G ?? model.networks.G!;
  const values = new Float32Array(n * model.outputShape.reduce((a, b) => a * b, 1));
  let shape: number[] = [];
  const all = model.videoLatent(n, seed, seed + 1);
  for (let b = 0; b < n; b += 32) {
    const m = Math.min(32, n - b);
    const out = tf.tidy(() => model.generate(tf.slice(all, [b, 0], [m, -1]) as tf.Tensor2D, null, { generator: g }));
    values.set(out.dataSync() as Float32Array, b * (values.length / n));
    shape = out.shape;
    out.dispose();
  }
  all.dispose();
  return { values, shape: [n, ...shape.slice(1)] as ClipBatch['shape'] };
}

/** The periodic evaluation of a video run: fid-frames (grayscale clips) and acd of 128 generated clips. */
export async function evaluateVideoRun(
  trainer: Trainer,
  test: FieldDataset,
  config: TrainConfig,
): Promise<EvalOutcome> {
  try {
    const n = Math.min(128, config.evalN);
    const real = clipsOf(test, n);
    const gray = real.shape[4] === 1;
    const classifier = gray ? FmnistClassifier.load() : undefined;
    const realFeatures = classifier?.extract(framesAs28(real), real.shape[0] * real.shape[1]).features;
    const fake = measureClips(generatedClips(trainer, n, config.seed + 1000), { classifier, realFeatures });
    return {
      values: { ...(fake.fidFrames != null ? { fidFrames: fake.fidFrames } : {}), acd: fake.acd },
      errors: {},
    };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { values: {}, errors: { fidFrames: why, acd: why } };
  }
}

/** Real clips' measures beside a model's: what `tsgan bench video-quality` prints. */
export interface VideoQuality {
  task: string;
  step: number;
  n: number;
  real: ClipMeasures;
  generated: ClipMeasures;
  classifier: { names: string[]; heldOutAccuracy: number; shuffledAccuracy: number } | null;
}

/** Compares n generated clips with n held-out real ones on every measure (the motion classifier when given). */
export function videoQuality(
  trainer: Trainer,
  test: ClipDataset,
  opts: { n: number; seed: number; motion?: MotionClassifier },
): VideoQuality {
  // Two disjoint halves of the held-out clips: real clips A, reference frames B (fid-frames of A and of the model against B).
  const n = Math.min(opts.n, Math.floor(test.fields.clip!.n / 2));
  if (n < 1) throw new Error(`${test.name} has too few held-out clips to measure`);
  const both = clipsOf(test, 2 * n);
  const real: ClipBatch = {
    values: both.values.subarray(0, both.values.length / 2),
    shape: [n, ...both.shape.slice(1)] as ClipBatch['shape'],
  };
  const ref: ClipBatch = { values: both.values.subarray(both.values.length / 2), shape: real.shape };
  const gray = real.shape[4] === 1;
  const classifier = FmnistClassifier.load();
  const realFeatures = gray ? classifier.extract(framesAs28(ref), n * ref.shape[1]).features : undefined;
  const m = { classifier, realFeatures, motion: opts.motion };
  const r = measureClips(real, m);
  const g = measureClips(generatedClips(trainer, n, opts.seed), m);
  return {
    task: test.name,
    step: trainer.step,
    n,
    real: r,
    generated: g,
    classifier: opts.motion
      ? {
          names: opts.motion.names,
          heldOutAccuracy: opts.motion.heldOut.accuracy,
          shuffledAccuracy: opts.motion.heldOut.shuffledAccuracy,
        }
      : null,
  };
}

export function formatVideoQuality(q: VideoQuality): string {
  const f = (v: number | null, d = 3) => (v == null ? '-' : v.toFixed(d));
  const types = (m: ClipMeasures) =>
    m.motionTypes
      ? Object.entries(m.motionTypes)
          .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
          .join(', ')
      : '-';
  const lines = [
    `${q.task}: ${q.n} generated clips (step ${q.step}) vs ${q.n} held-out real clips`,
    `  ${'measure'.padEnd(26)}${'real'.padStart(10)}${'generated'.padStart(12)}`,
    `  ${'fid-frames (fmnist)'.padEnd(26)}${f(q.real.fidFrames, 1).padStart(10)}${f(q.generated.fidFrames, 1).padStart(12)}`,
    `  ${'acd (content distance)'.padEnd(26)}${f(q.real.acd, 4).padStart(10)}${f(q.generated.acd, 4).padStart(12)}`,
    `  ${'real motion (classifier)'.padEnd(26)}${f(q.real.realMotion).padStart(10)}${f(q.generated.realMotion).padStart(12)}`,
    `  motion types, real: ${types(q.real)}`,
    `  motion types, generated: ${types(q.generated)}`,
  ];
  if (q.classifier)
    lines.push(
      `  motion classifier: ${(q.classifier.heldOutAccuracy * 100).toFixed(1)}% on held-out real clips (${q.classifier.names.join(', ')}), ${(q.classifier.shuffledAccuracy * 100).toFixed(1)}% of time-shuffled ones called incoherent`,
    );
  return lines.join('\n');
}
