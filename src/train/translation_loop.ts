// The training loop's image-to-image side (src/train/run.ts calls it): which data a pix2pix or
// cyclegan run trains on, its sample grid (held-out input / output / ground truth) and its periodic
// held-out evaluation (L1, PSNR, SSIM; CycleGAN's cycle error) into metrics.jsonl.
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import { modelSha256 } from '../export/generator_io.js';
import { writePng } from '../io/png.js';
import { TRANSLATION_FAMILIES } from '../models/index.js';
import type { GANModel } from '../models/types.js';
import type { TrainConfig } from './config.js';
import type { EvalOutcome, PeriodicEvaluator } from './periodic_eval.js';
import type { Trainer } from './trainer.js';
import {
  evaluateTranslation,
  isTranslationSource,
  loadTranslationData,
  type TranslationData,
  translationGrid,
} from './translation_setup.js';

export interface TranslationLoop {
  data: TranslationData;
  writeGrid(trainer: Trainer, file: string, step: number): Promise<void>;
  evaluator(warn: (m: string) => void): PeriodicEvaluator | null;
}

/** The generator a run samples with: its EMA copy when it keeps one. */
const generatorOf = (trainer: Trainer) => (name: string) => trainer.ema[name] ?? trainer.model.networks[name]!;

/** The image-to-image side of a run, or null for the other families (after checking the data fits). */
export async function translationLoop(
  config: TrainConfig,
  dataset: Dataset | FieldDataset | undefined,
  heldOut: FieldDataset | undefined,
  model: GANModel | undefined,
): Promise<TranslationLoop | null> {
  const family = model?.family ?? config.model.family;
  const source = config.data.source;
  if (!TRANSLATION_FAMILIES.includes(family)) {
    if (dataset?.kind === 'fields')
      throw new Error(`the ${family} model trains on images or points; ${dataset.name} is image-to-image data`);
    if (!dataset && isTranslationSource(source))
      throw new Error(
        `data.source '${source}' is an image-to-image task: train it with model.family pix2pix (pairs) or cyclegan (two domains)`,
      );
    return null;
  }
  let data: TranslationData;
  if (dataset) {
    if (dataset.kind !== 'fields')
      throw new Error(`the ${family} model translates images; ${dataset.name} is not image-to-image data`);
    data = { train: dataset, test: heldOut ?? null };
  } else if (isTranslationSource(source)) data = await loadTranslationData(config.data, family);
  else
    throw new Error(
      `the ${family} model translates images; data.source '${source}' is not an image-to-image task (use emoji-pairs, emoji-colorize, emoji-unpaired, fmnist-edges, fmnist-sneaker-boot or translation-folder)`,
    );
  return {
    data,
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
