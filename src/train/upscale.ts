// Super-resolution inference from a run: `tsgan upscale RUN INPUT... --scale 4 -o DIR`.
// Images of any size and mode, with memory bounded by the tile, not the image:
// - the input is read in horizontal strips (sharp/libvips extracts `tile + 2 pad` rows at a time;
//   the image is never decoded into one buffer, nor held as one float tensor);
// - each strip is upscaled tile by tile; a tile reads `pad` extra input pixels on every side where
//   the image has them, and only its centre is kept. With `pad` at least G's receptive radius
//   (SRGAN.receptiveRadius, the default) every kept pixel is exactly what the whole image would
//   give (the image border is the network's own zero padding in both cases), so the tiles join
//   without seams and without blending;
// - output rows are compressed into the PNG as each strip finishes (PngStreamWriter), written
//   through a temporary file: a failure leaves nothing half-written.
// Gray, gray+alpha, RGB and RGBA inputs: converted to the model's channels (transparent pixels on
// white, as the training images were); alpha is upscaled by pixel replication and kept. Every PNG
// says it is synthetic (model, step, scale, source file).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import sharp, { type Metadata } from 'sharp';

import { ensureFolder } from '../io/files.js';
import { PngStreamWriter } from '../io/png.js';
import type { SRGAN } from '../models/srgan.js';
import { resolveCheckpointPath, trainerFromCheckpoint } from './inference.js';
import { copyWeights } from './trainer.js';

export interface UpscaleOptions {
  /** The factor asked for; must be the one the model was trained for (default: the model's). */
  scale?: number;
  /** Tile side in input pixels (default 96). */
  tile?: number;
  /** Input pixels read around each tile (default: the generator's receptive radius, which makes tiling exact). */
  pad?: number;
  /** Use the EMA copy of the generator when the run kept one (default true). */
  useEma?: boolean;
  warn?: (m: string) => void;
}

export interface Upscaler {
  scale: number;
  /** Image channels the model reads and writes (1 or 3). */
  channels: number;
  /** Receptive radius of the generator in input pixels. */
  radius: number;
  step: number;
  /** Output side at the training size (inputSize x scale). */
  outputSide: number;
  /** The generator for any input size. */
  generator: tfl.LayersModel;
  dispose(): void;
}

/** Opens a run folder or checkpoint of a super-resolution (srgan) model. */
export function openUpscaler(run: string, opts: UpscaleOptions = {}): Upscaler {
  const { file, checkpoint } = resolveCheckpointPath(run, opts.warn);
  const family = checkpoint.header.model.family;
  if (family !== 'srgan')
    throw new Error(`${run} holds a ${family} model; upscale needs a super-resolution run (model.family srgan)`);
  const trainer = trainerFromCheckpoint(checkpoint, file);
  const model = trainer.model as SRGAN;
  const scale = model.options.scale;
  if (opts.scale !== undefined && opts.scale !== scale) {
    trainer.dispose();
    throw new Error(
      `the model in ${run} was trained for x${scale}; --scale ${opts.scale} is not available (use --scale ${scale})`,
    );
  }
  const trained = opts.useEma === false ? model.networks.G! : (trainer.ema.G ?? model.networks.G!);
  const g = model.generatorForAnySize('G');
  copyWeights(trained, g);
  return {
    scale,
    channels: model.options.channels,
    radius: model.receptiveRadius,
    step: trainer.step,
    outputSide: model.outputShape[0]!,
    generator: g,
    dispose: () => {
      g.dispose();
      trainer.dispose();
    },
  };
}

/**
 * The tiled upscaling loop. `readRows(y0, y1)` gives input rows [y1 - y0, W, C] (floats in [-1, 1]);
 * `onRows(rows, y0)` receives each finished band of output rows [(y1 - y0) * scale, W * scale, C]
 * (clipped to [-1, 1]) in order (one buffer reused for every band: copy what must outlive the call); `onTile` counts tiles.
 */
