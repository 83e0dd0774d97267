// The Fashion-MNIST feature classifier: the feature extractor of the `-fmnist` metrics (fid-fmnist,
// kid-fmnist, pr-fmnist use its penultimate layer, is-fmnist its softmax). These numbers are NOT
// comparable with Inception-based FID/IS; they compare tsgan runs on 28x28 grayscale data.
//
// Architecture (an all-convolutional net, Springenberg et al. 2015, "Striving for Simplicity":
// strided convolutions instead of pooling), input [N, 28, 28, 1] in [-1, 1]:
//   conv3x3(32) ReLU           -> [N, 28, 28, 32]
//   conv3x3(32) stride 2 ReLU  -> [N, 14, 14, 32]
//   conv3x3(64) stride 2 ReLU  -> [N, 7, 7, 64]
//   conv3x3(64) ReLU           -> [N, 7, 7, 64]
//   flatten, dense(128) ReLU   -> [N, 128]  the features
//   dense(10) softmax          -> [N, 10] the class probabilities
// (training applies dropout 0.3 to the features with seeded masks; see the training script).
// Convolutions have no bias (ReLU follows; it saves the per-channel bias-gradient reductions, the
// slowest part of a training step on the CPU backends); the dense layers have biases.
// That is arch 'v1'. 'v3' (the committed weights; see the manifest's `arch`) puts BatchNorm between
// each convolution and its ReLU and keeps 64 channels at 14x14 for one more layer:
//   conv3x3(32) BN ReLU           -> [N, 28, 28, 32]
//   conv3x3(32) stride 2 BN ReLU  -> [N, 14, 14, 32]
//   conv3x3(64) BN ReLU           -> [N, 14, 14, 64]
//   conv3x3(64) stride 2 BN ReLU  -> [N, 7, 7, 64]
//   flatten, dense(128) ReLU, dense(10) softmax as above
// (BN uses batch statistics in training and its moving averages, stored with the weights, at
// inference).
// Trained by scripts/train-fmnist-classifier.ts (fixed seed); weights in data/classifier/ with their
// sha256, checked at load.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type { Features } from './linalg.js';

/** Dimension of the penultimate-layer features. */
export const FMNIST_FEATURE_DIM = 128;
export const FMNIST_NUM_CLASSES = 10;
/** Name of the weights files under data/classifier/. */
export const FMNIST_CLASSIFIER_NAME = 'fmnist-cnn';
const FEATURE_LAYER = 'features';

export interface FmnistNets {
  /** images -> class probabilities. */
  classifier: tfl.LayersModel;
  /** images -> features (the trunk). */
  trunk: tfl.LayersModel;
  /** The last layer: features -> class probabilities. */
  head: tfl.layers.Layer;
  /** images -> [features, probabilities], same layers and weights. */
  extractor: tfl.LayersModel;
}

/** A convolution stack: [filters, kernel, stride] per layer, and whether BatchNorm follows each. */
interface ArchSpec {
  convs: [number, number, number][];
  batchNorm: boolean;
}

/** The architectures (described above); v2 is a wider, unused experiment. */
const ARCHS: Record<string, ArchSpec> = {
  v1: {
    convs: [
      [32, 3, 1],
      [32, 3, 2],
      [64, 3, 2],
      [64, 3, 1],
    ],
    batchNorm: false,
  },
  // conv5x5(32) -> conv3x3(64) stride 2 -> conv3x3(128) stride 2: [N, 7, 7, 128], flatten 6272.
  v2: {
    convs: [
      [32, 5, 1],
      [64, 3, 2],
      [128, 3, 2],
    ],
    batchNorm: false,
  },
  v3: {
    convs: [
      [32, 3, 1],
      [32, 3, 2],
      [64, 3, 1],
      [64, 3, 2],
    ],
    batchNorm: true,
  },
};

/** Names of the known architectures. */
export const FMNIST_CLASSIFIER_ARCHS = Object.keys(ARCHS);

