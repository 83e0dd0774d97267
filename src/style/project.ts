// Projection of an image into a StyleGAN2's latent space (Karras et al. 2020, section 5 and the
// official projector): find the w (one for every layer, 'w') or the per-layer ws ('w+') and the
// noise maps whose image matches the target. Start at w_avg; Adam (lr 0.1 with a cosine ramp-down
// over the last 25% of the steps and a 5% warm-up); noise added to w early on (0.05 x the std of
// W, decaying quadratically to 0 at 75% of the steps); noise maps normalized to zero mean and unit
// variance after every step, and regularized by the paper's multi-scale autocorrelation penalty
// (weight 1e5) so they carry no image content.
// The loss: mean squared pixel error plus (weight `featureWeight`) the squared distance of the
// project's own Fashion-MNIST classifier features (src/metrics/classifier_features.ts; colour images
// through their luminance) where the paper uses LPIPS on VGG16.
import { existsSync } from 'node:fs';

import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { buildFeatureNet, featureDistance } from '../metrics/classifier_features.js';
import { psnr } from '../metrics/image_quality.js';
import { Rng } from '../train/rng.js';
import type { StyleRun } from './control.js';
import { sampleW } from './directions.js';

export interface ProjectOptions {
  /** 'w': one w for every layer; 'w+': one per layer. Default 'w'. */
  space?: 'w' | 'w+';
  /** Optimization steps. Default 300 (the paper: 1,000). */
  steps?: number;
  /** Adam's peak learning rate. Default 0.1. */
  lr?: number;
  /** Weight of the classifier-feature distance (0 = pixels only). Default 1. */
  featureWeight?: number;
  /** Weight of the noise regularization. Default 1e5 (the paper's). */
  noiseWeight?: number;
  /** Starting scale of the noise added to w, times the std of W. Default 0.05. */
  wNoise?: number;
  onProgress?: (step: number, total: number, loss: number) => void;
}

export interface Projection {
  /** The ws, one per synthesis layer: [numWs, Wd] (all rows equal in space 'w'). */
  ws: Float32Array;
  /** The projected image [H, W, C] in [-1, 1]. */
  image: Float32Array;
  /** PSNR of the projection against the target (dB, range [-1, 1]). */
  psnr: number;
  /** The final loss terms. */
  pixel: number;
  feature: number;
}

