// Writing generated samples through src/io: image batches as a labelled PNG grid, 2-D points as a
// labelled scatter plot (true modes drawn as rings); and, straight from a generator, grids, one file
// per sample and latent walks of any size, generated and written a batch at a time.
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import { type LatentWalkFiles, type WalkStreamOptions, writeWalkStream } from '../io/anim.js';
import { ensureFolder } from '../io/files.js';
import { gridLayout, makeGrid, writeGridPng, writeGridPngStream } from '../io/grid.js';
import { type Provenance, writePng } from '../io/png.js';
import { writeScatterPng } from '../io/scatter.js';
import {
  checkClasses,
  classOfSample,
  type GeneratorHandle,
  generateValues,
  latentForSeed,
  type SampleOptions,
  sampleSeeds,
  type WalkOptions,
  walkPlan,
} from './inference.js';

/** Writes samples: a grid for images [N, H, W, C], a scatter plot for points [N, 2]. */
export async function writeSamples(
  file: string,
  samples: tf.Tensor,
  provenance: Provenance,
  opts: { cols?: number; modes?: ArrayLike<number>; modeRadius?: number; scale?: number } = {},
): Promise<void> {
  if (samples.rank === 4) {
    await writeGridPng(file, samples, provenance, { cols: opts.cols, scale: opts.scale });
  } else if (samples.rank === 2 && samples.shape[1] === 2) {
    const pts = await samples.data();
    writeScatterPng(
      file,
      pts,
      { kind: `scatter of ${samples.shape[0]} points`, ...provenance },
      { modes: opts.modes, modeRadius: opts.modeRadius },
    );
  } else {
    throw new Error(`writeSamples: cannot draw samples of shape [${samples.shape}]`);
  }
}

/** Progress of a long write: (units done, units in all). */
export type ProgressFn = (done: number, total: number) => void;

/** Options of writeSampleGrid / writeSampleFiles. */
export interface WriteSamplesOptions extends SampleOptions {
  /** Grid columns (default: one per class for conditional generators, else a square). */
  cols?: number;
  /** Integer nearest-neighbour upscaling of each image (default 1). */
  scale?: number;
  /** Samples generated at once (default 256): memory holds one batch, not all samples. */
  batch?: number;
  /** Called as samples are written. */
  onProgress?: ProgressFn;
  /** Where a warning about a very large grid goes (default: none). */
  warn?: (message: string) => void;
}

/** Grids larger than this on a side are written, with a warning: many viewers refuse them. */
export const LARGE_GRID_SIDE = 16384;

/** Seeds as text for metadata: the list, or 'a..b' for a run of more than 16 consecutive seeds. */
export function describeSeeds(seeds: number[]): string {
  const run = seeds.length > 16 && seeds.every((s, i) => s === seeds[0] + i);
  return run ? `${seeds[0]}..${seeds[seeds.length - 1]}` : seeds.join(',');
}

/** Generated values of samples start..start+count-1 (latents of their seeds, their classes). */
async function samplesOf(g: GeneratorHandle, o: WriteSamplesOptions, seeds: number[], start: number, count: number) {
  const batch = Math.max(1, Math.floor(o.batch ?? 256));
  const per = g.outputShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count * per);
  for (let b = 0; b < count; b += batch) {
    const k = Math.min(batch, count - b);
    const z = new Float32Array(k * g.latentDim);
    const labels: number[] = [];
    for (let i = 0; i < k; i++) {
      z.set(latentForSeed(seeds[start + b + i], g.latentDim, o.truncation ?? 0), i * g.latentDim);
      const c = classOfSample(g, o.classes, start + b + i);
      if (c !== null) labels.push(c);
    }
    out.set(await generateValues(g, z, g.numClasses > 0 ? labels : null), b * per);
  }
  return out;
}

function checkWriteOptions(g: GeneratorHandle, o: WriteSamplesOptions): number[] {
  const seeds = sampleSeeds(o);
  if (o.truncation !== undefined && !(Number.isFinite(o.truncation) && o.truncation >= 0))
    throw new Error(`truncation must be 0 (off) or a positive number, got ${o.truncation}`);
  checkClasses(g, o.classes);
  if (o.cols !== undefined && !(Number.isInteger(o.cols) && o.cols >= 1))
    throw new Error(`grid columns must be a whole number >= 1, got ${o.cols}`);
  if (o.scale !== undefined && !(Number.isInteger(o.scale) && o.scale >= 1 && o.scale <= 64))
    throw new Error(`scale must be a whole number from 1 to 64, got ${o.scale}`);
  return seeds;
}

/**
 * Samples into one labelled PNG: a grid of images, written a grid row at a time (any number of
 * samples in bounded memory), or a scatter plot for 2-D points. Returns the seeds and classes used.
 */
