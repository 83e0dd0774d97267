// Super-resolution quality by the standard protocol (as in SRGAN/ESRGAN/EDSR evaluations): outputs
// and ground truth rounded to 8 bits, converted to the Y channel of YCbCr (ITU-R BT.601 as MATLAB's
// rgb2ycbcr: Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255 for R, G, B in [0, 1]; grayscale
// images are their own Y), a border of `scale` pixels cropped on every side, then PSNR (data range
// 255) and SSIM (src/metrics/image_quality.ts, scikit-image's definition, on Y with range 255).
// Scored against the bicubic baseline on the same held-out images, with the perceptual proxy of
// src/metrics/classifier_features.ts (distance of the project's classifier features to the
// high-resolution image; lower is closer).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import type { FieldDataset } from '../data/fields.js';
import { bicubicUpscale } from '../data/super_resolution.js';
import { buildFeatureNet, meanFeatureDistance } from './classifier_features.js';
import { psnr, ssim } from './image_quality.js';

/** Y of 8-bit-rounded images [n, h, w, c] in [-1, 1], with `crop` pixels cut off each border: [n, h-2crop, w-2crop, 1] in 0..255. */
export function yChannel(images: Float32Array, shape: [number, number, number, number], crop: number): Float32Array {
  const [n, h, w, c] = shape;
  const oh = h - 2 * crop;
  const ow = w - 2 * crop;
  if (oh <= 0 || ow <= 0) throw new Error(`a ${h}x${w} image is too small to crop ${crop} pixels off each border`);
  const out = new Float32Array(n * oh * ow);
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
  for (let k = 0; k < n; k++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        const p = ((k * h + y + crop) * w + x + crop) * c;
        out[(k * oh + y) * ow + x] =
          c >= 3
            ? 16 + (65.481 * byte(images[p]!) + 128.553 * byte(images[p + 1]!) + 24.966 * byte(images[p + 2]!)) / 255
            : byte(images[p]!);
      }
  return out;
}

export interface SRScores {
  /** PSNR (dB) on Y, border of `scale` cropped. */
  psnrY: number;
  /** SSIM on Y, same crop. */
  ssimY: number;
  /** Mean squared distance of classifier features to the high-resolution image (lower is closer). */
  featureDistance: number;
}

/** The three scores of upscaled images against the ground truth ([n, H, W, C] in [-1, 1]). */
export function scoreSR(
  out: Float32Array,
  truth: Float32Array,
  shape: [number, number, number, number],
  scale: number,
  featureNet?: tfl.LayersModel,
): SRScores {
  const [n, h, w] = shape;
  const ys: [number, number, number, number] = [n, h - 2 * scale, w - 2 * scale, 1];
  const a = { data: yChannel(out, shape, scale), shape: ys };
  const b = { data: yChannel(truth, shape, scale), shape: ys };
  return {
    psnrY: psnr(a, b, 255),
    ssimY: ssim(a, b, { dataRange: 255 }),
    featureDistance: featureNet ? meanFeatureDistance(featureNet, out, truth, shape) : Number.NaN,
  };
}

export interface SREvaluation {
  n: number;
  scale: number;
  model: SRScores;
  bicubic: SRScores;
}

/** Upscales `x` [n, h, w, c] with `generator` in chunks: [n, h*scale, w*scale, c] values. */
export function upscaleBatch(
  generator: tfl.LayersModel,
  x: Float32Array,
  shape: number[],
  scale: number,
  chunk = 32,
): Float32Array {
  const [n, h, w, c] = shape as [number, number, number, number];
  const out = new Float32Array(n * h * scale * w * scale * c);
  const per = h * w * c;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const y = tf.tidy(() =>
      tf.clipByValue(
        generator.apply(tf.tensor4d(x.subarray(i * per, (i + m) * per), [m, h, w, c]), {
          training: false,
        }) as tf.Tensor,
        -1,
        1,
      ),
    );
    out.set(y.dataSync() as Float32Array, i * per * scale * scale);
    y.dispose();
  }
  return out;
}

/** Held-out SR scores of a generator and of bicubic upsampling on the same images. */
export function evaluateSR(
  generator: tfl.LayersModel,
  test: FieldDataset,
  opts: { limit?: number; featureNet?: tfl.LayersModel } = {},
): SREvaluation & { outputs: Float32Array; bicubicOutputs: Float32Array } {
  const input = test.fields.input;
  const target = test.fields.target;
  if (!input || !target) throw new Error(`${test.name} has no input/target fields to score super-resolution on`);
  const n = Math.min(input.n, opts.limit ?? input.n);
  const [h, w, c] = input.shape as [number, number, number];
  const scale = target.shape[0]! / h;
  const x = (input.data as Float32Array).subarray(0, n * h * w * c);
  const truth = (target.data as Float32Array).subarray(0, n * h * scale * w * scale * c);
  const shape: [number, number, number, number] = [n, h * scale, w * scale, c];
  const net = opts.featureNet ?? buildFeatureNet();
  try {
    const outputs = upscaleBatch(generator, x, [n, h, w, c], scale);
    const bicubicOutputs = bicubicUpscale(x, n, h, w, c, scale);
    return {
      n,
      scale,
      model: scoreSR(outputs, truth, shape, scale, net),
      bicubic: scoreSR(bicubicOutputs, truth, shape, scale, net),
      outputs,
      bicubicOutputs,
    };
  } finally {
    if (!opts.featureNet) net.dispose();
  }
}
