// Named training presets: partial configs merged under the user's overrides.
// `dcgan-fmnist` is the main job: it must finish within 10 minutes on a 2-core machine with the
// native engine. How its settings were chosen, variant by variant, is in BENCHMARKS.md ("Main job
// tuning history").
import { ConfigError, editDistance, type TrainConfigInput } from './config.js';

export interface Preset {
  description: string;
  config: TrainConfigInput;
}

/** vanilla-ring8's config: the base of vanilla-ring8-pacgan2 too. */
const RING8: TrainConfigInput = {
  // 5 hidden layers: depth lets G make the sharp, nearly piecewise-constant map 8 tiny modes need.
  // D sees 4 packed samples (PacGAN) with an input gain of 20 (modes have sigma 0.01).
  // Over seeds 1-5 (`tsgan bench modes`): 7.8/8 modes, 69.9% high quality; vanilla-ring8-pacgan2
  // (the same with packing 2) is the better preset: 8/8 at every seed, 94.2%.
  // Tried (seed 1, 2,500 samples; 2-core AMD EPYC, 2026-12-03), at 3,000 steps: depth 3 27% high
  // quality, depth 5 80%, depth 7 diverged; lr 2e-3 86%; batch 512, BatchNorm in G, an input gain
  // of 50 or EMA 0.999 no better. lr 2e-3 over 4,000 steps gave 80.2% and 74.8% at seeds 1 and 2,
  // below this preset. The misses are samples strung along the chords between neighbouring
  // modes: G's map from the connected latent is not steep enough yet.
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
};

/** vanilla-grid25's config: the base of vanilla-grid25-r1 and vanilla-grid25-stable too. */
const GRID25: TrainConfigInput = {
  // Does not learn the grid yet (issue 18): the samples fill the square around the 25 modes
  // evenly, ~2-3% of them high quality. Tried (seed 1; 2-core AMD EPYC, 2026-12-03): depth 5 x
  // 128 with input gain 1, 2 or 4, lr 2e-3, D's lr 4x G's, no packing: in every traced run D's
  // loss settled at 2 ln 2 (chance) within ~300 steps: once G matches the coarse density, the MLP
  // D finds no difference at the scale of the modes. This preset without packing (the minimax
  // row of `tsgan bench modes`) does make sharp modes on part of the grid. Also tried (seed 1, up
  // to 3,000 steps; BENCHMARKS.md, "Toward the paper's networks on grid25"): PacGAN's own networks
  // (G 4x400 + BN, 2-d latent; D 3x200 maxout of 5) and smaller maxout D's, packed or not, with a
  // per-sample first layer (model.packPerSample): at most 19/25 modes, and at most 8% high
  // quality where more than 5 modes were covered.
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
};

/** vanilla-grid25-r1's config: hinge + R1 on real data instead of packing (the grid rows' base). */
const GRID25_R1: TrainConfigInput = {
  ...GRID25,
  model: { ...GRID25.model, pack: 1 },
  loss: 'hinge',
  r1Gamma: 0.1,
  r1Every: 4,
};

/**
 * The StyleGAN2 presets' schedule: non-saturating loss; Adam lr 0.0025 and betas (0, 0.99) (the
 * official code's small-resolution config); lazy R1 every 16 D steps with D's lr times the
 * c/(c+1) = 16/17 correction (beta2 stays 0.99 for both: 0.99^(16/17) = 0.9906 differs by 6e-4);
 * gamma 0.05 (the official heuristic 0.0002 res^2 / batch gives 0.013 at 32x32, batch 16); EMA of G
 * with a half-life near 5k images (the reference's 10 kimg at batch 32, scaled to batch 16).
 */
/**
 * The MoCoGAN presets' schedule: non-saturating loss, Adam betas (0.5, 0.999) as the reference, with
 * two timescales (G 5e-4, D 2e-4: the reference's 2e-4 for both trains too slowly for a short CPU
 * run), EMA of G for the samples, batches of 16 clips.
 */
