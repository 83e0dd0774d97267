// Any IDX image set (MNIST, Fashion-MNIST, KMNIST, EMNIST...) as an ImageDataset: a uint8 images
// file of dims [N, H, W] (grayscale) or [N, H, W, C], plus an optional uint8 labels file [N].
// Given a folder, the first files named *images*idx* and *labels*idx* (gzipped or not) are used.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { readIdxFile } from './idx.js';
import type { ImageDataset } from './types.js';

export interface IdxDatasetOptions {
  /** Labels file (default: found next to the images when a folder is given). */
  labels?: string;
  /** Class names (default: '0'..'K-1' for K = max label + 1). */
  classNames?: string[];
  /** Keep only the first N images. */
  limit?: number;
}

function findIn(dir: string, kind: 'images' | 'labels'): string | undefined {
  const names = readdirSync(dir)
    .filter((n) => n.includes(kind) && /idx\d/.test(n))
    .sort();
  // Prefer a training file when there are several (train before t10k / test).
  const pick = names.find((n) => /train/.test(n)) ?? names[0];
  return pick ? path.join(dir, pick) : undefined;
}

/** Loads IDX images (and labels) from a file or a folder, scaled to [-1, 1]. */
export function loadIdxDataset(source: string, opts: IdxDatasetOptions = {}): ImageDataset {
  if (!existsSync(source)) throw new Error(`${source}: IDX file or folder does not exist`);
  let imagesFile = source;
  let labelsFile = opts.labels;
  if (statSync(source).isDirectory()) {
    const f = findIn(source, 'images');
    if (!f)
      throw new Error(`${source}: no file named like *images*idx* (e.g. train-images-idx3-ubyte.gz) in this folder`);
    imagesFile = f;
    labelsFile ??= findIn(source, 'labels');
  }
  const img = readIdxFile(imagesFile);
  if (img.dtype !== 'uint8' || (img.dims.length !== 3 && img.dims.length !== 4)) {
    throw new Error(
      `${imagesFile}: expected uint8 images of dims [N, H, W] or [N, H, W, C], got ${img.dtype} [${img.dims.join(', ')}]`,
    );
  }
  const [n0, h, w] = img.dims;
  const c = img.dims[3] ?? 1;
  if (c !== 1 && c !== 3) throw new Error(`${imagesFile}: images must have 1 or 3 channels, got ${c}`);
  let labels: Int32Array | null = null;
  let numClasses = 0;
  if (labelsFile) {
    const lab = readIdxFile(labelsFile);
    if (
      lab.dims.length !== 1 ||
      (lab.dtype !== 'uint8' && lab.dtype !== 'int32' && lab.dtype !== 'int16' && lab.dtype !== 'int8')
    ) {
      throw new Error(`${labelsFile}: expected integer labels of dims [N], got ${lab.dtype} [${lab.dims.join(', ')}]`);
    }
    if (lab.dims[0] !== n0) throw new Error(`${labelsFile}: ${lab.dims[0]} labels for ${n0} images in ${imagesFile}`);
    labels = Int32Array.from(lab.data as ArrayLike<number>);
    for (let i = 0; i < labels.length; i++)
      if (labels[i] < 0) throw new Error(`${labelsFile}: negative label ${labels[i]} at index ${i}`);
    numClasses = labels.reduce((m, v) => Math.max(m, v + 1), 0);
  }
  const classNames = opts.classNames ?? Array.from({ length: numClasses }, (_, i) => String(i));
  if (labels && classNames.length < numClasses)
    throw new Error(`${numClasses} classes in ${labelsFile} but ${classNames.length} class names given`);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit <= 0))
    throw new Error(`limit must be a positive integer, got ${opts.limit}`);
  const n = Math.min(n0, opts.limit ?? n0);
  const per = h * w * c;
  const images = new Float32Array(n * per); // [N, H, W, C]
  for (let i = 0; i < n * per; i++) images[i] = (img.data[i] as number) / 127.5 - 1;
  return {
    kind: 'image',
    name: path.basename(imagesFile).replace(/\.gz$/, ''),
    n,
    height: h,
    width: w,
    channels: c,
    images,
    labels: labels ? labels.subarray(0, n) : null,
    numClasses: labels ? classNames.length : 0,
    classNames: labels ? classNames : [],
  };
}