/** Builds the (untrained) network; `seed` fixes the initial weights; `arch` picks the conv stack. */
export function buildFmnistClassifier(seed = 0, arch = 'v1'): FmnistNets {
  const spec = ARCHS[arch];
  if (!spec)
    throw new Error(`unknown fmnist classifier architecture '${arch}' (expected ${Object.keys(ARCHS).join(', ')})`);
  let s = seed * 7 + 1;
  const init = (kind: 'he' | 'glorot') =>
    kind === 'he' ? tfl.initializers.heNormal({ seed: s++ }) : tfl.initializers.glorotUniform({ seed: s++ });
  const input = tfl.input({ shape: [28, 28, 1], name: 'image' });
  let x: tfl.SymbolicTensor = input;
  for (const [i, [filters, kernelSize, strides]] of spec.convs.entries()) {
    const activation = spec.batchNorm ? 'linear' : 'relu';
    x = tfl.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        activation,
        kernelInitializer: init('he'),
        name: `conv${i + 1}`,
      })
      .apply(x) as tfl.SymbolicTensor; // [N, H, W, filters]
    if (spec.batchNorm) {
      x = tfl.layers
        .batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, name: `bn${i + 1}` })
        .apply(x) as tfl.SymbolicTensor;
      x = tfl.layers.reLU({ name: `relu${i + 1}` }).apply(x) as tfl.SymbolicTensor; // [N, H, W, filters]
    }
  }
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor; // [N, 3136] (v2: 6272)
  const feat = tfl.layers
    .dense({ units: FMNIST_FEATURE_DIM, activation: 'relu', kernelInitializer: init('he'), name: FEATURE_LAYER })
    .apply(x) as tfl.SymbolicTensor; // [N, 128]
  const head = tfl.layers.dense({
    units: FMNIST_NUM_CLASSES,
    activation: 'softmax',
    kernelInitializer: init('glorot'),
    name: 'probs',
  });
  const probs = head.apply(feat) as tfl.SymbolicTensor; // [N, 10]
  const classifier = tfl.model({ inputs: input, outputs: probs, name: 'fmnist_classifier' });
  const extractor = tfl.model({ inputs: input, outputs: [feat, probs], name: 'fmnist_extractor' });
  const trunk = tfl.model({ inputs: input, outputs: feat, name: 'fmnist_trunk' });
  return { classifier, trunk, head, extractor };
}

// ---- weights file: data/classifier/fmnist-cnn.bin (float32 LE, weights in model order) and
// fmnist-cnn.json ({ name, weights: [{ name, shape }], sha256, ... }).

export interface WeightsManifest {
  name: string;
  /** sha256 (hex) of the .bin file. */
  sha256: string;
  /** The classifier averages over the image and its mirror image (see ExtractOptions.flipAverage). */
  flipAverage?: boolean;
  /** Architecture of buildFmnistClassifier ('v1' when absent). */
  arch?: string;
  weights: { name: string; shape: number[] }[];
  /** Free-form provenance: how the weights were trained and what they scored. */
  training?: Record<string, unknown>;
}

/** Serializes a model's weights: the .bin bytes and the manifest that describes them. */
export function serializeWeights(
  model: tfl.LayersModel,
  name: string,
  training?: Record<string, unknown>,
): { bin: Buffer; manifest: WeightsManifest } {
  const ws = model.weights;
  const parts: Buffer[] = [];
  const specs: WeightsManifest['weights'] = [];
  for (const w of ws) {
    const v = w.read().dataSync() as Float32Array;
    parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    specs.push({ name: w.originalName, shape: w.shape as number[] });
  }
  const bin = Buffer.concat(parts);
  const sha256 = createHash('sha256').update(bin).digest('hex');
  return { bin, manifest: { name, sha256, weights: specs, training } };
}

/** Sets a model's weights from .bin bytes after checking their sha256 and every shape. */
export function loadWeightsInto(
  model: tfl.LayersModel,
  bin: Uint8Array,
  manifest: WeightsManifest,
  source = 'weights',
): void {
  const sha = createHash('sha256').update(bin).digest('hex');
  if (sha !== manifest.sha256) {
    throw new Error(
      `${source}: sha256 mismatch (file ${sha}, manifest ${manifest.sha256}): the weights file is corrupt or not the committed one`,
    );
  }
  const ws = model.weights;
  if (ws.length !== manifest.weights.length) {
    throw new Error(`${source}: ${manifest.weights.length} weights in the file, the model has ${ws.length}`);
  }
  const copy = new Uint8Array(bin); // aligned copy
  const all = new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  let off = 0;
  const tensors: tf.Tensor[] = [];
  ws.forEach((w, i) => {
    const spec = manifest.weights[i];
    if (spec.name !== w.originalName || spec.shape.join(',') !== w.shape.join(',')) {
      throw new Error(
        `${source}: weight ${i} is ${spec.name} [${spec.shape}], the model expects ${w.originalName} [${w.shape}]`,
      );
    }
    const size = spec.shape.reduce((a, b) => a * b, 1);
    tensors.push(tf.tensor(all.subarray(off, off + size), spec.shape));
    off += size;
  });
  if (off !== all.length) throw new Error(`${source}: ${all.length - off} unexpected extra values at the end`);
  model.setWeights(tensors);
  tensors.forEach((t) => {
    t.dispose();
  });
}