const VIDEO_SCHEDULE: TrainConfigInput = {
  loss: 'nonsaturating',
  batchSize: 16,
  lrG: 5e-4,
  lrD: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  ema: 0.995,
  steps: 3000,
  logEvery: 50,
  sampleEvery: 250,
  checkpointEvery: 500,
};

const STYLEGAN_SCHEDULE: TrainConfigInput = {
  loss: 'nonsaturating',
  batchSize: 16,
  lrG: 0.0025,
  lrD: (0.0025 * 16) / 17,
  beta1: 0,
  beta2: 0.99,
  r1Gamma: 0.05,
  r1Every: 16,
  ema: 0.998,
  logEvery: 100,
  sampleEvery: 1000,
  checkpointEvery: 2000,
};

/** The image-to-image presets' schedule: the papers' Adam (2e-4, beta1 0.5), batch 4, held-out scores every 1,000 steps. */
const TRANSLATION_SCHEDULE: TrainConfigInput = {
  batchSize: 4,
  lr: 2e-4,
  beta1: 0.5,
  logEvery: 100,
  sampleEvery: 500,
  evalEvery: 1000,
  checkpointEvery: 1000,
};

/**
 * pix2pix's: the translation schedule, 6,000 steps with the reference's lr (constant for the first
 * half, then linearly to 0) and an EMA of G (what sampling, scoring and export use). Against 2,000
 * constant-lr steps without EMA: fid-emoji 14.45 -> 8.18 on pix2pix-emoji, fid-fmnist 28.9 -> 20.2
 * on pix2pix-edges-fmnist, 32.4 -> 17.4 on colorize-emoji (BENCHMARKS.md).
 */
const PIX2PIX_SCHEDULE: TrainConfigInput = {
  ...TRANSLATION_SCHEDULE,
  steps: 6000,
  lrSchedule: 'linear',
  lrDecayStart: 0.5,
  ema: 0.999,
};

/**
 * The super-resolution presets' schedule: Adam beta1 0.9 (SRGAN's), batch 16, lr 5e-4 (the paper's
 * 1e-4 is for 10^6 steps; these runs have 2,000), held-out PSNR/SSIM every 1,000 steps.
 */
const SR_SCHEDULE: TrainConfigInput = {
  batchSize: 16,
  lr: 5e-4,
  beta1: 0.9,
  logEvery: 100,
  sampleEvery: 500,
  evalEvery: 1000,
  checkpointEvery: 1000,
  steps: 2000,
};

/** SRResNet narrowed for 2 CPU cores: 8 residual blocks of 32 channels (the paper: 16 of 64). */
const SR_NET = { family: 'srgan', blocks: 8, width: 32 } as const;

/** The text-to-image presets' shared schedule (Reed et al. 2016: Adam 2e-4, beta1 0.5, batch 64). */
const T2I_SCHEDULE = {
  batchSize: 64,
  lr: 2e-4,
  beta1: 0.5,
  loss: 'nonsaturating',
  // No EMA copy: G's BatchNorm statistics, averaged, do not fit its averaged weights (t2i-shapes at
  // step 4,000: the 0.999 copy draws dim shapes, colour 69% against the raw G's 98%; BENCHMARKS.md).
  ema: 0,
  sampleEvery: 500,
  checkpointEvery: 500,
  evalEvery: 1000,
  evalN: 500,
} as const;

