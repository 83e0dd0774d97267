// The emoji feature classifier: the feature extractor of `fid-emoji`, the FID of colour emoji-like
// images against real emoji (translated emoji against the target style, generated emoji against the
// training set). It classifies an emoji into its emoji.json category (Smileys & Emotion, Animals &
// Nature, Flags, ...) from either style (Twemoji or Noto); FID uses its penultimate layer. These
// numbers are NOT comparable with Inception-based FID; they compare tsgan runs on emoji.
//
// Architecture (all-convolutional, as the Fashion-MNIST classifier), input [N, 64, 64, 3] in [-1, 1]
// (smaller images are resized up bilinearly first):
//   conv3x3(32) stride 2 BN ReLU   -> [N, 32, 32, 32]
//   conv3x3(64) stride 2 BN ReLU   -> [N, 16, 16, 64]
//   conv3x3(128) stride 2 BN ReLU  -> [N, 8, 8, 128]
//   conv3x3(128) stride 2 BN ReLU  -> [N, 4, 4, 128]
//   flatten, dense(128) ReLU       -> [N, 128]  the features
//   dense(K) softmax               -> [N, K] the categories (K from the weights' manifest)
// Trained by scripts/train-emoji-classifier.ts on the training split of both styles (the emoji the
// translation tasks hold out are never seen); weights in data/classifier/ with their sha256.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { fidFromStats, featureStats } from './fid.js';
import { classifierDir, loadWeightsInto, type WeightsManifest } from './fmnist_classifier.js';
import type { Features } from './linalg.js';

/** Dimension of the penultimate-layer features. */
export const EMOJI_FEATURE_DIM = 128;
/** Name of the weights files under data/classifier/. */
export const EMOJI_CLASSIFIER_NAME = 'emoji-cnn';
/** Side the classifier reads. */
export const EMOJI_SIDE = 64;

/** n RGB images [n, side, side, 3] in [-1, 1], flat. */
export interface EmojiImages {
  data: Float32Array;
  n: number;
  side: number;
}

export interface EmojiNets {
  /** images -> category probabilities. */
  classifier: tfl.LayersModel;
  /** images -> features. */
  trunk: tfl.LayersModel;
  /** features -> probabilities. */
  head: tfl.layers.Layer;
  /** images -> [features, probabilities]. */
  extractor: tfl.LayersModel;
}

/** Builds the (untrained, seeded) network for `numClasses` categories. */
export function buildEmojiClassifier(numClasses: number, seed = 0): EmojiNets {
  let s = seed * 7 + 3;
  const input = tfl.input({ shape: [EMOJI_SIDE, EMOJI_SIDE, 3], name: 'image' });
  let x: tfl.SymbolicTensor = input;
  for (const [i, filters] of [32, 64, 128, 128].entries()) {
    x = tfl.layers
      .conv2d({
        filters,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: tfl.initializers.heNormal({ seed: s++ }),
        name: `conv${i + 1}`,
      })
      .apply(x) as tfl.SymbolicTensor; // [N, 64 / 2^(i+1), same, filters]
    x = tfl.layers
      .batchNormalization({ momentum: 0.99, epsilon: 1e-3, name: `bn${i + 1}` })
      .apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.reLU({ name: `relu${i + 1}` }).apply(x) as tfl.SymbolicTensor;
  }
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor; // [N, 2048]
  const feat = tfl.layers
    .dense({
      units: EMOJI_FEATURE_DIM,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: s++ }),
      name: 'features',
    })
    .apply(x) as tfl.SymbolicTensor; // [N, 128]
  const head = tfl.layers.dense({
    units: numClasses,
    activation: 'softmax',
    kernelInitializer: tfl.initializers.glorotUniform({ seed: s++ }),
    name: 'probs',
  });
  const probs = head.apply(feat) as tfl.SymbolicTensor; // [N, K]
  return {
    classifier: tfl.model({ inputs: input, outputs: probs, name: 'emoji_classifier' }),
    trunk: tfl.model({ inputs: input, outputs: feat, name: 'emoji_trunk' }),
    head,
    extractor: tfl.model({ inputs: input, outputs: [feat, probs], name: 'emoji_extractor' }),
  };
}

