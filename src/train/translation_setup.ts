// What the training loop needs for the image-to-image families (pix2pix, cyclegan): their data
// (built-in tasks and folders, with a held-out split), the sample
// grid (held-out inputs, outputs and ground truth), and the held-out evaluation (L1, PSNR, SSIM
// against ground truth; CycleGAN's cycle-consistency error). Their model options from the data are in
// src/models/translation_options.ts.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { loadEmoji } from '../data/emoji.js';
import { loadFashionMnist } from '../data/fashion_mnist.js';
import type { FieldDataset } from '../data/fields.js';
import { fmnistClassDomains, fmnistEdgePairs } from '../data/fmnist_translation.js';
import { loadTranslationFolders } from '../data/translation_folders.js';
import type { GANModel } from '../models/types.js';
import { meanAbsoluteError, psnr, ssim } from '../metrics/image_quality.js';
import type { TrainConfig } from './config.js';

export { isTranslationSource, TRANSLATION_SOURCES } from '../data/translation_sources.js';

/** The training data and its held-out split (paired, for evaluation and the sample grid). */
export interface TranslationData {
  train: FieldDataset;
  test: FieldDataset | null;
}

/** Loads a translation task named by the config's data section. */
export async function loadTranslationData(data: TrainConfig['data'], family: string): Promise<TranslationData> {
  const size = data.size;
  switch (data.source) {
    case 'emoji-pairs':
    case 'emoji-colorize':
    case 'emoji-unpaired': {
      const task = data.source === 'emoji-pairs' ? 'pairs' : data.source === 'emoji-colorize' ? 'colorize' : 'unpaired';
      const train = await loadEmoji({ task, split: 'train', size: size ?? 64, limit: data.limit });
      const test = await loadEmoji({ task, split: 'test', size: size ?? 64 });
      return { train, test };
    }
    case 'fmnist-edges':
    case 'fmnist-sneaker-boot': {
      if (size !== undefined && size !== 32)
        throw new Error(`${data.source} is 32x32 (Fashion-MNIST padded); drop data.size`);
      // Training images from the embedded test split's first 9,000, held out: its last 1,000.
      const all = loadFashionMnist({ split: 'test', path: data.path });
      const cut = (from: number, to: number) => ({
        ...all,
        n: to - from,
        images: all.images.subarray(from * 784, to * 784),
        labels: all.labels ? all.labels.subarray(from, to) : null,
      });
      const limit = Math.min(9000, data.limit ?? 9000);
      if (data.source === 'fmnist-edges')
        return { train: fmnistEdgePairs(cut(0, limit)), test: fmnistEdgePairs(cut(9000, 10000)) };
      const test = fmnistClassDomains(cut(9000, 10000));
      return { train: fmnistClassDomains(cut(0, limit)), test: { ...test, paired: false } };
    }
    case 'translation-folder': {
      if (!data.path) throw new Error("data.source 'translation-folder' needs data.path (the dataset folder)");
      const paired = data.paired ?? family === 'pix2pix';
      const opts = {
        root: data.path,
        paired,
        size: size ?? 64,
        channels: (data.grayscale ? 1 : 3) as 1 | 3,
        limit: data.limit,
      };
      const train = await loadTranslationFolders({ ...opts, split: 'train' });
      let test: FieldDataset | null = null;
      try {
        test = await loadTranslationFolders({ ...opts, split: 'test', limit: undefined });
      } catch {
        test = null; // no held-out folders: the grid shows training images
      }
      return { train, test };
    }
    default:
      throw new Error(`data source '${data.source}' is not an image-to-image task`);
  }
}

/** The fields and rows of the sample grid: per example, the input, the output, and what it is compared with. */
function gridSource(model: GANModel, data: TranslationData, count: number) {
  // Held-out images whenever the task has them (with their ground truth when paired).
  const ds = data.test ?? data.train;
  const inName = model.family === 'pix2pix' ? 'input' : 'A';
  const refName = model.family === 'pix2pix' ? 'target' : 'B';
  const f = ds.fields[inName]!;
  const n = Math.min(count, f.n);
  const per = f.shape.reduce((x, y) => x * y, 1);
  const take = (name: string) => {
    const g = ds.fields[name]!;
    return g.n >= n ? (g.data.slice(0, n * per) as Float32Array) : null;
  };
  return { n, shape: f.shape, input: take(inName)!, reference: ds.paired ? take(refName) : null };
}

/**
 * The sample grid: for `count` fixed examples (held out when the task has held-out data), a
 * column each of [input; output; ground truth] (three rows), as [rows * H, cols * W, C] in [-1, 1].
 */
