// Image-to-image inference from a run: `tsgan translate RUN INPUT... -o DIR`.
// Any image size and mode: the image is padded to the network's size multiple (mirrored where the
// border allows, else filled with its border's mean) and cropped back; grayscale and colour are
// converted to the channels the generator takes; transparent pixels are composited on white for
// the network (the training images were) and the output keeps the input's alpha channel. Every
// output PNG is labelled as synthetic, with the model, step and source file.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import sharp from 'sharp';

import { TRANSLATION_FAMILIES } from '../models/index.js';
import { ensureFolder } from '../io/files.js';
import { type RasterImage, writePng } from '../io/png.js';
import { loadGenerator } from '../export/generator_io.js';
import { copyWeights } from './trainer.js';
import { resolveCheckpointPath, trainerFromCheckpoint } from './inference.js';

export type Direction = 'AtoB' | 'BtoA';

export interface TranslatorOptions {
  /** CycleGAN: which generator (default AtoB); pix2pix has one direction, AtoB. */
  direction?: Direction;
  /** Use the EMA copy of the generator when the run kept one (default true). */
  useEma?: boolean;
  warn?: (m: string) => void;
}

export interface Translator {
  family: string;
  direction: Direction;
  /** Training step of the weights. */
  step: number;
  inChannels: number;
  outChannels: number;
  /** The generator for any image size (input sides padded to `sizeMultiple`). */
  network: tfl.LayersModel;
  /** Input sides are padded to a multiple of this. */
  sizeMultiple: number;
  /** Image side the model was trained at. */
  resolution: number;
  /** Translates one image (any size; 1-4 channels, alpha last) into an image of the same size. */
  translate(img: RasterImage): RasterImage;
  dispose(): void;
}

/** Opens a run folder or checkpoint of a translation model. */
export function openTranslator(run: string, opts: TranslatorOptions = {}): Translator {
  const { file, checkpoint } = resolveCheckpointPath(run, opts.warn);
  const family = checkpoint.header.model.family;
  if (!TRANSLATION_FAMILIES.includes(family))
    throw new Error(
      `${run} holds a ${family} model; translate needs an image-to-image run (${TRANSLATION_FAMILIES.join(' or ')})`,
    );
  const direction = opts.direction ?? 'AtoB';
  if (direction !== 'AtoB' && direction !== 'BtoA')
    throw new Error(`--direction must be AtoB or BtoA, got '${String(direction)}'`);
  if (family === 'pix2pix' && direction === 'BtoA')
    throw new Error('a pix2pix model translates one way only (AtoB); train a second model for BtoA');
  const trainer = trainerFromCheckpoint(checkpoint, file);
  const model = trainer.model;
  const name = family === 'cyclegan' ? (direction === 'AtoB' ? 'G_AB' : 'G_BA') : 'G';
  const trained: tfl.LayersModel =
    opts.useEma === false ? model.networks[name]! : (trainer.ema[name] ?? model.networks[name]!);
  const g = model.generatorForAnySize!(name);
  copyWeights(trained, g);
  const multiple = model.sizeMultiple ?? 1;
  const inShape = g.inputs[0]!.shape;
  const inChannels = inShape[inShape.length - 1] as number;
  const outShape = g.outputs[0]!.shape;
  const outChannels = outShape[outShape.length - 1] as number;
  return {
    family,
    direction,
    step: trainer.step,
    inChannels,
    outChannels,
    network: g,
    sizeMultiple: multiple,
    resolution: model.outputShape[0] ?? 0,
    translate: (img) => translateRaster(g, img, inChannels, outChannels, multiple),
    dispose: () => {
      g.dispose();
      trainer.dispose();
    },
  };
}

/** Opens an exported translator (`tsgan export` of an image-to-image run: manifest with an image input). */
export async function openExportedTranslator(dir: string): Promise<Translator> {
  const { model: g, manifest } = await loadGenerator(dir);
  if (!manifest.inputs.some((i) => i.role === 'image')) {
    g.dispose();
    const roles = manifest.inputs.map((i) => i.role);
    throw new Error(
      roles.includes('low-resolution image')
        ? `${dir} is an exported ${manifest.model} upscaler; use tsgan upscale ${dir} INPUT... -o DIR`
        : `${dir} is an exported ${manifest.model} generator of ${roles.includes('token ids') ? 'prompts' : 'latents'}; translate needs an image-to-image export`,
    );
  }
  const inShape = g.inputs[0]!.shape;
  const outShape = g.outputs[0]!.shape;
  const inChannels = inShape[inShape.length - 1] as number;
  const outChannels = outShape[outShape.length - 1] as number;
  const multiple = manifest.sizeMultiple ?? 1;
  const direction = manifest.extra?.direction === 'BtoA' ? 'BtoA' : 'AtoB';
  return {
    family: manifest.model,
    direction,
    step: typeof manifest.extra?.step === 'number' ? manifest.extra.step : 0,
    inChannels,
    outChannels,
    network: g,
    sizeMultiple: multiple,
    resolution: manifest.resolution,
    translate: (img) => translateRaster(g, img, inChannels, outChannels, multiple),
    dispose: () => g.dispose(),
  };
}

/** A run folder, checkpoint file or exported translator folder, opened for translation. */
export async function openAnyTranslator(source: string, opts: TranslatorOptions = {}): Promise<Translator> {
  if (existsSync(path.join(source, 'manifest.json'))) {
    if (opts.direction !== undefined)
      throw new Error(`${source} is an export of one direction; --direction applies to run folders and checkpoints`);
    return openExportedTranslator(source);
  }
  return openTranslator(source, opts);
}