/** The folder with tsgan's committed classifier weights (found from this module's location). */
export function classifierDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const cand = path.join(dir, 'data', 'classifier');
    if (existsSync(path.join(cand, `${FMNIST_CLASSIFIER_NAME}.json`))) return cand;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(
    `classifier weights not found: data/classifier/${FMNIST_CLASSIFIER_NAME}.json is missing (train them with scripts/train-fmnist-classifier.ts)`,
  );
}

export interface ExtractOptions {
  /** Images per forward pass (500). */
  batchSize?: number;
  /** Round images to 8 bits first, as if saved to PNG (true). Real data is unchanged by it. */
  quantize?: boolean;
  /**
   * Average features and probabilities over the image and its mirror image (default: the weights'
   * manifest `flipAverage`, false when absent). Part of the classifier's definition: the committed
   * weights are scored with it.
   */
  flipAverage?: boolean;
}

/** The trained classifier as a feature extractor. */
export class FmnistClassifier {
  private constructor(
    readonly nets: FmnistNets,
    readonly manifest: WeightsManifest,
  ) {}

  /** Loads the committed weights (or those in `dir`), checking their sha256. */
  static load(dir?: string): FmnistClassifier {
    const d = dir ?? classifierDir();
    const manifestFile = path.join(d, `${FMNIST_CLASSIFIER_NAME}.json`);
    const binFile = path.join(d, `${FMNIST_CLASSIFIER_NAME}.bin`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as WeightsManifest;
    const nets = buildFmnistClassifier(0, manifest.arch ?? 'v1');
    loadWeightsInto(nets.classifier, readFileSync(binFile), manifest, binFile);
    return new FmnistClassifier(nets, manifest);
  }

  /** Wraps already-built nets (training, tests). */
  static fromNets(nets: FmnistNets, manifest: WeightsManifest): FmnistClassifier {
    return new FmnistClassifier(nets, manifest);
  }

  /**
   * Features [n, 128] (float32) and class probabilities [n, 10] of images [n, 28, 28, 1] in [-1, 1],
   * given as a flat array.
   */
  extract(images: Float32Array, n: number, opts: ExtractOptions = {}): { features: Features; probs: Features } {
    const px = 28 * 28;
    if (images.length !== n * px)
      throw new Error(`fmnist classifier: expected ${n} images of 28x28x1 (${n * px} values), got ${images.length}`);
    const bs = opts.batchSize ?? 500;
    const quantize = opts.quantize ?? true;
    const feats = new Float32Array(n * FMNIST_FEATURE_DIM);
    const probs = new Float32Array(n * FMNIST_NUM_CLASSES);
    for (let b = 0; b < n; b += bs) {
      const m = Math.min(bs, n - b);
      const chunk = images.subarray(b * px, (b + m) * px);
      // (tidy returns tensors: it would walk a returned typed array element by element.)
      const flip = opts.flipAverage ?? this.manifest.flipAverage ?? false;
      const outs = tf.tidy(() => {
        let x = tf.tensor4d(chunk, [m, 28, 28, 1]); // [m, 28, 28, 1]
        if (quantize) x = tf.sub(tf.div(tf.round(tf.mul(tf.add(tf.clipByValue(x, -1, 1), 1), 127.5)), 127.5), 1);
        const out = this.nets.extractor.predict(x) as tf.Tensor[]; // [m, 128], [m, 10]
        if (!flip) return out;
        const mirrored = this.nets.extractor.predict(tf.reverse(x, 2)) as tf.Tensor[]; // flipped along W
        return [tf.mul(tf.add(out[0], mirrored[0]), 0.5), tf.mul(tf.add(out[1], mirrored[1]), 0.5)];
      });
      const f = outs[0].dataSync() as Float32Array;
      const p = outs[1].dataSync() as Float32Array;
      tf.dispose(outs);
      feats.set(f, b * FMNIST_FEATURE_DIM);
      probs.set(p, b * FMNIST_NUM_CLASSES);
    }
    return {
      features: { n, dim: FMNIST_FEATURE_DIM, data: feats },
      probs: { n, dim: FMNIST_NUM_CLASSES, data: probs },
    };
  }

  /** Fraction of images whose argmax class equals the label. */
  accuracy(images: Float32Array, labels: ArrayLike<number>, opts: ExtractOptions = {}): number {
    const { probs } = this.extract(images, labels.length, { ...opts, quantize: false });
    let hits = 0;
    for (let i = 0; i < labels.length; i++) {
      let best = 0;
      for (let c = 1; c < FMNIST_NUM_CLASSES; c++) if (probs.data[i * 10 + c] > probs.data[i * 10 + best]) best = c;
      if (best === labels[i]) hits++;
    }
    return hits / labels.length;
  }
}
