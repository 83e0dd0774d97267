// Features of the fixed latent batch for the health monitor's mode-collapse detector, and the
// real-data references it compares them with. The training loop (src/train/run.ts) builds one
// `HealthFeatureSource` per run and, at each log step, passes it G's samples of the first n fixed
// latents; the source returns the `features` (and `classes`) fields of the StepRecord.
//
// What the features are, by data:
// - 2-D points: the points themselves.
// - 28x28x1 images: the Fashion-MNIST classifier's penultimate features (128-d, the fid-fmnist
//   extractor, images quantized to 8 bits as for the metric), plus its argmax classes for class
//   coverage. Coverage counts only the classes the classifier finds in the real reference batch
//   (numClasses = that count), so 28x28 data that is not Fashion-MNIST (digits, a folder) is not
//   flagged for lacking garment classes it never had.
// - Any other image shape (32x32x3, 64x64x3, ...): no classifier applies, so a cheap generic
//   embedding: the image average-pooled to an 8x8 grid per channel, flattened ([n, 64 * C]). Pixel
//   statistics are a crude embedding, but collapse (every latent giving the same or nearly the same
//   picture) shrinks their spread as much as any other, and the reference is measured with the same
//   embedding on real images, so the ratio the detector thresholds stays meaningful.
// References (once per run): the mean pairwise distance and the median nearest-neighbour distance
// of n real samples spread evenly over the dataset (`referenceStats`), n = the fixed batch's size.
import * as tf from '@tensorflow/tfjs-core';

import type { Dataset, ImageDataset } from '../data/types.js';
import { FmnistClassifier, FMNIST_NUM_CLASSES } from '../metrics/fmnist_classifier.js';
import { batchDiversity, referenceStats } from './diversity.js';
import type { StepRecord } from './types.js';

/** Side of the pooled grid of the generic image embedding. */
export const POOL_GRID = 8;

/** The features fields of a StepRecord. */
export type FeatureFields = Pick<StepRecord, 'features' | 'classes' | 'numClasses'>;

/** The collapse detector's references measured on real data (fields of `collapse` in the config). */
export interface CollapseReferences {
  referenceDiversity: number;
  /** Absent for points (the near-duplicate check stays off there, as before). */
  referenceNearest?: number;
}

export interface HealthFeatureSource {
  /** 'points', 'fmnist-classifier' or 'avgpool8'. */
  readonly kind: 'points' | 'fmnist-classifier' | 'avgpool8';
  /** Samples per feature batch. */
  readonly n: number;
  /** Real-data references, measured once at construction. */
  readonly references: CollapseReferences;
  /** Features of samples [n, ...sampleShape] given as host values (read them with `await t.data()`: GPU backends cannot read synchronously). */
  measure(samples: Float32Array): FeatureFields;
  /** Frees the classifier's weights (if one was loaded). */
  dispose(): void;
}

/** n indices spread evenly over [0, total): independent of the dataset's order (folders sorted by class). */
export function evenIndices(total: number, n: number): number[] {
  if (n > total) throw new Error(`health features: need ${n} real samples, the dataset has ${total}`);
  return Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}

/**
 * The generic embedding: images [n, H, W, C] -> [n, 8 * 8 * C], each value the mean of one cell of
 * an 8x8 grid of one channel (sizes not divisible by 8 are resized bilinearly to the next multiple first).
 */
export function pooledEmbedding(images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w, c] = images.shape;
    const hh = Math.ceil(h / POOL_GRID) * POOL_GRID;
    const ww = Math.ceil(w / POOL_GRID) * POOL_GRID;
    const x = hh === h && ww === w ? images : tf.image.resizeBilinear(images, [hh, ww]); // [n, hh, ww, c]
    const pooled = tf.avgPool(x, [hh / POOL_GRID, ww / POOL_GRID], [hh / POOL_GRID, ww / POOL_GRID], 'valid'); // [n, 8, 8, c]
    return tf.reshape(pooled, [n, POOL_GRID * POOL_GRID * c]) as tf.Tensor2D; // [n, 64c]
  });
}

function argmaxRows(probs: ArrayLike<number>, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

function isFmnistShape(ds: ImageDataset): boolean {
  return ds.height === 28 && ds.width === 28 && ds.channels === 1;
}

export interface HealthFeatureOptions {
  /** A classifier already loaded (tests); else the committed weights are loaded for 28x28x1 data. */
  classifier?: FmnistClassifier;
}

/**
 * The feature source for a dataset, with its real references measured on n real samples. Loads the
 * Fashion-MNIST classifier once for 28x28x1 images; call `dispose()` when the run ends.
 */
export function createHealthFeatureSource(
  dataset: Dataset,
  n: number,
  opts: HealthFeatureOptions = {},
): HealthFeatureSource {
  if (n < 2) throw new Error(`health features: the fixed batch needs at least 2 samples, got ${n}`);
  if (dataset.kind === 'points') {
    const real = { n, dim: 2, data: dataset.points.subarray(0, 2 * n) };
    return {
      kind: 'points',
      n,
      references: { referenceDiversity: batchDiversity(real) },
      measure: (samples) => ({ features: { n, dim: 2, data: Float32Array.from(samples) } }),
      dispose: () => {},
    };
  }
  const idx = evenIndices(dataset.n, n);
  const size = dataset.height * dataset.width * dataset.channels;
  const realImages = new Float32Array(n * size); // [n, H, W, C]
  idx.forEach((j, i) => {
    realImages.set(dataset.images.subarray(j * size, (j + 1) * size), i * size);
  });

  if (isFmnistShape(dataset)) {
    const owned = opts.classifier === undefined;
    const classifier = opts.classifier ?? FmnistClassifier.load();
    const real = classifier.extract(realImages, n);
    const realClasses = new Set(argmaxRows(real.probs.data, n, FMNIST_NUM_CLASSES));
    return {
      kind: 'fmnist-classifier',
      n,
      references: referenceStats(real.features),
      measure(samples) {
        const { features, probs } = classifier.extract(samples, n);
        const classes = argmaxRows(probs.data, n, FMNIST_NUM_CLASSES).filter((c) => realClasses.has(c));
        return { features, classes, numClasses: realClasses.size };
      },
      dispose() {
        if (owned) classifier.nets.classifier.dispose();
      },
    };
  }

  const shape: [number, number, number, number] = [n, dataset.height, dataset.width, dataset.channels];
  const embed = (images: Float32Array) => {
    const e = tf.tidy(() => pooledEmbedding(tf.tensor4d(images, shape))); // [n, 64c]
    const data = Float32Array.from(e.dataSync() as Float32Array);
    e.dispose();
    return { n, dim: e.shape[1], data };
  };
  return {
    kind: 'avgpool8',
    n,
    references: referenceStats(embed(realImages)),
    measure: (samples) => ({ features: embed(samples) }),
    dispose: () => {},
  };
}