/** Model input [1, H, W, Cin] in [-1, 1] from an image: alpha composited on white, channels converted. */
function toInput(img: RasterImage, cin: number): Float32Array {
  const { width: w, height: h, channels: c, data } = img;
  const hasAlpha = c === 2 || c === 4;
  const color = c >= 3;
  const out = new Float32Array(w * h * cin);
  for (let i = 0; i < w * h; i++) {
    const a = hasAlpha ? data[i * c + c - 1]! / 255 : 1;
    const rgb = color ? [data[i * c]!, data[i * c + 1]!, data[i * c + 2]!] : [data[i * c]!, data[i * c]!, data[i * c]!];
    const on = rgb.map((v) => v * a + 255 * (1 - a)); // on white
    if (cin === 1) out[i] = (0.299 * on[0]! + 0.587 * on[1]! + 0.114 * on[2]!) / 127.5 - 1;
    else for (let k = 0; k < cin; k++) out[i * cin + k] = on[Math.min(k, 2)]! / 127.5 - 1;
  }
  return out;
}

/** Pads [1, H, W, C] to multiples of m: mirrored when the image is large enough, else the border's mean. */
function padTo(x: tf.Tensor4D, m: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const ph = Math.ceil(h / m) * m - h;
  const pw = Math.ceil(w / m) * m - w;
  if (ph === 0 && pw === 0) return x.clone();
  const pads: [number, number][] = [
    [0, 0],
    [Math.floor(ph / 2), ph - Math.floor(ph / 2)],
    [Math.floor(pw / 2), pw - Math.floor(pw / 2)],
    [0, 0],
  ];
  if (pads[1]![1] <= h && pads[2]![1] <= w) return tf.mirrorPad(x, pads, 'symmetric');
  const border = tf.tidy(() => {
    const rows = tf.concat([tf.slice(x, [0, 0, 0, 0], [1, 1, w, -1]), tf.slice(x, [0, h - 1, 0, 0], [1, 1, w, -1])], 1);
    return tf.mean(rows); // the mean of the first and last rows
  });
  const v = border.dataSync()[0]!;
  border.dispose();
  return tf.pad(x, pads, v);
}

function translateRaster(g: tfl.LayersModel, img: RasterImage, cin: number, cout: number, m: number): RasterImage {
  const { width: w, height: h, channels: c, data } = img;
  const y = tf.tidy(() => {
    const x = tf.tensor4d(toInput(img, cin), [1, h, w, cin]);
    const padded = padTo(x, m); // [1, H', W', Cin]
    const [, hp, wp] = padded.shape;
    const out = g.apply(padded, { training: false }) as tf.Tensor4D; // [1, H', W', Cout]
    const top = Math.floor((hp - h) / 2);
    const left = Math.floor((wp - w) / 2);
    return tf.slice(out, [0, top, left, 0], [1, h, w, cout]); // [1, H, W, Cout]
  });
  const v = y.dataSync();
  y.dispose();
  const hasAlpha = c === 2 || c === 4;
  const oc = (cout + (hasAlpha ? 1 : 0)) as 1 | 2 | 3 | 4;
  const out = new Uint8Array(w * h * oc);
  for (let i = 0; i < w * h; i++) {
    for (let k = 0; k < cout; k++)
      out[i * oc + k] = Math.max(0, Math.min(255, Math.round((v[i * cout + k]! + 1) * 127.5)));
    if (hasAlpha) out[i * oc + oc - 1] = data[i * c + c - 1]!;
  }
  return { width: w, height: h, channels: oc, data: out };
}

/** Reads an image file as raw pixels (1-4 channels, alpha last) with sharp. */
export async function readRaster(file: string): Promise<RasterImage> {
  if (!existsSync(file)) throw new Error(`input not found: ${file}`);
  if (statSync(file).isDirectory()) throw new Error(`${file} is a folder; give image files`);
  try {
    const { data, info } = await sharp(file, { animated: false }).raw().toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      channels: info.channels as 1 | 2 | 3 | 4,
      data: new Uint8Array(data),
    };
  } catch (e) {
    throw new Error(`cannot read ${file} as an image (${(e as Error).message})`);
  }
}

/** Translates image files into `outDir` (PNG, same base names); returns the written paths. */
export async function translateFiles(
  run: string,
  inputs: string[],
  outDir: string,
  opts: TranslatorOptions & { onFile?: (written: string, i: number, n: number) => void } = {},
): Promise<string[]> {
  if (inputs.length === 0) throw new Error('give at least one input image');
  for (const f of inputs) await readRaster(f).then(() => undefined); // every input readable before writing anything
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new Error(`-o ${outDir} is a file; give a folder for the translated images`);
  const t = await openAnyTranslator(run, opts);
  try {
    ensureFolder(outDir);
    const used = new Set<string>();
    const written: string[] = [];
    for (const [i, f] of inputs.entries()) {
      const img = await readRaster(f);
      const out = t.translate(img);
      let base = path.basename(f, path.extname(f));
      for (let k = 2; used.has(base); k++) base = `${path.basename(f, path.extname(f))}-${k}`;
      used.add(base);
      const dest = path.join(outDir, `${base}.png`);
      writePng(dest, out, {
        model: t.family,
        step: t.step,
        kind: `image-to-image translation (${t.direction})`,
        extra: { source: path.basename(f) },
      });
      written.push(dest);
      opts.onFile?.(dest, i, inputs.length);
    }
    return written;
  } finally {
    t.dispose();
  }
}