export async function writeSampleGrid(
  g: GeneratorHandle,
  file: string,
  o: WriteSamplesOptions,
  provenance: Provenance,
): Promise<{ seeds: number[] }> {
  const seeds = checkWriteOptions(g, o);
  if (g.outputShape.length !== 3) {
    const values = await samplesOf(g, o, seeds, 0, seeds.length);
    const pts = tf.tensor2d(values, [seeds.length, g.outputShape[0]]);
    try {
      await writeSamples(file, pts, provenance);
    } finally {
      pts.dispose();
    }
    o.onProgress?.(seeds.length, seeds.length);
    return { seeds };
  }
  const cols = o.cols ?? (g.numClasses > 0 && !o.classes ? g.numClasses : undefined);
  const layout = gridLayout(seeds.length, g.outputShape as [number, number, number], { cols, scale: o.scale });
  if (Math.max(layout.width, layout.height) > LARGE_GRID_SIDE)
    o.warn?.(
      `the grid will be ${layout.width}x${layout.height} pixels; many image viewers cannot open images this large ` +
        '(--separate writes one file per sample)',
    );
  await writeGridPngStream(
    file,
    seeds.length,
    g.outputShape as [number, number, number],
    (start, count) => samplesOf(g, o, seeds, start, count),
    provenance,
    { cols, scale: o.scale, range: g.valueRange, onProgress: o.onProgress },
  );
  return { seeds };
}

/**
 * One labelled PNG per sample in `dir`, at the model's resolution (times `scale`), without a frame:
 * `seed-S.png`, or `seed-S-class-C.png` for conditional generators. Generated batch by batch.
 */
export async function writeSampleFiles(
  g: GeneratorHandle,
  dir: string,
  o: WriteSamplesOptions,
  provenance: Provenance,
): Promise<{ seeds: number[]; files: string[] }> {
  const seeds = checkWriteOptions(g, o);
  if (g.outputShape.length !== 3)
    throw new Error('one file per sample needs an image generator; this one makes points');
  ensureFolder(dir);
  const [h, w, c] = g.outputShape;
  const per = h * w * c;
  const batch = Math.max(1, Math.floor(o.batch ?? 256));
  const files: string[] = [];
  for (let start = 0; start < seeds.length; start += batch) {
    const k = Math.min(batch, seeds.length - start);
    const values = await samplesOf(g, o, seeds, start, k);
    for (let i = 0; i < k; i++) {
      const j = start + i;
      const cls = classOfSample(g, o.classes, j);
      const file = path.join(dir, `seed-${seeds[j]}${cls !== null ? `-class-${cls}` : ''}.png`);
      const img = makeGrid(
        { data: values.subarray(i * per, (i + 1) * per), shape: [1, h, w, c] },
        { padding: 0, scale: o.scale, range: g.valueRange },
      );
      writePng(file, img, {
        kind: 'sample',
        ...provenance,
        seed: seeds[j],
        ...(cls !== null ? { extra: { ...provenance.extra, class: cls } } : {}),
      });
      files.push(file);
    }
    o.onProgress?.(start + k, seeds.length);
  }
  return { seeds, files };
}

/**
 * A latent walk of a generator written as a PNG strip and a GIF or APNG, frames generated a batch at
 * a time and written at once (a walk of any length in bounded memory).
 */
export async function writeLatentWalkFiles(
  g: GeneratorHandle,
  files: LatentWalkFiles,
  walk: WalkOptions,
  o: Omit<WalkStreamOptions, 'range'>,
  provenance: Provenance,
): Promise<{ frames: number; animationFrames: number }> {
  if (g.outputShape.length !== 3) throw new Error('a latent walk needs an image generator; this one makes points');
  if (o.scale !== undefined && !(Number.isInteger(o.scale) && o.scale >= 1 && o.scale <= 64))
    throw new Error(`scale must be a whole number from 1 to 64, got ${o.scale}`);
  if (o.delayMs !== undefined && !(Number.isFinite(o.delayMs) && o.delayMs > 0))
    throw new Error(`the frame delay must be a positive number of milliseconds, got ${o.delayMs}`);
  const plan = walkPlan(g, walk);
  return writeWalkStream(
    files,
    {
      count: plan.count,
      tile: g.outputShape as [number, number, number],
      framesOf: async (idx) => {
        const z = new Float32Array(idx.length * g.latentDim);
        idx.forEach((f, i) => {
          z.set(plan.latent(f), i * g.latentDim);
        });
        return generateValues(g, z, g.numClasses > 0 ? idx.map((f) => plan.label(f) as number) : null);
      },
    },
    provenance,
    { ...o, range: g.valueRange },
  );
}
