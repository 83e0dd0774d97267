// The fixed small classifier of `tsgan augment-eval` (the protocol is in ./eval.ts): a plain
// convolutional net, trained from scratch for each cell of the accuracy table with the same
// architecture, optimizer and number of updates, so the rows differ only in their training images.
// Input [N, 28, 28, 1] in [-1, 1]:
//   conv3x3(16) stride 2 ReLU  -> [N, 14, 14, 16]
//   conv3x3(32) stride 2 ReLU  -> [N, 7, 7, 32]
//   flatten, dense(64) ReLU    -> [N, 64]
//   dense(10) softmax          -> [N, 10]
// (about 0.36 M multiply-adds per image: small enough for a dozen trainings per table on one core).
// Training: Adam (lr 1e-3, cosine-decayed to 1/20), cross-entropy, batches of 64 drawn from seeded
// epoch shuffles; `classic` adds random horizontal flips and shifts of up to 2 pixels (filled with
// the background, -1), the classic augmentation row of the protocol.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { mulberry32 } from '../data/types.js';

/** A labelled set of 28x28 grayscale images in [-1, 1]. */
export interface LabelledImages {
  /** [n, 28, 28, 1] flat. */
  images: Float32Array;
  /** [n] class indices in 0..9. */
  labels: Int32Array;
  n: number;
}

export interface ClassifierTrainOptions {
  /** Optimizer updates (batches). */
  steps: number;
  /** Images per batch (64). */
  batchSize?: number;
  /** Initial Adam learning rate (1e-3). */
  lr?: number;
  /** Seed of the initial weights, the shuffles and the augmentation. */
  seed: number;
  /** Random horizontal flips and shifts of up to `maxShift` pixels. */
  classic?: boolean;
  /** Largest shift of the classic augmentation, in pixels (2). */
  maxShift?: number;
  /** Called every few steps with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

const PX = 28 * 28;
const CLASSES = 10;

/** Builds the untrained classifier; `seed` fixes its initial weights. */
export function buildSmallClassifier(seed: number): tfl.LayersModel {
  let s = seed * 13 + 5;
  const he = () => tfl.initializers.heNormal({ seed: s++ });
  const input = tfl.input({ shape: [28, 28, 1] });
  let x = tfl.layers
    .conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: he() })
    .apply(input) as tfl.SymbolicTensor; // [N, 14, 14, 16]
  x = tfl.layers
    .conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: he() })
    .apply(x) as tfl.SymbolicTensor; // [N, 7, 7, 32]
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor; // [N, 1568]
  x = tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: he() }).apply(x) as tfl.SymbolicTensor; // [N, 64]
  const probs = tfl.layers
    .dense({ units: CLASSES, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: s++ }) })
    .apply(x) as tfl.SymbolicTensor; // [N, 10]
  return tfl.model({ inputs: input, outputs: probs });
}

/** Copies image i of `src` into slot j of `dst`, flipped and shifted by (dx, dy), background -1. */
export function placeImage(
  src: Float32Array,
  i: number,
  dst: Float32Array,
  j: number,
  flip: boolean,
  dx: number,
  dy: number,
): void {
  for (let y = 0; y < 28; y++) {
    const sy = y - dy;
    for (let x = 0; x < 28; x++) {
      const sx0 = x - dx;
      const sx = flip ? 27 - sx0 : sx0;
      dst[j * PX + y * 28 + x] = sy >= 0 && sy < 28 && sx >= 0 && sx < 28 ? src[i * PX + sy * 28 + sx]! : -1;
    }
  }
}

/** Trains a fresh classifier on `data`; returns it (dispose it when done). */
export async function trainSmallClassifier(data: LabelledImages, o: ClassifierTrainOptions): Promise<tfl.LayersModel> {
  if (data.n < 1) throw new Error('the classifier needs at least one training image');
  const batch = o.batchSize ?? 64;
  const lr0 = o.lr ?? 1e-3;
  const maxShift = o.maxShift ?? 2;
  const model = buildSmallClassifier(o.seed);
  const opt = tf.train.adam(lr0);
  const rand = mulberry32(o.seed * 7919 + 17);
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  let pos = data.n; // forces a shuffle before the first batch
  const xb = new Float32Array(batch * PX);
  const yb = new Float32Array(batch * CLASSES);
  try {
    for (let step = 0; step < o.steps; step++) {
      yb.fill(0);
      for (let j = 0; j < batch; j++) {
        if (pos >= data.n) {
          for (let i = data.n - 1; i > 0; i--) {
            const k = Math.floor(rand() * (i + 1));
            const t = order[i]!;
            order[i] = order[k]!;
            order[k] = t;
          }
          pos = 0;
        }
        const i = order[pos++]!;
        if (o.classic) {
          const flip = rand() < 0.5;
          const dx = Math.floor(rand() * (2 * maxShift + 1)) - maxShift;
          const dy = Math.floor(rand() * (2 * maxShift + 1)) - maxShift;
          placeImage(data.images, i, xb, j, flip, dx, dy);
        } else xb.set(data.images.subarray(i * PX, (i + 1) * PX), j * PX);
        yb[j * CLASSES + data.labels[i]!] = 1;
      }
      (opt as unknown as { learningRate: number }).learningRate =
        lr0 * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / o.steps)));
      const loss = opt.minimize(
        () =>
          tf.tidy(() => {
            const x = tf.tensor4d(xb, [batch, 28, 28, 1]); // [B, 28, 28, 1]
            const p = model.apply(x, { training: true }) as tf.Tensor; // [B, 10]
            const y = tf.tensor2d(yb, [batch, CLASSES]); // [B, 10]
            return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), 1))) as tf.Scalar; // []
          }),
        true,
      );
      const v = (await loss!.data())[0]!;
      loss!.dispose();
      if (!Number.isFinite(v)) throw new Error(`the classifier's loss became ${v} at step ${step + 1}`);
      if ((step + 1) % 25 === 0 || step + 1 === o.steps) o.onProgress?.(step + 1, o.steps);
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
  return model;
}

/** Fraction of `data` the model classifies correctly (argmax of its probabilities). */
export function classifierAccuracy(model: tfl.LayersModel, data: LabelledImages, batchSize = 500): number {
  let hits = 0;
  for (let b = 0; b < data.n; b += batchSize) {
    const m = Math.min(batchSize, data.n - b);
    const pred = tf.tidy(() => {
      const x = tf.tensor4d(data.images.subarray(b * PX, (b + m) * PX), [m, 28, 28, 1]); // [m, 28, 28, 1]
      return tf.argMax(model.predict(x) as tf.Tensor, 1); // [m]
    });
    const p = pred.dataSync();
    pred.dispose();
    for (let i = 0; i < m; i++) if (p[i] === data.labels[b + i]) hits++;
  }
  return hits / data.n;
}
