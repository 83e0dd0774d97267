// Does a text-to-image generator draw what the prompt says? Two measures on the captioned shapes:
// - attribute rates: an attribute classifier the project trains on procedural shapes of EVERY
//   combination (a small CNN with four heads: shape, colour, size, position) reads each generated
//   image; the rate at which it finds each of the prompt's attributes is compared with chance
//   (1 / number of values) and with the same classifier on real images of the same captions;
// - R-precision (Xu et al. 2018, AttnGAN's measure): the true caption ranked first among itself
//   and 99 other captions of the split by the run's own text-image encoders (cosine of I(image)
//   and T(caption)); chance is 1 / 100.
// Captions whose colour-shape pairs were held out of training are scored separately by the caller
// (compositional generalization).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type { CaptionedDataset } from '../data/captioned.js';
import { COLOR_NAMES, makeShapes, parseCaption, POSITION_NAMES, SHAPE_NAMES, SIZE_NAMES } from '../data/shapes.js';
import { mulberry32 } from '../data/types.js';
import { classCrossEntropy } from '../losses/adversarial.js';
import type { Text2Image } from '../models/text2image.js';
import { latentForSeed } from '../train/inference.js';

export const ATTRIBUTES = ['shape', 'color', 'size', 'position'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];
const VALUES: Record<Attribute, readonly string[]> = {
  shape: SHAPE_NAMES,
  color: COLOR_NAMES,
  size: SIZE_NAMES,
  position: POSITION_NAMES,
};

/** The trained attribute classifier: images [N, res, res, 3] -> predicted value index per attribute. */
export interface AttributeClassifier {
  resolution: number;
  predict(images: tf.Tensor4D): Record<Attribute, Int32Array>;
  /** Accuracy per attribute on its own held-out shapes. */
  heldOutAccuracy: Record<Attribute, number>;
  dispose(): void;
}