/** [n, side, side, 3] images in [-1, 1] as the classifier's input batch (resized to 64 when smaller). */
function asInput(chunk: Float32Array, m: number, side: number): tf.Tensor4D {
  return tf.tidy(() => {
    const x = tf.tensor4d(chunk, [m, side, side, 3]); // [m, side, side, 3]
    return side === EMOJI_SIDE ? x : tf.image.resizeBilinear(x, [EMOJI_SIDE, EMOJI_SIDE], true);
  });
}

/** The trained emoji classifier as a feature extractor. */
export class EmojiClassifier {
  private constructor(
    readonly nets: EmojiNets,
    readonly manifest: WeightsManifest,
    /** The category names, in output order. */
    readonly categories: string[],
  ) {}

  /** Loads the committed weights (or those in `dir`), checking their sha256. */
  static load(dir?: string): EmojiClassifier {
    const d = dir ?? classifierDir();
    const manifestFile = path.join(d, `${EMOJI_CLASSIFIER_NAME}.json`);
    const binFile = path.join(d, `${EMOJI_CLASSIFIER_NAME}.bin`);
    let manifest: WeightsManifest;
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as WeightsManifest;
    } catch {
      throw new Error(
        `the emoji classifier's weights are missing (${manifestFile}): train them with npx tsx scripts/train-emoji-classifier.ts`,
      );
    }
    const categories = (manifest.training?.categories as string[] | undefined) ?? [];
    if (categories.length < 2) throw new Error(`${manifestFile}: no category list in the manifest`);
    const nets = buildEmojiClassifier(categories.length);
    loadWeightsInto(nets.classifier, readFileSync(binFile), manifest, binFile);
    return new EmojiClassifier(nets, manifest, categories);
  }

  /** Wraps already-built nets (training). */
  static fromNets(nets: EmojiNets, categories: string[]): EmojiClassifier {
    return new EmojiClassifier(nets, { name: EMOJI_CLASSIFIER_NAME, sha256: '', weights: [] }, categories);
  }

  /** Features [n, 128] and category probabilities [n, K] of images [n, side, side, 3] in [-1, 1]. */
  extract(images: Float32Array, n: number, side: number, batchSize = 200): { features: Features; probs: Features } {
    const per = side * side * 3;
    if (images.length !== n * per)
      throw new Error(
        `emoji classifier: expected ${n} RGB images of ${side}x${side} (${n * per} values), got ${images.length}`,
      );
    const k = this.categories.length;
    const feats = new Float32Array(n * EMOJI_FEATURE_DIM);
    const probs = new Float32Array(n * k);
    for (let b = 0; b < n; b += batchSize) {
      const m = Math.min(batchSize, n - b);
      const outs = tf.tidy(
        () => this.nets.extractor.predict(asInput(images.subarray(b * per, (b + m) * per), m, side)) as tf.Tensor[],
      ); // [m, 128], [m, K]
      feats.set(outs[0]!.dataSync() as Float32Array, b * EMOJI_FEATURE_DIM);
      probs.set(outs[1]!.dataSync() as Float32Array, b * k);
      tf.dispose(outs);
    }
    return { features: { n, dim: EMOJI_FEATURE_DIM, data: feats }, probs: { n, dim: k, data: probs } };
  }

  /** Fraction of images whose most probable category is the label. */
  accuracy(images: Float32Array, labels: ArrayLike<number>, side: number): number {
    const { probs } = this.extract(images, labels.length, side);
    let hits = 0;
    for (let i = 0; i < labels.length; i++) {
      let best = 0;
      for (let c = 1; c < probs.dim; c++)
        if (probs.data[i * probs.dim + c]! > probs.data[i * probs.dim + best]!) best = c;
      if (best === labels[i]) hits++;
    }
    return hits / labels.length;
  }

  /** fid-emoji: FID between the classifier features of two sets of RGB images in [-1, 1]. */
  fid(a: EmojiImages, b: EmojiImages): number {
    const fa = this.extract(a.data, a.n, a.side).features;
    const fb = this.extract(b.data, b.n, b.side).features;
    return fidFromStats(featureStats(fa), featureStats(fb));
  }
}
