// Super-resolution data: { input: the low-resolution image, target: the high-resolution one }, as
// a paired FieldDataset (src/data/fields.ts). Low-resolution inputs are made from the targets the
// standard way (bicubic downscaling with an antialiasing filter: PIL's/MATLAB imresize's resampling,
// src/metrics/resize.ts), so every task is available offline:
// - emoji: colour emoji 64x64 (both Twitter and Google styles of each emoji, emoji-datasource),
//   inputs 64/scale (16x16 at x4); the held-out split is the emoji translation tasks' (src/data/emoji.ts).
// - fmnist: Fashion-MNIST 28x28, inputs 7x7 (x4) or 14x14 (x2).
// - folder: random crops (hrSize square, seeded) of every image in a folder of photos of any size,
//   `cropsPerImage` per image; an image smaller than the crop is an error naming it.
// `bicubicUpscale` is the baseline SR is measured against.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

import { resizeBicubicChannel } from '../metrics/resize.js';
import { loadEmoji } from './emoji.js';
import type { FieldDataset } from './fields.js';
import { IMAGE_EXTENSIONS } from './image_folder.js';
import { mulberry32 } from './types.js';

/** Resizes n images [n, h, w, c] (flat) to [n, oh, ow, c] with antialiased bicubic resampling. */
export function resizeImages(
  images: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  oh: number,
  ow: number,
): Float32Array {
  if (images.length !== n * h * w * c) throw new Error(`resize: expected ${n}x${h}x${w}x${c} values`);
  const out = new Float32Array(n * oh * ow * c);
  const plane = new Float32Array(h * w);
  for (let k = 0; k < n; k++)
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < h * w; i++) plane[i] = images[(k * h * w + i) * c + ch]!;
      const r = resizeBicubicChannel(plane, h, w, oh, ow);
      for (let i = 0; i < oh * ow; i++) out[(k * oh * ow + i) * c + ch] = r[i]!;
    }
  return out;
}

/** The low-resolution inputs of [n, size, size, c] targets: bicubic downscaling by `scale`, clipped to [-1, 1]. */
export function downscale(targets: Float32Array, n: number, size: number, c: number, scale: number): Float32Array {
  if (size % scale !== 0) throw new Error(`image side ${size} is not a multiple of the scale ${scale}`);
  const lr = resizeImages(targets, n, size, size, c, size / scale, size / scale);
  for (let i = 0; i < lr.length; i++) lr[i] = Math.min(1, Math.max(-1, lr[i]!));
  return lr;
}

/** The bicubic baseline: [n, h, w, c] -> [n, h*scale, w*scale, c], clipped to [-1, 1]. */
export function bicubicUpscale(
  lr: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  scale: number,
): Float32Array {
  const hr = resizeImages(lr, n, h, w, c, h * scale, w * scale);
  for (let i = 0; i < hr.length; i++) hr[i] = Math.min(1, Math.max(-1, hr[i]!));
  return hr;
}

/** Pairs high-resolution images [n, size, size, c] with their bicubic-downscaled inputs. */
export function srPairs(
  targets: Float32Array,
  n: number,
  size: number,
  c: number,
  scale: number,
  name: string,
  extra: Partial<FieldDataset> = {},
): FieldDataset {
  const lr = size / scale;
  return {
    ...extra,
    kind: 'fields',
    name,
    paired: true,
    fields: {
      input: { shape: [lr, lr, c], n, data: downscale(targets, n, size, c, scale) },
      target: { shape: [size, size, c], n, data: targets },
    },
  };
}

/** Fashion-MNIST super-resolution: 28x28 targets, 7x7 (x4) or 14x14 (x2) inputs. */
export function fmnistSR(images: Float32Array, n: number, scale: 2 | 4, name = 'fmnist'): FieldDataset {
  if (images.length !== n * 28 * 28) throw new Error(`fmnist super-resolution needs 28x28 grayscale images`);
  return srPairs(images, n, 28, 1, scale, `${name}-sr-x${scale}`);
}

