// pix2pix's and cyclegan's run hooks (src/models/registry.ts, src/train/family_run.ts): which data a
// run trains on, its sample grid (held-out input / output / ground truth) and its periodic
// held-out evaluation (L1, PSNR, SSIM; CycleGAN's cycle error) into metrics.jsonl.
import { modelSha256 } from '../export/generator_io.js';
import { writePng } from '../io/png.js';
import type { TrainConfig } from './config.js';
import type { FamilyData, FamilyHooks, FamilyLoop } from './family_run.js';
import type { EvalOutcome } from './periodic_eval.js';
import type { Trainer } from './trainer.js';
import {
  evaluateTranslation,
  loadTranslationData,
  type TranslationData,
  translationGrid,
} from './translation_setup.js';

/** The generator a run samples with: its EMA copy when it keeps one. */
const generatorOf = (trainer: Trainer) => (name: string) => trainer.ema[name] ?? trainer.model.networks[name]!;

/** Image-to-image data: both splits multi-field. */
function translationData(data: FamilyData, family: string): TranslationData {
  const { train, test } = data;
  if (train.kind !== 'fields')
    throw new Error(`the ${family} model translates images; ${train.name} is not image-to-image data`);
  return { train, test: test?.kind === 'fields' ? test : null };
}

/** pix2pix's and cyclegan's run hooks (src/models/registry.ts). */
export const hooks: FamilyHooks = {
  loadData: loadTranslationData,
  loop: (config, all) => translationLoop(config, all),
};

/** The grid and held-out evaluation of an image-to-image run. */
function translationLoop(config: TrainConfig, all: FamilyData): FamilyLoop {
  const data = translationData(all, config.model.family);
  return {
    async writeGrid(trainer, file, step) {
      const g = translationGrid(trainer.model, generatorOf(trainer), data, Math.min(8, config.sampleCount));
      const scale = g.height <= 3 * 32 ? 2 : 1;
      const w = g.width * scale;
      const h = g.height * scale;
      const px = new Uint8Array(w * h * g.channels);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          for (let c = 0; c < g.channels; c++) {
            const v = g.pixels[((Math.floor(y / scale) * g.width + Math.floor(x / scale)) * g.channels + c) | 0]!;
            px[(y * w + x) * g.channels + c] = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
          }
      const name = trainer.model.family === 'pix2pix' ? 'G' : 'G_AB';
      writePng(
        file,
        { width: w, height: h, channels: g.channels as 1 | 3, data: px },
        {
          model: trainer.model.family,
          modelSha256: await modelSha256(generatorOf(trainer)(name)),
          seed: config.seed,
          step,
          kind: 'translation grid: input, output, ground truth (rows)',
        },
      );
    },
    evaluator(warn) {
      const test = data.test;
      if (!test?.paired) {
        warn('evalEvery: this task has no paired held-out images to score against: no periodic evaluation');
        return null;
      }
      return {
        async run(trainer): Promise<EvalOutcome> {
          try {
            const { scores } = evaluateTranslation(trainer.model, generatorOf(trainer), test);
            return { values: { ...scores }, errors: {} };
          } catch (e) {
            const why = e instanceof Error ? e.message : String(e);
            return { values: {}, errors: { l1: why, psnr: why, ssim: why } };
          }
        },
      };
    },
  };
}
