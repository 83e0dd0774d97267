// `tsgan export` of a StyleGAN2 run (Karras et al. 2020) to the TF.js format: beside model.json
// (z -> image, what every other consumer of an export reads), its two halves as their own models,
//   mapping/model.json    z [N, Z] (+ label [N, 1]) -> w [N, wDim]
//   synthesis/model.json  ws [N, numWs, wDim] -> image [N, H, W, C], the generator's fixed noise
//                         images inside (the reference's noise_mode 'const')
// and the manifest's `stylegan` entry: w_avg (truncation in W), numWs, wDim, the side each w acts at
// and the coarse / middle / fine layer ranges the page and the studio's explorer mix styles by.
import * as tfl from '@tensorflow/tfjs-layers';

import type { GeneratorManifest, StyleganManifest } from './manifest.js';
import { exportGenerator, type ExportOptions } from './generator_io.js';
import { type StyleGAN2, isStyleGAN2 } from '../models/stylegan2.js';
import type { GANModel } from '../models/types.js';
import { defaultCoarseLayers } from '../style/control.js';
import type { GeneratorHandle } from '../train/inference.js';

const ap = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
  layer.apply(x) as tfl.SymbolicTensor;

/** The output side each of the numWs ws acts at: 4, then two per resolution (the last one is the final toRGB's). */
export function layerResolutions(numWs: number): number[] {
  const side = 2 ** (numWs / 2 + 1); // numWs = 2 log2(side) - 2
  return Array.from({ length: numWs }, (_, l) => Math.min(side, 2 ** (Math.floor((l + 1) / 2) + 2)));
}

/**
 * Coarse / middle / fine ranges of w indices: coarse as `tsgan style-mix` splits by default (the 4x4
 * and 8x8 layers), the rest halved into middle and fine; each range holds at least one layer.
 */
export function styleLayerRanges(numWs: number): StyleganManifest['layers'] {
  if (numWs < 3) throw new Error(`a StyleGAN2 with ${numWs} ws has no coarse, middle and fine styles`);
  let c = defaultCoarseLayers(numWs)[1];
  if (numWs - c - 1 < 2) c = numWs - 3;
  const m = c + Math.floor((numWs - c - 1) / 2);
  return { coarse: [0, c], middle: [c + 1, m], fine: [m + 1, numWs - 1] };
}

/**
 * The synthesis network as one model over ws [N, numWs, wDim]: each w sliced out (Reshape,
 * Cropping2D, Flatten: tfjs-layers' own layers), the generator's fixed noise images as further inputs to its
 * synthesis part, whose weights it shares.
 */
export function synthesisModel(model: StyleGAN2, generator: tfl.LayersModel): tfl.LayersModel {
  const { numWs } = model;
  const wDim = model.options.wDim;
  const { synthesis } = model.parts(generator);
  const ws = tfl.input({ shape: [numWs, wDim], name: 'ws' });
  const grid = ap(tfl.layers.reshape({ targetShape: [numWs, wDim, 1], name: 'ws_grid' }), ws); // [N, numWs, wDim, 1]
  const each = Array.from({ length: numWs }, (_, i) => {
    const crop = tfl.layers.cropping2D({
      cropping: [
        [i, numWs - 1 - i],
        [0, 0],
      ],
      name: `crop_w${i}`,
    });
    return ap(tfl.layers.flatten({ name: `w${i}_flat` }), ap(crop, grid)); // [N, wDim]
  });
  const noises = model.noiseSides.map((_, i) => ap(generator.getLayer(`const_noise${i}`), ws)); // [N, s, s, 1]
  const img = ap(synthesis as unknown as tfl.layers.Layer, [...each, ...noises]); // [N, R, R, C]
  return tfl.model({ inputs: ws, outputs: img, name: 'synthesis_ws' });
}

/** The manifest's stylegan entry for a model (w_avg from its state). */
export function styleganSpec(model: StyleGAN2): StyleganManifest {
  return {
    mapping: 'mapping/model.json',
    synthesis: 'synthesis/model.json',
    numWs: model.numWs,
    wDim: model.options.wDim,
    wAvg: Array.from(model.wAvg),
    layerResolutions: layerResolutions(model.numWs),
    layers: styleLayerRanges(model.numWs),
    noise: 'const',
  };
}

/** Whether an opened run holds a StyleGAN2 (its export gets the two halves). */
export function isStyleGAN2Handle(g: GeneratorHandle): boolean {
  const m: GANModel | undefined = g.trainer?.model;
  return m !== undefined && isStyleGAN2(m);
}

/** Exports a StyleGAN2 run's generator (the handle's network: EMA or raw) with its mapping and synthesis. */
export async function exportStyleGAN(
  g: GeneratorHandle,
  dir: string,
  classNames: string[] = [],
  opts: ExportOptions = {},
): Promise<GeneratorManifest> {
  const t = g.trainer;
  if (!t || !isStyleGAN2(t.model)) throw new Error(`${g.path} is not a StyleGAN2 run`);
  const model = t.model;
  const { mapping } = model.parts(g.network);
  const synthesis = synthesisModel(model, g.network);
  const shape = model.outputShape;
  return exportGenerator(
    g.network,
    dir,
    {
      model: model.family,
      latentDim: model.latentDim,
      numClasses: model.numClasses,
      classNames,
      valueRange: model.valueRange,
      resolution: shape[0],
      channels: shape[2],
      stylegan: styleganSpec(model),
      extra: { step: t.step, seed: t.config.seed, ema: Object.keys(t.ema).length > 0, dataset: t.config.data.source },
    },
    { ...opts, parts: { mapping, synthesis } },
  );
}
