// Named training presets: partial configs merged under the user's overrides.
// `dcgan-fmnist` is the main job: it must finish within 10 minutes on a 2-core machine with the
// native engine. How it was chosen (2-core AMD EPYC, 2026-12-02/03; fid-fmnist, is-fmnist of 5,000
// EMA samples, classifier v3; proxies of 5,000 steps of 16 on one thread each):
// - batch 16 beats 64 and 32 at the same number of images (more G updates), and 8 loses on speed;
// - lr 2e-4 -> 119.8 / 4.83; 4e-4 -> 96.6 / 5.12; 8e-4 -> 88.0 / 5.43; 1.2e-3 and 1.6e-3 no better;
//   a linear decay, EMA 0.999, hinge, LSGAN, label smoothing 0.1, beta2 0.99, R1 (0.2 every 4),
//   DiffAugment translation, no BatchNorm in D, and SN + hinge + TTUR were no better or worse;
// - D of width 48 (G keeps 64) costs 22% less per step: in the same time (6,700 steps) fid 78.4,
//   and with a two-timescale lr (G 1.2e-3, D 4e-4) fid 69.0, is-fmnist 5.61.
// D of width 32 with D's lr 2e-4 looked better still at 8,800 steps (64.4 / 5.81), but over the full
// 10 minutes (18,000 steps, 9 min 3 s) it gave 57.9 / 5.86 at n = 10,000: worse than D 48.
// 2026-12-03, after the fused BatchNorm made a step ~1.35x faster: the same networks for 22,000 steps
// (9 min 19 s) gave only 53.1 / 5.99 at n = 10,000 (16,000: 55.9 / 5.95); from the 12,000-step
// checkpoint, 4,000 more steps with a cosine lr decay, EMA 0.999, DiffAugment translation or top-k
// training (k = B/2) changed is-fmnist by less than the run-to-run noise (~0.1) or lowered it. The
// samples' weak point was the upper-body classes (t-shirt, pullover, coat, shirt: classifier
// confidence 0.61-0.74), and D's score on real images kept rising (dReal 0.35 -> 0.99: it memorizes
// the 10,000 images). InfoGAN's categorical code changed both: D stays near dReal 0.5 and the
// classes separate. Full runs at n = 10,000 (fid-fmnist / is-fmnist, recall):
//   K = 10, weight 1, 22,000 steps: 47.4 / 6.09, 0.525; K = 10, weight 0.5, 20,000 steps (1 thread):
//   42.5 / 6.35, 0.553, and the same on 2 threads, 19,000 steps: 53.8 / 6.10, 0.509 (run-to-run
//   spread is large); K = 12, weight 0.5 (this preset): 43.1 / 6.52, 0.525; K = 15, weight 0.5:
//   37.6 / 6.46, 0.472; the same with G's weight
//   0.2: 45.5 / 6.33, 0.497; K = 20, weight 1 (1 thread): 34.0 / 6.42, 0.478; K = 20, weight 0.5:
//   37.6 / 6.46, 0.463. More categories raise is-fmnist and lower recall; K = 12 is the one that
//   had both is-fmnist >= 6.33 and recall >= 0.5 (7 min 58 s).
import { ConfigError, editDistance, type TrainConfigInput } from './config.js';

export interface Preset {
  description: string;
  config: TrainConfigInput;
}

