// Image grids: tile a batch [N, H, W, C] of values in [-1, 1] into one raster (gray or RGB),
// optionally upscaled with nearest-neighbour, and write it as a labelled PNG through png.ts.
import * as tf from '@tensorflow/tfjs-core';

import { toUint8, writePng, type Provenance, type RasterImage } from './png.js';

export interface GridOptions {
  /** Columns (default: ceil(sqrt(N))). */
  cols?: number;
  /** Pixels between tiles and around the border (default 2). */
  padding?: number;
  /** Padding gray level 0..255 (default 255, white). */
  padValue?: number;
  /** Integer nearest-neighbour upscaling of each tile (default 1). */
  scale?: number;
  /** Value range of the input (default [-1, 1]). */
  range?: [number, number];
}

/** A batch of images as plain data: [N, H, W, C] row-major floats. */
export interface ImageBatch {
  data: ArrayLike<number>;
  shape: [number, number, number, number];
}

/** Tiles a batch [N, H, W, C] (C = 1 or 3) into one raster image. */
export function makeGrid(batch: ImageBatch, opts: GridOptions = {}): RasterImage {
  const [n, h, w, c] = batch.shape;
  if (batch.shape.length !== 4) throw new Error(`makeGrid: expected [N, H, W, C], got [${batch.shape.join(', ')}]`);
  if (c !== 1 && c !== 3) throw new Error(`makeGrid: channels must be 1 or 3, got ${c}`);
  if (n <= 0) throw new Error('makeGrid: the batch is empty');
  if (batch.data.length !== n * h * w * c) {
    throw new Error(
      `makeGrid: data has ${batch.data.length} values, shape [${batch.shape.join(', ')}] needs ${n * h * w * c}`,
    );
  }
  const cols = Math.max(1, Math.min(n, opts.cols ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / cols);
  const pad = opts.padding ?? 2;
  const scale = Math.max(1, Math.floor(opts.scale ?? 1));
  const [lo, hi] = opts.range ?? [-1, 1];
  const th = h * scale;
  const tw = w * scale;
  const W = cols * tw + (cols + 1) * pad;
  const H = rows * th + (rows + 1) * pad;
  const out = new Uint8Array(W * H * c).fill(opts.padValue ?? 255);
  const px = toUint8(batch.data, lo, hi); // [N, H, W, C]
  for (let k = 0; k < n; k++) {
    const oy = pad + Math.floor(k / cols) * (th + pad);
    const ox = pad + (k % cols) * (tw + pad);
    for (let y = 0; y < th; y++) {
      const sy = Math.floor(y / scale);
      for (let x = 0; x < tw; x++) {
        const sx = Math.floor(x / scale);
        const src = ((k * h + sy) * w + sx) * c;
        const dst = ((oy + y) * W + ox + x) * c;
        for (let ch = 0; ch < c; ch++) out[dst + ch] = px[src + ch];
      }
    }
  }
  return { width: W, height: H, channels: c as 1 | 3, data: out };
}

/** Reads a tensor [N, H, W, C] (or [H, W, C]) into an ImageBatch. */
export async function tensorToBatch(t: tf.Tensor): Promise<ImageBatch> {
  if (t.rank !== 3 && t.rank !== 4)
    throw new Error(`expected an image tensor [N, H, W, C] or [H, W, C], got rank ${t.rank}`);
  const shape = (t.rank === 3 ? [1, ...t.shape] : t.shape) as [number, number, number, number];
  return { data: await t.data(), shape };
}

/** Makes a grid from a tensor [N, H, W, C] in [-1, 1] and writes it as a labelled PNG. */
export async function writeGridPng(
  file: string,
  images: tf.Tensor | ImageBatch,
  provenance: Provenance = {},
  opts: GridOptions = {},
): Promise<RasterImage> {
  const batch = images instanceof tf.Tensor ? await tensorToBatch(images) : images;
  const img = makeGrid(batch, opts);
  const cols = Math.max(1, Math.min(batch.shape[0], opts.cols ?? Math.ceil(Math.sqrt(batch.shape[0]))));
  writePng(file, img, {
    kind: `grid of ${batch.shape[0]} images (${Math.ceil(batch.shape[0] / cols)}x${cols})`,
    ...provenance,
  });
  return img;
}