/** Emoji super-resolution: 64x64 colour emoji (both styles) with 64/scale inputs, train or held-out split. */
export async function emojiSR(opts: { split: 'train' | 'test'; scale: 2 | 4; limit?: number }): Promise<FieldDataset> {
  const pairs = await loadEmoji({ task: 'pairs', split: opts.split, size: 64, limit: opts.limit });
  const a = pairs.fields.input!;
  const b = pairs.fields.target!;
  const targets = new Float32Array(a.data.length + b.data.length);
  targets.set(a.data as Float32Array, 0);
  targets.set(b.data as Float32Array, a.data.length);
  const names = pairs.names
    ? [...pairs.names.map((s) => `${s} (Twitter)`), ...pairs.names.map((s) => `${s} (Google)`)]
    : undefined;
  return srPairs(targets, a.n + b.n, 64, 3, opts.scale, `emoji-sr-x${opts.scale}-${opts.split}`, { names });
}

/** Every image file under dir (recursive, sorted). */
function listImages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if ((IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(e).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export interface FolderCropOptions {
  /** Folder of photos (any size, searched recursively). */
  dir: string;
  /** Side of the high-resolution crops (a multiple of scale). */
  hrSize: number;
  scale: 2 | 4;
  /** Random crops taken from each image. */
  cropsPerImage: number;
  /** Seed of the crop positions. */
  seed: number;
  /** 'rgb' or 'grayscale'. */
  color?: 'rgb' | 'grayscale';
  /** 'all' files (default), or a split: every 10th file (sorted) is 'test', the rest 'train'. */
  split?: 'all' | 'train' | 'test';
}

/** Super-resolution pairs from random crops of the photos in a folder. */
export async function folderCropsSR(o: FolderCropOptions): Promise<FieldDataset> {
  const all = listImages(o.dir);
  const split = o.split ?? 'all';
  const files = split === 'all' ? all : all.filter((_, i) => (i % 10 === 9) === (split === 'test'));
  if (files.length === 0 && all.length > 0)
    throw new Error(`${o.dir} has ${all.length} image(s): too few for a held-out split (every 10th image)`);
  if (files.length === 0) throw new Error(`no images (${IMAGE_EXTENSIONS.join(' ')}) under ${o.dir}`);
  if (o.hrSize % o.scale !== 0) throw new Error(`the crop side ${o.hrSize} is not a multiple of the scale ${o.scale}`);
  const c = o.color === 'grayscale' ? 1 : 3;
  const per = o.hrSize * o.hrSize * c;
  const targets = new Float32Array(files.length * o.cropsPerImage * per);
  const rng = mulberry32(o.seed);
  let k = 0;
  for (const f of files) {
    let img = sharp(f).rotate().flatten({ background: '#000000' });
    if (c === 1) img = img.grayscale();
    let meta: { width: number; height: number; channels: number };
    let data: Buffer;
    try {
      ({ data, info: meta } = await img.raw().toBuffer({ resolveWithObject: true }));
    } catch {
      throw new Error(`${f} is not a readable image (corrupt or unsupported)`);
    }
    if (meta.width < o.hrSize || meta.height < o.hrSize)
      throw new Error(`${f} is ${meta.width}x${meta.height}, smaller than the ${o.hrSize}x${o.hrSize} crops`);
    for (let j = 0; j < o.cropsPerImage; j++) {
      const y0 = Math.floor(rng() * (meta.height - o.hrSize + 1));
      const x0 = Math.floor(rng() * (meta.width - o.hrSize + 1));
      for (let y = 0; y < o.hrSize; y++)
        for (let x = 0; x < o.hrSize; x++)
          for (let ch = 0; ch < c; ch++)
            targets[k * per + (y * o.hrSize + x) * c + ch] =
              data[((y0 + y) * meta.width + x0 + x) * meta.channels + ch]! / 127.5 - 1;
      k++;
    }
  }
  return srPairs(
    targets,
    k,
    o.hrSize,
    c,
    o.scale,
    `${path.basename(path.resolve(o.dir))}-sr-x${o.scale}${split === 'all' ? '' : `-${split}`}`,
  );
}
