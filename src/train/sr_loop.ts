// The super-resolution family's (srgan) run hooks (src/models/registry.ts, src/train/family_run.ts):
// its data sources, its options from the data, its sample grid (held-out bicubic upsampling /
// output / ground truth in three rows) and its periodic held-out evaluation (PSNR and SSIM on Y
// with a border of `scale` cropped, the classifier-feature distance, and the bicubic figures once).
// Data sources:
// - sr-emoji: colour emoji 64x64 from 64/scale (emoji-datasource; held out: the emoji tasks' 10%);
// - sr-fmnist: Fashion-MNIST 28x28 from 7x7 (x4) or 14x14 (x2): the embedded test split's first
//   9,000 images train (data.limit caps them), its last 1,000 are held out;
// - sr-folder: 32 seeded random crops (data.size, default 96) of every photo under data.path; every
//   10th photo (sorted) held out.
import { modelSha256 } from '../export/generator_io.js';
import { writePng } from '../io/png.js';
import type { FieldDataset } from '../data/fields.js';
import { loadFashionMnist } from '../data/fashion_mnist.js';
import { bicubicUpscale, emojiSR, fmnistSR, folderCropsSR } from '../data/super_resolution.js';
import { buildFeatureNet } from '../metrics/classifier_features.js';
import { evaluateSR, upscaleBatch } from '../metrics/sr_quality.js';
import { SR_SOURCES } from '../models/sr_options.js';
import type { TrainConfig } from './config.js';
import type { FamilyData, FamilyHooks, FamilyLoop } from './family_run.js';
import type { EvalOutcome } from './periodic_eval.js';
import type { Trainer } from './trainer.js';

/** Crops per photo of sr-folder. */
const CROPS_PER_IMAGE = 32;

const scaleOf = (config?: TrainConfig): 2 | 4 => {
  const s = (config?.model as Record<string, unknown> | undefined)?.scale ?? 4;
  if (s !== 2 && s !== 4) throw new Error(`model.scale must be 2 or 4, got ${String(s)}`);
  return s;
};

/** The training and held-out pairs of an SR data source. */
export async function loadSRData(
  data: TrainConfig['data'],
  _family: string,
  config?: TrainConfig,
): Promise<FamilyData> {
  const scale = scaleOf(config);
  switch (data.source) {
    case 'sr-emoji': {
      if (data.size !== undefined && data.size !== 64) throw new Error('sr-emoji is 64x64; drop data.size');
      return {
        train: await emojiSR({ split: 'train', scale, limit: data.limit }),
        test: await emojiSR({ split: 'test', scale }),
      };
    }
    case 'sr-fmnist': {
      if (data.size !== undefined && data.size !== 28) throw new Error('sr-fmnist is 28x28; drop data.size');
      const all = loadFashionMnist({ split: 'test', path: data.path });
      const limit = Math.min(9000, data.limit ?? 9000);
      return {
        train: fmnistSR(all.images.subarray(0, limit * 784), limit, scale, 'fmnist-train'),
        test: fmnistSR(all.images.subarray(9000 * 784, 10000 * 784), 1000, scale, 'fmnist-heldout'),
      };
    }
    case 'sr-folder': {
      if (!data.path) throw new Error("data.source 'sr-folder' needs data.path (a folder of photos)");
      const opts = {
        dir: data.path,
        hrSize: data.size ?? 96,
        scale,
        cropsPerImage: CROPS_PER_IMAGE,
        seed: config?.seed ?? 0,
        color: data.grayscale ? ('grayscale' as const) : ('rgb' as const),
      };
      const train = await folderCropsSR({ ...opts, split: 'train' });
      const test = await folderCropsSR({ ...opts, split: 'test', cropsPerImage: 4, seed: opts.seed + 1 });
      return { train, test };
    }
    default:
      throw new Error(`'${data.source}' is not a super-resolution data source (${SR_SOURCES.join(', ')})`);
  }
}

const generatorOf = (trainer: Trainer) => trainer.ema.G ?? trainer.model.networks.G!;

function srLoop(config: TrainConfig, all: FamilyData): FamilyLoop {
  const test = all.test?.kind === 'fields' ? all.test : null;
  const gridFrom = test ?? (all.train.kind === 'fields' ? all.train : null);
  return {
    async writeGrid(trainer, file, step) {
      if (!gridFrom) return;
      const inp = gridFrom.fields.input!;
      const tgt = gridFrom.fields.target!;
      const n = Math.min(8, config.sampleCount, inp.n);
      const [h, w, c] = inp.shape as [number, number, number];
      const [H, W] = tgt.shape as [number, number];
      const s = H / h;
      const x = (inp.data as Float32Array).subarray(0, n * h * w * c);
      const rows = [
        bicubicUpscale(x, n, h, w, c, s),
        upscaleBatch(generatorOf(trainer), x, [n, h, w, c], s),
        tgt.data as Float32Array,
      ];
      const zoom = H <= 32 ? 2 : 1;
      const gw = n * W * zoom;
      const gh = 3 * H * zoom;
      const px = new Uint8Array(gw * gh * 3);
      for (let y = 0; y < gh; y++)
        for (let xx = 0; xx < gw; xx++) {
          const r = Math.floor(y / (H * zoom));
          const yy = Math.floor((y % (H * zoom)) / zoom);
          const k = Math.floor(xx / (W * zoom));
          const xw = Math.floor((xx % (W * zoom)) / zoom);
          for (let ch = 0; ch < 3; ch++) {
            const v = rows[r]![((k * H + yy) * W + xw) * c + (c === 1 ? 0 : ch)]!;
            px[(y * gw + xx) * 3 + ch] = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
          }
        }
      writePng(
        file,
        { width: gw, height: gh, channels: 3, data: px },
        {
          model: trainer.model.family,
          modelSha256: await modelSha256(generatorOf(trainer)),
          seed: config.seed,
          step,
          kind: `super-resolution grid x${s}: bicubic, output, ground truth (rows)`,
        },
      );
    },
    evaluator(warn) {
      if (!test) {
        warn('evalEvery: this task has no held-out images: no periodic evaluation');
        return null;
      }
      const featureNet = buildFeatureNet();
      return {
        async run(trainer): Promise<EvalOutcome> {
          try {
            const r = evaluateSR(generatorOf(trainer), test, { limit: 500, featureNet });
            return {
              values: {
                psnrY: r.model.psnrY,
                ssimY: r.model.ssimY,
                featDist: r.model.featureDistance,
                bicubicPsnrY: r.bicubic.psnrY,
                bicubicSsimY: r.bicubic.ssimY,
                bicubicFeatDist: r.bicubic.featureDistance,
              },
              errors: {},
            };
          } catch (e) {
            const why = e instanceof Error ? e.message : String(e);
            return { values: {}, errors: { psnrY: why, ssimY: why } };
          }
        },
      };
    },
  };
}

/** srgan's run hooks. */
export const hooks: FamilyHooks = {
  loadData: loadSRData,
  loop: (config, all) => srLoop(config, all),
};
