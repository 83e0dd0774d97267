// The video family's (mocogan) run hooks (src/models/registry.ts, src/train/family_run.ts): its data
// sources, its sample grid (one row per clip, one column per frame, from fixed content and motion
// seeds) and its periodic evaluation (src/video/measure.ts: per-frame fid-fmnist, the frames'
// content distance, the motion classifier's accuracy).
// Data sources (src/data/moving.ts), the same clips for every run seed:
// - moving-shapes: 1,024 clips (data.limit) of a coloured shape in one of 5 motions, 16 frames of
//   data.size (32 or 64) pixels; held out: 256 clips of another seed;
// - moving-fmnist: 2,048 clips (data.limit) of a Fashion-MNIST item drifting or bouncing, from the
//   embedded test split's first 9,000 items; held out: 512 clips of its last 1,000.
import { loadFashionMnist } from '../data/fashion_mnist.js';
import { makeMovingItems, makeMovingShapes } from '../data/moving.js';
import { modelSha256 } from '../export/generator_io.js';
import type { MoCoGAN } from '../models/mocogan.js';
import { VIDEO_SOURCES } from '../models/mocogan_options.js';
import { clipSheet } from '../video/clips.js';
import { writePng } from '../io/png.js';
import type { TrainConfig } from './config.js';
import type { FamilyData, FamilyHooks, FamilyLoop } from './family_run.js';
import type { Trainer } from './trainer.js';

/** Held-out clips per source. */
const HELD_OUT = { 'moving-shapes': 256, 'moving-fmnist': 512 } as const;

const sizeOf = (data: TrainConfig['data']): number => {
  const s = data.size ?? 32;
  if (s !== 32 && s !== 64) throw new Error(`${data.source} clips are 32 or 64 pixels wide; data.size ${s} is neither`);
  return s;
};

/** The training and held-out clips of a video data source. */
export async function loadVideoData(data: TrainConfig['data']): Promise<FamilyData> {
  const resolution = sizeOf(data);
  switch (data.source) {
    case 'moving-shapes':
      return {
        train: makeMovingShapes({ n: data.limit ?? 1024, resolution, seed: 0 }),
        test: makeMovingShapes({ n: HELD_OUT['moving-shapes'], resolution, seed: 1 }),
      };
    case 'moving-fmnist': {
      const all = loadFashionMnist({ split: 'test', path: data.path });
      const cut = Math.floor(all.n * 0.9);
      const part = (from: number, to: number) => ({
        ...all,
        n: to - from,
        images: all.images.subarray(from * 784, to * 784),
        labels: all.labels!.subarray(from, to),
      });
      return {
        train: makeMovingItems(part(0, cut), { n: data.limit ?? 2048, resolution, seed: 0 }),
        test: makeMovingItems(part(cut, all.n), { n: HELD_OUT['moving-fmnist'], resolution, seed: 1 }),
      };
    }
    default:
      throw new Error(`'${data.source}' is not a video data source (${VIDEO_SOURCES.join(', ')})`);
  }
}

const generatorOf = (trainer: Trainer) => trainer.ema.G ?? trainer.model.networks.G!;

function videoLoop(config: TrainConfig, all: FamilyData): FamilyLoop {
  return {
    async writeGrid(trainer, file, step) {
      const model = trainer.model as MoCoGAN;
      const n = Math.min(8, config.sampleCount);
      const g = generatorOf(trainer);
      const z = model.videoLatent(n, config.seed, config.seed + 1); // the same clips at every step
      const out = model.generate(z, null, { generator: g }); // [n, T, H, W, C]
      const values = out.dataSync() as Float32Array;
      const shape = out.shape as [number, number, number, number, number];
      z.dispose();
      out.dispose();
      writePng(file, clipSheet({ values, shape }, shape[2] <= 32 ? 2 : 1), {
        model: model.family,
        modelSha256: await modelSha256(g),
        seed: `content ${config.seed}, motion ${config.seed + 1}`,
        step,
        kind: `video sample grid: ${n} clips (rows) of ${shape[1]} frames (columns)`,
      });
    },
    evaluator(warn) {
      const test = all.test?.kind === 'fields' ? all.test : null;
      if (!test) {
        warn('evalEvery: this task has no held-out clips: no periodic evaluation');
        return null;
      }
      return {
        async run(trainer) {
          const { evaluateVideoRun } = await import('../video/measure.js');
          return evaluateVideoRun(trainer, test, config);
        },
      };
    },
  };
}

/** mocogan's run hooks. */
export const hooks: FamilyHooks = {
  loadData: (data) => loadVideoData(data),
  loop: (config, all) => videoLoop(config, all),
};
