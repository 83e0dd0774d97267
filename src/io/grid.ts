// Image grids: tile a batch [N, H, W, C] of values in [-1, 1] into one raster (gray or RGB),
// optionally upscaled with nearest-neighbour, and write it as a labelled PNG through png.ts.
import * as tf from '@tensorflow/tfjs-core';

import { PngStreamWriter, toUint8, writePng, type Provenance, type RasterImage } from './png.js';

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

/** Where the tiles of a grid go: columns, rows, tile and image sizes in pixels. */
export interface GridLayout {
  n: number;
  cols: number;
  rows: number;
  /** Pixels between tiles and around the border. */
  pad: number;
  scale: number;
  /** Tile size before scaling and channels: [H, W, C]. */
  tile: [number, number, number];
  width: number;
  height: number;
}

/** The layout of n tiles of [h, w, c] (C = 1 or 3) under the grid options. */
export function gridLayout(n: number, tile: [number, number, number], opts: GridOptions = {}): GridLayout {
  const [h, w, c] = tile;
  if (c !== 1 && c !== 3) throw new Error(`makeGrid: channels must be 1 or 3, got ${c}`);
  if (!(n > 0)) throw new Error('makeGrid: the batch is empty');
  const cols = Math.max(1, Math.min(n, Math.floor(opts.cols ?? Math.ceil(Math.sqrt(n)))));
  const rows = Math.ceil(n / cols);
  const pad = opts.padding ?? 2;
  const scale = Math.max(1, Math.floor(opts.scale ?? 1));
  const width = cols * w * scale + (cols + 1) * pad;
  const height = rows * h * scale + (rows + 1) * pad;
  return { n, cols, rows, pad, scale, tile, width, height };
}

/**
 * The pixel rows of grid row r: the padding above it, its tiles, and for the last row the bottom
 * padding too. `tiles` holds the values of that row's tiles ([k, H, W, C], k = the row's count).
 */
export function renderGridRow(
  layout: GridLayout,
  r: number,
  tiles: ArrayLike<number>,
  opts: Pick<GridOptions, 'padValue' | 'range'> = {},
): Uint8Array {
  const { cols, rows, pad, scale, width: W } = layout;
  const [h, w, c] = layout.tile;
  const k = Math.min(cols, layout.n - r * cols);
  if (tiles.length !== k * h * w * c)
    throw new Error(`grid row ${r}: ${tiles.length} values, ${k} tiles of [${layout.tile}] need ${k * h * w * c}`);
  const th = h * scale;
  const tw = w * scale;
  const bandH = pad + th + (r === rows - 1 ? pad : 0);
  const out = new Uint8Array(W * bandH * c).fill(opts.padValue ?? 255);
  const [lo, hi] = opts.range ?? [-1, 1];
  const px = toUint8(tiles, lo, hi); // [k, H, W, C]
  for (let t = 0; t < k; t++) {
    const ox = pad + t * (tw + pad);
    for (let y = 0; y < th; y++) {
      const sy = Math.floor(y / scale);
      for (let x = 0; x < tw; x++) {
        const src = ((t * h + sy) * w + Math.floor(x / scale)) * c;
        const dst = ((pad + y) * W + ox + x) * c;
        for (let ch = 0; ch < c; ch++) out[dst + ch] = px[src + ch];
      }
    }
  }
  return out;
}

/** Tiles a batch [N, H, W, C] (C = 1 or 3) into one raster image. */
export function makeGrid(batch: ImageBatch, opts: GridOptions = {}): RasterImage {
  if (batch.shape.length !== 4) throw new Error(`makeGrid: expected [N, H, W, C], got [${batch.shape.join(', ')}]`);
  const [n, h, w, c] = batch.shape;
  const layout = gridLayout(n, [h, w, c], opts);
  if (batch.data.length !== n * h * w * c) {
    throw new Error(
      `makeGrid: data has ${batch.data.length} values, shape [${batch.shape.join(', ')}] needs ${n * h * w * c}`,
    );
  }
  const out = new Uint8Array(layout.width * layout.height * c);
  const per = h * w * c;
  const data = batch.data;
  const slice = (a: number, b: number) =>
    ArrayBuffer.isView(data) ? (data as Float32Array).subarray(a, b) : Array.prototype.slice.call(data, a, b);
  let off = 0;
  for (let r = 0; r < layout.rows; r++) {
    const k = Math.min(layout.cols, n - r * layout.cols);
    const band = renderGridRow(layout, r, slice(r * layout.cols * per, (r * layout.cols + k) * per), opts);
    out.set(band, off);
    off += band.length;
  }
  return { width: layout.width, height: layout.height, channels: c as 1 | 3, data: out };
}

/**
 * Writes a grid of n tiles without holding it: `tilesOf(start, count)` returns the values of tiles
 * start..start+count-1 ([count, H, W, C]); each grid row is rendered, compressed and written in
 * turn. `onProgress(done, n)` follows the tiles written. The file appears only when complete.
 */
export async function writeGridPngStream(
  file: string,
  n: number,
  tile: [number, number, number],
  tilesOf: (start: number, count: number) => Promise<ArrayLike<number>>,
  provenance: Provenance = {},
  opts: GridOptions & { onProgress?: (done: number, total: number) => void } = {},
): Promise<GridLayout> {
  const layout = gridLayout(n, tile, opts);
  const w = new PngStreamWriter(
    file,
    { width: layout.width, height: layout.height, channels: tile[2] as 1 | 3 },
    {
      kind: `grid of ${n} images (${layout.rows}x${layout.cols})`,
      ...provenance,
    },
  );
  try {
    for (let r = 0; r < layout.rows; r++) {
      const start = r * layout.cols;
      const k = Math.min(layout.cols, n - start);
      await w.writeRows(renderGridRow(layout, r, await tilesOf(start, k), opts));
      opts.onProgress?.(start + k, n);
    }
    await w.finish();
  } catch (e) {
    w.abort();
    throw e;
  }
  return layout;
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
