// Tiny runs of every generator family (a few training steps of narrow networks, seconds each) for
// the export tests: the weights and BatchNorm statistics have moved from their initial values.
import path from 'node:path';

import { train } from '../../src/index.js';

export const TINY_FAMILIES = ['vanilla', 'dcgan', 'cgan', 'pix2pix', 'cyclegan'] as const;
export type TinyFamily = (typeof TINY_FAMILIES)[number];

const COMMON = { steps: 2, sampleEvery: 2, checkpointEvery: 2, evalEvery: 0 };

const CONFIGS: Record<TinyFamily, { preset: string; config: Record<string, unknown> }> = {
  vanilla: {
    preset: 'vanilla-ring8',
    config: { model: { hidden: 16, depth: 2, batchNormG: true, latentDim: 8 }, batchSize: 8, lr: 0.05 },
  },
  // dcgan with the InfoGAN code (a fixed softmax dense and a concatenation inside G).
  dcgan: {
    preset: 'dcgan-fmnist',
    config: {
      model: { width: 8, widthD: 4, latentDim: 16, infoCategories: 4 },
      data: { limit: 16 },
      batchSize: 4,
      lrG: 0.1,
    },
  },
  cgan: {
    preset: 'cgan-fmnist',
    config: { model: { width: 8, latentDim: 16, embedDim: 6 }, data: { limit: 16 }, batchSize: 4, lrG: 0.05 },
  },
  pix2pix: {
    preset: 'pix2pix-edges-fmnist',
    config: { model: { widthG: 4, widthD: 4 }, data: { limit: 8 }, batchSize: 2, ema: 0 }, // the preset's EMA would export weights that barely moved
  },
  cyclegan: {
    preset: 'cyclegan-fmnist',
    config: { model: { widthG: 4, widthD: 4, blocks: 1 }, data: { limit: 200 }, batchSize: 1 },
  },
};

/** Trains a tiny run of `family` into `dir`/`family` and returns its folder. */
export async function tinyRun(family: TinyFamily, dir: string, extra: Record<string, unknown> = {}): Promise<string> {
  const runDir = path.join(dir, family);
  const c = CONFIGS[family];
  await train({
    preset: c.preset,
    config: { ...c.config, ...COMMON, seed: 5, ...extra },
    runDir,
    progress: 'none',
    overwrite: true,
    warn: () => {},
  });
  return runDir;
}