export async function tiledUpscale(
  g: tfl.LayersModel,
  size: { height: number; width: number; channels: number; scale: number },
  readRows: (y0: number, y1: number) => Promise<Float32Array>,
  onRows: (rows: Float32Array, y0: number, y1: number) => Promise<void> | void,
  opts: { tile: number; pad: number; onTile?: (done: number, total: number) => void },
): Promise<void> {
  const { height: H, width: W, channels: C, scale: s } = size;
  const { tile, pad } = opts;
  if (!Number.isInteger(tile) || tile < 1) throw new Error(`--tile must be a whole number >= 1, got ${tile}`);
  if (!Number.isInteger(pad) || pad < 0) throw new Error(`--pad must be a whole number >= 0, got ${pad}`);
  const total = Math.ceil(H / tile) * Math.ceil(W / tile);
  let done = 0;
  // One band buffer for every strip (a fresh one per strip would leave the collector several
  // band-sized arrays to free, and the peak memory would follow it rather than the tile).
  const fullBand = new Float32Array(Math.min(tile, H) * s * W * s * C);
  for (let y0 = 0; y0 < H; y0 += tile) {
    const y1 = Math.min(H, y0 + tile);
    const sy0 = Math.max(0, y0 - pad);
    const sy1 = Math.min(H, y1 + pad);
    const strip = await readRows(sy0, sy1); // [sy1 - sy0, W, C]
    const band = fullBand.subarray(0, (y1 - y0) * s * W * s * C); // [(y1 - y0) * s, W * s, C]
    const bandW = W * s * C;
    for (let x0 = 0; x0 < W; x0 += tile) {
      const x1 = Math.min(W, x0 + tile);
      const sx0 = Math.max(0, x0 - pad);
      const sx1 = Math.min(W, x1 + pad);
      const out = tf.tidy(() => {
        const x = tf.slice(tf.tensor4d(strip, [1, sy1 - sy0, W, C]), [0, 0, sx0, 0], [1, -1, sx1 - sx0, -1]); // [1, th, tw, C]
        const y = g.apply(x, { training: false }) as tf.Tensor4D; // [1, th*s, tw*s, C]
        const kept = tf.slice(y, [0, (y0 - sy0) * s, (x0 - sx0) * s, 0], [1, (y1 - y0) * s, (x1 - x0) * s, C]);
        return tf.clipByValue(kept, -1, 1);
      });
      const v = out.dataSync() as Float32Array;
      out.dispose();
      const rowLen = (x1 - x0) * s * C;
      for (let r = 0; r < (y1 - y0) * s; r++)
        band.set(v.subarray(r * rowLen, (r + 1) * rowLen), r * bandW + x0 * s * C);
      opts.onTile?.(++done, total);
    }
    await onRows(band, y0, y1);
  }
}

/** Size, channels and alpha of an image file; a sentence when it is missing, corrupt or too small. */
export async function probeImage(file: string): Promise<{ width: number; height: number; hasAlpha: boolean }> {
  if (!existsSync(file)) throw new Error(`input not found: ${file}`);
  if (statSync(file).isDirectory()) throw new Error(`${file} is a folder; give image files`);
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
    // A header alone can look fine: decode one pixel row to catch truncated or corrupt data early.
    await sharp(file, { limitInputPixels: false })
      .extract({ left: 0, top: 0, width: meta.width ?? 1, height: 1 })
      .raw()
      .toBuffer();
  } catch (e) {
    throw new Error(`cannot read ${file} as an image (${(e as Error).message.split('\n')[0]})`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width < 2 || height < 2) throw new Error(`${file} is ${width}x${height} pixels; upscale needs at least 2x2`);
  return { width, height, hasAlpha: meta.hasAlpha ?? false };
}