export const PRESETS: Record<string, Preset> = {
  'dcgan-fmnist': {
    description:
      'DCGAN (Radford 2015) with an InfoGAN code (12 categories) on the embedded Fashion-MNIST test split, 28x28, 16,000 steps of 16, two-timescale lr, EMA samples (the main job)',
    config: {
      // The dcgan28 benchmark networks plus BatchNorm in D's second convolution (as in the paper):
      // at 1,500 steps it gave clearly more recognizable garments than without (same seed, both with EMA).
      // D is narrower than G (48 vs 64 channels in its first convolution): faster steps, better samples.
      // InfoGAN's categorical code (12 categories read from the latent, Q head on D, weight 0.5):
      // see BENCHMARKS.md for what it changed.
      model: { family: 'dcgan', width: 64, widthD: 48, latentDim: 100, batchNormD: true, infoCategories: 12 },
      data: { source: 'fashion-mnist', split: 'test' },
      loss: 'nonsaturating',
      infoWeight: 0.5,
      steps: 16000,
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
      'Vanilla GAN (Goodfellow 2014) MLPs on the ring of 8 Gaussians (PacGAN protocol) with PacGAN packing of 4, EMA and a decaying lr; differs from the paper (G 4x400 + BN, D 3x200 maxout, 2-d latent, batch 100, Adam 1e-4, 400,000 updates): G and D 5x128, LeakyReLU D with an input gain, 64-d latent, batch 256, Adam 1e-3 decaying over 5,000 updates',
    config: RING8,
  },
  'vanilla-ring8-pacgan2': {
    description:
      'vanilla-ring8 with PacGAN2 (D judges pairs of samples): 8/8 modes at every seed of 5, 94.2% high-quality samples, reverse KL 0.015 (PacGAN protocol); differs from the paper (G 4x400 + BN, D 3x200 maxout, 2-d latent, batch 100, Adam 1e-4, 400,000 updates): G and D 5x128, LeakyReLU D with an input gain, 64-d latent, batch 256, Adam 1e-3 decaying over 5,000 updates, EMA',
    // `tsgan bench modes --task ring8 --seeds 5` (2-core AMD EPYC, 2026-12-03): packing 2 gave 8/8
    // modes at every seed, 94.2% high quality, reverse KL 0.015; packing 3 and 4 and no packing
    // did worse (BENCHMARKS.md). The stabilized ring8 preset of `tsgan bench modes`.
    config: { ...RING8, model: { ...RING8.model, pack: 2 } },
  },
  'vanilla-ring8-stable': {
    description:
      "tsgan's stabilized ring8 preset: vanilla-ring8-pacgan2 (PacGAN2, EMA of G, decaying lr) with R1 on real data (gamma 0.001, every 4 D steps) on narrower MLPs (G and D 5x64) trained 4x as long (20,000 updates of 256); differs from the paper (G 4x400 + BN, D 3x200 maxout, 2-d latent, batch 100, Adam 1e-4, 400,000 updates)",
    // The stabilized row of `tsgan bench modes --task ring8`. Seed 1 (2-core AMD EPYC, 2026-12-04):
    // 8/8 modes, 97.8% high quality, reverse KL 0.002; the samples strung between neighbouring modes
    // thin out with training (96.2% at 12,000 of these steps, 96.9% at 16,000). Also tried at seed 1:
    // 5x128 for 15,000 steps without R1 96.6%, with R1 95.9% (seed 2: 96.4%); at 5,000 steps two D
    // steps, batch 128, LSGAN, a bounded (tanh) or gained latent, an InfoGAN-style categorical code
    // in G's input: 93-94%, as the base preset.
    config: {
      ...RING8,
      model: { ...RING8.model, pack: 2, hidden: 64 },
      r1Gamma: 0.001,
      r1Every: 4,
      steps: 20000,
      sampleEvery: 2500,
      checkpointEvery: 5000,
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
    description:
      'Vanilla GAN MLPs on the 5x5 grid of 25 Gaussians (sigma 0.05), same recipe as vanilla-ring8; differs from the paper (G 4x400 + BN, D 3x200 maxout, 2-d latent, batch 100, Adam 1e-4, 400,000 updates): G and D 4x256, LeakyReLU D with an input gain, 64-d latent, batch 256, Adam 1e-3 decaying over 8,000 updates',
    config: GRID25,
  },
  'vanilla-grid25-r1': {
    description:
      'vanilla-grid25 with the hinge loss and R1 on real data (Mescheder et al. 2018; gamma 0.1, every 4 D steps) instead of packing: 25/25 modes at each of seeds 1-3, 84.4% high-quality samples, reverse KL 0.014 (PacGAN protocol); differs from the paper (non-saturating loss with PacGAN packing; G 4x400 + BN, D 3x200 maxout, 2-d latent, batch 100, Adam 1e-4, 400,000 updates): hinge + R1, no packing, G and D 4x256, LeakyReLU D with an input gain, 64-d latent, batch 256, Adam 1e-3 decaying over 8,000 updates, EMA',
    // The base of `tsgan bench modes --task grid25`'s comparison rows (its hinge + R1 row is this
    // config), measured at seeds 1-3 (2-core AMD EPYC, 2026-12-03): the clusters at the grid's
    // corners are a little elongated and a few samples lie on the lines between modes.
    config: GRID25_R1,
  },
  'vanilla-grid25-stable': {
    description:
      "tsgan's stabilized grid25 preset: vanilla-grid25-r1 (hinge + R1 on real data, gamma 0.1 every 4 D steps, EMA of G, decaying lr) on narrower, deeper MLPs (G and D 5x128) trained twice as long (16,000 updates of 256), with top-k training (Sinha et al. 2020; G's loss on the 75% of fakes D scores highest, a fixed k instead of the paper's annealed one); differs from the paper (non-saturating loss with PacGAN packing; G 4x400 + BN, D 3x200 maxout, 2-d latent, batch 100, Adam 1e-4, 400,000 updates)",
    // The stabilized row of `tsgan bench modes --task grid25`. Seeds 1-5 (2-core AMD EPYC,
    // 2026-12-04): 25.0 ± 0.0 modes, 93.4 ± 1.3% high quality, reverse KL 0.007 (without top-k:
    // 24.8, 91.9%, 0.016; the two weakest seeds went from 90% to 94%).
    config: {
      ...GRID25_R1,
      model: { ...GRID25_R1.model, hidden: 128, depth: 5 },
      topK: 0.75,
      steps: 16000,
      sampleEvery: 2000,
      checkpointEvery: 4000,
    },
  },
  // Image-to-image translation (src/models/pix2pix.ts, cyclegan.ts): narrower networks and fewer
  // steps than the papers (ngf 64, 200 epochs at 256x256), to fit a few minutes on 2 CPU cores.
  'pix2pix-edges-fmnist': {
    description:
      'pix2pix (Isola et al. 2017): Sobel edge maps to garments, Fashion-MNIST padded to 32x32 (9,000 training pairs, 1,000 held out); U-Net/PatchGAN of width 32, L1 weight 100, 6,000 steps (constant lr for the first half), EMA of G',
    config: {
      model: { family: 'pix2pix', widthG: 32, widthD: 32 },
      data: { source: 'fmnist-edges' },
      ...PIX2PIX_SCHEDULE,
    },
  },
  'pix2pix-emoji': {
    description:
      'pix2pix: Twitter-style emoji to Google-style (the same emoji, paired by code point; 1,720 training pairs, 191 held out), 64x64, width 32, 6,000 steps (constant lr for the first half), EMA of G',
    config: {
      model: { family: 'pix2pix', widthG: 32, widthD: 32 },
      data: { source: 'emoji-pairs' },
      ...PIX2PIX_SCHEDULE,
    },
  },
  'colorize-emoji': {
    description:
      'pix2pix: grayscale emoji to colour (Google style), 64x64, width 32, 6,000 steps (constant lr for the first half), EMA of G',
    config: {
      model: { family: 'pix2pix', widthG: 32, widthD: 32 },
      data: { source: 'emoji-colorize' },
      ...PIX2PIX_SCHEDULE,
    },
  },
  'cyclegan-emoji': {
    description:
      'CycleGAN (Zhu et al. 2017): Twitter-style to Google-style emoji without pairs (two disjoint halves of the training emoji; the held-out pairs only score it), 32x32, width 32, 6 blocks, 8,000 steps (constant lr for the first half)',
    config: {
      model: { family: 'cyclegan', widthG: 32, widthD: 32, blocks: 6 },
      data: { source: 'emoji-unpaired', size: 32 },
      steps: 8000, // 9.3 epochs of the 860 images per domain; at 2,000 its fid-emoji was twice the identity's
      ...TRANSLATION_SCHEDULE,
      batchSize: 1,
      lrSchedule: 'linear',
      lrDecayStart: 0.5, // the paper's schedule: constant for the first half, then linearly to 0
    },
  },
  'cyclegan-fmnist': {
    description: 'CycleGAN: sneakers to ankle boots (Fashion-MNIST, unpaired, 32x32), width 32, 6 blocks',
    config: {
      model: { family: 'cyclegan', widthG: 32, widthD: 32, blocks: 6 },
      data: { source: 'fmnist-sneaker-boot' },
      steps: 2000,
      ...TRANSLATION_SCHEDULE,
      batchSize: 1,
      lrSchedule: 'linear',
      lrDecayStart: 0.5, // the paper's schedule: constant for the first half, then linearly to 0
      evalEvery: 0, // the sneaker/boot domains have no pairs to score against
    },
  },
  // Super-resolution x4 (Ledig et al. 2017): SRResNet (content loss only) and SRGAN (plus the
  // classifier-feature loss and a narrowed D) on the same data and schedule.
  'srresnet-fmnist-x4': {
    description:
      'SRResNet (Ledig et al. 2017) x4: Fashion-MNIST 7x7 -> 28x28 (9,000 training images, 1,000 held out), 8 blocks of 32, L1 content loss',
    config: { model: { ...SR_NET, adversarial: false }, data: { source: 'sr-fmnist' }, ...SR_SCHEDULE },
  },
  'srgan-fmnist-x4': {
    description:
      'SRGAN x4 on Fashion-MNIST 7x7 -> 28x28: the SRResNet preset plus classifier-feature loss (0.2) and a discriminator (adversarial weight 5e-3)',
    config: {
      model: { ...SR_NET, featureWeight: 0.2, advWeight: 5e-3, widthD: 32, dStages: 2, denseD: 128 },
      data: { source: 'sr-fmnist' },
      ...SR_SCHEDULE,
    },
  },
  'srresnet-emoji-x4': {
    description:
      'SRResNet x4: colour emoji 16x16 -> 64x64 (both styles: 3,440 training images, 382 held out), 8 blocks of 32, L1 content loss',
    config: { model: { ...SR_NET, adversarial: false }, data: { source: 'sr-emoji' }, ...SR_SCHEDULE },
  },
  'srgan-emoji-x4': {
    description:
      'SRGAN x4 on emoji 16x16 -> 64x64: the SRResNet preset plus classifier-feature loss (0.2) and a discriminator (adversarial weight 5e-3)',
    config: {
      model: { ...SR_NET, featureWeight: 0.2, advWeight: 5e-3, widthD: 32, dStages: 3, denseD: 256 },
      data: { source: 'sr-emoji' },
      ...SR_SCHEDULE,
    },
  },
  'stylegan-fmnist32': {
    description:
      'StyleGAN2 (Karras 2020) on the embedded Fashion-MNIST test split padded to 32x32: 8-layer mapping (64-d z and w), channels 64 to 16, style mixing 0.9, lazy R1, EMA; 12,000 steps of 16',
    config: {
      model: { family: 'stylegan2', latentDim: 64, wDim: 64, channelBase: 512, channelMax: 64 },
      data: { source: 'fashion-mnist', split: 'test', size: 32 },
      ...STYLEGAN_SCHEDULE,
      steps: 12000,
      evalEvery: 2000,
      evalMetrics: 'fid-fmnist,is-fmnist',
    },
  },
  'stylegan-shapes32': {
    description: 'StyleGAN2 on the procedural coloured shapes, 32x32 RGB, channels 64 to 16; 4,000 steps of 16',
    config: {
      model: { family: 'stylegan2', latentDim: 64, wDim: 64, channelBase: 512, channelMax: 64 },
      data: { source: 'shapes', size: 32 },
      ...STYLEGAN_SCHEDULE,
      steps: 4000,
    },
  },
  'stylegan-emoji32': {
    description:
      'StyleGAN2 on colour emoji (Twemoji and Noto, 3,822 images) at 32x32: channels 64 to 32; 8,000 steps of 16',
    config: {
      model: { family: 'stylegan2', latentDim: 64, wDim: 64, channelBase: 1024, channelMax: 64 },
      data: { source: 'emoji', size: 32 },
      ...STYLEGAN_SCHEDULE,
      steps: 8000,
    },
  },
  'stylegan-emoji64': {
    description: 'StyleGAN2 on colour emoji at 64x64: channels 64 to 16; 6,000 steps of 16',
    config: {
      model: { family: 'stylegan2', latentDim: 64, wDim: 64, channelBase: 1024, channelMax: 64 },
      data: { source: 'emoji', size: 64 },
      ...STYLEGAN_SCHEDULE,
      steps: 6000,
    },
  },
  'mocogan-shapes32': {
    description:
      'MoCoGAN (Tulyakov 2018) on moving shapes: 1,024 clips of 16 frames at 32x32 RGB, 5 motions (linear, bounce, circular, zoom, spin); widths 32, (2+1)-D video D; 3,000 steps of 16 clips',
    config: {
      model: { family: 'mocogan' },
      data: { source: 'moving-shapes', size: 32 },
      ...VIDEO_SCHEDULE,
    },
  },
  'mocogan-fmnist32': {
    description:
      'MoCoGAN on moving Fashion-MNIST: 2,048 clips of 16 frames at 32x32 of a test-split item (16 px) drifting or bouncing; widths 32; 3,000 steps of 16 clips',
    config: {
      model: { family: 'mocogan' },
      data: { source: 'moving-fmnist', size: 32 },
      ...VIDEO_SCHEDULE,
    },
  },
  // Text-to-image (GAN-INT-CLS, Reed et al. 2016; src/models/text2image.ts).
  't2i-shapes': {
    description:
      'GAN-INT-CLS on captioned shapes 32x32 ("a big blue square near the top"): 10,000 images, blue triangles, red stars and green circles held out; widths 32, text encoder trained jointly (contrastive); the projection discriminator with spectral norm and the hinge loss; 4,000 steps of 64',
    config: {
      model: { family: 'text2image', width: 32, discriminator: 'projection', spectralNorm: true },
      data: { source: 'shapes-text', size: 32 },
      steps: 4000,
      ...T2I_SCHEDULE,
      loss: 'hinge',
    },
  },
  't2i-shapes-projection': {
    description:
      't2i-shapes (projection discriminator, Miyato & Koyama 2018; spectral norm; hinge) with conditioning augmentation (StackGAN)',
    config: {
      model: { family: 'text2image', width: 32, discriminator: 'projection', spectralNorm: true, condAugment: true },
      data: { source: 'shapes-text', size: 32 },
      steps: 4000,
      ...T2I_SCHEDULE,
      loss: 'hinge',
    },
  },
  't2i-emoji': {
    description:
      'GAN-INT-CLS on Twemoji 32x32 captioned with their names ("red apple", "grinning face with big eyes"): 1,720 training emoji, 10% held out; 6,000 steps of 64',
    config: {
      model: { family: 'text2image', width: 32 },
      data: { source: 'emoji-text', size: 32 },
      steps: 6000,
      ...T2I_SCHEDULE,
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

/**
 * Each preset's expected wall time for its default run on a 2-core AMD EPYC with the native engine
 * (training only; `tsgan train --list-presets` prints it). dcgan-fmnist: its measured full run. The
 * others: `tsgan bench presets` step times (2026-12-03, machine shared with other jobs), scaled to
 * an idle machine by two anchors measured idle, dcgan-fmnist's full run and dcgan28 at batch 64;
 * the range spans the two. See BENCHMARKS.md, "Every preset".
 */
export const EXPECTED_WALL_TIME: Record<string, string> = {
  't2i-shapes':
    '25-40 min (measured 2026-12-04: 4,000 steps of 64 at one thread, 39 min wall under load 3-18, 24 min of CPU)',
  't2i-shapes-projection': '25-40 min (estimate: t2i-shapes measured, the same networks)',
  't2i-emoji': '25-45 min (estimate)',
  'dcgan-fmnist': '7 min (measured: 6 min 49 s)',
  'cgan-fmnist': '2-3 min (estimate)',
  'acgan-fmnist': '2-3 min (estimate)',
  'wgan-gp-fmnist': '6-10 min (estimate)',
  'vanilla-ring8': '20-30 s (estimate)',
  'vanilla-ring8-minimax': '4-7 s (estimate)',
  'vanilla-grid25': '45-70 s (estimate)',
  'vanilla-grid25-r1':
    '1-2 min (estimate: the grid25 runs of the hinge + R1 row took 45 min on one thread at load 10-34)',
  'vanilla-ring8-pacgan2': '30-60 s (estimate: 56 s per run measured on one thread of a loaded machine)',
  'vanilla-ring8-stable':
    '1.5-3 min (estimate: 973 s for 20,000 steps on one thread at load 6-8, about 4x an idle run)',
  'vanilla-grid25-stable': '3-6 min (estimate: 1,256 s for 16,000 steps on one thread at load 6-8)',
  'pix2pix-edges-fmnist': '3-6 min (measured 2026-12-04 at one thread: 5 min 12 s at nice 19 beside three other jobs)',
  'pix2pix-emoji':
    '12-25 min (measured 2026-12-04 at one thread: 22 min 51 s at nice 19 beside three other jobs; 2,000 steps took 9 min 48 s at load 5-8)',
  'colorize-emoji':
    '12-35 min (measured 2026-12-04 at one thread: 34 min 12 s at nice 19 beside the test suite and two other jobs; 2,000 steps took 7 min 17 s)',
  'cyclegan-emoji':
    '25-60 min (measured 2026-12-04 at one thread: 2,000 steps in 11 min 48 s at load 5-8; 8,000 in 62 min at nice 19 beside three other jobs)',
  'cyclegan-fmnist': '8-15 min (measured 2026-12-04 at one thread: 13 min 15 s wall, 373 s CPU, at load 7-8)',
  'srresnet-fmnist-x4': '5-10 min (estimate; 1,000 steps took 39 min at load 20-35)',
  'srgan-fmnist-x4': '8-15 min (estimate; 1,000 steps took 55 min at load 20-35)',
  'srresnet-emoji-x4': '20-40 min (estimate; 400 steps took 50 min at load 20-35)',
  'srgan-emoji-x4': '30-60 min (estimate)',
  'stylegan-fmnist32':
    '20-40 min (measured 2026-12-04 at one thread: the whole run in 21 min 29 s at load 1-2; 179-207 ms wall per step at load 7-8, 36-41 min)',
  'stylegan-shapes32': '10-15 min (estimate: the networks and step time of stylegan-fmnist32)',
  'stylegan-emoji32': '30-45 min (estimate: steps 1.5x those of stylegan-fmnist32, timed side by side)',
  'stylegan-emoji64': '45-90 min (estimate)',
  'mocogan-shapes32': '35-70 min (estimate: 0.7-1.4 s per step of 16 clips)',
  'mocogan-fmnist32': '30-60 min (estimate: 0.6-1.2 s per step of 16 clips)',
};