export const PRESETS: Record<string, Preset> = {
  'dcgan-fmnist': {
    description:
      'DCGAN (Radford 2015) with an InfoGAN code (12 categories) on the embedded Fashion-MNIST test split, 28x28, 20,000 steps of 16, two-timescale lr, EMA samples (the main job)',
    config: {
      // The dcgan28 benchmark networks plus BatchNorm in D's second convolution (as in the paper):
      // at 1,500 steps it gave clearly more recognizable garments than without (same seed, both with EMA).
      // D is narrower than G (48 vs 64 channels in its first convolution): faster steps, better samples.
      // InfoGAN's categorical code (12 categories read from the latent, Q head on D, weight 0.5):
      // see the header for what it changed.
      model: { family: 'dcgan', width: 64, widthD: 48, latentDim: 100, batchNormD: true, infoCategories: 12 },
      data: { source: 'fashion-mnist', split: 'test' },
      loss: 'nonsaturating',
      infoWeight: 0.5,
      steps: 20000,
      batchSize: 16,
      // Two timescales (Heusel et al. 2017), here with G the faster one.
      lrG: 1.2e-3,
      lrD: 4e-4,
      beta1: 0.5,
      // EMA of G's weights (horizon ~200 steps, 3,200 images): removes most of the checkerboard noise
      // of the raw generator at this short schedule (0.999 was worse at 5,000 steps).
      ema: 0.995,
      sampleEvery: 1000,
      checkpointEvery: 2000,
      // fid-fmnist and is-fmnist of 2,000 EMA samples every 2,000 steps into metrics.jsonl (~3 s each).
      evalEvery: 2000,
      evalN: 2000,
    },
  },
  'cgan-fmnist': {
    description:
      'Conditional DCGAN with a projection discriminator (Miyato & Koyama 2018), spectral norm, hinge loss, TTUR',
    config: {
      model: { family: 'cgan', width: 64, latentDim: 100, spectralNorm: true },
      data: { source: 'fashion-mnist', split: 'test' },
      loss: 'hinge',
      steps: 1500,
      batchSize: 64,
      ema: 0.99,
      lrG: 1e-4,
      lrD: 4e-4,
      beta1: 0,
      beta2: 0.9,
      sampleCount: 100,
    },
  },
  'acgan-fmnist': {
    description: 'ACGAN (Odena et al. 2017) on Fashion-MNIST: D predicts the class with an auxiliary head',
    config: {
      model: { family: 'cgan', width: 64, latentDim: 100, acgan: true, spectralNorm: false, batchNormD: true },
      data: { source: 'fashion-mnist', split: 'test' },
      loss: 'nonsaturating',
      steps: 1500,
      batchSize: 64,
      ema: 0.99,
      lr: 2e-4,
      beta1: 0.5,
      sampleCount: 100,
    },
  },
  'wgan-gp-fmnist': {
    description:
      'WGAN-GP (Gulrajani et al. 2017) with the DCGAN networks: 5 critic steps per G step, lambda 10, Adam(1e-4, 0, 0.9)',
    config: {
      model: { family: 'dcgan', width: 64, latentDim: 100 },
      data: { source: 'fashion-mnist', split: 'test' },
      loss: 'wgan-gp',
      gpWeight: 10,
      dSteps: 5,
      steps: 1000,
      batchSize: 64,
      ema: 0.99,
      lr: 1e-4,
      beta1: 0,
      beta2: 0.9,
    },
  },
  'vanilla-ring8': {
    description:
      'Vanilla GAN (Goodfellow 2014) MLPs on the ring of 8 Gaussians (PacGAN protocol), with PacGAN packing, EMA and a decaying lr',
    config: {
      // 5 hidden layers: depth lets G make the sharp, nearly piecewise-constant map 8 tiny modes need.
      // D sees 4 packed samples (PacGAN) with an input gain of 20 (modes have sigma 0.01).
      // Measured (seed 1, 2,500 samples): 8/8 modes, 92% high quality; depth 2 without packing,
      // EMA and lr decay stayed at 1-4 modes, <11% high quality after 3,000 steps.
      model: { family: 'vanilla', latentDim: 64, hidden: 128, depth: 5, pack: 4, inputGain: 20 },
      data: { source: 'ring8', points: 10000 },
      loss: 'nonsaturating',
      steps: 5000,
      batchSize: 256,
      lr: 1e-3,
      lrSchedule: 'linear',
      beta1: 0.5,
      beta2: 0.999,
      ema: 0.99,
      logEvery: 100,
      sampleEvery: 1000,
      sampleCount: 2500,
      checkpointEvery: 2500,
    },
  },
  'vanilla-ring8-minimax': {
    // Measured (2,000 steps): seed 0 collapses into one blob between two modes (all 2,500 samples
    // nearest to 2 of the 8, 0.04% high quality); seeds 1 and 2 spread a diffuse ring over all 8 modes
    // (1.8-1.9% high quality); the non-saturating loss with the same plain MLPs (seed 0) collapsed onto one mode.
    description: 'Baseline: plain 2-layer MLPs, the original minimax loss, no stabilizer (no packing, EMA or lr decay)',
    config: {
      model: { family: 'vanilla', latentDim: 64, hidden: 128, depth: 2 },
      data: { source: 'ring8', points: 10000 },
      loss: 'minimax',
      steps: 2000,
      batchSize: 256,
      lr: 5e-4,
      beta1: 0.5,
      logEvery: 100,
      sampleEvery: 500,
      sampleCount: 2500,
      checkpointEvery: 1000,
    },
  },
  'vanilla-grid25': {
    description: 'Vanilla GAN MLPs on the 5x5 grid of 25 Gaussians (sigma 0.05), same recipe as vanilla-ring8',
    config: {
      model: { family: 'vanilla', latentDim: 64, hidden: 256, depth: 4, pack: 4, inputGain: 4 },
      data: { source: 'grid25', points: 20000 },
      loss: 'nonsaturating',
      steps: 8000,
      batchSize: 256,
      lr: 1e-3,
      lrSchedule: 'linear',
      beta1: 0.5,
      ema: 0.99,
      logEvery: 100,
      sampleEvery: 1000,
      sampleCount: 2500,
      checkpointEvery: 2000,
    },
  },
};

/** The preset's config; unknown names get the closest valid one. */
export function getPreset(name: string): Preset {
  const p = PRESETS[name];
  if (p) return p;
  const names = Object.keys(PRESETS);
  const near = names.map((n) => [n, editDistance(n, name)] as const).sort((a, b) => a[1] - b[1])[0];
  throw new ConfigError(
    `unknown preset '${name}'${near && near[1] <= 4 ? `, did you mean '${near[0]}'?` : ''} (presets: ${names.join(', ')})`,
  );
}