/** Upscales one image file into a PNG at `dest` (tile by tile; see the file header). */
export async function upscaleFile(
  up: Upscaler,
  input: string,
  dest: string,
  opts: { tile?: number; pad?: number; onTile?: (done: number, total: number) => void } = {},
): Promise<void> {
  const { width: W, height: H, hasAlpha } = await probeImage(input);
  const s = up.scale;
  const C = up.channels;
  const outC = (C + (hasAlpha ? 1 : 0)) as 1 | 2 | 3 | 4;
  const alphaRows = new Map<number, Uint8Array>(); // strip start -> its alpha bytes
  const writer = new PngStreamWriter(
    dest,
    { width: W * s, height: H * s, channels: outC },
    {
      model: 'srgan',
      step: up.step,
      kind: `super-resolution x${s}`,
      extra: { source: path.basename(input), scale: s },
    },
  );
  let readFrom = 0;
  let bytesBuf: Uint8Array | null = null;
  try {
    await tiledUpscale(
      up.generator,
      { height: H, width: W, channels: C, scale: s },
      async (y0, y1) => {
        readFrom = y0;
        const { data, info } = await sharp(input, { limitInputPixels: false, sequentialRead: true })
          .extract({ left: 0, top: y0, width: W, height: y1 - y0 })
          .toColourspace(C === 1 ? 'b-w' : 'srgb')
          .raw({ depth: 'uchar' })
          .toBuffer({ resolveWithObject: true });
        const ic = info.channels;
        const alpha = ic === 2 || ic === 4;
        const n = W * (y1 - y0);
        const out = new Float32Array(n * C);
        const a8 = alpha ? new Uint8Array(n) : null;
        for (let i = 0; i < n; i++) {
          const a = alpha ? data[i * ic + ic - 1]! / 255 : 1;
          if (a8) a8[i] = data[i * ic + ic - 1]!;
          const color = ic >= 3;
          const r = data[i * ic]!;
          const gg = color ? data[i * ic + 1]! : r;
          const b = color ? data[i * ic + 2]! : r;
          const on = [r, gg, b].map((v) => v * a + 255 * (1 - a)); // on white
          if (C === 1) out[i] = (0.299 * on[0]! + 0.587 * on[1]! + 0.114 * on[2]!) / 127.5 - 1;
          else for (let k = 0; k < C; k++) out[i * C + k] = on[Math.min(k, 2)]! / 127.5 - 1;
        }
        if (a8) alphaRows.set(y0, a8);
        return out;
      },
      async (rows, y0, y1) => {
        const n = rows.length / C;
        bytesBuf ??= new Uint8Array(n * outC); // the first band is the largest
        const bytes = bytesBuf.subarray(0, n * outC);
        const a8 = alphaRows.get(readFrom);
        const sy0 = readFrom;
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < C; k++) bytes[i * outC + k] = Math.round((rows[i * C + k]! + 1) * 127.5);
          if (a8) {
            const oy = Math.floor(i / (W * s));
            const ox = i % (W * s);
            bytes[i * outC + C] = a8[(y0 - sy0 + Math.floor(oy / s)) * W + Math.floor(ox / s)]!;
          }
        }
        alphaRows.clear();
        await writer.writeRows(bytes);
        void y1;
      },
      { tile: opts.tile ?? 96, pad: opts.pad ?? up.radius, onTile: opts.onTile },
    );
    await writer.finish();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Upscales image files into `outDir` (PNG, same base names); returns the written paths. */
export async function upscaleFiles(
  run: string,
  inputs: string[],
  outDir: string,
  opts: UpscaleOptions & {
    onFile?: (written: string, i: number, n: number) => void;
    onTile?: (file: string, done: number, total: number) => void;
  } = {},
): Promise<string[]> {
  if (inputs.length === 0) throw new Error('give at least one input image');
  for (const f of inputs) await probeImage(f); // every input readable before anything is written
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new Error(`-o ${outDir} is a file; give a folder for the upscaled images`);
  // A run folder or checkpoint, or an export of one (tsgan export: manifest.json beside model.json).
  const up = existsSync(path.join(run, 'manifest.json'))
    ? await (await import('../export/sr_export.js')).openExportedUpscaler(run, opts)
    : openUpscaler(run, opts);
  try {
    ensureFolder(outDir);
    const used = new Set<string>();
    const written: string[] = [];
    for (const [i, f] of inputs.entries()) {
      let base = path.basename(f, path.extname(f));
      for (let k = 2; used.has(base); k++) base = `${path.basename(f, path.extname(f))}-${k}`;
      used.add(base);
      const dest = path.join(outDir, `${base}.png`);
      await upscaleFile(up, f, dest, { tile: opts.tile, pad: opts.pad, onTile: (d, t) => opts.onTile?.(f, d, t) });
      written.push(dest);
      opts.onFile?.(dest, i, inputs.length);
    }
    return written;
  } finally {
    up.dispose();
  }
}