export function translationGrid(
  model: GANModel,
  generatorOf: (name: string) => tfl.LayersModel,
  data: TranslationData,
  count: number,
): { pixels: Float32Array; height: number; width: number; channels: number } {
  const src = gridSource(model, data, count);
  const [h, w, c] = src.shape as [number, number, number];
  return tf.tidy(() => {
    const x = tf.tensor4d(src.input, [src.n, h, w, c]);
    const name = model.family === 'pix2pix' ? 'G' : 'G_AB';
    const y = model.translate!(x, { generator: generatorOf(name) }); // [n, H, W, Cout]
    const toC = (t: tf.Tensor4D) =>
      (t.shape[3] === 3 ? t : t.shape[3] === 1 ? tf.tile(t, [1, 1, 1, 3]) : t) as tf.Tensor4D;
    const rows = [toC(x), toC(y)];
    if (src.reference) rows.push(toC(tf.tensor4d(src.reference, [src.n, h, w, c])));
    const grid = tf.concat(
      rows.map((r) => tf.concat(tf.unstack(r), 1)), // each row [H, n*W, 3]
      0,
    ); // [rows*H, n*W, 3]
    return {
      pixels: grid.dataSync() as Float32Array,
      height: grid.shape[0]!,
      width: grid.shape[1]!,
      channels: grid.shape[2]!,
    };
  });
}

export interface TranslationScores {
  l1: number;
  psnr: number;
  ssim: number;
  /** CycleGAN: mean |G_BA(G_AB(a)) - a| on held-out A. */
  cycleL1?: number;
}

/**
 * Translates the held-out inputs (pix2pix: `input` through G; CycleGAN: `A` through G_AB) in
 * batches: the outputs ([n, H, W, Cout] in [-1, 1]) and, for CycleGAN, the cycle-consistency error
 * mean |G_BA(G_AB(a)) - a| over the inputs. Needs no pairs (unpaired domains are scored by FID).
 */
export function translateHeldOut(
  model: GANModel,
  generatorOf: (name: string) => tfl.LayersModel,
  test: FieldDataset,
  batch = 32,
): { outputs: Float32Array; n: number; cycleL1?: number } {
  const pix = model.family === 'pix2pix';
  const inF = test.fields[pix ? 'input' : 'A'];
  if (!inF) throw new Error(`${test.name} has no ${pix ? 'input' : 'A'} images to translate`);
  const [h, w, c] = inF.shape as [number, number, number];
  let outs: Float32Array | null = null;
  let co = 0;
  let cyc = 0;
  for (let i = 0; i < inF.n; i += batch) {
    const n = Math.min(batch, inF.n - i);
    tf.tidy(() => {
      const x = tf.tensor4d(inF.data.subarray(i * h * w * c, (i + n) * h * w * c) as Float32Array, [n, h, w, c]);
      const y = model.translate!(x, { generator: generatorOf(pix ? 'G' : 'G_AB') }); // [n, H, W, Cout]
      co = y.shape[3]!;
      outs ??= new Float32Array(inF.n * h * w * co);
      outs.set(y.dataSync() as Float32Array, i * h * w * co);
      if (!pix) {
        const back = model.translate!(y, { generator: generatorOf('G_BA') }); // [n, H, W, C]
        cyc += (tf.sum(tf.abs(tf.sub(back, x))).dataSync()[0] ?? 0) / (h * w * c);
      }
    });
  }
  return { outputs: outs ?? new Float32Array(0), n: inF.n, ...(pix ? {} : { cycleL1: cyc / inF.n }) };
}

/**
 * Held-out scores: L1, PSNR and SSIM of the outputs against the ground truth (paired held-out
 * data), and the outputs themselves ([n, H, W, Cout] in [-1, 1]) for callers that score them further.
 */
export function evaluateTranslation(
  model: GANModel,
  generatorOf: (name: string) => tfl.LayersModel,
  test: FieldDataset,
  batch = 32,
): { scores: TranslationScores; outputs: Float32Array } {
  const refF = test.fields[model.family === 'pix2pix' ? 'target' : 'B']!;
  if (!test.paired) throw new Error(`${test.name} has no pairs to score against`);
  const { outputs, cycleL1 } = translateHeldOut(model, generatorOf, test, batch);
  const scores: TranslationScores = { ...scoreOutputs(outputs, refF), ...(cycleL1 === undefined ? {} : { cycleL1 }) };
  return { scores, outputs };
}

/** L1, PSNR and SSIM of outputs [n, ...shape] against a field of ground truth of the same shape. */
export function scoreOutputs(outputs: Float32Array, truth: FieldDataset['fields'][string]): TranslationScores {
  const shape = [truth.n, ...truth.shape] as [number, number, number, number];
  const a = { data: outputs, shape };
  const b = { data: truth.data, shape };
  return { l1: meanAbsoluteError(a, b), psnr: psnr(a, b), ssim: ssim(a, b) };
}