/** Trains the attribute classifier on `n` shapes of every combination (seeded; about 20-60 s on 2 cores at 32x32). */
export function trainAttributeClassifier(
  opts: {
    resolution?: number;
    n?: number;
    steps?: number;
    seed?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): AttributeClassifier {
  const res = opts.resolution ?? 32;
  const n = opts.n ?? 6000;
  const steps = opts.steps ?? 600;
  const seed = opts.seed ?? 1234;
  const ds = makeShapes({ n: n + 1000, resolution: res, seed, captionStyle: 'varied' });
  const x = tfl.input({ shape: [res, res, 3] });
  let h = x;
  for (const c of [32, 64, 128])
    h = tfl.layers
      .conv2d({ filters: c, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })
      .apply(h) as tfl.SymbolicTensor; // [N, res/2^k, res/2^k, c]
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.dense({ units: 128, activation: 'relu' }).apply(h) as tfl.SymbolicTensor; // [N, 128]
  const heads = ATTRIBUTES.map((a) => tfl.layers.dense({ units: VALUES[a].length }).apply(h) as tfl.SymbolicTensor);
  const net = tfl.model({ inputs: x, outputs: heads });
  const opt = tf.train.adam(1e-3);
  const per = res * res * 3;
  const rng = mulberry32(seed);
  const batch = 64;
  const labelsOf = (a: Attribute, idx: number[]) =>
    tf.tensor1d(
      idx.map((i) => ds.attributes[a][i]!),
      'int32',
    );
  for (let s = 0; s < steps; s++) {
    const idx = Array.from({ length: batch }, () => Math.floor(rng() * n));
    tf.tidy(() => {
      const xb = tf.tensor4d(
        Float32Array.from(idx.flatMap((i) => Array.from(ds.images.subarray(i * per, (i + 1) * per)))),
        [batch, res, res, 3],
      );
      opt.minimize(() => {
        const outs = net.apply(xb, { training: true }) as tf.Tensor[];
        return tf.addN(
          outs.map((o, k) => classCrossEntropy(o as tf.Tensor2D, labelsOf(ATTRIBUTES[k]!, idx))),
        ) as tf.Scalar;
      });
    });
    opts.onProgress?.(s + 1, steps);
  }
  opt.dispose();
  const predict = (images: tf.Tensor4D): Record<Attribute, Int32Array> => {
    const out = {} as Record<Attribute, Int32Array>;
    const parts: Record<Attribute, number[]> = { shape: [], color: [], size: [], position: [] };
    for (let i = 0; i < images.shape[0]; i += 256) {
      tf.tidy(() => {
        const xb = tf.slice(images, [i, 0, 0, 0], [Math.min(256, images.shape[0] - i), -1, -1, -1]);
        const outs = net.apply(xb, { training: false }) as tf.Tensor[];
        outs.forEach((o, k) => {
          parts[ATTRIBUTES[k]!].push(...(tf.argMax(o, 1).dataSync() as Int32Array));
        });
      });
    }
    for (const a of ATTRIBUTES) out[a] = Int32Array.from(parts[a]);
    return out;
  };
  const test = tf.tensor4d(ds.images.subarray(n * per), [1000, res, res, 3]);
  const pred = predict(test);
  test.dispose();
  const heldOutAccuracy = {} as Record<Attribute, number>;
  for (const a of ATTRIBUTES) {
    let ok = 0;
    for (let i = 0; i < 1000; i++) if (pred[a][i] === ds.attributes[a][n + i]) ok++;
    heldOutAccuracy[a] = ok / 1000;
  }
  return { resolution: res, predict, heldOutAccuracy, dispose: () => net.dispose() };
}

/** Per attribute: the fraction of images in which the classifier finds the caption's value. */
export function attributeRates(
  clf: AttributeClassifier,
  images: tf.Tensor4D,
  captions: string[],
): Record<Attribute, number> {
  const pred = clf.predict(images);
  const rates = {} as Record<Attribute, number>;
  for (const a of ATTRIBUTES) {
    let ok = 0;
    captions.forEach((c, i) => {
      const attrs = parseCaption(c);
      if (!attrs) throw new Error(`caption '${c}' is not a shapes caption`);
      if (VALUES[a][pred[a][i]!] === attrs[a]) ok++;
    });
    rates[a] = ok / captions.length;
  }
  return rates;
}

/** Chance rate of each attribute: 1 / number of values. */
export const CHANCE_RATES: Record<Attribute, number> = {
  shape: 1 / SHAPE_NAMES.length,
  color: 1 / COLOR_NAMES.length,
  size: 1 / SIZE_NAMES.length,
  position: 1 / POSITION_NAMES.length,
};

/**
 * R-precision of images [N, ...] for their captions (rows of `ids` [N, L]): for each image, its
 * caption and `candidates - 1` other captions drawn from `pool` (ids [M, L], names: their text)
 * with different text, ranked by the cosine of I(image) and T(caption); the fraction ranked first.
 */
export function rPrecision(
  model: Text2Image,
  images: tf.Tensor4D,
  captions: string[],
  pool: { ids: Int32Array; names: string[] },
  candidates = 100,
  seed = 7,
): number {
  const len = model.tokenizer.maxLen;
  const m = pool.names.length;
  const rng = mulberry32(seed);
  return tf.tidy(() => {
    const img = model.networks.I!.apply(images, { training: false }) as tf.Tensor2D; // [N, E]
    const txtPool = model.embedText(tf.tensor2d(pool.ids, [m, len], 'int32')); // [M, E]
    const own = model.encodePrompts(captions);
    const txtOwn = model.embedText(own); // [N, E]
    const simPool = tf.matMul(img, txtPool, false, true).arraySync() as number[][]; // [N, M]
    const simOwn = tf.sum(tf.mul(img, txtOwn), 1).dataSync(); // [N]
    let first = 0;
    for (let i = 0; i < captions.length; i++) {
      let beaten = false;
      let drawn = 0;
      for (let guard = 0; drawn < candidates - 1 && guard < 100 * candidates; guard++) {
        const j = Math.floor(rng() * m);
        if (pool.names[j] === captions[i]) continue;
        drawn++;
        if (simPool[i]![j]! >= simOwn[i]!) beaten = true;
      }
      if (!beaten) first++;
    }
    return first / captions.length;
  });
}

/** The scores of one split: generated vs real images of the same captions. */
export interface SplitScores {
  n: number;
  generated: { attributes: Record<Attribute, number> | null; rPrecision: number };
  real: { attributes: Record<Attribute, number> | null; rPrecision: number };
}

/**
 * Generates one image per caption of `split` (at most n, spread evenly; latent of seed + i) and scores it and the
 * split's real images: attribute rates (when a classifier is given) and R-precision against `pool`.
 */
export function scoreSplit(
  model: Text2Image,
  generator: tfl.LayersModel,
  split: CaptionedDataset,
  pool: CaptionedDataset,
  clf: AttributeClassifier | null,
  o: { n?: number; seed?: number } = {},
): SplitScores {
  const total = split.names.length;
  const n = Math.min(o.n ?? 1000, total);
  // n captions spread evenly over the split (its combinations come in runs: a prefix would hold one).
  const pick = Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
  const captions = pick.map((j) => split.names[j]!);
  const len = model.tokenizer.maxLen;
  const [h, w, c] = split.fields.image!.shape as [number, number, number];
  const per = h * w * c;
  const ids = new Int32Array(n * len);
  const pixels = new Float32Array(n * per);
  pick.forEach((j, i) => {
    ids.set(split.fields.text!.data.subarray(j * len, (j + 1) * len), i * len);
    pixels.set(split.fields.image!.data.subarray(j * per, (j + 1) * per), i * per);
  });
  const real = tf.tensor4d(pixels, [n, h, w, c]);
  const zs = new Float32Array(n * model.latentDim);
  for (let i = 0; i < n; i++) zs.set(latentForSeed((o.seed ?? 0) + i, model.latentDim), i * model.latentDim);
  const gen = tf.tidy(() => {
    const parts: tf.Tensor4D[] = [];
    for (let i = 0; i < n; i += 128) {
      const k = Math.min(128, n - i);
      parts.push(
        model.generateFromIds(
          tf.tensor2d(zs.subarray(i * model.latentDim, (i + k) * model.latentDim), [k, model.latentDim]),
          tf.tensor2d(ids.subarray(i * len, (i + k) * len), [k, len], 'int32'),
          { generator },
        ),
      );
    }
    return tf.concat(parts, 0) as tf.Tensor4D;
  });
  const poolIds = { ids: pool.fields.text!.data as Int32Array, names: pool.names };
  try {
    return {
      n,
      generated: {
        attributes: clf ? attributeRates(clf, gen, captions) : null,
        rPrecision: rPrecision(model, gen, captions, poolIds),
      },
      real: {
        attributes: clf ? attributeRates(clf, real, captions) : null,
        rPrecision: rPrecision(model, real, captions, poolIds),
      },
    };
  } finally {
    tf.dispose([gen, real]);
  }
}