/** Reads an image file for projection into `shape` [H, W, C]; a sentence when its size or mode does not fit. */
export async function readTargetImage(file: string, shape: number[]): Promise<Float32Array> {
  if (!existsSync(file)) throw new Error(`not found: ${file}`);
  const [h, w, c] = shape as [number, number, number];
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(file).metadata();
  } catch (e) {
    throw new Error(
      `${file} is not an image tsgan can read (PNG, JPEG...): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (meta.width !== w || meta.height !== h)
    throw new Error(
      `${file} is ${meta.width}x${meta.height}; this model makes ${w}x${h} images: resize or crop it first`,
    );
  const channels = (meta.channels ?? 3) - (meta.hasAlpha ? 1 : 0);
  const isGray = channels === 1;
  if (c === 3 && isGray) throw new Error(`${file} is a grayscale image; this model makes colour (RGB) images`);
  const { data, info } = await sharp(file)
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (c === 1 && info.channels >= 3) {
    // an RGB file is accepted for a grayscale model only when its three channels are equal
    for (let i = 0; i < h * w; i++) {
      const at = i * info.channels;
      if (data[at] !== data[at + 1] || data[at] !== data[at + 2])
        throw new Error(`${file} is a colour image; this model makes grayscale images: convert it to grayscale first`);
    }
  }
  const out = new Float32Array(h * w * c);
  for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) out[i * c + k] = data[i * info.channels + k]! / 127.5 - 1;
  return out;
}

/** The paper's noise regularization: squared autocorrelations at 1-pixel shifts over a pyramid of each noise map. */
export function noiseRegularization(noises: tf.Tensor4D[]): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    for (const n0 of noises) {
      let n = n0;
      for (;;) {
        const sx = tf.mean(
          tf.mul(
            n,
            tf.concat([tf.slice(n, [0, 0, 1, 0], [-1, -1, -1, -1]), tf.slice(n, [0, 0, 0, 0], [-1, -1, 1, -1])], 2),
          ),
        );
        const sy = tf.mean(
          tf.mul(
            n,
            tf.concat([tf.slice(n, [0, 1, 0, 0], [-1, -1, -1, -1]), tf.slice(n, [0, 0, 0, 0], [-1, 1, -1, -1])], 1),
          ),
        );
        total = tf.add(total, tf.add(tf.square(sx), tf.square(sy)));
        if (n.shape[1] <= 8) break;
        n = tf.avgPool(n, 2, 2, 'valid') as tf.Tensor4D;
      }
    }
    return total as tf.Scalar;
  });
}

/** Projects one target image [H, W, C] (in [-1, 1]) into the run's W or W+ space. */
export function projectImage(
  run: Pick<StyleRun, 'model' | 'generator'>,
  target: Float32Array,
  o: ProjectOptions = {},
): Projection {
  const { model, generator } = run;
  const space = o.space ?? 'w';
  const steps = o.steps ?? 300;
  const lrMax = o.lr ?? 0.1;
  const fw = o.featureWeight ?? 1;
  const nw = o.noiseWeight ?? 1e5;
  const [h, w, c] = model.outputShape as [number, number, number];
  if (target.length !== h * w * c)
    throw new Error(`the target has ${target.length} values, the model makes ${h}x${w}x${c}`);
  const wd = model.options.wDim;
  // std of W (the scale of the w noise), from sampled w
  const samples = sampleW(run, 2000, 1);
  let wStd = 0;
  for (let j = 0; j < wd; j++) {
    let s = 0;
    for (let i = 0; i < 2000; i++) s += (samples[i * wd + j]! - model.wAvg[j]!) ** 2;
    wStd += s / 2000;
  }
  wStd = Math.sqrt(wStd);
  const rows = space === 'w' ? 1 : model.numWs;
  const wVar = tf.variable(tf.tile(tf.tensor2d(model.wAvg, [1, wd]), [rows, 1]), true, undefined); // [rows, Wd]
  const noiseVars = model.noiseSides.map((s, i) =>
    tf.variable(model.noiseInputs(1, 'const', undefined, generator)[i]!, true),
  );
  const targetT = tf.tensor4d(target, [1, h, w, c]);
  const featureNet: tfl.LayersModel | null = fw > 0 ? buildFeatureNet() : null;
  const opt = tf.train.adam(lrMax, 0.9, 0.999);
  const rng = new Rng(12345); // the w noise: a fixed seed, so a projection is reproducible
  const synth = (ws: tf.Tensor2D) => {
    const list = Array.from({ length: model.numWs }, (_, l) =>
      space === 'w' ? ws : (tf.slice(ws, [l, 0], [1, wd]) as tf.Tensor2D),
    );
    const { synthesis } = model.parts(generator);
    return synthesis.apply([...list, ...noiseVars.map((v) => v as unknown as tf.Tensor4D)], {
      training: false,
    }) as tf.Tensor4D;
  };
  let pixel = 0;
  let feature = 0;
  for (let t = 0; t < steps; t++) {
    const frac = t / steps;
    const noiseScale = wStd * (o.wNoise ?? 0.05) * Math.max(0, 1 - frac / 0.75) ** 2;
    const lr =
      lrMax * (0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, (1 - frac) / 0.25))) * Math.min(1, (t + 1) / (0.05 * steps));
    (opt as unknown as { learningRate: number }).learningRate = lr;
    const jitter = tf.tensor2d(rng.normals(rows * wd), [rows, wd]);
    const cost = opt.minimize(
      () => {
        const wsIn = tf.add(wVar, tf.mul(jitter, noiseScale)) as tf.Tensor2D;
        const img = synth(wsIn);
        const pix = tf.mean(tf.squaredDifference(img, targetT)) as tf.Scalar;
        let loss: tf.Scalar = pix;
        const feat = featureNet ? featureDistance(featureNet, img, targetT) : tf.scalar(0);
        loss = tf.add(loss, tf.mul(feat, fw)) as tf.Scalar;
        loss = tf.add(loss, tf.mul(noiseRegularization(noiseVars as unknown as tf.Tensor4D[]), nw)) as tf.Scalar;
        if (t === steps - 1) {
          pixel = pix.dataSync()[0]!;
          feature = feat.dataSync()[0]!;
        }
        return loss;
      },
      true,
      [wVar, ...noiseVars],
    );
    jitter.dispose();
    // normalize the noise maps (zero mean, unit variance)
    tf.tidy(() => {
      for (const v of noiseVars) {
        const { mean, variance } = tf.moments(v);
        v.assign(tf.div(tf.sub(v, mean), tf.sqrt(tf.add(variance, 1e-8))) as tf.Tensor4D);
      }
    });
    o.onProgress?.(t + 1, steps, cost ? cost.dataSync()[0]! : Number.NaN);
    cost?.dispose();
  }
  const result = tf.tidy(() => synth(wVar as unknown as tf.Tensor2D));
  const image = result.dataSync() as Float32Array;
  const wsOut = tf.tidy(() => (space === 'w' ? tf.tile(wVar, [model.numWs, 1]) : tf.clone(wVar)));
  const out: Projection = {
    ws: Float32Array.from(wsOut.dataSync() as Float32Array),
    image: Float32Array.from(image),
    psnr: psnr({ data: image, shape: [1, h, w, c] }, { data: target, shape: [1, h, w, c] }),
    pixel,
    feature,
  };
  tf.dispose([result, wsOut, wVar, ...noiseVars, targetT]);
  opt.dispose();
  featureNet?.dispose();
  return out;
}
