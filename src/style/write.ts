// The files the StyleGAN2 control commands write (every image with the synthetic-content provenance):
// truncated/edited sample grids, the style-mixing grid, and the directions file with a strip PNG and
// an animated GIF per direction.
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import { ensureFolder, writeFileAtomic } from '../io/files.js';
import { writeGridPng } from '../io/grid.js';
import { writeLatentWalk } from '../io/anim.js';
import type { Provenance } from '../io/png.js';
import { modelSha256 } from '../export/generator_io.js';
import { parseLayerRange, sampleStyle, styleMixGrid, type StyleRun, type WEdit, wForSeeds } from './control.js';
import { type DirectionOptions, type DirectionsFile, findDirections } from './directions.js';
import { type ProjectOptions, type Projection, projectImage, readTargetImage } from './project.js';

async function provenanceOf(run: StyleRun, kind: string, extra: Provenance['extra'] = {}): Promise<Provenance> {
  return {
    model: run.model.family,
    modelSha256: await modelSha256(run.generator),
    step: run.step ?? undefined,
    kind,
    extra,
  };
}

/** Writes a grid of `seeds` with truncation psi and edits. */
export async function writeStyleSamples(
  run: StyleRun,
  file: string,
  o: {
    seeds: number[];
    psi?: number;
    edits?: WEdit[];
    editNames?: string[];
    labels?: number[];
    cols?: number;
    scale?: number;
  },
): Promise<void> {
  const images = sampleStyle(run, o.seeds, o);
  try {
    const prov = await provenanceOf(run, `StyleGAN2 samples, truncation psi ${o.psi ?? 1}`, {
      psi: o.psi ?? 1,
      ...(o.editNames?.length ? { edits: o.editNames.join(' ') } : {}),
    });
    await writeGridPng(file, images, { ...prov, seed: o.seeds.join(',') }, { cols: o.cols, scale: o.scale });
  } finally {
    images.dispose();
  }
}

export interface StyleMixOptions {
  rowSeeds: number[];
  colSeeds: number[];
  /** Layers (indices of the ws) that take the row's styles, 'a-b'; default the coarse ones (4x4 and 8x8). */
  rowLayers?: string;
  psi?: number;
  scale?: number;
}

/** Writes the style-mixing grid: first row the column sources, first column the row sources. */
export async function writeStyleMix(
  run: StyleRun,
  file: string,
  o: StyleMixOptions,
): Promise<{ rowLayers: [number, number] }> {
  const rowLayers = o.rowLayers ? parseLayerRange(o.rowLayers, run.model.numWs) : undefined;
  const grid = styleMixGrid(run, o.rowSeeds, o.colSeeds, { psi: o.psi, rowLayers });
  const used = rowLayers ?? [0, Math.min(3, run.model.numWs - 2)];
  try {
    const prov = await provenanceOf(run, `style mixing: rows' layers ${used[0]}-${used[1]}, columns' the rest`, {
      rowSeeds: o.rowSeeds.join(','),
      colSeeds: o.colSeeds.join(','),
      psi: o.psi ?? 1,
    });
    await writeGridPng(file, grid, prov, { cols: o.colSeeds.length + 1, scale: o.scale });
  } finally {
    grid.dispose();
  }
  return { rowLayers: used as [number, number] };
}

/** Images along one direction: [seeds, strengths, H, W, C] (strength in the direction's std units). */
export function directionWalk(
  run: Pick<StyleRun, 'model' | 'generator'>,
  direction: { vector: ArrayLike<number>; std: number },
  seeds: number[],
  strengths: number[],
  psi = 1,
): tf.Tensor {
  return tf.tidy(() => {
    const { model, generator } = run;
    const w = wForSeeds(run, seeds, { psi }); // [S, Wd]
    const d = tf.tensor2d(Float32Array.from(direction.vector), [1, model.options.wDim]);
    const ks = tf.tensor(
      strengths.map((k) => k * direction.std),
      [1, strengths.length, 1],
    ); // [1, K, 1]
    const moved = tf.add(tf.expandDims(w, 1), tf.mul(ks, tf.expandDims(d, 0))); // [S, K, Wd]
    const flat = tf.reshape(moved, [seeds.length * strengths.length, model.options.wDim]) as tf.Tensor2D;
    const imgs = model.synthesize(flat, { generator }); // [S*K, H, W, C]
    return tf.reshape(imgs, [seeds.length, strengths.length, ...model.outputShape]);
  });
}

/** Finds the directions, writes `directions.json` and a strip PNG + GIF per direction into `dir`. */
export async function writeDirections(
  run: StyleRun,
  dir: string,
  o: DirectionOptions & {
    seeds?: number[];
    strengths?: number[];
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<DirectionsFile> {
  ensureFolder(dir);
  const file = findDirections(run, o);
  writeFileAtomic(path.join(dir, 'directions.json'), Buffer.from(`${JSON.stringify(file, null, 1)}\n`));
  const seeds = o.seeds ?? [0, 1, 2, 3];
  const strengths = o.strengths ?? [-3, -2, -1, 0, 1, 2, 3];
  let done = 0;
  for (const d of file.directions) {
    const walk = directionWalk(run, d, seeds, strengths);
    try {
      const prov = await provenanceOf(run, `direction ${d.name}: strengths ${strengths.join(',')} (std units)`, {
        direction: d.name,
      });
      await writeLatentWalk({ png: path.join(dir, `${d.name}.png`), gif: path.join(dir, `${d.name}.gif`) }, walk, {
        ...prov,
        seed: seeds.join(','),
      });
    } finally {
      walk.dispose();
    }
    o.onProgress?.(++done, file.directions.length);
  }
  return file;
}

/** `tsgan project RUN IMAGE`: projects the image, writes DIR/projection.png: the target beside the projection; and DIR/w.json. */
export async function writeProjection(
  run: StyleRun,
  imageFile: string,
  dir: string,
  o: ProjectOptions = {},
): Promise<Projection> {
  const target = await readTargetImage(imageFile, run.model.outputShape);
  ensureFolder(dir);
  const p = projectImage(run, target, o);
  const [h, w, c] = run.model.outputShape as [number, number, number];
  const both = new Float32Array(2 * h * w * c);
  both.set(target);
  both.set(p.image, h * w * c);
  const prov = await provenanceOf(
    run,
    `projection (${o.space ?? 'w'}): the target (left, a real image) and its GAN reconstruction`,
    {
      psnr: Number(p.psnr.toFixed(2)),
    },
  );
  await writeGridPng(path.join(dir, 'projection.png'), { data: both, shape: [2, h, w, c] }, prov, {
    cols: 2,
    scale: 4,
  });
  const json = {
    format: 'tsgan-projection',
    version: 1,
    image: path.resolve(imageFile),
    space: o.space ?? 'w',
    step: run.step,
    psnr: p.psnr,
    pixelMse: p.pixel,
    featureDistance: p.feature,
    numWs: run.model.numWs,
    wDim: run.model.options.wDim,
    ws: Array.from(p.ws),
  };
  writeFileAtomic(path.join(dir, 'w.json'), Buffer.from(`${JSON.stringify(json)}\n`));
  return p;
}
