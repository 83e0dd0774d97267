// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando Research, MIT license): 28x28 grayscale
// article images in 10 classes. The 10,000-image test split is embedded in the repository under
// data/fashion-mnist/, so training works on a fresh clone; the full 70,000 images load from a folder
// of IDX files (gzipped or not), found automatically at /usr/share/datasets/fashion-mnist when
// Debian's `dataset-fashion-mnist` package is installed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { readIdxFile, type IdxTensor } from './idx.js';
import type { ImageDataset } from './types.js';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Where Debian's dataset-fashion-mnist package puts the IDX files. */
export const SYSTEM_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface FashionMnistOptions {
  /** 'test' (10,000, embedded), 'train' (60,000) or 'all' (70,000: train then test). Default 'test'. */
  split?: 'test' | 'train' | 'all';
  /** Folder holding the IDX files; default: embedded data for 'test', the system folder otherwise. */
  path?: string;
  /** Keep only the first `limit` images (after concatenation for 'all'). */
  limit?: number;
  /** Image side: 28 (the originals) or 32 (padded by 2 background pixels on every side, for 2^k-sided models). Default 28. */
  size?: number;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** The folder with tsgan's embedded Fashion-MNIST test split (found from this module's location). */
export function embeddedFashionMnistDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const cand = path.join(dir, 'data', 'fashion-mnist');
    if (existsSync(path.join(cand, `${FILES.test.images}.gz`))) return cand;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error('embedded Fashion-MNIST not found: data/fashion-mnist/ is missing from the tsgan package');
}

/** `base` or `base.gz` inside dir, whichever exists. */
function findIdx(dir: string, base: string): string {
  for (const name of [
    base,
    `${base}.gz`,
    base.replace(/-(idx\d-ubyte)$/, '.$1'),
    `${base.replace(/-(idx\d-ubyte)$/, '.$1')}.gz`,
  ]) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${dir}: no ${base} or ${base}.gz (expected the Fashion-MNIST IDX files there)`);
}

function loadSplit(dir: string, split: 'train' | 'test'): { images: IdxTensor; labels: IdxTensor; files: string[] } {
  const imgFile = findIdx(dir, FILES[split].images);
  const lblFile = findIdx(dir, FILES[split].labels);
  const images = readIdxFile(imgFile);
  const labels = readIdxFile(lblFile);
  if (images.dtype !== 'uint8' || images.dims.length !== 3) {
    throw new Error(
      `${imgFile}: expected uint8 images of dims [N, 28, 28], got ${images.dtype} [${images.dims.join(', ')}]`,
    );
  }
  if (images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new Error(`${imgFile}: expected 28x28 images, got ${images.dims[1]}x${images.dims[2]}`);
  }
  if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
    throw new Error(`${lblFile}: expected uint8 labels of dims [N], got ${labels.dtype} [${labels.dims.join(', ')}]`);
  }
  if (labels.dims[0] !== images.dims[0]) {
    throw new Error(`${lblFile}: ${labels.dims[0]} labels for ${images.dims[0]} images in ${imgFile}`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9) throw new Error(`${lblFile}: label ${labels.data[i]} at index ${i} is outside 0..9`);
  }
  return { images, labels, files: [imgFile, lblFile] };
}

/** Loads Fashion-MNIST as an ImageDataset of [N, 28, 28, 1] floats in [-1, 1] with 10 classes. */
export function loadFashionMnist(opts: FashionMnistOptions = {}): ImageDataset {
  const split = opts.split ?? 'test';
  if (!['test', 'train', 'all'].includes(split))
    throw new Error(`Fashion-MNIST: the split must be test, train or all, got '${split}'`);
  let dir = opts.path;
  if (!dir) {
    if (split === 'test') dir = embeddedFashionMnistDir();
    else if (existsSync(SYSTEM_FASHION_MNIST_DIR)) dir = SYSTEM_FASHION_MNIST_DIR;
    else {
      throw new Error(
        `Fashion-MNIST split '${split}' needs the full dataset: install Debian's dataset-fashion-mnist ` +
          `(files in ${SYSTEM_FASHION_MNIST_DIR}) or pass the folder of IDX files as path; only the test split is embedded`,
      );
    }
  }
  if (!existsSync(dir)) throw new Error(`${dir}: Fashion-MNIST folder does not exist`);
  const parts = split === 'all' ? [loadSplit(dir, 'train'), loadSplit(dir, 'test')] : [loadSplit(dir, split)];
  let n = parts.reduce((a, p) => a + p.images.dims[0], 0);
  if (opts.limit !== undefined) {
    if (!Number.isInteger(opts.limit) || opts.limit <= 0)
      throw new Error(
        `Fashion-MNIST: the number of images to load must be a whole number of 1 or more, got ${opts.limit}`,
      );
    n = Math.min(n, opts.limit);
  }
  const px = 28 * 28;
  const images = new Float32Array(n * px); // [N, 28, 28, 1]
  const labels = new Int32Array(n);
  let k = 0;
  for (const p of parts) {
    const m = Math.min(p.images.dims[0], n - k);
    const src = p.images.data;
    for (let i = 0; i < m * px; i++) images[k * px + i] = src[i] / 127.5 - 1;
    for (let i = 0; i < m; i++) labels[k + i] = p.labels.data[i];
    k += m;
    if (k >= n) break;
  }
  const side = opts.size ?? 28;
  if (side !== 28 && side !== 32)
    throw new Error(`Fashion-MNIST: the image size must be 28 (the originals) or 32 (padded), got ${side}`);
  return {
    kind: 'image',
    name: `fashion-mnist-${split}`,
    n,
    height: side,
    width: side,
    channels: 1,
    images: side === 28 ? images : padImages(images, n, 28, (side - 28) / 2, -1),
    labels,
    numClasses: 10,
    classNames: [...FASHION_MNIST_CLASSES],
  };
}

/** Pads [n, s, s, 1] images by p pixels of `value` on every side: [n, s+2p, s+2p, 1]. */
export function padImages(images: Float32Array, n: number, s: number, p: number, value: number): Float32Array {
  const t = s + 2 * p;
  const out = new Float32Array(n * t * t).fill(value);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < s; i++) out.set(images.subarray((k * s + i) * s, (k * s + i + 1) * s), (k * t + i + p) * t + p);
  return out;
}
