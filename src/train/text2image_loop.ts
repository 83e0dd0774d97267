// The text2image family's run hooks (src/models/registry.ts, src/train/family_run.ts): its data
// sources, its sample grid (one row per fixed prompt, one column per fixed latent) and its periodic
// evaluation (R-precision of generated images on held-out captions, and on the held-out attribute
// combinations; the attribute rates of src/text/measure.ts for the shapes).
// Data sources:
// - shapes-text: captioned procedural shapes (data.size, default 32; data.limit training images,
//   default 10,000), with every blue triangle, red star and green circle held out of training;
// - emoji-text: Twemoji images captioned with their names (data.size, default 32; data.limit caps
//   the training emoji), the emoji tasks' 10% held out.
import { type CaptionedDataset, type CaptionedSplits, captionedEmoji, captionedShapes } from '../data/captioned.js';
import { modelSha256 } from '../export/generator_io.js';
import { writeGridPng } from '../io/grid.js';
import type { Text2Image } from '../models/text2image.js';
import { T2I_SOURCES } from '../models/text2image_options.js';
import { promptImages } from '../text/generate.js';
import { type AttributeClassifier, scoreSplit, trainAttributeClassifier } from '../text/measure.js';
import type { TrainConfig } from './config.js';
import type { FamilyData, FamilyHooks, FamilyLoop } from './family_run.js';
import type { EvalOutcome } from './periodic_eval.js';
import type { Trainer } from './trainer.js';

/** The training data with its held-out captions and held-out combinations (shapes). */
export interface T2IData extends FamilyData {
  train: CaptionedDataset;
  test: CaptionedDataset;
  heldout: CaptionedDataset | null;
}

/** Loads a captioned data source. */
export async function loadT2IData(data: TrainConfig['data'], _family: string, config?: TrainConfig): Promise<T2IData> {
  let s: CaptionedSplits;
  switch (data.source) {
    case 'shapes-text':
      s = captionedShapes({ n: data.limit ?? 10000, resolution: data.size ?? 32, seed: config?.seed ?? 0 });
      break;
    case 'emoji-text':
      s = await captionedEmoji({ size: data.size ?? 32, limit: data.limit });
      break;
    default:
      throw new Error(`'${data.source}' is not a text-to-image data source (${T2I_SOURCES.join(', ')})`);
  }
  return { train: s.train, test: s.test, heldout: s.heldout };
}

const generatorOf = (trainer: Trainer) => trainer.ema.G ?? trainer.model.networks.G!;

/** The grid's prompts: held-out captions of the test split, then of the held-out combinations. */
export function gridPrompts(d: Pick<T2IData, 'test' | 'heldout'>, rows: number): string[] {
  const fromHeld = d.heldout ? Math.min(Math.floor(rows / 2), d.heldout.names.length) : 0;
  const pick = (xs: string[], k: number) => Array.from({ length: k }, (_, i) => xs[Math.floor((i * xs.length) / k)]!);
  return [...pick(d.test.names, rows - fromHeld), ...(d.heldout ? pick(d.heldout.names, fromHeld) : [])];
}

function t2iLoop(config: TrainConfig, all: FamilyData): FamilyLoop {
  const d = all as T2IData;
  const isShapes = d.train.name.startsWith('shapes-text');
  const side = d.train.fields.image!.shape[0]!;
  return {
    async writeGrid(trainer, file, step) {
      const prompts = gridPrompts(d, Math.max(1, Math.min(8, Math.round(Math.sqrt(config.sampleCount)))));
      const model = trainer.model as Text2Image;
      const g = generatorOf(trainer);
      const images = promptImages(model, g, prompts, { n: 8, seed: (config.seed ^ 0x51a7e5) >>> 0 });
      try {
        await writeGridPng(
          file,
          images,
          {
            model: 'text2image',
            modelSha256: await modelSha256(g),
            seed: config.seed,
            step,
            kind: 'text-to-image grid: one row per held-out prompt',
            extra: { prompts: prompts.join(' | ') },
          },
          { cols: 8, scale: side <= 32 ? 2 : 1 },
        );
      } finally {
        images.dispose();
      }
    },
    evaluator() {
      let clf: AttributeClassifier | null = null;
      return {
        async run(trainer): Promise<EvalOutcome> {
          try {
            const model = trainer.model as Text2Image;
            const g = generatorOf(trainer);
            if (isShapes) clf ??= trainAttributeClassifier({ resolution: side });
            const n = Math.min(config.evalN, 500);
            const values: Record<string, number> = {};
            const add = (prefix: string, s: ReturnType<typeof scoreSplit>) => {
              values[`${prefix}rPrecision`] = s.generated.rPrecision;
              if (s.generated.attributes)
                for (const [a, v] of Object.entries(s.generated.attributes)) values[`${prefix}${a}Rate`] = v;
            };
            add('', scoreSplit(model, g, d.test, d.test, clf, { n }));
            if (d.heldout) add('heldout_', scoreSplit(model, g, d.heldout, d.test, clf, { n }));
            return { values, errors: {} };
          } catch (e) {
            const why = e instanceof Error ? e.message : String(e);
            return { values: {}, errors: { rPrecision: why } };
          }
        },
      };
    },
  };
}

/** text2image's run hooks. */
export const hooks: FamilyHooks = {
  loadData: loadT2IData,
  loop: (config, all) => t2iLoop(config, all),
};
