// Control of a trained StyleGAN2 through its W space: open a run, sample with truncation towards
// w_avg (psi) and direction edits, and the style-mixing grid (Karras et al. 2019, figure 3: the rows'
// sources give the coarse styles, the columns' sources the fine ones). A latent is the one of
// `tsgan sample` for the same seed (the first latentDim normals of Rng(seed)), so psi 1 with no edit
// reproduces `tsgan sample`.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { isStyleGAN2, type StyleGAN2 } from '../models/stylegan2.js';
import { type GeneratorHandle, latentForSeed, openGenerator } from '../train/inference.js';

/** A StyleGAN2 run opened for control: the model (w_avg restored) and the generator to use (EMA by default). */
export interface StyleRun {
  model: StyleGAN2;
  generator: tfl.LayersModel;
  handle: GeneratorHandle;
  step: number | null;
  dispose(): void;
}

/** Opens a StyleGAN2 run folder or checkpoint; a sentence for anything else (other families, exported folders). */
export async function openStyleRun(
  source: string,
  opts: { useEma?: boolean; warn?: (m: string) => void; what?: string } = {},
): Promise<StyleRun> {
  const what = opts.what ?? 'this command';
  const h = await openGenerator(source, opts);
  const model = h.trainer?.model;
  if (!model) {
    h.dispose();
    throw new Error(
      `${source} is an exported generator; ${what} needs the W space and w_avg of a StyleGAN2 run: give the run folder`,
    );
  }
  if (!isStyleGAN2(model)) {
    h.dispose();
    throw new Error(
      `${source} holds a ${model.family} model, which has no W space: ${what} works on StyleGAN2 runs (model.family stylegan2)`,
    );
  }
  return { model, generator: h.network, handle: h, step: h.step, dispose: () => h.dispose() };
}

/** A named direction in W, and a strength to move along it. */
export interface WEdit {
  direction: Float32Array;
  strength: number;
}

/** Checks psi: a finite number from 0 (every sample is the mean image) to 2. */
export function checkPsi(psi: number): void {
  if (!(Number.isFinite(psi) && psi >= 0 && psi <= 2))
    throw new Error(`truncation psi must be a number from 0 (the mean image) to 2 (1 = no truncation), got ${psi}`);
}

/** Latents [n, Z] of `seeds` (those of `tsgan sample`). */
export function latentsForSeeds(model: StyleGAN2, seeds: number[]): tf.Tensor2D {
  const z = new Float32Array(seeds.length * model.latentDim);
  seeds.forEach((s, i) => {
    z.set(latentForSeed(s, model.latentDim), i * model.latentDim);
  });
  return tf.tensor2d(z, [seeds.length, model.latentDim]);
}

/** w [n, Wd] of `seeds`: mapped, truncated towards w_avg by psi, then moved along each edit. */
export function wForSeeds(
  run: Pick<StyleRun, 'model' | 'generator'>,
  seeds: number[],
  opts: { psi?: number; edits?: WEdit[]; labels?: number[] } = {},
): tf.Tensor2D {
  const { model, generator } = run;
  const psi = opts.psi ?? 1;
  checkPsi(psi);
  if (model.numClasses > 0 && !opts.labels?.length)
    throw new Error('this StyleGAN2 is class-conditional: give class labels');
  return tf.tidy(() => {
    const z = latentsForSeeds(model, seeds);
    const labels =
      model.numClasses > 0
        ? tf.tensor1d(
            seeds.map((_, i) => opts.labels![i % opts.labels!.length]!),
            'int32',
          )
        : null;
    let w = model.mapLatents(z, labels, { generator, psi }); // [n, Wd]
    for (const e of opts.edits ?? []) {
      if (e.direction.length !== model.options.wDim)
        throw new Error(
          `a direction of length ${e.direction.length} does not fit this model's W (${model.options.wDim})`,
        );
      w = tf.add(w, tf.mul(tf.tensor2d(e.direction, [1, model.options.wDim]), e.strength)) as tf.Tensor2D;
    }
    return w;
  });
}

/** Images [n, H, W, C] of `seeds` with truncation psi and edits (the generator's fixed noise). */
export function sampleStyle(
  run: Pick<StyleRun, 'model' | 'generator'>,
  seeds: number[],
  opts: { psi?: number; edits?: WEdit[]; labels?: number[] } = {},
): tf.Tensor4D {
  return tf.tidy(() => run.model.synthesize(wForSeeds(run, seeds, opts), { generator: run.generator }));
}

/** Which synthesis layers (indices into the numWs ws) take the column's styles: a range 'a-b' (inclusive). */
export function parseLayerRange(spec: string, numWs: number): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) throw new Error(`layer range '${spec}': write FROM-TO, e.g. 0-3 (the model has layers 0-${numWs - 1})`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a > b || b >= numWs)
    throw new Error(`layer range '${spec}' is outside the model's layers 0-${numWs - 1} (or reversed)`);
  return [a, b];
}

/** The default split of the style-mixing grid: layers 0..k-1 coarse (4x4 and 8x8), the rest fine. */
export function defaultCoarseLayers(numWs: number): [number, number] {
  return [0, Math.min(3, numWs - 2)];
}

/**
 * The style-mixing grid: for each row seed r and column seed c, the image whose ws are r's on the
 * layers in `fromRow` and c's elsewhere. Returns the tiles in row-major order, with an empty corner,
 * the column sources on the first row and the row sources in the first column:
 * [(rows+1)*(cols+1), H, W, C].
 */
export function styleMixGrid(
  run: Pick<StyleRun, 'model' | 'generator'>,
  rowSeeds: number[],
  colSeeds: number[],
  opts: { psi?: number; rowLayers?: [number, number]; labels?: number[] } = {},
): tf.Tensor4D {
  const { model, generator } = run;
  const [a, b] = opts.rowLayers ?? defaultCoarseLayers(model.numWs);
  return tf.tidy(() => {
    const wr = wForSeeds(run, rowSeeds, opts); // [R, Wd]
    const wc = wForSeeds(run, colSeeds, opts); // [C, Wd]
    const R = rowSeeds.length;
    const C = colSeeds.length;
    const rowIdx = tf.tensor1d(
      Array.from({ length: R * C }, (_, i) => Math.floor(i / C)),
      'int32',
    );
    const colIdx = tf.tensor1d(
      Array.from({ length: R * C }, (_, i) => i % C),
      'int32',
    );
    const wRow = tf.gather(wr, rowIdx) as tf.Tensor2D; // [R*C, Wd]
    const wCol = tf.gather(wc, colIdx) as tf.Tensor2D;
    const ws = Array.from({ length: model.numWs }, (_, l) => (l >= a && l <= b ? wRow : wCol));
    const mixed = model.synthesize(ws, { generator }); // [R*C, H, W, C]
    const rowsImg = model.synthesize(wr, { generator }); // [R, H, W, C]
    const colsImg = model.synthesize(wc, { generator }); // [C, H, W, C]
    const [h, w, c] = model.outputShape as [number, number, number];
    const blank = tf.fill([1, h, w, c], model.valueRange[1]); // white corner
    const tiles: tf.Tensor[] = [blank, colsImg];
    for (let r = 0; r < R; r++) {
      tiles.push(tf.slice(rowsImg, [r, 0, 0, 0], [1, -1, -1, -1]));
      tiles.push(tf.slice(mixed, [r * C, 0, 0, 0], [C, -1, -1, -1]));
    }
    return tf.concat(tiles, 0) as tf.Tensor4D;
  });
}
